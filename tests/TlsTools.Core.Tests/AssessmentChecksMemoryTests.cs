using System;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using TlsTools.Assessment;
using TlsTools.Assessment.Checks;
using TlsTools.Net;
using TlsTools.Protocol;
using TlsTools.TestServers;
using Xunit;

namespace TlsTools.Core.Tests;

/// <summary>
/// The memory and state checks on real sockets: Heartbleed against the Heartbleed test server (the flaw played on the
/// wire: a claimed payload_length answered in full), openssl s_server (Debian's OpenSSL 3 has no heartbeat), and a
/// responder that negotiates heartbeat and discards the over-long request as RFC 6520 requires.
/// </summary>
public class AssessmentChecksMemoryTests
{
    const string Tls12Suite = "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256";

    static ServerEvidence Evidence(int port, params (TlsProtocol Version, string Suite)[] accepted) => new ServerEvidence
    {
        Target = new TargetEndpoint("127.0.0.1", port, true),
        Protocols = accepted.Select(a => a.Version).Distinct().Select(v => new ProtocolSupportResult { Protocol = v, Supported = true }).ToList(),
        Suites = accepted.Select(a => new CipherSupportResult { Protocol = a.Version, CipherSuite = a.Suite }).ToList(),
    };

    static async Task<ServerCheckResult> Run(string check, ServerEvidence evidence, double timeoutSec = 10)
    {
        var options = new ConnectionOptions { Timeout = TimeSpan.FromSeconds(timeoutSec), NoProxy = true };
        var results = await ServerCheckRunner.RunAsync(new[] { ServerCheckCatalog.Find(check)! }, evidence, options, TargetDeadline.Start(options.Timeout), null, CancellationToken.None);
        return results.Single();
    }

    static async Task<ServerCheckResult> RunOnScenario(string check, string scenario)
    {
        var server = TestServerHost.Start(scenario, IPAddress.Loopback, 0);
        try
        {
            return await Run(check, Evidence(server.Port, (TlsProtocol.Tls12, Tls12Suite), (TlsProtocol.Tls13, "TLS_AES_128_GCM_SHA256")));
        }
        finally
        {
            TestServerHost.Stop(server);
        }
    }

    [Fact]
    public void The_memory_checks_are_in_the_table_with_their_CVEs()
    {
        Assert.Equal("CVE-2014-0160", ServerCheckCatalog.Find("Heartbleed")!.Cve);
        Assert.Equal("Memory", ServerCheckCatalog.Find("Heartbleed")!.Group);
    }

    [Fact]
    public void The_heartbeat_request_claims_32_bytes_past_its_own_record()
    {
        var record = HeartbleedCheck.Request(0x0303);
        // Heartbeat record (24), TLS 1.2, 35 bytes: type 1, payload_length 64, 16 payload bytes, 16 padding bytes.
        Assert.Equal(new byte[] { 24, 3, 3, 0, 35, 1, 0, 64, (byte)'A' }, record.Take(9).ToArray());
        Assert.Equal(5 + 35, record.Length);
        Assert.Equal(HeartbleedCheck.ClaimedLength - 32, record.Length - 5 - 3);
    }

    [Fact]
    public async Task Heartbleed_on_the_Heartbleed_server_is_Vulnerable_and_counts_the_bytes_it_does_not_keep()
    {
        var result = await RunOnScenario("Heartbleed", "Heartbleed");
        Assert.Equal(CheckVerdict.Vulnerable, result.Verdict);
        Assert.Equal("the server answered a HeartbeatRequest carrying 16 payload bytes that claimed 64 with a HeartbeatResponse of 64 payload bytes: "
            + "48 bytes more than it was sent, 32 of them from beyond the request record (server memory; not kept)", result.Evidence);
        Assert.Equal(1, result.ConnectionCount);
        Assert.Equal("CVE-2014-0160", result.Cve);
    }

    [Fact]
    public async Task Heartbleed_on_the_Good_server_is_NotVulnerable_it_does_not_negotiate_heartbeat()
    {
        var result = await RunOnScenario("Heartbleed", "Good");
        Assert.Equal(CheckVerdict.NotVulnerable, result.Verdict);
        Assert.Equal("the server does not negotiate heartbeat: its TLS 1.2 ServerHello has no heartbeat extension (RFC 6520) for a ClientHello that offered it", result.Evidence);
        Assert.Equal(1, result.ConnectionCount);
    }

