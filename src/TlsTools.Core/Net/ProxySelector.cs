using System;
using System.Linq;
using System.Net;
using System.Net.Sockets;

namespace TlsTools.Net;

/// <summary>The proxy an attempt goes through, and where that choice came from (for the transcript).</summary>
public sealed class ProxyChoice
{
    public ProxyChoice(ProxyAddress proxy, string source) { Proxy = proxy; Source = source; }
    public ProxyAddress Proxy { get; }
    /// <summary>"-Proxy", "HTTPS_PROXY", ...</summary>
    public string Source { get; }
}

/// <summary>
/// Chooses the proxy for one target: -Proxy when given; otherwise the environment (https_proxy,
/// HTTPS_PROXY, all_proxy, ALL_PROXY, lower case first, as curl reads them) unless -NoProxy, the target
/// is listed in NO_PROXY, or the target is this machine (loopback never goes through a proxy, as in browsers).
/// </summary>
public static class ProxySelector
{
    static readonly string[] ProxyVariables = { "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY" };
    static readonly string[] BypassVariables = { "no_proxy", "NO_PROXY" };

    /// <param name="environment">Reads one environment variable; null reads the process environment.</param>
    /// <exception cref="ProxyFormatException">-Proxy or the environment variable holds an unusable address.</exception>
    public static ProxyChoice? Choose(TargetEndpoint target, ConnectionOptions options, Func<string, string?>? environment = null)
    {
        if (options.Proxy is string explicitProxy && !string.IsNullOrWhiteSpace(explicitProxy))
            return new ProxyChoice(ProxyAddress.Parse(explicitProxy).WithCredential(options.ProxyCredential), "-Proxy");
        if (options.NoProxy || IsLoopback(target)) return null;

        environment = environment ?? Environment.GetEnvironmentVariable;
        var (variable, proxyText) = FirstSet(ProxyVariables, environment);
        if (variable == null || proxyText == null) return null;
        var (_, bypass) = FirstSet(BypassVariables, environment);
        if (bypass != null && IsBypassed(target.Host, bypass)) return null;
        return new ProxyChoice(ProxyAddress.Parse(proxyText).WithCredential(options.ProxyCredential), variable);
    }

    /// <summary>The first of <paramref name="variables"/> that is set to more than white space, and its value; nulls when none is.</summary>
    static (string? Variable, string? Value) FirstSet(string[] variables, Func<string, string?> environment)
    {
        foreach (var variable in variables)
        {
            string? value = environment(variable);
            if (!string.IsNullOrWhiteSpace(value)) return (variable, value);
        }
        return (null, null);
    }

    static bool IsLoopback(TargetEndpoint target) =>
        target.IsIpLiteral ? IPAddress.IsLoopback(target.IpLiteral)
            : target.Host.TrimEnd('.').Equals("localhost", StringComparison.OrdinalIgnoreCase)
              || target.Host.TrimEnd('.').EndsWith(".localhost", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// NO_PROXY as curl reads it: comma-separated; "*" matches all; a name matches itself and its subdomains
    /// (a leading dot is optional); an address matches itself; address/bits matches a CIDR range.
    /// </summary>
    public static bool IsBypassed(string host, string noProxy)
    {
        host = host.TrimEnd('.').ToLowerInvariant();
        IPAddress.TryParse(host, out var hostIp);
        foreach (var raw in noProxy.Split(new[] { ',', ' ' }, StringSplitOptions.RemoveEmptyEntries))
        {
            string entry = raw.Trim().ToLowerInvariant();
            if (entry == "*") return true;
            if (hostIp != null)
            {
                if (MatchesAddress(hostIp, entry)) return true;
                continue;
            }
            entry = StripPort(entry).TrimStart('*').TrimStart('.').TrimEnd('.');
            if (entry.Length > 0 && (host == entry || host.EndsWith("." + entry, StringComparison.Ordinal))) return true;
        }
        return false;
    }

    static bool MatchesAddress(IPAddress host, string entry)
    {
        int slash = entry.IndexOf('/');
        string addressText = (slash >= 0 ? entry.Substring(0, slash) : entry).Trim('[', ']');
        if (!IPAddress.TryParse(addressText, out var network) || network.AddressFamily != host.AddressFamily) return false;
        var a = host.GetAddressBytes();
        var b = network.GetAddressBytes();
        int bits = a.Length * 8;
        if (slash >= 0 && (!int.TryParse(entry.Substring(slash + 1), out bits) || bits < 0 || bits > a.Length * 8)) return false;
        for (int i = 0; i < bits; i++)
        {
            int mask = 0x80 >> (i % 8);
            if ((a[i / 8] & mask) != (b[i / 8] & mask)) return false;
        }
        return true;
    }

    static string StripPort(string entry)
    {
        int colon = entry.LastIndexOf(':');
        return colon > 0 && entry.IndexOf(':') == colon ? entry.Substring(0, colon) : entry;
    }
}
