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
/// The intolerance checks and ExtendedMasterSecret on real sockets: openssl s_server (tolerant, with EMS), the
/// Intolerant and VersionIntolerant scenarios (BouncyCastle TLS 1.2 servers that refuse what RFC 8446/8701 say to
/// ignore), and a crafted responder on 127.0.0.1 that applies one HelloIntolerance rule and otherwise answers a TLS 1.2
/// ServerHello without extended_master_secret.
/// </summary>
public class AssessmentChecksIntoleranceTests
{
    const string Suite12 = "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256";

    static ServerEvidence Evidence(int port, params (TlsProtocol Version, string Suite)[] accepted) => new ServerEvidence
    {
        Target = new TargetEndpoint("127.0.0.1", port, true),
        Protocols = accepted.Select(a => a.Version).Distinct().Select(v => new ProtocolSupportResult { Protocol = v, Supported = true }).ToList(),
        Suites = accepted.Select(a => new CipherSupportResult { Protocol = a.Version, CipherSuite = a.Suite }).ToList(),
    };

    static ServerEvidence Tls12(int port) => Evidence(port, (TlsProtocol.Tls12, Suite12));

    static async Task<ServerCheckResult> Run(string check, ServerEvidence evidence, double timeoutSec = 15)
    {
        var options = new ConnectionOptions { Timeout = TimeSpan.FromSeconds(timeoutSec), NoProxy = true };
        var results = await ServerCheckRunner.RunAsync(new[] { ServerCheckCatalog.Find(check)! }, evidence, options,
            TargetDeadline.Start(options.Timeout), null, CancellationToken.None);
        return results.Single();
    }

    public static TheoryData<string> IntoleranceChecks => new TheoryData<string>
    {
        "UnknownExtensionIntolerance", "GreaseIntolerance", "HelloSize256Intolerance", "ManySuitesIntolerance",
    };

    [Theory]
    [MemberData(nameof(IntoleranceChecks))]
    public async Task Against_openssl_with_TLS13_every_intolerance_check_is_NotVulnerable_in_one_connection(string check)
    {
        using var server = OpenSslTestServer.Start("");
        var result = await Run(check, Evidence(server.EndPoint.Port, (TlsProtocol.Tls13, "TLS_AES_128_GCM_SHA256"), (TlsProtocol.Tls12, Suite12)));
        Assert.True(CheckVerdict.NotVulnerable == result.Verdict, result.Evidence);
        Assert.StartsWith("tolerant: a ClientHello with ", result.Evidence);
        Assert.Contains(" got a TLS 1.3 ServerHello (TLS_", result.Evidence);
        Assert.Equal(1, result.ConnectionCount);
    }

    [Theory]
    [MemberData(nameof(IntoleranceChecks))]
    public async Task Against_openssl_with_TLS12_only_every_intolerance_check_is_NotVulnerable(string check)
    {
        using var server = OpenSslTestServer.Start("-tls1_2");
        var result = await Run(check, Tls12(server.EndPoint.Port));
        Assert.True(CheckVerdict.NotVulnerable == result.Verdict, result.Evidence);
        Assert.Contains(" got a TLS 1.2 ServerHello (TLS_", result.Evidence);
        Assert.Equal(1, result.ConnectionCount);
    }

    [Fact]
    public async Task The_unknown_extension_is_unassigned_0x1234_and_the_Intolerant_scenario_refuses_it()
    {
        var server = TestServerHost.Start("Intolerant", IPAddress.Loopback, 0);
        try
        {
            var result = await Run("UnknownExtensionIntolerance", Tls12(server.Port));
            Assert.Equal(CheckVerdict.Vulnerable, result.Verdict);
            Assert.Equal("intolerant: the server refused a ClientHello that differs from an accepted one only by an empty extension of the unassigned type 0x1234: "
                + "alert handshake_failure (40) (the same ClientHello without it got a TLS 1.2 ServerHello (TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256))", result.Evidence);
            Assert.Equal(2, result.ConnectionCount);
        }
        finally { TestServerHost.Stop(server); }
    }

