using System;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;

namespace TlsTools.Diagnosis;

/// <summary>What the prefix of a server log line says, and the message that follows it.</summary>
public sealed class LogLineFields
{
    public string Source { get; set; } = "";
    public DateTime? Timestamp { get; set; }
    /// <summary>The client address the line names, else null.</summary>
    public string? ClientAddress { get; set; }
    /// <summary>The server the line names, else null.</summary>
    public string? ServerName { get; set; }
    public string Message { get; set; } = "";
}

/// <summary>
/// Recognises the error-log lines of the servers administrators ask about (nginx, Apache mod_ssl, HAProxy,
/// Postfix, Dovecot, IIS HTTP.sys httperr). Each format is one row: a line regex whose groups ts/client/server/msg
/// give the fields, timestamp formats, and field regexes for what sits inside the message (nginx's "client: x").
/// </summary>
public static class ServerLogFormats
{
    private const RegexOptions Options = RegexOptions.CultureInvariant | RegexOptions.Compiled;
    private const string Syslog = @"(?<ts>[A-Z][a-z]{2} +\d{1,2} \d{2}:\d{2}:\d{2}|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?)";
    private static readonly string[] SyslogTimes =
    {
        "MMM d HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFzzz", "yyyy-MM-dd'T'HH:mm:ss.FFFFFF'Z'", "yyyy-MM-dd'T'HH:mm:ss.FFFFFF",
    };

    private sealed class Format
    {
        public Format(string source, string line, string[] times, string[]? client = null, string[]? server = null)
        {
            Source = source;
            Line = new Regex(line, Options);
            Times = times;
            Client = (client ?? Array.Empty<string>()).Select(p => new Regex(p, Options)).ToArray();
            Server = (server ?? Array.Empty<string>()).Select(p => new Regex(p, Options)).ToArray();
        }
        public string Source { get; }
        public Regex Line { get; }
        public string[] Times { get; }
        public Regex[] Client { get; }
        public Regex[] Server { get; }
    }

    // Most specific first: the syslog-framed formats name their program, the others have distinctive prefixes.
    private static readonly Format[] Formats =
    {
        // 2026/11/27 17:13:07 [info] 1234#1234: *5 SSL_do_handshake() failed (...) while SSL handshaking, client: 127.0.0.1, server: 127.0.0.1:8443
        new Format("nginx", @"^(?<ts>\d{4}/\d{2}/\d{2} \d{2}:\d{2}:\d{2}) \[\w+\] \d+#\d+: (?:\*\d+ )?(?<msg>.*)$",
            new[] { "yyyy/MM/dd HH:mm:ss" },
            client: new[] { @", client: (?<v>[^,\s]+)" }, server: new[] { @", server: (?<v>[^,\s]+)" }),
        // [Tue May 14 10:22:33.123456 2024] [ssl:info] [pid 12:tid 34] [client 192.0.2.10:50123] AH02008: ... (server www.example.org:443)
        new Format("apache", @"^\[(?<ts>[A-Z][a-z]{2} [A-Z][a-z]{2} +\d{1,2} \d{2}:\d{2}:\d{2}(?:\.\d+)? \d{4})\] \[[\w:]+\] (?:\[pid [^\]]*\] )?(?:\[client (?<client>.+?)(?::\d+)?\] )?(?<msg>.*)$",
            new[] { "ddd MMM d HH:mm:ss.FFFFFF yyyy" },
            server: new[] { @"\(server (?<v>[^)]+)\)", @"AH0\d+: (?<v>[^\s:]+):\d+:\d+ server certificate" }),
        // May 14 10:22:33 lb haproxy[123]: 192.0.2.10:50123 [14/May/2024:10:22:33.123] fe_https/1: SSL handshake failure
        new Format("haproxy", @"^(?:" + Syslog + @" \S+ haproxy\[\d+\]: )?(?<client>\[?[0-9A-Fa-f.:]+\]?):\d+ \[(?<ts2>\d{2}/[A-Z][a-z]{2}/\d{4}:\d{2}:\d{2}:\d{2}(?:\.\d+)?)\] (?<msg>\S+: .*)$",
            new[] { "dd/MMM/yyyy:HH:mm:ss.FFF" }),
        // May 14 10:22:33 mail postfix/smtpd[1234]: SSL_accept error from unknown[192.0.2.10]: -1
        new Format("postfix", @"^" + Syslog + @" (?<host>\S+) postfix(?:-\w+)?/[\w/-]+\[\d+\]: (?:[0-9A-F]{6,}: )?(?<msg>.*)$",
            SyslogTimes,
            client: new[] { @"\b(?:from|to|for) [^\[\s]*\[(?<v>[^\]]+)\]" }, server: new[] { @"\b(?:to|for) (?<v>[^\[\s]+)\[" }),
        // May 14 10:22:33 mail dovecot: imap-login: Disconnected: ... rip=192.0.2.10, lip=192.0.2.1, TLS handshaking: ...
        new Format("dovecot", @"^(?:" + Syslog + @" (?:(?<host>\S+) dovecot(?:\[\d+\])?: )?)?(?:imap|pop3|submission|managesieve|lmtp)-login: (?:\w+: )?(?<msg>.*)$",
            SyslogTimes,
            client: new[] { @"\brip=(?<v>[^,\s]+)" }, server: new[] { @"\blip=(?<v>[^,\s]+)" }),
        // 2024-05-14 10:22:33 192.0.2.10 50123 192.0.2.1 443 - - - - - - Client_Reset -   (HTTP.sys httperr, W3C fields)
        new Format("iis", @"^(?<ts>\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}) (?<client>[0-9A-Fa-f.:]+) \d+ (?<server>[0-9A-Fa-f.:]+) \d+ (?<msg>.*)$",
            new[] { "yyyy-MM-dd HH:mm:ss" }),
    };

    /// <summary>The fields of a line in one of the known formats, or null for any other line.</summary>
    public static LogLineFields? Parse(string line)
    {
        if (string.IsNullOrEmpty(line)) return null;
        foreach (var format in Formats)
        {
            var m = format.Line.Match(line);
            if (!m.Success) continue;
            string message = m.Groups["msg"].Value;
            return new LogLineFields
            {
                Source = format.Source,
                Message = message,
                // HAProxy's bracketed accept date (ts2) is when the connection came; its syslog time only when it was logged.
                Timestamp = ParseTime(Group(m, "ts2") ?? Group(m, "ts"), format.Times),
                ClientAddress = Group(m, "client") ?? FirstCapture(format.Client, message),
                ServerName = Group(m, "server") ?? FirstCapture(format.Server, message) ?? Group(m, "host"),
            };
        }
        return null;
    }

    private static string? Group(Match m, string name) => m.Groups[name].Success ? m.Groups[name].Value.Trim('[', ']') : null;

    private static string? FirstCapture(Regex[] patterns, string text)
    {
        foreach (var p in patterns)
        {
            var m = p.Match(text);
            if (m.Success) return m.Groups["v"].Value;
        }
        return null;
    }

    private static DateTime? ParseTime(string? text, string[] formats)
    {
        if (text == null) return null;
        return DateTime.TryParseExact(text, formats, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var time)
            ? time : (DateTime?)null;
    }
}
