using System.Collections.Generic;
using System.Linq;

namespace TlsTools.Catalog;

/// <summary>One protocol version: its flag, its wire code and how people write it.</summary>
public sealed class ProtocolVersionInfo
{
    internal ProtocolVersionInfo(TlsProtocol protocol, ushort wireCode, string displayName)
    { Protocol = protocol; WireCode = wireCode; DisplayName = displayName; }
    public TlsProtocol Protocol { get; }
    /// <summary>ProtocolVersion on the wire: 0x0303 for TLS 1.2; 0x0002 for SSLv2's CLIENT-HELLO.</summary>
    public ushort WireCode { get; }
    /// <summary>"TLS 1.2", "SSLv3".</summary>
    public string DisplayName { get; }
    public override string ToString() => DisplayName;
}

/// <summary>Wire code, <see cref="TlsProtocol"/> flag and display name of every protocol version, oldest first.</summary>
public static class ProtocolVersions
{
    private static readonly ProtocolVersionInfo[] Versions =
    {
        new ProtocolVersionInfo(TlsProtocol.Ssl2, 0x0002, "SSLv2"),
        new ProtocolVersionInfo(TlsProtocol.Ssl3, 0x0300, "SSLv3"),
        new ProtocolVersionInfo(TlsProtocol.Tls10, 0x0301, "TLS 1.0"),
        new ProtocolVersionInfo(TlsProtocol.Tls11, 0x0302, "TLS 1.1"),
        new ProtocolVersionInfo(TlsProtocol.Tls12, 0x0303, "TLS 1.2"),
        new ProtocolVersionInfo(TlsProtocol.Tls13, 0x0304, "TLS 1.3"),
    };

    private static readonly Dictionary<ushort, ProtocolVersionInfo> ByWire = Versions.ToDictionary(v => v.WireCode);
    private static readonly Dictionary<TlsProtocol, ProtocolVersionInfo> ByProtocol = Versions.ToDictionary(v => v.Protocol);

    /// <summary>Oldest first.</summary>
    public static IReadOnlyList<ProtocolVersionInfo> All => Versions;

    public static bool TryFromWire(ushort wireCode, out TlsProtocol protocol)
    {
        protocol = ByWire.TryGetValue(wireCode, out var v) ? v.Protocol : TlsProtocol.None;
        return protocol != TlsProtocol.None;
    }

    /// <summary>The flag for a wire code; <see cref="TlsProtocol.None"/> when unknown (e.g. a draft or GREASE value).</summary>
    public static TlsProtocol FromWire(ushort wireCode) => TryFromWire(wireCode, out var p) ? p : TlsProtocol.None;

    /// <summary>The wire code of one single version flag.</summary>
    public static ushort ToWire(TlsProtocol protocol) =>
        ByProtocol.TryGetValue(protocol, out var v) ? v.WireCode
            : throw new System.ArgumentException($"'{protocol}' is not one single protocol version.", nameof(protocol));

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
    public static IReadOnlyList<TlsProtocol> Split(TlsProtocol protocols) =>
        Versions.Where(x => (protocols & x.Protocol) != 0).Select(x => x.Protocol).ToList();
}
