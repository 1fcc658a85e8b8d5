using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using TlsTools.Catalog;
using TlsTools.Protocol;

namespace TlsTools.TestServers;

/// <summary>
/// The bytes the broken servers send, built field by field. Each is well-formed except for the one fault its scenario
/// is about, so a client that trips over it trips over that fault and nothing else.
/// </summary>
internal static class CraftedMessages
{
    /// <summary>The record version of every crafted TLS record: TLS 1.2 (0x0303).</summary>
    public const ushort Tls12 = 0x0303;
    public const ushort Tls13 = 0x0304;
    /// <summary>A protocol version nobody has defined: above TLS 1.3 (0x0304), so no client ever offers it.</summary>
    public const ushort UndefinedVersion = 0x0305;
    /// <summary>A cipher suite code in an unassigned IANA range: no client offers it.</summary>
    public const ushort UnassignedSuite = 0xC0FF;
    /// <summary>An alert description RFC 8446 §6 and the IANA registry leave undefined.</summary>
    public const byte UndefinedAlert = 0xFE;
    public const byte HandshakeFailure = 40, ProtocolVersion = 70;
    /// <summary>The largest length a 24-bit handshake header can claim: 16 MiB less one byte.</summary>
    public const int Max24BitLength = 0xFFFFFF;

    /// <summary>RFC 8446 §4.1.3: a HelloRetryRequest is a ServerHello whose random is SHA-256("HelloRetryRequest").</summary>
    public static readonly byte[] HelloRetryRequestRandom = Sha256("HelloRetryRequest");

    /// <summary>
    /// What a TLS 1.2 server picks from an offer, in its own order: ECDHE-RSA and ECDHE-ECDSA AEAD, then static RSA.
    /// The crafted flights carry no real key exchange, so any of these serves; what matters is that the client offered it.
    /// </summary>
    static readonly ushort[] Tls12Preference = { 0xC02F, 0xC02B, 0xC030, 0xC02C, 0xCCA8, 0xCCA9, 0x009C, 0x002F };
    static readonly ushort[] Tls13Preference = { 0x1301, 0x1302, 0x1303 };

    /// <summary>Where a HelloRetryRequest names no group from the offer (an offer without supported_groups): secp256r1.</summary>
    const ushort FallbackGroup = 0x0017;

    /// <summary>The TLS 1.2 suite this server would choose from the client's offer; null when it offered none of them.</summary>
    public static ushort? Tls12Suite(ClientHello hello) =>
        Tls12Preference.Where(s => hello.CipherSuites.Contains(s)).Select(s => (ushort?)s).FirstOrDefault();

    /// <summary>The TLS 1.3 suite this server would choose; null when the client offered none (it offers no TLS 1.3).</summary>
    public static ushort? Tls13Suite(ClientHello hello) =>
        Tls13Preference.Where(s => hello.CipherSuites.Contains(s)).Select(s => (ushort?)s).FirstOrDefault();

    /// <summary>
    /// A TLS 1.2-shaped ServerHello body (RFC 5246 §7.4.1.3): <paramref name="version"/>, a fresh random (no downgrade
    /// sentinel: this is a server that knows no TLS 1.3), a new empty session id, <paramref name="suite"/>,
    /// <paramref name="compression"/> (null unless a flawed server is played), and renegotiation_info when the client
    /// signalled secure renegotiation (RFC 5746 §3.6).
    /// </summary>
    public static byte[] ServerHelloBody(ClientHello hello, ushort version, ushort suite, byte compression = 0)
    {
        var w = new ByteWriter()
            .UInt16(version)
            .Bytes(KeyShareFactory.RandomBytes(32))
            .Byte(0)             // session_id: none (this server does not resume)
            .UInt16(suite)
            .Byte(compression);  // compression_method
        if (hello.CipherSuites.Contains(ClientHelloBuilder.RenegotiationScsv) || hello.HasExtension(TlsExtensionType.RenegotiationInfo))
            w.Begin(2).UInt16(TlsExtensionType.RenegotiationInfo).Begin(2).Byte(0).End().End();   // empty renegotiated_connection
        return w.ToArray();
    }

    /// <summary>One TLS 1.2 ServerHello handshake message, header included.</summary>
    public static byte[] ServerHello(ClientHello hello, ushort version, ushort suite, byte compression = 0) =>
        ClientHelloBuilder.HandshakeMessage(TlsHandshakeType.ServerHello, ServerHelloBody(hello, version, suite, compression));

    /// <summary>
    /// A HelloRetryRequest (RFC 8446 §4.1.4): legacy_version TLS 1.2, the special random, the client's session id
    /// echoed, an offered TLS 1.3 suite, null compression, supported_versions = TLS 1.3 and a key_share naming a group
    /// the client supports but sent no share for (the only reason a server may retry: §4.2.8).
    /// </summary>
    public static byte[] HelloRetryRequest(ClientHello hello, ushort suite)
    {
        var body = new ByteWriter()
            .UInt16(Tls12)
            .Bytes(HelloRetryRequestRandom)
            .Begin(1).Bytes(hello.SessionId).End()
            .UInt16(suite)
            .Byte(0)
            .Begin(2)
                .UInt16(TlsExtensionType.SupportedVersions).Begin(2).UInt16(Tls13).End()
                .UInt16(TlsExtensionType.KeyShare).Begin(2).UInt16(RetryGroup(hello)).End()
            .End()
            .ToArray();
        return ClientHelloBuilder.HandshakeMessage(TlsHandshakeType.ServerHello, body);
    }

    /// <summary>The first group the client supports without a share in this hello; its first group when it shared them all.</summary>
    public static ushort RetryGroup(ClientHello hello) =>
        hello.SupportedGroups.Where(g => !hello.KeyShares.ContainsKey(g)).Concat(hello.SupportedGroups)
            .Select(g => (ushort?)g).FirstOrDefault() ?? FallbackGroup;

    /// <summary>One TLS record around <paramref name="fragment"/> (at most 2^14 bytes: callers pass small payloads).</summary>
    public static byte[] Record(TlsContentType type, byte[] fragment) => ClientHelloBuilder.Records(type, Tls12, fragment);

    /// <summary>A fatal alert record (RFC 8446 §6: level 2, then the description).</summary>
    public static byte[] FatalAlert(byte description) => Record(TlsContentType.Alert, new byte[] { AlertCatalog.LevelFatal, description });

    /// <summary>Bytes that look random but are the same in every run: SHA-256 in counter mode over <paramref name="label"/>.</summary>
    public static byte[] Noise(string label, int count)
    {
        var bytes = new List<byte>(count + 32);
        using (var sha = SHA256.Create())
            for (int block = 0; bytes.Count < count; block++)
                bytes.AddRange(sha.ComputeHash(Encoding.ASCII.GetBytes($"{label}/{block}")));
        return bytes.Take(count).ToArray();
    }

    static byte[] Sha256(string text)
    {
        using (var sha = SHA256.Create()) return sha.ComputeHash(Encoding.ASCII.GetBytes(text));
    }
}
