using System;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace TlsTools.Net;

/// <summary>A host and port to connect to, parsed from what a user typed.</summary>
public sealed class TargetEndpoint
{
    public TargetEndpoint(string host, int port, bool portFromInput)
    {
        Host = host;
        Port = port;
        PortFromInput = portFromInput;
        IsIpLiteral = IPAddress.TryParse(host, out var ip);
        IpLiteral = IsIpLiteral ? ip : null;
    }

    /// <summary>Host name or IP literal, without brackets.</summary>
    public string Host { get; }
    public int Port { get; }
    /// <summary>True when the port came from the target text (host:port, URI) rather than the default.</summary>
    public bool PortFromInput { get; }
    public bool IsIpLiteral { get; }
    /// <summary>The address when <see cref="Host"/> is an IP literal, else null.</summary>
    public IPAddress? IpLiteral { get; }
    /// <summary>
    /// For an address resolved from a name (the probes and follow-ups connect to the address, once resolved):
    /// that name, which the plain-text protocols before STARTTLS still speak (XMPP's stream 'to', for one).
    /// </summary>
    public string? ResolvedFrom { get; private set; }

    /// <summary>This endpoint's address with the same port, remembering the name it was resolved from.</summary>
    public TargetEndpoint At(IPAddress address) =>
        new TargetEndpoint(address.ToString(), Port, true) { ResolvedFrom = IsIpLiteral ? ResolvedFrom : Host };

    public override string ToString() =>
        Host.IndexOf(':') >= 0 ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}

/// <summary>Thrown for a target that cannot be used at all (malformed text, port out of range).</summary>
public sealed class TargetFormatException : FormatException
{
    public TargetFormatException(string target, string message) : base(message) { Target = target; }
    public string Target { get; }
}

/// <summary>
/// Parses the target forms every network cmdlet accepts: <c>host</c>, <c>host:port</c>, <c>[v6]:port</c>,
/// a bare IPv6 literal, and <c>scheme://host:port/path</c>.
/// </summary>
public static class TargetParser
{
    /// <summary>Default ports of the URI schemes people paste; https is the default when none is given.</summary>
    static readonly (string Scheme, int Port)[] SchemePorts =
    {
        ("https", 443), ("wss", 443), ("ldaps", 636), ("smtps", 465), ("imaps", 993), ("pop3s", 995),
        ("ftps", 990), ("http", 80), ("ws", 80), ("ldap", 389), ("smtp", 25), ("imap", 143), ("pop3", 110),
        ("rdp", 3389), ("mysql", 3306), ("postgres", 5432), ("postgresql", 5432),
    };

    public static TargetEndpoint Parse(string target, int defaultPort)
    {
        if (defaultPort < 1 || defaultPort > 65535)
            throw new TargetFormatException(target, $"Port {defaultPort} is out of range; a TCP port is 1 to 65535.");
        if (string.IsNullOrWhiteSpace(target))
            throw new TargetFormatException(target, "The target is empty; give a host name, an IP address, host:port or a URL.");
        string text = target.Trim();

        int schemeEnd = text.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd >= 0)
            return ParseUri(target, text, schemeEnd);

        if (text.IndexOfAny(new[] { '/', '?', '#', ' ', '\t', '@' }) >= 0)
            throw new TargetFormatException(target, $"'{target}' is not a host name, address, host:port or URL.");

        if (text.StartsWith("[", StringComparison.Ordinal))
        {
            int close = text.IndexOf(']');
            if (close < 0)
                throw new TargetFormatException(target, $"'{target}' opens an IPv6 bracket but never closes it; write [::1]:443.");
            string inner = text.Substring(1, close - 1);
            if (!IPAddress.TryParse(inner, out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6)
                throw new TargetFormatException(target, $"'{inner}' inside brackets is not an IPv6 address.");
            string rest = text.Substring(close + 1);
            if (rest.Length == 0) return new TargetEndpoint(inner, defaultPort, false);
            if (rest[0] != ':')
                throw new TargetFormatException(target, $"'{target}': expected ':port' after the IPv6 address.");
            return new TargetEndpoint(inner, ParsePort(target, rest.Substring(1)), true);
        }

        int colons = Count(text, ':');
        if (colons > 1)
        {
            // A bare IPv6 literal: no port can be given without brackets.
            if (IPAddress.TryParse(text, out var ip) && ip.AddressFamily == AddressFamily.InterNetworkV6)
                return new TargetEndpoint(text, defaultPort, false);
            throw new TargetFormatException(target, $"'{target}' is not a valid IPv6 address; to add a port write [address]:port.");
        }
        if (colons == 1)
        {
            int c = text.IndexOf(':');
            string host = text.Substring(0, c);
            ValidateHost(target, host);
            return new TargetEndpoint(host, ParsePort(target, text.Substring(c + 1)), true);
        }
        ValidateHost(target, text);
        return new TargetEndpoint(text, defaultPort, false);
    }

    static TargetEndpoint ParseUri(string target, string text, int schemeEnd)
    {
        string scheme = text.Substring(0, schemeEnd).ToLowerInvariant();
        int schemePort = 0;
        foreach (var (s, p) in SchemePorts)
            if (s == scheme) { schemePort = p; break; }
        if (schemePort == 0)
            throw new TargetFormatException(target, $"'{target}': unknown scheme '{scheme}'; give -Port with a plain host name instead.");
        string authority = text.Substring(schemeEnd + 3);
        int end = authority.IndexOfAny(new[] { '/', '?', '#' });
        if (end >= 0) authority = authority.Substring(0, end);
        int at = authority.LastIndexOf('@');
        if (at >= 0) authority = authority.Substring(at + 1);
        if (authority.Length == 0)
            throw new TargetFormatException(target, $"'{target}' has no host name.");
        var parsed = Parse(authority, schemePort);
        return new TargetEndpoint(parsed.Host, parsed.Port, true);
    }

    static int ParsePort(string target, string text)
    {
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int port))
            throw new TargetFormatException(target, $"'{text}' in '{target}' is not a port number.");
        if (port < 1 || port > 65535)
            throw new TargetFormatException(target, $"Port {port} in '{target}' is out of range; a TCP port is 1 to 65535.");
        return port;
    }

    static void ValidateHost(string target, string host)
    {
        if (host.Length == 0)
            throw new TargetFormatException(target, $"'{target}' has no host name.");
        if (host.Length > 253)
            throw new TargetFormatException(target, $"'{host}' is longer than the 253 characters a DNS name may have.");
        if (IPAddress.TryParse(host, out _)) return;
        foreach (string label in host.TrimEnd('.').Split('.'))
        {
            if (label.Length == 0 || label.Length > 63)
                throw new TargetFormatException(target, $"'{host}' is not a valid host name (empty or over-long label).");
            foreach (char ch in label)
                if (!(char.IsLetterOrDigit(ch) || ch == '-' || ch == '_'))
                    throw new TargetFormatException(target, $"'{host}' is not a valid host name: '{ch}' is not allowed.");
        }
    }

    static int Count(string s, char c)
    {
        int n = 0;
        foreach (char ch in s) if (ch == c) n++;
        return n;
    }
}
