using System;
using System.Collections.Generic;
using System.Linq;

namespace TlsTools.Protocol;

/// <summary>
/// The ProtocolVersion wire code of each <see cref="TlsProtocol"/> flag (RFC 8446 §4.2.1, RFC 5246 §6.2.1, RFC 6101,
/// SSL 2.0 draft), oldest first. The wire format's own knowledge: the catalog's ProtocolVersions adds names and ratings.
/// </summary>
public static class TlsVersionCodes
{
    private static readonly (TlsProtocol Protocol, ushort Code)[] Codes =
    {
        (TlsProtocol.Ssl2, 0x0002),
        (TlsProtocol.Ssl3, 0x0300),
        (TlsProtocol.Tls10, 0x0301),
        (TlsProtocol.Tls11, 0x0302),
        (TlsProtocol.Tls12, 0x0303),
        (TlsProtocol.Tls13, 0x0304),
    };

    private static readonly Dictionary<ushort, TlsProtocol> ByCode = Codes.ToDictionary(c => c.Code, c => c.Protocol);
    private static readonly Dictionary<TlsProtocol, ushort> ByProtocol = Codes.ToDictionary(c => c.Protocol, c => c.Code);

    /// <summary>The single version flags, oldest first.</summary>
    public static IReadOnlyList<TlsProtocol> Versions { get; } = Codes.Select(c => c.Protocol).ToList();

    public static bool TryFromWire(ushort wireCode, out TlsProtocol protocol)
    {
        protocol = ByCode.TryGetValue(wireCode, out var p) ? p : TlsProtocol.None;
        return protocol != TlsProtocol.None;
    }

    /// <summary>The flag for a wire code; <see cref="TlsProtocol.None"/> when unknown (e.g. a draft or GREASE value).</summary>
    public static TlsProtocol FromWire(ushort wireCode) => TryFromWire(wireCode, out var p) ? p : TlsProtocol.None;

    /// <summary>The wire code of one single version flag.</summary>
    public static ushort ToWire(TlsProtocol protocol) =>
        ByProtocol.TryGetValue(protocol, out var code) ? code
            : throw new ArgumentException($"'{protocol}' is not one single protocol version.", nameof(protocol));

    /// <summary>The single versions in a set of flags, oldest first.</summary>
    public static IReadOnlyList<TlsProtocol> Split(TlsProtocol protocols) =>
        Versions.Where(v => (protocols & v) != 0).ToList();
}
