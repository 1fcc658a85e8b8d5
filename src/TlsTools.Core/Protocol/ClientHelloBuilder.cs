using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace TlsTools.Protocol;

/// <summary>
/// Builds ClientHello records for SSLv3 .. TLS 1.3, and the SSLv2 CLIENT-HELLO. Pure: options in, bytes out
/// (only the random values and key shares differ between calls).
/// </summary>
public static class ClientHelloBuilder
{
    public const ushort RenegotiationScsv = 0x00FF;
    private const int MaxRecordPlaintext = 1 << 14;

    /// <summary>x25519, secp256r1, secp384r1, secp521r1, x448, ffdhe2048..4096: what current clients offer.</summary>
    public static IReadOnlyList<ushort> DefaultGroups { get; } =
        new ushort[] { 0x001D, 0x0017, 0x0018, 0x0019, 0x001E, 0x0100, 0x0101, 0x0102 };

    /// <summary>Modern signature schemes first, then SHA-1 ones so old servers with SHA-1 keys still answer.</summary>
    public static IReadOnlyList<ushort> DefaultSignatureSchemes { get; } = new ushort[]
    {
        0x0403, 0x0503, 0x0603, 0x0807, 0x0808, 0x0804, 0x0805, 0x0806, 0x0809, 0x080A, 0x080B,
        0x0401, 0x0501, 0x0601, 0x0303, 0x0203, 0x0301, 0x0201, 0x0402, 0x0202,
    };

    /// <summary>Suites of a current browser-like client: TLS 1.3, ECDHE AEAD, then legacy fallbacks.</summary>
    public static IReadOnlyList<ushort> DefaultCipherSuites { get; } = new ushort[]
    {
        0x1301, 0x1302, 0x1303, 0xC02B, 0xC02F, 0xC02C, 0xC030, 0xCCA9, 0xCCA8,
        0xC009, 0xC013, 0xC00A, 0xC014, 0x009C, 0x009D, 0x002F, 0x0035,
    };

    /// <summary>A complete TLS record (or several, for a hello over 16 KiB) carrying one ClientHello.</summary>
    public static byte[] Build(ClientHelloOptions options)
    {
        if (options == null) throw new ArgumentNullException(nameof(options));
        var offered = TlsVersionCodes.Split(options.Versions).Where(v => v != TlsProtocol.Ssl2).ToList();
        if (offered.Count == 0) throw new ArgumentException("Offer at least one version from SSLv3 up.", nameof(options));
        bool tls13 = offered.Contains(TlsProtocol.Tls13);
        ushort clientVersion = tls13 ? (ushort)0x0303 : TlsVersionCodes.ToWire(offered.Last());

        var handshake = HandshakeMessage(TlsHandshakeType.ClientHello, HelloBody(options, offered, tls13, clientVersion));
        // TLS 1.3 (§5.1) and long-standing practice: record version 0x0301, or 0x0300 for an SSLv3-only hello.
        return Records(TlsContentType.Handshake, Math.Min(clientVersion, (ushort)0x0301), handshake);
    }

