using System;

namespace TlsTools.Assessment.Http;

/// <summary>
/// How much the GET of / may cost, whatever the server sends: one home for the bounds, so the probe, its tests and
/// about_TlsTools say the same numbers. Generous for any real server (nginx's default header buffers are 1 KiB
/// lines in 8 KiB; browsers stop near 256 KiB of headers), small enough that a hostile one costs nothing.
/// </summary>
public static class HttpBounds
{
    /// <summary>One status or header line (and one chunk-size line).</summary>
    public const int MaxLineBytes = 8 * 1024;

    /// <summary>The whole head of one response: status line, header lines, the empty line.</summary>
    public const int MaxHeadBytes = 32 * 1024;

    /// <summary>Header fields in one response.</summary>
    public const int MaxHeaderFields = 100;

    /// <summary>Interim (1xx) responses skipped before the final one.</summary>
    public const int MaxInterimResponses = 5;

    /// <summary>Body bytes skipped, over all responses, to reuse the connection for a redirect.</summary>
    public const int MaxSkippedBodyBytes = 256 * 1024;

    /// <summary>Same-origin redirects followed on the one connection.</summary>
    public const int MaxRedirects = 3;

    /// <summary>The most the whole exchange takes of its own (less when the target's deadline leaves less).</summary>
    public static readonly TimeSpan TimeLimit = TimeSpan.FromSeconds(5);
}
