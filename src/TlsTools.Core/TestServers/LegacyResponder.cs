using System;
using System.Collections.Generic;
using System.Linq;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Encodings;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;
using TlsTools.Catalog;
using TlsTools.Protocol;

namespace TlsTools.TestServers;

/// <summary>A legacy server's answer to one ClientHello: a version and suite, or a fatal alert.</summary>
internal sealed class LegacyChoice
{
    public const byte HandshakeFailure = 40, ProtocolVersion = 70;

    LegacyChoice(TlsProtocol version, ushort suite, byte? alert)
    {
        Version = version;
        Suite = suite;
        Alert = alert;
    }

    public TlsProtocol Version { get; }
    public ushort Suite { get; }
    /// <summary>Set when the server refuses: protocol_version or handshake_failure.</summary>
    public byte? Alert { get; }

    public static LegacyChoice Accept(TlsProtocol version, ushort suite) => new LegacyChoice(version, suite, null);
    public static LegacyChoice Refuse(TlsProtocol version, byte alert) => new LegacyChoice(version, 0, alert);
}

/// <summary>
/// Negotiates as a pre-2018 server does. Such servers predate supported_versions (RFC 8446): they read only
/// client_version, answer with the highest version they have at or below it, then pick their own first
/// preferred suite the client offered that is valid for that version (export suites only up to TLS 1.0:
/// RFC 4346 forbids them from TLS 1.1 on).
/// </summary>
internal static class LegacyNegotiator
{
    const ushort Tls12Wire = 0x0303;

    public static LegacyChoice Choose(ClientHello hello, TlsProtocol serverVersions, IReadOnlyList<int> serverSuites)
    {
        ushort clientMax = Math.Min(hello.LegacyVersion, Tls12Wire);
        var version = ProtocolVersions.All
            .Where(v => v.Protocol != TlsProtocol.Ssl2 && (serverVersions & v.Protocol) != 0 && v.WireCode <= clientMax)
            .Select(v => v.Protocol)
            .LastOrDefault();
        if (version == TlsProtocol.None)
            return LegacyChoice.Refuse(LowestOf(serverVersions), LegacyChoice.ProtocolVersion);

        foreach (var suite in serverSuites.Select(s => (ushort)s))
            if (hello.CipherSuites.Contains(suite) && CipherSuiteCatalog.TryGet(suite, out var info) && (info.Protocols & version) != 0
                && !(info.Export && version > TlsProtocol.Tls10))
                return LegacyChoice.Accept(version, suite);
        return LegacyChoice.Refuse(version, LegacyChoice.HandshakeFailure);
    }

    static TlsProtocol LowestOf(TlsProtocol set) =>
        ProtocolVersions.All.Select(v => v.Protocol).FirstOrDefault(p => p != TlsProtocol.Ssl2 && (set & p) != 0);
}

/// <summary>
/// The first flight of a legacy server for a suite no TLS library serves any more (RC4, DES, export):
/// ServerHello, Certificate, (for RSA_EXPORT) ServerKeyExchange, ServerHelloDone, byte for byte what such a
/// server sent. A scanner reads it exactly as from a real one; a client that goes on to key exchange finds
/// the connection closed.
/// </summary>
internal static class LegacyFlight
{
    const ushort RenegotiationInfo = 0xFF01;

