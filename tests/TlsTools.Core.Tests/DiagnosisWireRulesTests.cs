using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using TlsTools.Certificates;
using TlsTools.Diagnosis;
using TlsTools.Handshake;
using TlsTools.Net;
using Xunit;
using Xunit.Abstractions;
using static TlsTools.Core.Tests.TlsBytes;

namespace TlsTools.Core.Tests;

/// <summary>
/// Each wire rule fired on real bytes: a loopback server sends what a broken server sends, the real managed handshake
/// (Test-TlsHandshake's path) meets it, and the result names the category, the rule and the server's numbers.
/// </summary>
public class DiagnosisWireRulesTests
{
    readonly ITestOutputHelper _output;
    public DiagnosisWireRulesTests(ITestOutputHelper output) { _output = output; }

    async Task<HandshakeResult> HandshakeWith(BrokenServer server, HandshakeEngine engine = HandshakeEngine.Managed)
    {
        using (server)
        {
            var result = await HandshakeTester.TestAsync(new HandshakeTestRequest
            {
                Engine = engine,
                Target = TargetParser.Parse("127.0.0.1", server.Port),
                Options = new ConnectionOptions { Timeout = TimeSpan.FromSeconds(10) },
                Trust = TrustStore.FromCertificates(Array.Empty<System.Security.Cryptography.X509Certificates.X509Certificate2>()),
            }, CancellationToken.None);
            _output.WriteLine($"{result.FailureCategory} [{result.DiagnosisRule}]: {result.FailureReason}");
            foreach (var entry in result.Transcript) _output.WriteLine(entry.ToString());
            return result;
        }
    }

    static void AssertVerdict(HandshakeResult result, FailureCategory category, string rule, params string[] quoted)
    {
        Assert.Equal(rule, result.DiagnosisRule);
        Assert.Equal(category, result.FailureCategory);
        foreach (var q in quoted) Assert.Contains(q, result.FailureReason);
        Assert.DoesNotContain("Failed to read record", result.FailureReason);
        Assert.Contains($"rule {rule} decided: {category}", string.Join("\n", result.Transcript.Select(e => e.ToString())));
    }

    [Fact]
    public async Task ARecordClaiming65535BytesIsRecordTooLong()
    {
        var result = await HandshakeWith(BrokenServer.Sending(new byte[] { 22, 3, 3, 0xFF, 0xFF }, new byte[100]));
        AssertVerdict(result, FailureCategory.ProtocolViolation, "RecordTooLong", "claims 65,535 bytes", "16,384", "16 03 03 FF FF");
    }

    [Fact]
    public async Task AServerHelloClaiming65535BytesInA42ByteRecordIsMessageLengthMismatch()
    {
        var hello = TlsBytes.Handshake(2, ServerHelloBody(0x0303, 0xC02F, null, null, Extension(0xFF01, new byte[] { 0 })), claimed: 0xFFFF);
        var result = await HandshakeWith(BrokenServer.Sending(Record(22, hello)));
        AssertVerdict(result, FailureCategory.ProtocolViolation, "MessageLengthMismatch", "ServerHello claims 65,535 bytes but its record carries 45", "corrupting TLS");
    }

    [Fact]
    public async Task ACertificateHeaderClaiming16MiBIsMessageTooLong()
    {
        var result = await HandshakeWith(BrokenServer.Sending(Tls12ServerHello(), Record(22, TlsBytes.Handshake(11, new byte[200], claimed: 0xFFFFFF))));
        AssertVerdict(result, FailureCategory.ProtocolViolation, "MessageTooLong", "Certificate message claims 16,777,215 bytes", "131,072");
    }

    [Fact]
    public async Task RecordsThatNeverEndTheFlightAreFlightTooLong()
    {
        // HelloRequest (type 0, empty) after the ServerHello, without end: a flight that never reaches ServerHelloDone.
        var helloRequests = Record(22, Enumerable.Range(0, 1000).SelectMany(_ => TlsBytes.Handshake(0, Array.Empty<byte>())).ToArray());
        var result = await HandshakeWith(BrokenServer.Start(async c =>
        {
            await c.ReadClientHelloAsync();
            await c.SendAsync(Tls12ServerHello());
            for (int i = 0; i < 200; i++) await c.SendAsync(helloRequests);
            await c.DrainAsync();
        }));
        AssertVerdict(result, FailureCategory.ProtocolViolation, "FlightTooLong", "262,144 bytes", "without ending its handshake flight", "256 KiB");
    }

