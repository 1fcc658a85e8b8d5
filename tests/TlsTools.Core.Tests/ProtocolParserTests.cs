using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using TlsTools;
using TlsTools.Catalog;
using TlsTools.Protocol;
using Xunit;

namespace TlsTools.Core.Tests;

/// <summary>Parsers on real bytes captured from openssl s_server (Data/*.hex), and on garbage.</summary>
public class ProtocolParserTests
{
    [Fact]
    public void CapturedTls13ServerHello_Parses()
    {
        var messages = ProtocolTestData.Messages(ProtocolTestData.Load("openssl-tls13-serverhello.hex"));
        Assert.Equal(TlsHandshakeType.ServerHello, messages[0].HandshakeType);
        Assert.Equal(TlsContentType.ChangeCipherSpec, messages[1].ContentType);   // middlebox-compatibility CCS
        var hello = ServerHello.Parse(messages[0].Body);
        Assert.Equal(TlsProtocol.Tls13, hello.Version);
        Assert.Equal(0x0304, hello.VersionCode);
        Assert.Equal(0x1301, hello.CipherSuite);
        Assert.Equal(NamedGroupCatalog.X25519, hello.SelectedGroup);
        Assert.Equal(new ushort[] { TlsExtensionType.SupportedVersions, TlsExtensionType.KeyShare }, hello.Extensions.Select(e => e.Type).OrderBy(t => t).ToArray());
        Assert.False(hello.IsHelloRetryRequest);
        // Protocol knows codes, not names: the catalog names them for whoever shows them.
        Assert.Equal("ServerHello version 0x0304 suite 0x1301", hello.ToString());
        Assert.Equal("TLS_AES_128_GCM_SHA256", CipherSuiteCatalog.NameOf(hello.CipherSuite));
    }

    [Fact]
    public void CapturedHelloRetryRequest_Parses()
    {
        var hello = ServerHello.Parse(ProtocolTestData.Messages(ProtocolTestData.Load("openssl-tls13-hrr.hex"))[0].Body);
        Assert.True(hello.IsHelloRetryRequest);
        Assert.Equal((ushort)0x0018, hello.SelectedGroup);
        Assert.Equal(TlsProtocol.Tls13, hello.Version);
        Assert.StartsWith("HelloRetryRequest version 0x0304", hello.ToString());
    }

    [Fact]
    public void CapturedTls12EcdheFlight_Parses()
    {
        var messages = ProtocolTestData.Messages(ProtocolTestData.Load("openssl-tls12-ecdhe-flight.hex"));
        var hello = ServerHello.Parse(messages[0].Body);
        Assert.Equal(TlsProtocol.Tls12, hello.Version);
        Assert.Equal(0xC02F, hello.CipherSuite);
        Assert.False(hello.HasDowngradeSentinel);   // the server does TLS 1.3 too, but -tls1_2 disables it outright
        Assert.True(CipherSuiteCatalog.TryGet(hello.CipherSuite, out var suite));
        Assert.True(ServerKeyExchange.TryGetKind(suite.KeyExchange, out var kind));
        var ske = ServerKeyExchange.Parse(messages[2].Body, kind);
        Assert.Equal(ServerKeyExchangeKind.Ecdhe, ske.Kind);
        Assert.Equal(NamedGroupCatalog.X25519, ske.NamedGroup);
        Assert.Equal("rsa_pss_rsae_sha256", SignatureSchemeCatalog.NameOf(Assert.NotNull(ske.SignatureScheme)));
    }

    [Fact]
    public void CapturedTls12Certificate_ParsesToTheServedChain_AndEveryTruncationThrows()
    {
        var messages = ProtocolTestData.Messages(ProtocolTestData.Load("openssl-tls12-ecdhe-flight.hex"));
        var message = messages.Single(m => m.HandshakeType == TlsHandshakeType.Certificate);
        var chain = CertificateMessage.Parse(message.Body);
        Assert.NotEmpty(chain);
        var leaf = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(chain[0]);
        Assert.False(string.IsNullOrEmpty(leaf.Subject));
        for (int cut = 0; cut < message.Body.Length; cut++)
            Assert.Throws<TlsParseException>(() => CertificateMessage.Parse(message.Body.Take(cut).ToArray()));
        Assert.Throws<TlsParseException>(() => CertificateMessage.Parse(message.Body.Concat(new byte[] { 0 }).ToArray()));
    }