    [Fact]
    public async Task The_Intolerant_scenario_is_Vulnerable_to_GREASE_in_two_connections()
    {
        var server = TestServerHost.Start("Intolerant", IPAddress.Loopback, 0);
        try
        {
            var result = await Run("GreaseIntolerance", Tls12(server.Port));
            Assert.Equal(CheckVerdict.Vulnerable, result.Verdict);
            Assert.StartsWith("intolerant: the server refused a ClientHello that differs from an accepted one only by GREASE values (RFC 8701, 0x0A0A-0x5A5A) in "
                + "cipher_suites, supported_groups, signature_algorithms and two extensions: alert handshake_failure (40)", result.Evidence);
            Assert.Equal(2, result.ConnectionCount);
        }
        finally { TestServerHost.Stop(server); }
    }

    [Fact]
    public async Task A_server_that_refuses_more_than_128_suites_is_Vulnerable_to_ManySuites_and_got_160_with_the_accepted_last()
    {
        using var server = CraftedServer.Start(HelloIntolerance.LongCipherList);
        var result = await Run("ManySuitesIntolerance", Tls12(server.Port));
        Assert.Equal(CheckVerdict.Vulnerable, result.Verdict);
        Assert.Equal("intolerant: the server refused a ClientHello that differs from an accepted one only by its cipher list: 160 suites, the 1 accepted ones last after "
            + "159 assigned ones it does not accept: alert handshake_failure (40) (the same ClientHello without it got a TLS 1.2 ServerHello (TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256))", result.Evidence);
        Assert.Equal(2, result.ConnectionCount);
    }

    [Fact]
    public async Task The_builder_puts_GREASE_where_RFC_8701_says_and_a_TLS13_hello_carries_it_in_versions_and_key_share()
    {
        var hello = ClientHello.Parse(ClientHelloBuilder.Build(new ClientHelloOptions { Grease = true }).Skip(9).ToArray());
        Assert.Equal(TlsGrease.CipherSuite, hello.CipherSuites[0]);
        Assert.Equal(TlsGrease.Group, hello.SupportedGroups[0]);
        Assert.Equal(TlsGrease.SignatureScheme, hello.SignatureSchemes[0]);
        Assert.Equal(TlsGrease.Version, hello.SupportedVersions[0]);
        Assert.Equal(new byte[] { 0 }, hello.KeyShares[TlsGrease.Group]);
        Assert.Equal(TlsGrease.FirstExtension, hello.Extensions.First().Type);
        Assert.Contains(hello.Extensions, e => e.Type == TlsGrease.LastExtension && e.Data.Length == 1);
        Assert.All(new[] { TlsGrease.CipherSuite, TlsGrease.Group, TlsGrease.FirstExtension, TlsGrease.LastExtension, TlsGrease.Version, TlsGrease.SignatureScheme },
            v => Assert.True(ClientHello.IsGrease(v)));
        await Task.CompletedTask;
    }

    [Fact]
    public async Task A_server_that_hangs_on_a_256_to_511_byte_hello_is_Vulnerable_and_its_control_is_padded_to_512()
    {
        using var server = CraftedServer.Start(HelloIntolerance.AwkwardLength);
        var result = await Run("HelloSize256Intolerance", Tls12(server.Port));
        Assert.Equal(CheckVerdict.Vulnerable, result.Verdict);
        Assert.Matches(@"^intolerant: the server refused a ClientHello that differs from an accepted one only by its length: (\d{3}) bytes \(in the 256\.\.511 window\) without the padding extension \(RFC 7685\), where the control is padded to 512: no answer within 5\.0 s", result.Evidence);
        Assert.Equal(2, result.ConnectionCount);
        Assert.Equal(2, server.Lengths.Count);
        Assert.InRange(server.Lengths[0], 256, 511);
        Assert.Equal(512, server.Lengths[1]);
    }

