using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using TlsTools.Diagnosis;

namespace TlsTools.Commands;

/// <summary>
/// Turns an alert, an error message, an exception or server log lines into cause and remedy. Thin: every
/// explanation comes from Core's TlsErrorResolver; this class binds input, counts what it skips and writes results.
/// One input that names several causes gives one result per cause, most important first, each with the same Line.
/// A text given as the -Message argument that names none gives one result of Category Unknown that says so; texts
/// from the pipeline (log lines from Get-Content), -Path lines, exceptions and error records that name none are
/// skipped and counted under -Verbose, because there they are the ordinary lines around the errors.
/// </summary>
[Cmdlet(VerbsDiagnostic.Resolve, "TlsError", DefaultParameterSetName = MessageSet)]
[OutputType(typeof(TlsErrorExplanation))]
public sealed class ResolveTlsErrorCommand : PSCmdlet
{
    private const string MessageSet = "Message";
    private const string AlertSet = "Alert";
    private const string ErrorRecordSet = "ErrorRecord";
    private const string ExceptionSet = "Exception";
    private const string PathSet = "Path";

    private int _seen;
    private int _skipped;

    /// <summary>Error messages or log lines; strings, numbers (alerts) and objects with a Message property bind here.</summary>
    [Parameter(ParameterSetName = MessageSet, Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString]
    [AllowNull]
    public string?[] Message { get; set; } = Array.Empty<string>();

    [Parameter(ParameterSetName = AlertSet, Mandatory = true)]
    public string[] Alert { get; set; } = Array.Empty<string>();

    [Parameter(ParameterSetName = ErrorRecordSet, Mandatory = true, ValueFromPipeline = true)]
    public ErrorRecord[] ErrorRecord { get; set; } = Array.Empty<ErrorRecord>();

    [Parameter(ParameterSetName = ExceptionSet, Mandatory = true, ValueFromPipeline = true)]
    public Exception[] Exception { get; set; } = Array.Empty<Exception>();

    [Parameter(ParameterSetName = PathSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "FullName")]
    public string[] Path { get; set; } = Array.Empty<string>();

    protected override void ProcessRecord()
    {
        switch (ParameterSetName)
        {
            case AlertSet:
                foreach (var alert in Alert) ResolveAlert(alert);
                break;
            case ErrorRecordSet:
                foreach (var record in ErrorRecord) Emit(ExplainErrorRecord(record), record?.ToString(), false);
                break;
            case ExceptionSet:
                foreach (var exception in Exception)
                    Emit(exception == null ? Array.Empty<TlsErrorExplanation>() : TlsErrorResolver.ExplainExceptionCauses(exception), exception?.Message, false);
                break;
            case PathSet:
                foreach (var path in Path) ResolveFile(path);
                break;
            default:
                // An argument is a text the user asked about; pipeline strings are usually a log's lines.
                bool sayUnrecognized = !MyInvocation.ExpectingInput;
                foreach (var text in Message ?? Array.Empty<string?>()) Emit(TlsErrorResolver.ExplainCauses(text), text, sayUnrecognized);
                break;
        }
    }

    protected override void EndProcessing()
    {
        if (_skipped > 0)
            WriteVerbose($"Skipped {_skipped} of {_seen} inputs that are not TLS errors this module knows.");
    }

    private static IReadOnlyList<TlsErrorExplanation> ExplainErrorRecord(ErrorRecord? record)
    {
        if (record == null) return Array.Empty<TlsErrorExplanation>();
        var causes = TlsErrorResolver.ExplainExceptionCauses(record.Exception);
        return causes.Count > 0 ? causes : TlsErrorResolver.ExplainCauses(record.ErrorDetails?.Message);
    }

    private void ResolveAlert(string alert)
    {
        var explanation = TlsErrorResolver.ExplainAlert(alert);
        if (explanation != null) { WriteObject(explanation); return; }
        WriteError(new ErrorRecord(
            new ArgumentException($"'{alert}' is not a registered TLS alert; give its number (0-255, e.g. 40) or its name (e.g. handshake_failure)."),
            "UnknownAlert", ErrorCategory.InvalidArgument, alert));
    }

    private void ResolveFile(string path)
    {
        string file;
        try
        {
            file = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
            if (!File.Exists(file)) throw new FileNotFoundException($"Cannot find the log file '{path}'.", file);
        }
        catch (Exception e) when (e is FileNotFoundException || e is ItemNotFoundException || e is NotSupportedException || e is ArgumentException)
        {
            WriteError(new ErrorRecord(e, "PathNotFound", ErrorCategory.ObjectNotFound, path));
            return;
        }

        int found = 0, lines = 0;
        try
        {
            foreach (var (_, causes) in TlsErrorResolver.ExplainFile(file))
            {
                if (Stopping) return;
                lines++;
                if (causes.Count > 0) found++;
                Emit(causes, null, false);
            }
        }
        catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
        {
            WriteError(new ErrorRecord(e, "PathUnreadable", ErrorCategory.ReadError, path));
        }
        WriteVerbose($"{file}: {lines} lines, {found} TLS errors, {lines - found} other lines skipped.");
    }

    private void Emit(IReadOnlyList<TlsErrorExplanation> causes, string? input, bool sayUnrecognized)
    {
        _seen++;
        if (causes.Count > 0)
        {
            foreach (var cause in causes) WriteObject(cause);
            return;
        }
        if (sayUnrecognized && input != null && input.Trim().Length > 0)
        {
            WriteObject(TlsErrorResolver.Unrecognized(input));
            return;
        }
        _skipped++;
        if (input != null) WriteDebug($"Not a known TLS error: {input}");
    }
}