    private static byte[] HelloBody(ClientHelloOptions options, List<TlsProtocol> offered, bool tls13, ushort clientVersion)
    {
        var suites = (options.CipherSuites.Count > 0 ? (IEnumerable<ushort>)options.CipherSuites : DefaultCipherSuites).ToList();
        bool offersLegacy = offered.Any(v => v != TlsProtocol.Tls13);
        if (options.SignalRenegotiation && offersLegacy && !suites.Contains(RenegotiationScsv)) suites.Add(RenegotiationScsv);
        if (options.Grease) suites.Insert(0, TlsGrease.CipherSuite);
        if (suites.Count > 32767) throw new ArgumentException("A ClientHello holds at most 32767 cipher suites.", nameof(options));

        var random = options.Random ?? KeyShareFactory.RandomBytes(32);
        if (random.Length != 32) throw new ArgumentException("The client random is 32 bytes.", nameof(options));
        if (options.SessionId is { Length: > 32 }) throw new ArgumentException("A session id is at most 32 bytes.", nameof(options));

        var extensions = Extensions(options, offered, tls13);
        var body = new ByteWriter()
            .UInt16(clientVersion)
            .Bytes(random)
            // TLS 1.3 "middlebox compatibility mode" (RFC 8446 D.4) wants a non-empty legacy_session_id.
            .Begin(1).Bytes(options.SessionId ?? (tls13 ? KeyShareFactory.RandomBytes(32) : new byte[0])).End()
            .Begin(2);
        foreach (var suite in suites) body.UInt16(suite);
        body.End().Begin(1);
        foreach (var method in CompressionMethods(options)) body.Byte(method);
        body.End();

        extensions.AddRange(options.ExtraExtensions);
        if (options.Grease)
        {
            extensions.Insert(0, new TlsExtension(TlsGrease.FirstExtension, new byte[0]));
            extensions.Add(new TlsExtension(TlsGrease.LastExtension, new byte[1]));
        }
        int unpadded = body.Length + 2 + extensions.Sum(e => 4 + e.Data.Length) + 4;
        var padding = options.PadAwkwardLengths ? PaddingFor(unpadded) : null;
        if (padding != null) extensions.Add(padding);

        body.Begin(2);
        foreach (var extension in extensions) body.UInt16(extension.Type).Begin(2).Bytes(extension.Data).End();
        return body.End().ToArray();
    }

    /// <summary>The methods asked for, with null (0) last when missing: every hello must offer it.</summary>
    private static IEnumerable<byte> CompressionMethods(ClientHelloOptions options) =>
        options.CompressionMethods.Contains(0) ? options.CompressionMethods : options.CompressionMethods.Concat(new byte[] { 0 });

    private static List<TlsExtension> Extensions(ClientHelloOptions options, List<TlsProtocol> offered, bool tls13)
    {
        var groups = (options.NamedGroups.Count > 0 ? (IEnumerable<ushort>)options.NamedGroups : DefaultGroups).ToList();
        var schemes = (options.SignatureSchemes.Count > 0 ? (IEnumerable<ushort>)options.SignatureSchemes : DefaultSignatureSchemes).ToList();
        var offeredGroups = options.Grease ? new[] { TlsGrease.Group }.Concat(groups).ToList() : groups;
        if (options.Grease) schemes.Insert(0, TlsGrease.SignatureScheme);
        var extensions = new List<TlsExtension>();

        string? serverName = options.ServerName;
        if (serverName != null && serverName.Length > 0)
            extensions.Add(Extension(TlsExtensionType.ServerName, w => w.Begin(2).Byte(0)
                .Begin(2).Bytes(Encoding.ASCII.GetBytes(serverName.TrimEnd('.'))).End().End()));
        extensions.Add(Extension(TlsExtensionType.SupportedGroups, w => UInt16List(w.Begin(2), offeredGroups).End()));
        extensions.Add(Extension(TlsExtensionType.EcPointFormats, w => w.Begin(1).Byte(0).End()));   // uncompressed
        extensions.Add(Extension(TlsExtensionType.SignatureAlgorithms, w => UInt16List(w.Begin(2), schemes).End()));
        if (options.AlpnProtocols.Count > 0)
            extensions.Add(Extension(TlsExtensionType.Alpn, w =>
            {
                w.Begin(2);
                foreach (var id in options.AlpnProtocols) w.Begin(1).Bytes(Encoding.ASCII.GetBytes(id)).End();
                w.End();
            }));
        extensions.Add(Extension(TlsExtensionType.ExtendedMasterSecret, w => { }));
        if (tls13)
        {
            var versions = offered.Where(v => v >= TlsProtocol.Tls10).Reverse().Select(TlsVersionCodes.ToWire).ToList();
            if (options.Grease) versions.Insert(0, TlsGrease.Version);
            extensions.Add(Extension(TlsExtensionType.SupportedVersions, w => UInt16List(w.Begin(1), versions).End()));
            extensions.Add(Extension(TlsExtensionType.PskKeyExchangeModes, w => w.Begin(1).Byte(1).End()));   // psk_dhe_ke
            extensions.Add(Extension(TlsExtensionType.KeyShare, w => KeyShares(w, options.SendKeyShares ? groups : new List<ushort>(), options.IncludeP256KeyShare, options.Grease && options.SendKeyShares)));
        }
        return extensions;
    }