    [Fact]
    public async Task A_server_that_refuses_every_hello_is_Inconclusive_never_Vulnerable()
    {
        using var server = CraftedServer.Start((hello, length) => Refusal.Alert);
        var result = await Run("UnknownExtensionIntolerance", Tls12(server.Port));
        Assert.Equal(CheckVerdict.Inconclusive, result.Verdict);
        Assert.Equal("a ClientHello with an empty extension of the unassigned type 0x1234 got alert handshake_failure (40), but the same ClientHello without it got alert handshake_failure (40) too: "
            + "the server refused this client, not the difference", result.Evidence);
        Assert.Equal(2, result.ConnectionCount);
    }

    [Fact]
    public async Task Tls13Hello_against_openssl_TLS12_only_is_NotVulnerable_and_with_TLS13_NotApplicable_without_a_connection()
    {
        using var server = OpenSslTestServer.Start("-tls1_2");
        var result = await Run("Tls13HelloIntolerance", Tls12(server.EndPoint.Port));
        Assert.Equal(CheckVerdict.NotVulnerable, result.Verdict);
        Assert.StartsWith("tolerant: a ClientHello with its offer of TLS 1.3 (supported_versions TLS 1.3, TLS 1.2, key_share, TLS 1.3 suites) got a TLS 1.2 ServerHello (TLS_ECDHE_RSA_", result.Evidence);
        Assert.Equal(1, result.ConnectionCount);

        var modern = await Run("Tls13HelloIntolerance", Evidence(9, (TlsProtocol.Tls13, "TLS_AES_128_GCM_SHA256"), (TlsProtocol.Tls12, Suite12)));
        Assert.Equal(CheckVerdict.NotApplicable, modern.Verdict);
        Assert.Equal(0, modern.ConnectionCount);
    }

    [Fact]
    public async Task Tls13Hello_against_the_VersionIntolerant_scenario_is_Vulnerable()
    {
        var server = TestServerHost.Start("VersionIntolerant", IPAddress.Loopback, 0);
        try
        {
            var result = await Run("Tls13HelloIntolerance", Tls12(server.Port));
            Assert.Equal(CheckVerdict.Vulnerable, result.Verdict);
            Assert.Equal("intolerant: the server refused a ClientHello that differs from an accepted one only by its offer of TLS 1.3 (supported_versions TLS 1.3, TLS 1.2, key_share, TLS 1.3 suites): "
                + "alert handshake_failure (40) (the same ClientHello without it got a TLS 1.2 ServerHello (TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256))", result.Evidence);
            Assert.Equal(2, result.ConnectionCount);
        }
        finally { TestServerHost.Stop(server); }
    }

    [Fact]
    public async Task Tls13Hello_answered_with_a_lower_version_than_the_best_is_Vulnerable_in_one_connection()
    {
        // Accepts TLS 1.2 (the control), but answers TLS 1.0 when TLS 1.3 is offered.
        using var server = CraftedServer.Start((hello, length) => Refusal.None,
            hello => hello.SupportedVersions.Count > 0 ? (ushort)0x0301 : CraftedMessages.Tls12);
        var result = await Run("Tls13HelloIntolerance", Tls12(server.Port));
        Assert.Equal(CheckVerdict.Vulnerable, result.Verdict);
        Assert.Equal("intolerant: offered TLS 1.3 down to TLS 1.2, the server answered with TLS 1.0 although it accepts TLS 1.2", result.Evidence);
        Assert.Equal(1, result.ConnectionCount);
    }

