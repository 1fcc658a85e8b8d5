using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace TlsTools.Certificates;

/// <summary>
/// Does a certificate name a host? The rules browsers and current TLS libraries apply (RFC 6125, CA/B BR):
/// - a DNS host matches SAN dNSNames, case-insensitively, trailing dot ignored;
/// - a wildcard is only a whole left-most label ("*.example.test") and covers exactly one label,
///   so it matches "www.example.test" but neither "example.test" nor "a.b.example.test";
/// - an IP literal host matches SAN iPAddress entries only (never a dNSName that happens to read like one);
/// - the subject CN is consulted only when the certificate has no SAN extension at all.
/// </summary>
public static class HostNameMatcher
{
    /// <summary>True when <paramref name="cert"/> is issued for <paramref name="host"/> (a DNS name or an IP literal).</summary>
    public static bool Matches(X509Certificate2 cert, string host) => Matches(Parse(cert), host);

    /// <summary>The SAN dNSNames, or the subject CN(s) when the certificate has no SAN extension.</summary>
    public static IReadOnlyList<string> GetDnsNames(X509Certificate2 cert) => Parse(cert).DnsNames;

    /// <summary>The SAN iPAddress entries.</summary>
    public static IReadOnlyList<IPAddress> GetIPAddresses(X509Certificate2 cert) => Parse(cert).IPAddresses;

    internal static bool Matches(BcCertificate cert, string host) => Matches(SubjectNames.Of(cert), host);

    internal static bool Matches(SubjectNames names, string host)
    {
        if (string.IsNullOrWhiteSpace(host)) throw new ArgumentException("A host name is required.", nameof(host));
        var ip = ParseIpLiteral(host);
        if (ip != null)
            return names.IPAddresses.Any(ip.Equals) ||
                   // Without SANs, old certificates put the address in the CN; compare it as text.
                   (!names.HasSanExtension && names.DnsNames.Any(cn => cn.Trim() == ip.ToString()));
        var normalizedHost = NormalizeDnsName(host);
        return names.DnsNames.Any(pattern => DnsPatternMatches(NormalizeDnsName(pattern), normalizedHost));
    }

    private static SubjectNames Parse(X509Certificate2 cert)
    {
        if (cert == null) throw new ArgumentNullException(nameof(cert));
        return SubjectNames.Of(CertificateParsing.ParseDer(cert.RawData));
    }

    private static bool DnsPatternMatches(string pattern, string host)
    {
        if (!pattern.StartsWith("*.", StringComparison.Ordinal))
            return string.Equals(pattern, host, StringComparison.Ordinal);

        var suffix = pattern.Substring(1);   // ".example.test"
        // A wildcard directly above a TLD ("*.com") is never honoured; require two labels after "*".
        if (suffix.Count(c => c == '.') < 2) return false;
        if (!host.EndsWith(suffix, StringComparison.Ordinal)) return false;
        var coveredLabel = host.Substring(0, host.Length - suffix.Length);
        return coveredLabel.Length > 0 && coveredLabel.IndexOf('.') < 0;
    }

    /// <summary>Lower case, no trailing dot, internationalised names in their ASCII (xn--) form as in certificates.</summary>
    private static string NormalizeDnsName(string name)
    {
        var trimmed = name.Trim().TrimEnd('.');
        try
        {
            return new IdnMapping().GetAscii(trimmed).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            // Not a valid IDN (e.g. "*" or "_srv" labels): compare it as written.
            return trimmed.ToLowerInvariant();
        }
    }

    /// <summary>
    /// An IPv4 dotted quad or an IPv6 literal (brackets allowed). Stricter than IPAddress.TryParse, which
    /// also accepts "10" or "10.1" and would turn odd host names into addresses.
    /// </summary>
    private static IPAddress? ParseIpLiteral(string host)
    {
        var candidate = host.Trim().TrimStart('[').TrimEnd(']');
        if (!IPAddress.TryParse(candidate, out var ip)) return null;
        var isDottedQuad = ip.AddressFamily == AddressFamily.InterNetwork && candidate.Split('.').Length == 4;
        return ip.AddressFamily == AddressFamily.InterNetworkV6 || isDottedQuad ? ip : null;
    }
}
