using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using TlsTools.Protocol;
using TlsTools.TestServers;
using Xunit;
using ClientHello = TlsTools.Protocol.ClientHello;

namespace TlsTools.Core.Tests;

/// <summary>The wire-level legacy responder: negotiation as pre-2018 servers did it, and the bytes of its first flight.</summary>
public class TestServersResponderTests
{
    static readonly int[] Rc4ThenExport = { 0x0005, 0x0004, 0x0003 };

    static ClientHello Hello(TlsProtocol versions, params ushort[] suites)
    {
        var record = ClientHelloBuilder.Build(new ClientHelloOptions { Versions = versions, CipherSuites = suites.ToList() });
        var message = NextMessageAsync(new TlsRecordReader(new MemoryStream(record))).GetAwaiter().GetResult();
        return ClientHello.Parse(message.Body);
    }

    /// <summary>The next handshake message, which must be there (null means the bytes ended).</summary>
    static async Task<TlsMessage> NextMessageAsync(TlsRecordReader reader)
    {
        var message = await reader.ReadMessageAsync(CancellationToken.None);
        Assert.NotNull(message);
        return message;
    }

    [Fact]
    public void Negotiator_AnswersANewerClientWithItsOwnHighestVersion()
    {
        // A TLS 1.0-only legacy server reads client_version 0x0303 and answers TLS 1.0 (it predates supported_versions).
        var choice = LegacyNegotiator.Choose(Hello(TlsProtocol.Tls12 | TlsProtocol.Tls13, 0x0005, 0x1301), TlsProtocol.Ssl3 | TlsProtocol.Tls10, Rc4ThenExport);
        Assert.Null(choice.Alert);
        Assert.Equal(TlsProtocol.Tls10, choice.Version);
        Assert.Equal(0x0005, choice.Suite);
    }

    [Fact]
    public void Negotiator_PrefersItsOwnOrder()
    {
        var choice = LegacyNegotiator.Choose(Hello(TlsProtocol.Tls10, 0x0003, 0x0004, 0x0005), TlsProtocol.Tls10, Rc4ThenExport);
        Assert.Equal(0x0005, choice.Suite);
    }

    [Fact]
    public void Negotiator_RefusesAnOlderClientWithProtocolVersion()
    {
        var choice = LegacyNegotiator.Choose(Hello(TlsProtocol.Ssl3, 0x0005), TlsProtocol.Tls12, Rc4ThenExport);
        Assert.Equal(LegacyChoice.ProtocolVersion, choice.Alert);
    }

    [Fact]
    public void Negotiator_RefusesNoCommonSuiteWithHandshakeFailure()
    {
        var choice = LegacyNegotiator.Choose(Hello(TlsProtocol.Tls12, 0xC02F, 0x1301), TlsProtocol.Tls12, Rc4ThenExport);
        Assert.Equal(LegacyChoice.HandshakeFailure, choice.Alert);
        Assert.Equal(TlsProtocol.Tls12, choice.Version);
    }

    [Fact]
    public async Task Flight_IsServerHelloCertificateServerHelloDone_AsOurParsersReadThem()
    {
        using (var pki = ScenarioPki.Create(Path.GetTempPath()))
        {
            var leaf = pki.Leaf("rc4.tlstools.test", pki.Intermediate);
            var credential = new ServerCredential(new[] { leaf, pki.Intermediate.Certificate }, pki.LeafKey.Private);
            var hello = Hello(TlsProtocol.Tls12, 0x0005);
            var bytes = LegacyFlight.Build(hello, LegacyNegotiator.Choose(hello, TlsProtocol.Tls12, Rc4ThenExport), credential, () => pki.ExportRsaKey);

            var reader = new TlsRecordReader(new MemoryStream(bytes));
            var messages = new List<TlsMessage>();
            for (int i = 0; i < 3; i++) messages.Add(await NextMessageAsync(reader));
            Assert.Null(await reader.ReadMessageAsync(CancellationToken.None));
            Assert.Equal(new TlsHandshakeType?[] { TlsHandshakeType.ServerHello, TlsHandshakeType.Certificate, TlsHandshakeType.ServerHelloDone },
                messages.Select(m => m.HandshakeType).ToArray());
            Assert.All(messages, m => Assert.Equal(0x0303, m.RecordVersion));

            var serverHello = ServerHello.Parse(messages[0].Body);
            Assert.Equal(TlsProtocol.Tls12, serverHello.Version);
            Assert.Equal(0x0005, serverHello.CipherSuite);
            Assert.True(serverHello.HasExtension(0xFF01));   // the client signalled secure renegotiation (SCSV)

            // Certificate: a 3-byte list length, then each DER with its 3-byte length, leaf first.
            var body = messages[1].Body;
            int listLength = (body[0] << 16) | (body[1] << 8) | body[2];
            Assert.Equal(body.Length - 3, listLength);
            int leafLength = (body[3] << 16) | (body[4] << 8) | body[5];
            Assert.Equal(leaf.GetEncoded(), body.Skip(6).Take(leafLength).ToArray());
            Assert.Empty(messages[2].Body);
        }
    }