    [Fact]
    public async Task AServerHelloChoosingAnUnofferedSuiteIsUnofferedSuiteChosen()
    {
        var result = await HandshakeWith(BrokenServer.Sending(Tls12ServerHello(suite: 0xC0FF)));
        AssertVerdict(result, FailureCategory.ProtocolViolation, "UnofferedSuiteChosen", "The server chose cipher suite 0xC0FF", "which the client did not offer");
    }

    [Fact]
    public async Task AServerHelloChoosingVersion0x0305IsUnofferedVersionChosen()
    {
        var result = await HandshakeWith(BrokenServer.Start(async c =>
        {
            var hello = await c.ReadClientHelloAsync();
            await c.SendAsync(HandshakeRecord(2, ServerHelloBody(0x0303, 0x1301, hello.SessionId, null, SupportedVersion(0x0305), KeyShare(29, 32))));
            await c.DrainAsync();
        }));
        AssertVerdict(result, FailureCategory.ProtocolViolation, "UnofferedVersionChosen", "The server chose version 0x0305 (no TLS version) in supported_versions, which the client did not offer (it offered TLS 1.3, TLS 1.2)");
    }

    [Fact]
    public async Task ALegacyVersionBelowTheOfferIsNoViolation()
    {
        // TLS 1.0 when TLS 1.2 was the highest offered: a version mismatch, not a protocol violation.
        var result = await HandshakeWith(BrokenServer.Sending(Tls12ServerHello(0xC013, version: 0x0301)));
        Assert.NotEqual(FailureCategory.ProtocolViolation, result.FailureCategory);
        Assert.NotEqual("UnofferedVersionChosen", result.DiagnosisRule);
    }

    [Fact]
    public async Task AKeyShareForAGroupNotSharedIsUnofferedGroupChosen()
    {
        var result = await HandshakeWith(BrokenServer.Start(async c =>
        {
            var hello = await c.ReadClientHelloAsync();
            await c.SendAsync(HandshakeRecord(2, ServerHelloBody(0x0303, 0x1301, hello.SessionId, null, SupportedVersion(0x0304), KeyShare(0x0019, 133))));
            await c.DrainAsync();
        }));
        AssertVerdict(result, FailureCategory.ProtocolViolation, "UnofferedGroupChosen", "group 0x0019 (secp521r1)", "did not send a key share for");
    }

    [Fact]
    public async Task ASecondHelloRetryRequestIsSecondHelloRetryRequest()
    {
        var result = await HandshakeWith(BrokenServer.Start(async c =>
        {
            for (int i = 0; i < 2; i++)
            {
                var hello = await c.ReadClientHelloAsync();
                // Ask for a group the client lists but sent no share of, as a well-formed HelloRetryRequest does.
                ushort group = hello.SupportedGroups.First(g => !hello.KeyShares.ContainsKey(g));
                await c.SendAsync(HandshakeRecord(2, ServerHelloBody(0x0303, 0x1301, hello.SessionId, HelloRetryRandom, SupportedVersion(0x0304), KeyShareRequest(group))));
            }
            await c.DrainAsync();
        }));
        AssertVerdict(result, FailureCategory.ProtocolViolation, "SecondHelloRetryRequest", "second HelloRetryRequest", "RFC 8446 §4.1.4");
    }

    [Fact]
    public async Task ACertificateEntryThatIsNotDerIsCertificateUndecodable()
    {
        var entry = Enumerable.Range(0, 64).Select(i => (byte)(0xDE + i)).ToArray();
        var list = Concat(U24(entry.Length), entry);
        var result = await HandshakeWith(BrokenServer.Sending(Tls12ServerHello(), HandshakeRecord(11, Concat(U24(list.Length), list)), HandshakeRecord(14, Array.Empty<byte>())));
        AssertVerdict(result, FailureCategory.ProtocolViolation, "CertificateUndecodable", "Entry 1 of the 1", "64 bytes", "DE DF E0", "not a DER X.509 certificate");
    }

