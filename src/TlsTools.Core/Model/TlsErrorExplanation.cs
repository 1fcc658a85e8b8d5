using System;

namespace TlsTools;

/// <summary>
/// What one alert, error message, exception or server log line means: its cause in the module's one
/// <see cref="FailureCategory"/>, an explanation, and what to change. Written by Resolve-TlsError.
/// </summary>
public sealed class TlsErrorExplanation
{
    /// <summary>Who wrote the text: the log's server (nginx, apache, haproxy, postfix, dovecot, iis) or the tool
    /// whose message it is (openssl, curl, java, dotnet, schannel, python, go, browser, tls-alert).</summary>
    public string Source { get; set; } = "";
    /// <summary>When the log line says it happened (the server's local time), else null.</summary>
    public DateTime? Timestamp { get; set; }
    /// <summary>The client address a log line names, else null.</summary>
    public string? ClientAddress { get; set; }
    /// <summary>The server (name, or listening address) a log line or message names, else null.</summary>
    public string? ServerName { get; set; }
    public FailureCategory Category { get; set; }
    /// <summary>The text that was explained: the message of a log line (its prefix removed), an exception's type and message.</summary>
    public string Message { get; set; } = "";
    /// <summary>The part of <see cref="Message"/> the knowledge table recognised.</summary>
    public string MatchedText { get; set; } = "";
    public string Explanation { get; set; } = "";
    /// <summary>What to change; null when neither the message's row nor the category has a remedy.</summary>
    public string? Remedy { get; set; }
    /// <summary>The command of this module that checks the cause, e.g. "Get-CertificateChain -ComputerName www.example.org".</summary>
    public string? NextCommand { get; set; }
    /// <summary>Alert number and name, RFC section, vendor error code; null (or empty) when the table names none.</summary>
    public string? Reference { get; set; }
    /// <summary>The whole input line, as read.</summary>
    public string Line { get; set; } = "";
    /// <summary>The line number in the file given with -Path, else null.</summary>
    public int? LineNumber { get; set; }
    /// <summary>The file given with -Path, else null.</summary>
    public string? Path { get; set; }
}