    [Fact]
    public async Task ServerFlight_ReadsChainAndKeyExchange_AndKeepsWhatArrivedBeforeTheFlightBreaks()
    {
        var bytes = ProtocolTestData.Load("openssl-tls12-ecdhe-flight.hex");
        var flight = new ServerFlight(CipherSuiteCatalog.ServerKeyExchangeOf(0xC02F), TlsProtocol.Tls12);
        Assert.True(flight.CarriesKeyExchange);
        await flight.ReadAsync(new TlsRecordReader(new System.IO.MemoryStream(bytes)), wantCertificates: true, CancellationToken.None);
        Assert.NotNull(flight.Certificates);
        Assert.NotEmpty(flight.Certificates);
        Assert.NotNull(flight.KeyExchange);
        Assert.Equal(NamedGroupCatalog.X25519, flight.KeyExchange.NamedGroup);

        // Cut inside the ServerKeyExchange: the chain read before it stays.
        var messages = ProtocolTestData.Messages(bytes);
        var cut = new ServerFlight(ServerKeyExchangeKind.Ecdhe, TlsProtocol.Tls12);
        int ske = Enumerable.Range(0, messages.Count).First(i => messages[i].HandshakeType == TlsHandshakeType.ServerKeyExchange);
        int length = messages.Take(ske).Sum(m => m.Body.Length + 4) + 5 + 10;   // one record header, ten bytes into the SKE
        await Assert.ThrowsAsync<TlsParseException>(() => cut.ReadAsync(new TlsRecordReader(new System.IO.MemoryStream(bytes.Take(length).ToArray())), true, CancellationToken.None));
        Assert.NotNull(cut.Certificates);
        Assert.NotEmpty(cut.Certificates);
        Assert.Null(cut.KeyExchange);

        // RSA key exchange sends no ServerKeyExchange: only the chain is wanted.
        Assert.Null(CipherSuiteCatalog.ServerKeyExchangeOf(0x002F));
        Assert.False(new ServerFlight(null, TlsProtocol.Tls12).CarriesKeyExchange);
        Assert.Equal(ServerKeyExchangeKind.Ecdhe, CipherSuiteCatalog.ServerKeyExchangeOf(0xC02F));
        Assert.Equal(ServerKeyExchangeKind.Dhe, CipherSuiteCatalog.ServerKeyExchangeOf(0x009E));
    }

    [Fact]
    public void CertificateMessage_ParseLeading_KeepsTheWholeCertificatesOfACutMessage_UpToTheLimit()
    {
        var body = new byte[] { 0, 0, 12, 0, 0, 1, 0x30, 0, 0, 1, 0x31, 0, 0, 5, 0x32 };   // the third entry is cut
        var leading = CertificateMessage.ParseLeading(body, 8);
        Assert.Equal(new[] { (byte)0x30, (byte)0x31 }, leading.Select(c => c[0]).ToArray());
        Assert.Single(CertificateMessage.ParseLeading(body, 1));
        Assert.Empty(CertificateMessage.ParseLeading(new byte[] { 0, 0 }, 8));
        Assert.Throws<TlsParseException>(() => CertificateMessage.Parse(body));
    }

    [Fact]
    public void CertificateMessage_RefusesMoreCertificatesThanAChainHolds()
    {
        var entries = Enumerable.Repeat(new byte[] { 0, 0, 1, 0x30 }, CertificateMessage.MaxCertificates + 1).SelectMany(e => e).ToArray();
        var body = new byte[] { 0, (byte)(entries.Length >> 8), (byte)entries.Length }.Concat(entries).ToArray();
        var error = Assert.Throws<TlsParseException>(() => CertificateMessage.Parse(body));
        Assert.Contains("more than 16 certificates", error.Message);
        Assert.Equal(2, CertificateMessage.Parse(new byte[] { 0, 0, 8, 0, 0, 1, 0x30, 0, 0, 1, 0x31 }).Count);
    }