    [Fact]
    public async Task AnAlertWithCode254IsUndefinedAlert()
    {
        var result = await HandshakeWith(BrokenServer.Sending(Alert(2, 0xFE)));
        AssertVerdict(result, FailureCategory.ProtocolViolation, "UndefinedAlert", "undefined code 254 (0xFE)");
    }

    [Fact]
    public async Task ApplicationDataBeforeTheServerHelloIsDataBeforeFinished()
    {
        var result = await HandshakeWith(BrokenServer.Sending(Record(23, Enumerable.Repeat((byte)0x41, 24).ToArray())));
        AssertVerdict(result, FailureCategory.ProtocolViolation, "DataBeforeFinished", "application_data (23) record of 24 bytes", "before any ServerHello");
    }

    [Fact]
    public async Task AnSsl2HeaderWithoutAServerHelloBodyIsSsl2RecordMalformed()
    {
        // SSLv2 header: 42 bytes, message type 4 (SERVER-HELLO), then certificate-length 0xFFFF in a 42-byte record.
        var body = Concat(new byte[] { 4, 0, 1, 0, 2, 0xFF, 0xFF, 0, 3, 0, 16 }, new byte[31]);
        var result = await HandshakeWith(BrokenServer.Start(async c =>
        {
            await c.ReadClientHelloAsync();
            await c.SendAsync(Concat(new byte[] { 0x80, (byte)body.Length }, body));
            c.Close();
            await c.DrainAsync();
        }));
        AssertVerdict(result, FailureCategory.ProtocolViolation, "Ssl2RecordMalformed", "SSLv2 record header (80 2A 04)", "but its 42 bytes do not hold");
    }

    [Fact]
    public async Task AFinAfterTheClientHelloIsConnectionClosed()
    {
        var result = await HandshakeWith(BrokenServer.Start(async c =>
        {
            await c.ReadClientHelloAsync();
            c.Close();
            await c.DrainAsync();
        }));
        AssertVerdict(result, FailureCategory.ConnectionClosed, "ClosedAfterClientHello", "(TCP FIN) right after the client's", "-byte ClientHello");
    }

    [Fact]
    public async Task ARstAfterTheClientHelloIsConnectionReset()
    {
        var result = await HandshakeWith(BrokenServer.Start(async c =>
        {
            await c.ReadClientHelloAsync();
            c.Reset();
        }));
        AssertVerdict(result, FailureCategory.ConnectionReset, "ResetAfterClientHello", "reset (TCP RST) right after the client's");
    }

    [Fact]
    public async Task AFinAfterTheServerHelloIsConnectionClosedAndNamesTheServerHello()
    {
        var result = await HandshakeWith(BrokenServer.Start(async c =>
        {
            await c.ReadClientHelloAsync();
            await c.SendAsync(Tls12ServerHello());
            c.Close();
            await c.DrainAsync();
        }));
        AssertVerdict(result, FailureCategory.ConnectionClosed, "ClosedDuringHandshake",
            "The server closed the connection (TCP FIN) after its ServerHello (TLS 1.2, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256), without an alert");
    }

    [Fact]
    public async Task ARstAfterTheServerHelloIsConnectionReset()
    {
        var result = await HandshakeWith(BrokenServer.Start(async c =>
        {
            await c.ReadClientHelloAsync();
            await c.SendAsync(Tls12ServerHello());
            await Task.Delay(200);   // not a wait for the client: lets the ServerHello leave before the RST discards it
            c.Reset();
        }));
        AssertVerdict(result, FailureCategory.ConnectionReset, "ResetDuringHandshake", "after its ServerHello (TLS 1.2, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256)");
    }

    [Fact]
    public async Task ThePlatformStacksOwnProtocolVersionAlertIsPlatformRefusedVersion()
    {
        // This machine's OpenSSL (3.x default policy: TLS 1.2 minimum) answers an SSLv3 ServerHello with protocol_version (OpenSSL 3 has no SSLv3),
        // in plaintext: the verdict comes from that alert on the wire, not from SslStream's exception text.
        var result = await HandshakeWith(BrokenServer.Sending(Tls12ServerHello(0xC02F, version: 0x0300)), HandshakeEngine.Platform);
        AssertVerdict(result, FailureCategory.ProtocolVersionMismatch, "PlatformRefusedVersion", "refused the server's SSLv3 with fatal protocol_version (70)");
    }
}