    /// <summary>Key shares for x25519 and (optionally) secp256r1, where those groups are offered at all.</summary>
    private static void KeyShares(ByteWriter w, List<ushort> groups, bool includeP256, bool grease)
    {
        w.Begin(2);
        if (grease) w.UInt16(TlsGrease.Group).Begin(2).Byte(0).End();   // RFC 8701 §3.1: a one-byte share
        if (groups.Contains(TlsNamedGroup.X25519))
            w.UInt16(TlsNamedGroup.X25519).Begin(2).Bytes(KeyShareFactory.X25519PublicKey()).End();
        if (includeP256 && groups.Contains(TlsNamedGroup.Secp256r1))
            w.UInt16(TlsNamedGroup.Secp256r1).Begin(2).Bytes(KeyShareFactory.P256PublicKey()).End();
        w.End();
    }

    /// <summary>
    /// RFC 7685: some servers (old F5 BIG-IP) hang on hellos of 256..511 bytes; pad those to 512.
    /// </summary>
    private static TlsExtension? PaddingFor(int handshakeLength)
    {
        if (handshakeLength < 256 || handshakeLength >= 512) return null;
        int padBytes = Math.Max(0, 512 - handshakeLength - 4);
        return new TlsExtension(TlsExtensionType.Padding, new byte[padBytes]);
    }

    /// <summary>
    /// SSLv2 CLIENT-HELLO (SSL 2.0 draft, "Client-Hello"): 2-byte header with the high bit set, message type 1,
    /// version 0x0002, the 3-byte cipher kinds, no session id, a 16-byte challenge.
    /// </summary>
    public static byte[] BuildSsl2ClientHello(IEnumerable<Ssl2CipherKind>? cipherKinds)
    {
        var kinds = (cipherKinds ?? Ssl2CipherKinds.All).ToList();
        if (kinds.Count == 0) kinds = Ssl2CipherKinds.All.ToList();
        var challenge = KeyShareFactory.RandomBytes(16);
        var message = new ByteWriter()
            .Byte(Ssl2ServerHello.ClientHelloType)
            .UInt16(TlsVersionCodes.ToWire(TlsProtocol.Ssl2))
            .UInt16(kinds.Count * 3)
            .UInt16(0)
            .UInt16(challenge.Length);
        foreach (var kind in kinds) message.UInt24((int)kind);
        var body = message.Bytes(challenge).ToArray();
        return new ByteWriter().UInt16(0x8000 | body.Length).Bytes(body).ToArray();
    }

    internal static byte[] HandshakeMessage(TlsHandshakeType type, byte[] body) =>
        new ByteWriter().Byte((byte)type).UInt24(body.Length).Bytes(body).ToArray();

    /// <summary>Splits a payload into records of at most 2^14 bytes.</summary>
    internal static byte[] Records(TlsContentType type, ushort version, byte[] payload)
    {
        var w = new ByteWriter();
        for (int offset = 0; offset < payload.Length; offset += MaxRecordPlaintext)
        {
            int count = Math.Min(MaxRecordPlaintext, payload.Length - offset);
            var fragment = new byte[count];
            Buffer.BlockCopy(payload, offset, fragment, 0, count);
            w.Byte((byte)type).UInt16(version).Begin(2).Bytes(fragment).End();
        }
        return w.ToArray();
    }

    private static TlsExtension Extension(ushort type, Action<ByteWriter> write)
    {
        var w = new ByteWriter();
        write(w);
        return new TlsExtension(type, w.ToArray());
    }

    private static ByteWriter UInt16List(ByteWriter w, IEnumerable<ushort> values)
    {
        foreach (var v in values) w.UInt16(v);
        return w;
    }
}
