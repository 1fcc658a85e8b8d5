using System;
using System.Globalization;
using System.Net;

namespace TlsTools.Net;

public enum ProxyKind { HttpConnect, Socks5 }

/// <summary>Thrown for a proxy address that cannot be used (unknown scheme, bad port).</summary>
public sealed class ProxyFormatException : FormatException
{
    public ProxyFormatException(string proxy, string message) : base(message) { Proxy = proxy; }
    public string Proxy { get; }
}

/// <summary>
/// A proxy as written in -Proxy or HTTPS_PROXY: <c>http://[user:password@]host[:port]</c>, <c>host:port</c>
/// (HTTP), <c>socks5://</c> or <c>socks5h://</c>. Either way the proxy resolves the target's name: the
/// name a user gives is what the proxy's own policy sees.
/// </summary>
public sealed class ProxyAddress
{
    /// <summary>Default ports when the proxy address has none: the common HTTP proxy port and the SOCKS port (RFC 1928).</summary>
    static readonly (string Scheme, ProxyKind Kind, int Port)[] Schemes =
    {
        ("http", ProxyKind.HttpConnect, 8080),
        ("socks5", ProxyKind.Socks5, 1080),
        ("socks5h", ProxyKind.Socks5, 1080),
    };

    ProxyAddress(ProxyKind kind, TargetEndpoint endpoint, NetworkCredential? credential)
    {
        Kind = kind;
        Endpoint = endpoint;
        Credential = credential;
    }

    public ProxyKind Kind { get; }
    public TargetEndpoint Endpoint { get; }
    /// <summary>From the URL's user:password part; null when it has none.</summary>
    public NetworkCredential? Credential { get; }

    /// <summary>The proxy without its credentials, fit for results and logs.</summary>
    public override string ToString() => $"{(Kind == ProxyKind.Socks5 ? "socks5" : "http")}://{Endpoint}";

    public ProxyAddress WithCredential(NetworkCredential? credential) =>
        credential == null ? this : new ProxyAddress(Kind, Endpoint, credential);

    public static ProxyAddress Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
            throw new ProxyFormatException(text, "The proxy address is empty; write http://host:port or socks5://host:port.");
        string rest = text.Trim();
        string scheme = "http";
        int schemeEnd = rest.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd >= 0)
        {
            scheme = rest.Substring(0, schemeEnd).ToLowerInvariant();
            rest = rest.Substring(schemeEnd + 3);
        }
        int index = Array.FindIndex(Schemes, s => s.Scheme == scheme);
        if (index < 0)
            throw new ProxyFormatException(text, scheme == "https"
                ? $"'{text}': a TLS connection to the proxy itself (https://) is not supported; use http:// for an HTTP CONNECT proxy."
                : $"'{text}': unknown proxy scheme '{scheme}'; use http:// (HTTP CONNECT) or socks5://.");
        var (_, kind, defaultPort) = Schemes[index];

        int slash = rest.IndexOf('/');
        if (slash >= 0) rest = rest.Substring(0, slash);
        NetworkCredential? credential = null;
        int at = rest.LastIndexOf('@');
        if (at >= 0)
        {
            credential = ParseUserInfo(rest.Substring(0, at));
            rest = rest.Substring(at + 1);
        }
        TargetEndpoint endpoint;
        try
        {
            endpoint = TargetParser.Parse(rest, defaultPort);
        }
        catch (TargetFormatException ex)
        {
            throw new ProxyFormatException(text, $"Proxy '{Redact(text)}': {ex.Message}");
        }
        return new ProxyAddress(kind, endpoint, credential);
    }

    static NetworkCredential ParseUserInfo(string userInfo)
    {
        int colon = userInfo.IndexOf(':');
        string user = colon >= 0 ? userInfo.Substring(0, colon) : userInfo;
        string password = colon >= 0 ? userInfo.Substring(colon + 1) : "";
        return new NetworkCredential(Uri.UnescapeDataString(user), Uri.UnescapeDataString(password));
    }

    /// <summary>The text with any password replaced, for error messages.</summary>
    public static string Redact(string text)
    {
        int schemeEnd = text.IndexOf("://", StringComparison.Ordinal);
        int start = schemeEnd >= 0 ? schemeEnd + 3 : 0;
        int at = text.IndexOf('@', start);
        if (at < 0) return text;
        int colon = text.IndexOf(':', start);
        return colon >= 0 && colon < at ? text.Substring(0, colon + 1) + "***" + text.Substring(at) : text;
    }

    internal static string PortText(int port) => port.ToString(CultureInfo.InvariantCulture);
}