    [Fact]
    public async Task Flight_ForSsl3_CarriesNoExtensions()
    {
        using (var pki = ScenarioPki.Create(Path.GetTempPath()))
        {
            var credential = new ServerCredential(new[] { pki.Leaf("ssl3.tlstools.test", pki.Intermediate) }, pki.LeafKey.Private);
            var hello = Hello(TlsProtocol.Ssl3, 0x0005);
            var bytes = LegacyFlight.Build(hello, LegacyNegotiator.Choose(hello, TlsProtocol.Ssl3, Rc4ThenExport), credential, () => pki.ExportRsaKey);
            var message = await NextMessageAsync(new TlsRecordReader(new MemoryStream(bytes)));
            var serverHello = ServerHello.Parse(message.Body);
            Assert.Equal(TlsProtocol.Ssl3, serverHello.Version);
            Assert.Empty(serverHello.Extensions);
        }
    }

    [Fact]
    public void Negotiator_NeverPicksAnExportSuiteAboveTls10()
    {
        var choice = LegacyNegotiator.Choose(Hello(TlsProtocol.Tls11, 0x0003), TlsProtocol.Tls10 | TlsProtocol.Tls11, new[] { 0x0003 });
        Assert.Equal(LegacyChoice.HandshakeFailure, choice.Alert);
    }

    [Fact]
    public void ExportFlight_SignsA512BitKeyInTheServerKeyExchange_AsFreakEraServersDid()
    {
        using (var pki = ScenarioPki.Create(Path.GetTempPath()))
        {
            var credential = new ServerCredential(new[] { pki.Leaf("export.tlstools.test", pki.Intermediate) }, pki.LeafKey.Private);
            var hello = Hello(TlsProtocol.Tls10, 0x0003);
            var bytes = LegacyFlight.Build(hello, LegacyNegotiator.Choose(hello, TlsProtocol.Tls10, Rc4ThenExport), credential, () => pki.ExportRsaKey);
            var reader = new TlsRecordReader(new MemoryStream(bytes));
            var messages = Enumerable.Range(0, 4).Select(_ => NextMessageAsync(reader).GetAwaiter().GetResult()).ToList();
            Assert.Equal(TlsHandshakeType.ServerKeyExchange, messages[2].HandshakeType);
            var serverRandom = ServerHello.Parse(messages[0].Body).Random;

            // ServerRSAParams: modulus<2>, exponent<2>; then the signature<2>.
            var body = messages[2].Body;
            int modulusLength = (body[0] << 8) | body[1];
            Assert.Equal(64, modulusLength);   // 512 bits
            int exponentLength = (body[2 + modulusLength] << 8) | body[3 + modulusLength];
            int paramsLength = 4 + modulusLength + exponentLength;
            var signature = body.Skip(paramsLength + 2).ToArray();
            Assert.Equal((body[paramsLength] << 8) | body[paramsLength + 1], signature.Length);

            // Verify with the certificate's public key: PKCS#1 v1.5 over MD5 + SHA-1, as RFC 2246 says.
            var rsa = new Org.BouncyCastle.Crypto.Encodings.Pkcs1Encoding(new Org.BouncyCastle.Crypto.Engines.RsaEngine());
            rsa.Init(false, pki.LeafKey.Public);
            var signed = hello.Random.Concat(serverRandom).Concat(body.Take(paramsLength)).ToArray();
            var expected = Org.BouncyCastle.Security.DigestUtilities.CalculateDigest("MD5", signed)
                .Concat(Org.BouncyCastle.Security.DigestUtilities.CalculateDigest("SHA-1", signed)).ToArray();
            Assert.Equal(expected, rsa.ProcessBlock(signature, 0, signature.Length));
        }
    }

