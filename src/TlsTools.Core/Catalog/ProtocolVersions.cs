using System.Collections.Generic;
using System.Linq;
using TlsTools.Protocol;

namespace TlsTools.Catalog;

/// <summary>One protocol version: its flag, its wire code, how people write it and how far to trust it.</summary>
public sealed class ProtocolVersionInfo
{
    internal ProtocolVersionInfo(TlsProtocol protocol, string displayName, CipherSuiteRating rating, string ratingReason, string? remedy)
    {
        Protocol = protocol; WireCode = TlsVersionCodes.ToWire(protocol); DisplayName = displayName;
        Rating = rating; RatingReason = ratingReason; Remedy = remedy;
    }
    public TlsProtocol Protocol { get; }
    /// <summary>ProtocolVersion on the wire (<see cref="TlsVersionCodes"/>): 0x0303 for TLS 1.2; 0x0002 for SSLv2's CLIENT-HELLO.</summary>
    public ushort WireCode { get; }
    /// <summary>"TLS 1.2", "SSLv3".</summary>
    public string DisplayName { get; }
    /// <summary>Insecure (SSLv2, SSLv3), Deprecated (TLS 1.0, 1.1: RFC 8996) or Secure (TLS 1.2, 1.3).</summary>
    public CipherSuiteRating Rating { get; }
    public string RatingReason { get; }
    /// <summary>What to change on a server that accepts this version; null for versions that are fine to accept.</summary>
    public string? Remedy { get; }
    public override string ToString() => DisplayName;
}

/// <summary>Wire code, <see cref="TlsProtocol"/> flag and display name of every protocol version, oldest first.</summary>
public static class ProtocolVersions
{
    // How to switch a version off, in the words of the servers people run; {0} is the version's name in each.
    private const string DisableRemedy =
        "Disable {0} on the server and keep TLS 1.2 and TLS 1.3: nginx 'ssl_protocols TLSv1.2 TLSv1.3;', " +
        "Apache 'SSLProtocol -all +TLSv1.2 +TLSv1.3', HAProxy 'ssl-min-ver TLSv1.2', OpenSSL 'MinProtocol = TLSv1.2', " +
        "Windows: set Enabled=0 under HKLM\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols\\{1}\\Server.";

    private static readonly ProtocolVersionInfo[] Versions =
    {
        new ProtocolVersionInfo(TlsProtocol.Ssl2, "SSLv2", CipherSuiteRating.Insecure,
            "broken: no handshake integrity, export and 40-bit ciphers, DROWN (CVE-2016-0800); prohibited by RFC 6176",
            string.Format(DisableRemedy, "SSLv2", "SSL 2.0")),
        new ProtocolVersionInfo(TlsProtocol.Ssl3, "SSLv3", CipherSuiteRating.Insecure,
            "broken: POODLE (CVE-2014-3566) and only RC4 or CBC ciphers; prohibited by RFC 7568",
            string.Format(DisableRemedy, "SSLv3", "SSL 3.0")),
        new ProtocolVersionInfo(TlsProtocol.Tls10, "TLS 1.0", CipherSuiteRating.Deprecated,
            "deprecated by RFC 8996: SHA-1 handshake hashes, CBC ciphers only (BEAST); current browsers refuse it",
            string.Format(DisableRemedy, "TLS 1.0", "TLS 1.0")),
        new ProtocolVersionInfo(TlsProtocol.Tls11, "TLS 1.1", CipherSuiteRating.Deprecated,
            "deprecated by RFC 8996: SHA-1 handshake hashes, no AEAD ciphers; current browsers refuse it",
            string.Format(DisableRemedy, "TLS 1.1", "TLS 1.1")),
        new ProtocolVersionInfo(TlsProtocol.Tls12, "TLS 1.2", CipherSuiteRating.Secure,
            "current: secure with forward-secret AEAD suites", null),
        new ProtocolVersionInfo(TlsProtocol.Tls13, "TLS 1.3", CipherSuiteRating.Secure,
            "current: every TLS 1.3 suite is forward secret and AEAD", null),
    };

    private static readonly Dictionary<ushort, ProtocolVersionInfo> ByWire = Versions.ToDictionary(v => v.WireCode);
    private static readonly Dictionary<TlsProtocol, ProtocolVersionInfo> ByProtocol = Versions.ToDictionary(v => v.Protocol);

    /// <summary>The entry of one single version flag; null for None or a set of flags.</summary>
    public static ProtocolVersionInfo? Find(TlsProtocol protocol) => ByProtocol.TryGetValue(protocol, out var v) ? v : null;

    /// <summary>Oldest first.</summary>
    public static IReadOnlyList<ProtocolVersionInfo> All => Versions;

    public static bool TryFromWire(ushort wireCode, out TlsProtocol protocol) => TlsVersionCodes.TryFromWire(wireCode, out protocol);

    /// <summary>The flag for a wire code; <see cref="TlsProtocol.None"/> when unknown (e.g. a draft or GREASE value).</summary>
    public static TlsProtocol FromWire(ushort wireCode) => TlsVersionCodes.FromWire(wireCode);

    /// <summary>The wire code of one single version flag.</summary>
    public static ushort ToWire(TlsProtocol protocol) => TlsVersionCodes.ToWire(protocol);

    /// <summary>"TLS 1.2"; for a set of flags, the names joined with ", "; "none" for None.</summary>
    public static string DisplayName(TlsProtocol protocols)
    {
        if (ByProtocol.TryGetValue(protocols, out var v)) return v.DisplayName;
        var names = Versions.Where(x => (protocols & x.Protocol) != 0).Select(x => x.DisplayName).ToList();
        return names.Count == 0 ? "none" : string.Join(", ", names);
    }

    /// <summary>"TLS 1.2" or "0x7F1C (unknown)".</summary>
    public static string DisplayNameOfWire(ushort wireCode) =>
        ByWire.TryGetValue(wireCode, out var v) ? v.DisplayName : CodeFormat.Unknown(wireCode);

    /// <summary>The single versions in a set of flags, oldest first.</summary>
    public static IReadOnlyList<TlsProtocol> Split(TlsProtocol protocols) => TlsVersionCodes.Split(protocols);
}