    /// <param name="exportKey">The temporary 512-bit RSA key an export server signs into its ServerKeyExchange.</param>
    /// <param name="extensions">Extensions the ServerHello carries after renegotiation_info (a heartbeat answer).</param>
    public static byte[] Build(ClientHello hello, LegacyChoice choice, ServerCredential credential, Func<AsymmetricCipherKeyPair> exportKey,
        params TlsExtension[] extensions)
    {
        ushort wire = ProtocolVersions.ToWire(choice.Version);
        var serverRandom = KeyShareFactory.RandomBytes(32);
        var messages = new List<byte[]>
        {
            ClientHelloBuilder.HandshakeMessage(TlsHandshakeType.ServerHello, ServerHelloBody(hello, choice, wire, serverRandom, extensions)),
            ClientHelloBuilder.HandshakeMessage(TlsHandshakeType.Certificate, CertificateBody(credential)),
        };
        // RFC 2246 7.4.3: with RSA_EXPORT and a certificate key over 512 bits, the server signs a 512-bit key (FREAK).
        if (CipherSuiteCatalog.TryGet(choice.Suite, out var suite) && suite.Export && suite.KeyExchange == "RSA")
            messages.Add(ClientHelloBuilder.HandshakeMessage(TlsHandshakeType.ServerKeyExchange,
                ExportKeyExchangeBody(hello.Random, serverRandom, (RsaKeyParameters)exportKey().Public, credential.PrivateKey)));
        messages.Add(ClientHelloBuilder.HandshakeMessage(TlsHandshakeType.ServerHelloDone, Array.Empty<byte>()));
        return ClientHelloBuilder.Records(TlsContentType.Handshake, wire, messages.SelectMany(m => m).ToArray());
    }

    /// <summary>A fatal alert record, as a legacy server sends it in the clear.</summary>
    public static byte[] Alert(LegacyChoice choice) =>
        ClientHelloBuilder.Records(TlsContentType.Alert, ProtocolVersions.ToWire(choice.Version),
            new byte[] { AlertCatalog.LevelFatal, choice.Alert ?? LegacyChoice.HandshakeFailure });

    static byte[] ServerHelloBody(ClientHello hello, LegacyChoice choice, ushort wire, byte[] serverRandom, TlsExtension[] extensions)
    {
        var w = new ByteWriter()
            .UInt16(wire)
            .Bytes(serverRandom)
            .Begin(1).Bytes(KeyShareFactory.RandomBytes(32)).End()
            .UInt16(choice.Suite)
            .Byte(0);
        // SSLv3 has no extensions; later servers confirm secure renegotiation when the client signalled it (RFC 5746).
        bool renegotiation = hello.CipherSuites.Contains(ClientHelloBuilder.RenegotiationScsv) || hello.HasExtension(RenegotiationInfo);
        if (choice.Version != TlsProtocol.Ssl3 && (renegotiation || extensions.Length > 0))
        {
            w.Begin(2);
            if (renegotiation) w.UInt16(RenegotiationInfo).Begin(2).Byte(0).End();
            foreach (var extension in extensions) w.UInt16(extension.Type).Begin(2).Bytes(extension.Data).End();
            w.End();
        }
        return w.ToArray();
    }

    static byte[] CertificateBody(ServerCredential credential)
    {
        var w = new ByteWriter().Begin(3);
        foreach (var certificate in credential.ServedChain)
            w.Begin(3).Bytes(certificate.GetEncoded()).End();
        return w.End().ToArray();
    }

    /// <summary>
    /// ServerRSAParams (modulus, exponent) and their SSLv3/TLS 1.0 signature: PKCS#1 v1.5 over
    /// MD5 + SHA-1 of client_random + server_random + params, with no DigestInfo (RFC 2246 7.4.3).
    /// </summary>
    internal static byte[] ExportKeyExchangeBody(byte[] clientRandom, byte[] serverRandom, RsaKeyParameters temporary, AsymmetricKeyParameter signingKey)
    {
        var parameters = new ByteWriter()
            .Begin(2).Bytes(temporary.Modulus.ToByteArrayUnsigned()).End()
            .Begin(2).Bytes(temporary.Exponent.ToByteArrayUnsigned()).End()
            .ToArray();
        var signed = clientRandom.Concat(serverRandom).Concat(parameters).ToArray();
        var hashes = DigestUtilities.CalculateDigest("MD5", signed).Concat(DigestUtilities.CalculateDigest("SHA-1", signed)).ToArray();
        var rsa = new Pkcs1Encoding(new RsaBlindedEngine());
        rsa.Init(true, signingKey);
        var signature = rsa.ProcessBlock(hashes, 0, hashes.Length);
        return new ByteWriter().Bytes(parameters).Begin(2).Bytes(signature).End().ToArray();
    }
}