    [Fact]
    public async Task Heartbleed_against_openssl_is_NotVulnerable_in_one_connection()
    {
        using var server = OpenSslTestServer.Start("-tls1_2");
        var result = await Run("Heartbleed", Evidence(server.EndPoint.Port, (TlsProtocol.Tls12, Tls12Suite)));
        Assert.Equal(CheckVerdict.NotVulnerable, result.Verdict);
        Assert.Equal("the server does not negotiate heartbeat: its TLS 1.2 ServerHello has no heartbeat extension (RFC 6520) for a ClientHello that offered it", result.Evidence);
        Assert.Equal(1, result.ConnectionCount);
    }

    [Fact]
    public async Task Heartbleed_on_a_TLS13_only_server_is_NotApplicable_without_connecting()
    {
        var result = await Run("Heartbleed", Evidence(9, (TlsProtocol.Tls13, "TLS_AES_128_GCM_SHA256")));
        Assert.Equal(CheckVerdict.NotApplicable, result.Verdict);
        Assert.Equal("only TLS 1.3 is accepted, and heartbeat is not defined in TLS 1.3 (RFC 8446)", result.Evidence);
        Assert.Equal(0, result.ConnectionCount);
    }

    [Fact]
    public async Task Heartbleed_on_a_server_that_discards_the_request_is_NotVulnerable_after_the_quiet_wait()
    {
        using var server = FlightServer.Start(heartbeat: true, afterFlight: _ => null);
        var result = await Run("Heartbleed", Evidence(server.Port, (TlsProtocol.Tls12, Tls12Suite)));
        Assert.Equal(CheckVerdict.NotVulnerable, result.Verdict);
        Assert.Equal("the server negotiates heartbeat (TLS 1.2) and sent nothing back for a HeartbeatRequest carrying 16 payload bytes that claimed 64 (no answer within 3.0 s): discarded, as RFC 6520 section 4 requires", result.Evidence);
        Assert.Equal(1, result.ConnectionCount);
    }

    [Fact]
    public async Task Heartbleed_on_a_server_that_answers_with_an_alert_is_NotVulnerable_naming_it()
    {
        using var server = FlightServer.Start(heartbeat: true, afterFlight: _ => CraftedMessages.FatalAlert(10));
        var result = await Run("Heartbleed", Evidence(server.Port, (TlsProtocol.Tls12, Tls12Suite)));
        Assert.Equal(CheckVerdict.NotVulnerable, result.Verdict);
        Assert.Equal("the server negotiates heartbeat (TLS 1.2) and answered a HeartbeatRequest carrying 16 payload bytes that claimed 64 with alert unexpected_message (10)", result.Evidence);
    }

    [Fact]
    public async Task Heartbleed_on_a_server_that_sends_garbage_after_the_request_is_Inconclusive()
    {
        using var server = FlightServer.Start(heartbeat: true, afterFlight: _ => new byte[] { 0x48, 0x54, 0x54, 0x50, 0x2F, 0x31 });
        var result = await Run("Heartbleed", Evidence(server.Port, (TlsProtocol.Tls12, Tls12Suite)));
        Assert.Equal(CheckVerdict.Inconclusive, result.Verdict);
        Assert.StartsWith("after a HeartbeatRequest carrying 16 payload bytes that claimed 64 the server sent bytes that are not TLS (not TLS: ", result.Evidence);
    }

    [Fact]
    public void The_injected_ChangeCipherSpec_is_one_record_of_one_byte()
    {
        Assert.Equal(new byte[] { 20, 3, 3, 0, 1, 1 }, CcsInjectionCheck.ChangeCipherSpec(0x0303));
        Assert.Equal("CVE-2014-0224", ServerCheckCatalog.Find("CcsInjection")!.Cve);
    }

    [Fact]
    public async Task CcsInjection_on_the_CcsInjection_server_is_Vulnerable_by_the_alert_to_the_second_ChangeCipherSpec()
    {
        var result = await RunOnScenario("CcsInjection", "CcsInjection");
        Assert.Equal(CheckVerdict.Vulnerable, result.Verdict);
        Assert.Equal("the server took a ChangeCipherSpec sent after the TLS 1.2 ServerHelloDone, before any key exchange, without a word (no answer within 3.0 s), "
            + "and answered a second in plaintext with alert decryption_failed (21): it had switched to keys the injected ChangeCipherSpec made (CCS injection)", result.Evidence);
        Assert.Equal(1, result.ConnectionCount);
        Assert.Equal("CVE-2014-0224", result.Cve);
    }