    [Fact]
    public async Task ExtendedMasterSecret_against_openssl_is_NotVulnerable()
    {
        using var server = OpenSslTestServer.Start("-tls1_2");
        var result = await Run("ExtendedMasterSecret", Tls12(server.EndPoint.Port));
        Assert.Equal(CheckVerdict.NotVulnerable, result.Verdict);
        Assert.Equal("has it: the TLS 1.2 ServerHello echoes extended_master_secret (23), so the master secret is bound to the handshake (RFC 7627)", result.Evidence);
        Assert.Equal(1, result.ConnectionCount);
    }

    [Fact]
    public async Task ExtendedMasterSecret_against_a_server_without_it_is_Vulnerable_and_TLS13_only_is_NotApplicable()
    {
        using var server = CraftedServer.Start((hello, length) => Refusal.None);
        var result = await Run("ExtendedMasterSecret", Tls12(server.Port));
        Assert.Equal(CheckVerdict.Vulnerable, result.Verdict);
        Assert.Equal("no extended master secret: the TLS 1.2 ServerHello has no extended_master_secret extension (23) although the ClientHello offered it (RFC 7627; triple handshake)", result.Evidence);
        Assert.Equal(1, result.ConnectionCount);
        Assert.Contains(TlsExtensionType.ExtendedMasterSecret, server.OfferedExtensions);

        var tls13 = await Run("ExtendedMasterSecret", Evidence(9, (TlsProtocol.Tls13, "TLS_AES_128_GCM_SHA256")));
        Assert.Equal(CheckVerdict.NotApplicable, tls13.Verdict);
        Assert.Equal(0, tls13.ConnectionCount);
    }

    [Fact]
    public async Task A_stalling_server_keeps_the_intolerance_checks_within_the_deadline()
    {
        using var server = CraftedServer.Start((hello, length) => Refusal.Hang);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = await Run("GreaseIntolerance", Tls12(server.Port), timeoutSec: 3);
        Assert.Equal(CheckVerdict.Inconclusive, result.Verdict);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    /// <summary>
    /// A TCP server on 127.0.0.1 that reads one ClientHello, applies a HelloIntolerance rule, and otherwise answers a
    /// crafted TLS 1.2 ServerHello (no extended_master_secret) of the version <c>version</c> picks. Records each hello's length.
    /// </summary>
    sealed class CraftedServer : IDisposable
    {
        readonly CraftedTlsServer _server;
        readonly System.Collections.Concurrent.ConcurrentQueue<int> _lengths = new System.Collections.Concurrent.ConcurrentQueue<int>();
        readonly System.Collections.Concurrent.ConcurrentQueue<ushort> _extensions = new System.Collections.Concurrent.ConcurrentQueue<ushort>();

        CraftedServer(Func<ClientHello, int, Refusal> rule, Func<ClientHello, ushort>? version)
        {
            _server = CraftedTlsServer.Start(async c =>
            {
                var message = await c.Reader.ReadMessageAsync(c.Stop);
                var hello = ClientHello.Parse(message!.Body);
                _lengths.Enqueue(message.Body.Length + 4);
                foreach (var e in hello.Extensions) _extensions.Enqueue(e.Type);
                var refusal = rule(hello, message.Body.Length + 4);
                await c.SendAsync(refusal == Refusal.Alert ? CraftedMessages.FatalAlert(CraftedMessages.HandshakeFailure)
                    : refusal == Refusal.Hang ? null
                    : CraftedMessages.Record(TlsContentType.Handshake, CraftedMessages.ServerHello(hello, version?.Invoke(hello) ?? CraftedMessages.Tls12, CraftedMessages.Tls12Suite(hello)!.Value)));
            });
        }

        public int Port => _server.Port;
        public System.Collections.Generic.List<int> Lengths => _lengths.ToList();
        public System.Collections.Generic.List<ushort> OfferedExtensions => _extensions.ToList();
        public static CraftedServer Start(Func<ClientHello, int, Refusal> rule, Func<ClientHello, ushort>? version = null) => new CraftedServer(rule, version);

        public void Dispose() => _server.Dispose();
    }
}
