using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using TlsTools.Capture;
using TlsTools.Certificates;

namespace TlsTools.Commands;

/// <summary>
/// Every TLS connection in a pcap or pcapng file, with what was offered and chosen, how it ended and why.
/// </summary>
[Cmdlet(VerbsCommunications.Read, "TlsCapture", DefaultParameterSetName = PathSet)]
[OutputType(typeof(CapturedHandshake))]
public sealed class ReadTlsCaptureCommand : PSCmdlet, IDisposable
{
    const string PathSet = "Path", LiteralPathSet = "LiteralPath";
    const string Activity = "Read-TlsCapture";

    readonly CancellationTokenSource _cancel = new CancellationTokenSource();
    WildcardPattern[]? _filters;
    TrustStore? _trust;
    bool _trustUnusable;

    /// <summary>Capture files; wildcards allowed.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = Array.Empty<string>();

    /// <summary>Capture files, taken as written (no wildcards). Get-ChildItem output binds here by PSPath.</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP", "FullName")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = Array.Empty<string>();

    /// <summary>Only connections whose ServerName, client address or server address matches one of these wildcards.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Filter { get; set; }

    /// <summary>
    /// Extra trust anchors (PEM or DER file), beside the system's roots, for validating a served chain that a client
    /// rejected: your organisation's private root, so the verdict names what else is wrong with the chain.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? TrustedRootPath { get; set; }

    protected override void BeginProcessing()
    {
        _filters = Filter?.Select(f => new WildcardPattern(f, WildcardOptions.IgnoreCase)).ToArray();
        if (string.IsNullOrEmpty(TrustedRootPath)) return;
        try { _trust = TrustStore.Load(GetUnresolvedProviderPathFromPSPath(TrustedRootPath)); }
        catch (TrustStoreException ex)
        {
            // Every verdict about a refused certificate would be judged against the wrong roots: read nothing.
            _trustUnusable = true;
            var category = ex.Error == TrustStoreError.FileNotFound ? ErrorCategory.ObjectNotFound
                : ex.Error == TrustStoreError.Unreadable ? ErrorCategory.ReadError : ErrorCategory.InvalidData;
            WriteError(new ErrorRecord(ex, "InvalidTrustedRootPath", category, TrustedRootPath));
        }
    }

    protected override void ProcessRecord()
    {
        if (_trustUnusable) return;
        foreach (var file in ResolveFiles())
        {
            if (_cancel.IsCancellationRequested) return;
            ReadOne(file);
        }
    }

    IEnumerable<string> ResolveFiles()
    {
        bool literal = ParameterSetName == LiteralPathSet;
        foreach (var path in literal ? LiteralPath : Path)
        {
            List<string> resolved;
            try
            {
                resolved = literal
                    ? new List<string> { SessionState.Path.GetUnresolvedProviderPathFromPSPath(path) }
                    : GetResolvedProviderPathFromPSPath(path, out _).ToList();
            }
            catch (ItemNotFoundException e)
            {
                WriteError(new ErrorRecord(e, "CaptureFileNotFound", ErrorCategory.ObjectNotFound, path));
                continue;
            }
            foreach (var file in resolved) yield return file;
        }
    }

    void ReadOne(string file)
    {
        if (!File.Exists(file))
        {
            var what = Directory.Exists(file) ? $"'{file}' is a directory, not a capture file." : $"Cannot find the capture file '{file}'.";
            WriteError(new ErrorRecord(new FileNotFoundException(what, file), "CaptureFileNotFound", ErrorCategory.ObjectNotFound, file));
            return;
        }
        long length = new FileInfo(file).Length;
        var progress = new ProgressRecord(2, Activity, $"Reading {System.IO.Path.GetFileName(file)}");
        var options = new CaptureReadOptions { Progress = bytes => ReportProgress(progress, bytes, length), Trust = _trust };
        WriteVerbose($"Reading {file} ({length:N0} bytes).");
        try
        {
            var results = TlsCaptureReader.ReadFile(file, options, out var statistics, _cancel.Token);
            foreach (var result in results)
                if (Matches(result)) WriteObject(result);
            WriteVerbose($"{statistics.Format}: {statistics.Frames:N0} frames, {statistics.TcpSegments:N0} TCP segments, {statistics.Connections:N0} TCP connections.");
            foreach (var unsupported in statistics.UnsupportedLinkTypes)
                WriteWarning($"{file}: {unsupported.Value:N0} frames of link type {unsupported.Key}, which Read-TlsCapture does not decode, were skipped.");
            if (statistics.Problem != null) ReportProblem(file, statistics.Problem);
        }
        catch (CaptureFormatException e)
        {
            WriteError(new ErrorRecord(e, "CaptureFormatUnrecognized", ErrorCategory.InvalidData, file));
        }
        catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
        {
            WriteError(new ErrorRecord(e, "CaptureFileUnreadable", ErrorCategory.ReadError, file));
        }
        catch (OperationCanceledException) when (_cancel.IsCancellationRequested)
        {
        }
        finally
        {
            progress.RecordType = ProgressRecordType.Completed;
            WriteProgress(progress);
        }
    }

    /// <summary>A file cut short is common (a capture still running): a warning. Corruption is an error.</summary>
    void ReportProblem(string file, CaptureProblem problem)
    {
        if (problem.Truncated) WriteWarning($"{file}: {problem.Message} The connections before it are reported.");
        else WriteError(new ErrorRecord(new InvalidDataException(problem.Message), "CaptureFileCorrupt", ErrorCategory.InvalidData, file)
            { ErrorDetails = new ErrorDetails($"{file}: {problem.Message} The connections before it are reported.") });
    }

    void ReportProgress(ProgressRecord progress, long bytes, long length)
    {
        progress.PercentComplete = length > 0 ? (int)Math.Min(100, bytes * 100 / length) : 0;
        progress.StatusDescription = $"{bytes / (1024 * 1024):N0} of {length / (1024 * 1024):N0} MiB read";
        WriteProgress(progress);
    }

    bool Matches(CapturedHandshake result) =>
        _filters == null || _filters.Any(f =>
            (result.ServerName != null && f.IsMatch(result.ServerName)) || f.IsMatch(result.ClientAddress) || f.IsMatch(result.ServerAddress));

    protected override void StopProcessing() => _cancel.Cancel();

    public void Dispose() => _cancel.Dispose();
}