    [Fact]
    public async Task CcsInjection_on_the_Good_server_is_NotVulnerable_BouncyCastle_refuses_the_early_ChangeCipherSpec()
    {
        var result = await RunOnScenario("CcsInjection", "Good");
        Assert.Equal(CheckVerdict.NotVulnerable, result.Verdict);
        Assert.Equal("the server refused a ChangeCipherSpec sent after the TLS 1.2 ServerHelloDone, before any key exchange, with alert unexpected_message (10)", result.Evidence);
        Assert.Equal(1, result.ConnectionCount);
    }

    [Fact]
    public async Task CcsInjection_against_openssl_is_NotVulnerable_unexpected_message()
    {
        using var server = OpenSslTestServer.Start("-tls1_2");
        var result = await Run("CcsInjection", Evidence(server.EndPoint.Port, (TlsProtocol.Tls12, Tls12Suite)));
        Assert.Equal(CheckVerdict.NotVulnerable, result.Verdict);
        Assert.Equal("the server refused a ChangeCipherSpec sent after the TLS 1.2 ServerHelloDone, before any key exchange, with alert unexpected_message (10)", result.Evidence);
        Assert.Equal(1, result.ConnectionCount);
    }

    [Fact]
    public async Task CcsInjection_on_a_TLS13_only_server_is_NotApplicable_without_connecting()
    {
        var result = await Run("CcsInjection", Evidence(9, (TlsProtocol.Tls13, "TLS_AES_128_GCM_SHA256")));
        Assert.Equal(CheckVerdict.NotApplicable, result.Verdict);
        Assert.Equal(0, result.ConnectionCount);
    }

    [Fact]
    public async Task CcsInjection_on_a_server_silent_to_both_ChangeCipherSpecs_is_Inconclusive_never_a_pass()
    {
        using var server = FlightServer.Start(heartbeat: false, afterFlight: _ => null);
        var result = await Run("CcsInjection", Evidence(server.Port, (TlsProtocol.Tls12, Tls12Suite)));
        Assert.Equal(CheckVerdict.Inconclusive, result.Verdict);
        Assert.Equal("the server took a ChangeCipherSpec sent after the TLS 1.2 ServerHelloDone, before any key exchange, without a word (no answer within 3.0 s), "
            + "and a second too (no answer within 3.0 s): a vulnerable OpenSSL answers the second with bad_record_mac, a fixed one the first with unexpected_message", result.Evidence);
    }

    /// <summary>
    /// A TCP server on 127.0.0.1 that answers one ClientHello with a TLS 1.2 ServerHello (heartbeat extension when asked),
    /// Certificate-less ServerHelloDone, then answers the client's next record with what the test makes of it (null: nothing).
    /// </summary>
    internal sealed class FlightServer : IDisposable
    {
        readonly CraftedTlsServer _server;

        FlightServer(bool heartbeat, Func<TlsRecord, byte[]?> afterFlight)
        {
            _server = CraftedTlsServer.Start(async c =>
            {
                await c.SendAsync(Flight(await c.ReadClientHelloAsync(), heartbeat));
                var next = await c.Reader.ReadRecordAsync(c.Stop);
                await c.SendAsync(next == null ? null : afterFlight(next));
            });
        }

        static byte[] Flight(ClientHello hello, bool heartbeat)
        {
            var serverHello = CraftedMessages.ServerHelloBody(hello, CraftedMessages.Tls12, CraftedMessages.Tls12Suite(hello)!.Value);
            if (heartbeat)
            {
                serverHello = AppendExtension(serverHello, TlsExtensionType.Heartbeat, new byte[] { 1 });
            }
            var messages = ClientHelloBuilder.HandshakeMessage(TlsHandshakeType.ServerHello, serverHello)
                .Concat(ClientHelloBuilder.HandshakeMessage(TlsHandshakeType.ServerHelloDone, Array.Empty<byte>())).ToArray();
            return CraftedMessages.Record(TlsContentType.Handshake, messages);
        }

        /// <summary>A ServerHello body (38 bytes fixed part when its session id is empty) with one more extension.</summary>
        static byte[] AppendExtension(byte[] body, ushort type, byte[] data)
        {
            const int fixedPart = 2 + 32 + 1 + 2 + 1;
            var extensions = body.Length > fixedPart ? body.Skip(fixedPart + 2).ToArray() : Array.Empty<byte>();
            return new ByteWriter().Bytes(body.Take(fixedPart).ToArray())
                .Begin(2).Bytes(extensions).UInt16(type).Begin(2).Bytes(data).End().End().ToArray();
        }

        public int Port => _server.Port;
        public static FlightServer Start(bool heartbeat, Func<TlsRecord, byte[]?> afterFlight) => new FlightServer(heartbeat, afterFlight);

        public void Dispose() => _server.Dispose();
    }
}