    [Fact]
    public void HelloRetryRequest_IsWhatRfc8446Defines_AndNamesAGroupOfferedWithoutAShare()
    {
        var hello = Hello(TlsProtocol.Tls12 | TlsProtocol.Tls13, 0x1302, 0x1301, 0xC02F);
        var message = CraftedMessages.HelloRetryRequest(hello, CraftedMessages.Tls13Suite(hello) ?? 0);
        var hrr = ServerHello.Parse(message.Skip(4).ToArray());
        Assert.True(hrr.IsHelloRetryRequest);
        // RFC 8446 §4.1.3, the bytes as the RFC prints them.
        Assert.Equal("CF21AD74E59A6111BE1D8C021E65B891C2A211167ABB8C5E079E09E2C8A8339C", System.BitConverter.ToString(hrr.Random).Replace("-", ""));
        Assert.Equal(TlsProtocol.Tls13, hrr.Version);
        Assert.Equal(hello.SessionId, hrr.SessionId);
        Assert.Equal(0x1301, hrr.CipherSuite);   // the server's order, among what was offered
        // The builder shares x25519 and P-256 and supports secp384r1 next: the first group without a share.
        Assert.Equal((ushort)0x0018, hrr.SelectedGroup);
        Assert.False(hello.KeyShares.ContainsKey(0x0018));
    }

    [Fact]
    public void BrokenServerHellos_AreWellFormed_ApartFromTheirOneFault()
    {
        var hello = Hello(TlsProtocol.Tls12 | TlsProtocol.Tls13);
        var suite = ServerHello.Parse(Body(BrokenAnswers.UnofferedSuite(hello)));
        Assert.Equal(TlsProtocol.Tls12, suite.Version);
        Assert.Equal(0xC0FF, suite.CipherSuite);
        Assert.DoesNotContain((ushort)0xC0FF, hello.CipherSuites);

        var version = ServerHello.Parse(Body(BrokenAnswers.UnofferedVersion(hello)));
        Assert.Equal(0x0305, version.LegacyVersion);
        Assert.Contains(version.CipherSuite, hello.CipherSuites);
        Assert.False(version.HasExtension(TlsExtensionType.SupportedVersions));
    }

    [Fact]
    public void WithoutASuiteItKnows_ATls12BrokenServerRefusesWithHandshakeFailure()
    {
        var hello = Hello(TlsProtocol.Tls12, 0x000A);
        Assert.Equal(new byte[] { 0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 40 }, BrokenAnswers.UnofferedVersion(hello));
    }

    [Fact]
    public void Garbage_IsBinaryNotTls_AndSsl2Garbage_LooksLikeSsl2ButDoesNotParse()
    {
        var hello = Hello(TlsProtocol.Tls12);
        var garbage = BrokenAnswers.Garbage(hello);
        Assert.False(PeerProtocolIdentifier.LooksLikeTls(garbage));
        Assert.Equal("a binary non-TLS protocol", PeerProtocolIdentifier.Identify(garbage).Protocol);

        var ssl2 = BrokenAnswers.Ssl2Garbage(hello);
        Assert.Equal(new byte[] { 0x80, 26 }, ssl2.Take(2).ToArray());
        Assert.Equal(28, ssl2.Length);
        Assert.True(Ssl2ServerHello.LooksLike(ssl2));
        Assert.Throws<TlsParseException>(() => Ssl2ServerHello.Parse(ssl2));
    }

    /// <summary>The body of the first handshake message in a record.</summary>
    static byte[] Body(byte[] record) => record.Skip(5 + 4).ToArray();

    [Fact]
    public void Pki_WritesOnlyTheRootToDisk_AndRemovesItOnDispose()
    {
        string path;
        using (var pki = ScenarioPki.Create())
        {
            path = pki.TrustedRootPath;
            var directory = Path.GetDirectoryName(path);
            Assert.NotNull(directory);
            Assert.Single(Directory.GetFiles(directory));
            Assert.Equal(ScenarioPki.Pem(pki.Root.Certificate), File.ReadAllText(path));
            Assert.Equal(pki.Root.Certificate.SubjectDN.ToString(), pki.Intermediate.Certificate.IssuerDN.ToString());
        }
        Assert.False(Directory.Exists(Path.GetDirectoryName(path)));
    }
}
