using System;
using System.Collections.Generic;
using System.Linq;

namespace TlsTools.Assessment.Http;

/// <summary>How the length of a response's body is known (RFC 9112 section 6.3).</summary>
internal enum BodyFraming
{
    /// <summary>1xx, 204 and 304 responses have none.</summary>
    None,
    ContentLength,
    Chunked,
    /// <summary>The body runs until the server closes: the connection cannot carry another request.</summary>
    UntilClose,
}

/// <summary>One response's status line and header fields as read: names as sent, values without surrounding whitespace.</summary>
internal sealed class HttpResponseHead
{
    static readonly int[] RedirectCodes = { 301, 302, 303, 307, 308 };

    public HttpResponseHead(int minorVersion, int statusCode, IReadOnlyList<KeyValuePair<string, string>> fields)
    {
        MinorVersion = minorVersion;
        StatusCode = statusCode;
        Fields = fields;
    }

    /// <summary>HTTP/1.0 or HTTP/1.1: the 0 or 1.</summary>
    public int MinorVersion { get; }
    public int StatusCode { get; }
    public IReadOnlyList<KeyValuePair<string, string>> Fields { get; }

    /// <summary>100 Continue, 103 Early Hints: another response follows. (101 answers an upgrade nobody asked for: final.)</summary>
    public bool IsInterim => StatusCode >= 100 && StatusCode < 200 && StatusCode != 101;

    public bool IsRedirect => RedirectCodes.Contains(StatusCode);

    /// <summary>The first field of that name (names are case-insensitive); null when there is none.</summary>
    public string? First(string name) => All(name).FirstOrDefault();

    public IEnumerable<string> All(string name) =>
        Fields.Where(f => string.Equals(f.Key, name, StringComparison.OrdinalIgnoreCase)).Select(f => f.Value);

    /// <summary>The comma-separated tokens of every field of that name, lower-cased (Connection, Transfer-Encoding).</summary>
    IEnumerable<string> Tokens(string name) =>
        All(name).SelectMany(v => v.Split(',')).Select(t => t.Trim().ToLowerInvariant()).Where(t => t.Length > 0);

    /// <summary>
    /// Whether the server keeps the connection open after this response: HTTP/1.1 unless it says close, HTTP/1.0
    /// only when it says keep-alive (RFC 9112 section 9.3).
    /// </summary>
    public bool KeepsConnectionOpen
    {
        get
        {
            var connection = Tokens("Connection").ToList();
            if (connection.Contains("close")) return false;
            return MinorVersion >= 1 || connection.Contains("keep-alive");
        }
    }

    /// <summary>The body's framing for a response to GET (RFC 9112 section 6.3), and its length for Content-Length.</summary>
    public (BodyFraming Framing, long Length) Body
    {
        get
        {
            if (StatusCode < 200 || StatusCode == 204 || StatusCode == 304) return (BodyFraming.None, 0);
            var codings = Tokens("Transfer-Encoding").ToList();
            if (codings.Count > 0)
                return (codings[codings.Count - 1] == "chunked" ? BodyFraming.Chunked : BodyFraming.UntilClose, 0);
            var lengths = All("Content-Length").SelectMany(v => v.Split(',')).Select(v => v.Trim()).Distinct().ToList();
            if (lengths.Count == 0) return (BodyFraming.UntilClose, 0);
            // Differing or malformed lengths leave the framing unknown: nothing more can be read reliably.
            if (lengths.Count == 1 && lengths[0].Length is > 0 and <= 18 && lengths[0].All(c => c >= '0' && c <= '9'))
                return (BodyFraming.ContentLength, long.Parse(lengths[0], System.Globalization.CultureInfo.InvariantCulture));
            return (BodyFraming.UntilClose, 0);
        }
    }
}