    [Fact]
    public void CapturedTls12DheFlight_ParsesPrimeLength()
    {
        var messages = ProtocolTestData.Messages(ProtocolTestData.Load("openssl-tls12-dhe-flight.hex"));
        var ske = ServerKeyExchange.Parse(messages.Single(m => m.HandshakeType == TlsHandshakeType.ServerKeyExchange).Body, ServerKeyExchangeKind.Dhe);
        Assert.Equal(2048, ske.DhPrimeBits);
        Assert.NotNull(ske.DhPrime);
        Assert.Equal(256, ske.DhPrime.Length);
        Assert.Equal(new byte[] { 2 }, ske.DhGenerator);
    }

    [Fact]
    public void CapturedAlert_Parses()
    {
        var message = ProtocolTestData.Messages(ProtocolTestData.Load("openssl-ssl3-alert.hex")).Single();
        var alert = AlertMessage.Parse(message.Body);
        Assert.True(alert.IsFatal);
        Assert.Equal(TlsAlertDescription.HandshakeFailure, alert.Description);
        Assert.Equal("fatal alert 40", alert.ToString());
        Assert.Equal("handshake_failure", AlertCatalog.NameOf(alert.Description));
        Assert.Throws<TlsParseException>(() => AlertMessage.Parse(new byte[] { 2 }));
        Assert.Throws<TlsParseException>(() => AlertMessage.Parse(new byte[] { 2, 40, 0 }));
    }

    [Fact]
    public void EveryTruncation_AndByteFlip_OfRealMessages_ThrowsOnlyTlsParseException()
    {
        var bodies = new[] { "openssl-tls13-serverhello.hex", "openssl-tls13-hrr.hex", "openssl-tls12-ecdhe-flight.hex" }
            .Select(f => ProtocolTestData.Messages(ProtocolTestData.Load(f))[0].Body).ToList();
        var ske = ProtocolTestData.Messages(ProtocolTestData.Load("openssl-tls12-dhe-flight.hex"))
            .Single(m => m.HandshakeType == TlsHandshakeType.ServerKeyExchange).Body;
        var random = new Random(1234);
        foreach (var body in bodies)
        {
            // Only one cut is a valid message: just before the (optional) extensions block.
            int parsedCuts = 0;
            for (int cut = 0; cut < body.Length; cut++)
                if (ParsesOrThrowsTlsParseException(() => ServerHello.Parse(body.Take(cut).ToArray()))) parsedCuts++;
            Assert.Equal(1, parsedCuts);
            for (int i = 0; i < 2000; i++)
            {
                var mutated = (byte[])body.Clone();
                mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
                ParsesOrThrowsTlsParseException(() => ServerHello.Parse(mutated));
                ParsesOrThrowsTlsParseException(() => ClientHello.Parse(mutated));
            }
        }
        for (int cut = 0; cut < ske.Length; cut++)
            Assert.Throws<TlsParseException>(() => ServerKeyExchange.Parse(ske.Take(cut).ToArray(), ServerKeyExchangeKind.Dhe));
        for (int i = 0; i < 500; i++)
        {
            var junk = new byte[random.Next(0, 300)];
            random.NextBytes(junk);
            ParsesOrThrowsTlsParseException(() => ServerHello.Parse(junk));
            ParsesOrThrowsTlsParseException(() => ServerKeyExchange.Parse(junk, ServerKeyExchangeKind.Ecdhe));
            ParsesOrThrowsTlsParseException(() => Ssl2ServerHello.Parse(junk));
            ParsesOrThrowsTlsParseException(() => ProtocolTestData.Messages(junk));
        }
        Assert.Throws<TlsParseException>(() => ServerHello.Parse(null!));
    }

    /// <summary>True when it parsed; false when it threw TlsParseException; any other exception fails the test.</summary>
    private static bool ParsesOrThrowsTlsParseException(Action parse)
    {
        try { parse(); return true; }
        catch (TlsParseException) { return false; }
    }

