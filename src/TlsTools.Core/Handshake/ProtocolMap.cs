using System.Collections.Generic;
using System.Linq;
using Org.BouncyCastle.Tls;

namespace TlsTools.Handshake;

/// <summary>Our protocol flags against BouncyCastle's versions; sets of versions as a sentence reads them.</summary>
static class ProtocolMap
{
    static readonly (TlsProtocol Flag, ProtocolVersion Version)[] Table =
    {
        (TlsProtocol.Ssl3, ProtocolVersion.SSLv3),
        (TlsProtocol.Tls10, ProtocolVersion.TLSv10),
        (TlsProtocol.Tls11, ProtocolVersion.TLSv11),
        (TlsProtocol.Tls12, ProtocolVersion.TLSv12),
        (TlsProtocol.Tls13, ProtocolVersion.TLSv13),
    };

    /// <summary>Highest first, as BouncyCastle wants them.</summary>
    public static ProtocolVersion[] ToBouncyCastle(TlsProtocol set) =>
        Table.Where(row => (set & row.Flag) != 0).Select(row => row.Version).Reverse().ToArray();

    public static TlsProtocol? FromBouncyCastle(ProtocolVersion version)
    {
        foreach (var row in Table)
            if (row.Version.Equals(version)) return row.Flag;
        return null;
    }

    public static string Display(TlsProtocol? protocol) =>
        protocol == null ? "(none)" : Catalog.ProtocolVersions.DisplayName(protocol.Value);

    /// <summary>"TLS 1.2–1.3", "TLS 1.0", "SSLv3, TLS 1.2": how a set of versions reads in a sentence.</summary>
    public static string Describe(TlsProtocol set)
    {
        var versions = Catalog.ProtocolVersions.Split(set);
        if (versions.Count == 0) return "(none)";
        var names = versions.Select(v => Display(v)).ToList();
        // The flags are consecutive powers of two, oldest first: a run without gaps doubles at every step.
        bool contiguous = versions.Zip(versions.Skip(1), (older, newer) => (int)newer == 2 * (int)older).All(step => step);
        if (names.Count > 1 && contiguous && names.All(n => n.StartsWith("TLS ")))
            return $"{names[0]}–{names[names.Count - 1].Substring(4)}";
        return string.Join(", ", names);
    }
}
