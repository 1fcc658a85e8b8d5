using System;

namespace TlsTools.Assessment.Http;

/// <summary>
/// Where a redirect's Location points, resolved against the request's URL (a relative reference is allowed,
/// RFC 9110 section 10.2.2), and whether it stays on the origin the probe talks to: https, the same host and
/// port. Only such a redirect can be followed on the connection already open.
/// </summary>
internal static class SameOriginRedirect
{
    /// <summary>The path and query to request next; null when <paramref name="location"/> leaves the origin or is no URL.</summary>
    public static string? NextPath(string hostHeader, string currentPath, string location)
    {
        if (!Uri.TryCreate("https://" + hostHeader + "/", UriKind.Absolute, out var origin)
            || !Uri.TryCreate(origin, currentPath, out var current)
            || !Uri.TryCreate(current, location.Trim(), out var next))
            return null;
        bool sameOrigin = next.Scheme == Uri.UriSchemeHttps
            && string.Equals(next.Host, origin.Host, StringComparison.OrdinalIgnoreCase)
            && next.Port == origin.Port
            && next.UserInfo.Length == 0;
        return sameOrigin ? next.GetComponents(UriComponents.PathAndQuery, UriFormat.UriEscaped) : null;
    }
}