    [Fact]
    public void Ssl2ServerHello_ParsesItsFields()
    {
        var cert = new byte[] { 0x30, 0x03, 0x02, 0x01, 0x05 };
        var connectionId = Enumerable.Repeat((byte)0xAB, 16).ToArray();
        var message = new byte[] { 4, 0, 1, 0x00, 0x02, 0, (byte)cert.Length, 0, 6, 0, 16 }
            .Concat(cert).Concat(new byte[] { 0x01, 0x00, 0x80, 0x07, 0x00, 0xC0 }).Concat(connectionId).ToArray();
        var record = new byte[] { (byte)(0x80 | (message.Length >> 8)), (byte)message.Length }.Concat(message).ToArray();

        Assert.True(Ssl2ServerHello.LooksLike(record));
        var hello = Ssl2ServerHello.Parse(record);
        Assert.Equal(0x0002, hello.Version);
        Assert.Equal(cert, hello.Certificate);
        Assert.Equal(new[] { Ssl2CipherKind.Rc4128WithMd5, Ssl2CipherKind.Des192Ede3CbcWithMd5 }, hello.CipherKinds.ToArray());
        Assert.Equal(connectionId, hello.ConnectionId);
        Assert.Throws<TlsParseException>(() => Ssl2ServerHello.Parse(record.Take(record.Length - 1).ToArray()));
        Assert.False(Ssl2ServerHello.LooksLike(new byte[] { 0x16, 0x03, 0x01 }));
    }

    [Fact]
    public async Task RecordReader_RejectsOverlongRecord_BeforeReadingIt()
    {
        var header = new byte[] { 22, 3, 3, 0x48, 0x01 };   // 18433 > 2^14 + 2048
        var ex = await Assert.ThrowsAsync<TlsParseException>(() => new TlsRecordReader(new MemoryStream(header)).ReadRecordAsync(CancellationToken.None));
        Assert.Contains("18433", ex.Message);
    }

    [Fact]
    public async Task RecordReader_RejectsHandshakeMessageOver128KiB()
    {
        var record = new byte[] { 22, 3, 3, 0, 4, 2, 0x02, 0x00, 0x01 };   // ServerHello claiming 131073 bytes
        await Assert.ThrowsAsync<TlsParseException>(() => new TlsRecordReader(new MemoryStream(record)).ReadMessageAsync(CancellationToken.None));
    }

    [Fact]
    public async Task RecordReader_RejectsNonTlsBytes()
    {
        var http = System.Text.Encoding.ASCII.GetBytes("HTTP/1.1 400 Bad Request\r\n");
        var ex = await Assert.ThrowsAsync<TlsParseException>(() => new TlsRecordReader(new MemoryStream(http)).ReadMessageAsync(CancellationToken.None));
        Assert.StartsWith("Not a TLS record", ex.Message);
    }

    [Fact]
    public async Task RecordReader_RejectsAlertInsideAHandshakeMessage()
    {
        var bytes = new byte[] { 22, 3, 3, 0, 4, 2, 0, 0, 10, 21, 3, 3, 0, 2, 2, 40 };
        await Assert.ThrowsAsync<TlsParseException>(() => new TlsRecordReader(new MemoryStream(bytes)).ReadMessageAsync(CancellationToken.None));
    }

    [Fact]
    public async Task RecordReader_ReportsTruncation()
    {
        var bytes = new byte[] { 21, 3, 3, 0, 2, 2 };
        await Assert.ThrowsAsync<TlsParseException>(() => new TlsRecordReader(new MemoryStream(bytes)).ReadRecordAsync(CancellationToken.None));
        Assert.Null(await new TlsRecordReader(new MemoryStream(new byte[0])).ReadMessageAsync(CancellationToken.None));
    }

    [Fact]
    public async Task RecordReader_DeadlineOnSilentStream_ThrowsTimeout()
    {
        using (var silent = new SilentStream())
            await Assert.ThrowsAsync<TimeoutException>(() => new TlsRecordReader(silent).ReadMessageAsync(TimeSpan.FromMilliseconds(100), CancellationToken.None));
    }

    /// <summary>A stream whose reads never complete until cancelled: a peer that says nothing.</summary>
    private sealed class SilentStream : Stream
    {
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
            Task.Delay(Timeout.Infinite, ct).ContinueWith(_ => 0, ct);
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => 0; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
