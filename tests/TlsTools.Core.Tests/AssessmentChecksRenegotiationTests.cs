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
/// The Renegotiation and Downgrade checks on real sockets: SecureRenegotiation and InsecureRenegotiation read the
/// ServerHello's renegotiation_info (RFC 5746) from openssl s_server (which always sends it) and from a crafted
/// responder that leaves it out (what a pre-2010 TLS stack sends); FallbackScsv sends TLS_FALLBACK_SCSV (RFC 7507) to
/// openssl s_server (which refuses with inappropriate_fallback) and to a crafted responder that answers any hello with
/// a ServerHello for the version offered (what a stack without RFC 7507 does).
/// </summary>
public class AssessmentChecksRenegotiationTests
{
    const string Tls12Suite = "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256";
    const string CbcSuite = "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA";

    static ServerEvidence Evidence(int port, params (TlsProtocol Version, string Suite)[] accepted) => new ServerEvidence
    {
        Target = new TargetEndpoint("127.0.0.1", port, true),
        Protocols = accepted.Select(a => a.Version).Distinct().Select(v => new ProtocolSupportResult { Protocol = v, Supported = true }).ToList(),
        Suites = accepted.Select(a => new CipherSupportResult { Protocol = a.Version, CipherSuite = a.Suite }).ToList(),
    };

    static async Task<ServerCheckResult> Run(string check, ServerEvidence evidence, double timeoutSec = 5)
    {
        var options = new ConnectionOptions { Timeout = TimeSpan.FromSeconds(timeoutSec), NoProxy = true };
        var results = await ServerCheckRunner.RunAsync(new[] { ServerCheckCatalog.Find(check)! }, evidence, options,
            TargetDeadline.Start(options.Timeout), null, CancellationToken.None);
        return results.Single();
    }

    /// <summary>A TLS 1.2 ServerHello as a server without RFC 5746 sends it: no extensions at all.</summary>
    static byte[] ServerHelloWithoutRenegotiationInfo(ClientHello hello, ushort version)
    {
        var suite = hello.CipherSuites.First(s => s != ClientHelloBuilder.RenegotiationScsv && s != FallbackScsvCheck.FallbackScsv);
        var body = new ByteWriter().UInt16(version).Bytes(new byte[32]).Byte(0).UInt16(suite).Byte(0).ToArray();
        return CraftedMessages.Record(TlsContentType.Handshake, ClientHelloBuilder.HandshakeMessage(TlsHandshakeType.ServerHello, body));
    }

    [Theory]
    [InlineData("SecureRenegotiation", "the TLS 1.2 ServerHello has an empty renegotiation_info extension (RFC 5746)")]
    [InlineData("InsecureRenegotiation", "the TLS 1.2 ServerHello has an empty renegotiation_info extension: renegotiations are bound to the connection (RFC 5746)")]
    public async Task Renegotiation_checks_against_openssl_are_NotVulnerable_in_one_connection(string check, string evidence)
    {
        using var server = OpenSslTestServer.Start("");
        var result = await Run(check, Evidence(server.EndPoint.Port, (TlsProtocol.Tls13, "TLS_AES_128_GCM_SHA256"), (TlsProtocol.Tls12, Tls12Suite)));
        Assert.Equal(CheckVerdict.NotVulnerable, result.Verdict);
        Assert.Equal(evidence, result.Evidence);
        Assert.Equal(1, result.ConnectionCount);
    }

    [Fact]
    public async Task SecureRenegotiation_against_a_server_without_renegotiation_info_is_Vulnerable()
    {
        using var server = CraftedTlsServer.AnswerHello(hello =>
        {
            Assert.Contains(ClientHelloBuilder.RenegotiationScsv, hello.CipherSuites);   // the check signalled RFC 5746
            return ServerHelloWithoutRenegotiationInfo(hello, CraftedMessages.Tls12);
        });
        var result = await Run("SecureRenegotiation", Evidence(server.Port, (TlsProtocol.Tls12, Tls12Suite)));
        Assert.Equal(CheckVerdict.Vulnerable, result.Verdict);
        Assert.Equal("the TLS 1.2 ServerHello has no renegotiation_info extension (RFC 5746)", result.Evidence);
        Assert.Equal(1, result.ConnectionCount);
    }

    [Fact]
    public async Task SecureRenegotiation_with_a_non_empty_renegotiation_info_on_the_first_handshake_is_Vulnerable()
    {
        using var server = CraftedTlsServer.AnswerHello(hello =>
        {
            var body = new ByteWriter().UInt16(CraftedMessages.Tls12).Bytes(new byte[32]).Byte(0).UInt16(0xC02F).Byte(0)
                .Begin(2).UInt16(TlsExtensionType.RenegotiationInfo).Begin(2).Begin(1).Bytes(new byte[] { 0xAB, 0xCD }).End().End().End().ToArray();
            return CraftedMessages.Record(TlsContentType.Handshake, ClientHelloBuilder.HandshakeMessage(TlsHandshakeType.ServerHello, body));
        });
        var result = await Run("SecureRenegotiation", Evidence(server.Port, (TlsProtocol.Tls12, Tls12Suite)));
        Assert.Equal(CheckVerdict.Vulnerable, result.Verdict);
        Assert.Equal("the TLS 1.2 ServerHello's renegotiation_info is not empty (02 AB CD) on an initial handshake, which RFC 5746 3.4 makes clients refuse", result.Evidence);
    }

    [Fact]
    public async Task InsecureRenegotiation_without_renegotiation_info_is_Inconclusive_never_NotVulnerable()
    {
        using var server = CraftedTlsServer.AnswerHello(hello => ServerHelloWithoutRenegotiationInfo(hello, CraftedMessages.Tls12));
        var result = await Run("InsecureRenegotiation", Evidence(server.Port, (TlsProtocol.Tls12, Tls12Suite)));
        Assert.Equal(CheckVerdict.Inconclusive, result.Verdict);
        Assert.Equal("the TLS 1.2 ServerHello has no valid renegotiation_info extension (no RFC 5746); whether the server accepts an unprotected renegotiation was not tried: that needs a client that renegotiates", result.Evidence);
        Assert.Equal(1, result.ConnectionCount);
    }

    [Theory]
    [InlineData("SecureRenegotiation")]
    [InlineData("InsecureRenegotiation")]
    public async Task Renegotiation_checks_on_a_TLS13_only_server_are_NotApplicable_without_a_connection(string check)
    {
        var result = await Run(check, Evidence(9, (TlsProtocol.Tls13, "TLS_AES_128_GCM_SHA256")));
        Assert.Equal(CheckVerdict.NotApplicable, result.Verdict);
        Assert.Equal("only TLS 1.3 is accepted, which has no renegotiation (RFC 8446 4.1.2)", result.Evidence);
        Assert.Equal(0, result.ConnectionCount);
    }

    [Fact]
    public async Task SecureRenegotiation_against_a_server_that_answers_an_alert_is_Inconclusive_naming_it()
    {
        using var server = CraftedTlsServer.AnswerHello(_ => CraftedMessages.FatalAlert(CraftedMessages.HandshakeFailure));
        var result = await Run("SecureRenegotiation", Evidence(server.Port, (TlsProtocol.Tls12, Tls12Suite)));
        Assert.Equal(CheckVerdict.Inconclusive, result.Verdict);
        Assert.Equal("a TLS 1.2 ClientHello with TLS_EMPTY_RENEGOTIATION_INFO_SCSV got alert handshake_failure (40), no ServerHello", result.Evidence);
    }

    [Fact]
    public async Task FallbackScsv_against_openssl_with_TLS13_and_TLS12_is_NotVulnerable_by_inappropriate_fallback()
    {
        using var server = OpenSslTestServer.Start("");
        var result = await Run("FallbackScsv", Evidence(server.EndPoint.Port, (TlsProtocol.Tls13, "TLS_AES_128_GCM_SHA256"), (TlsProtocol.Tls12, Tls12Suite)));
        Assert.Equal(CheckVerdict.NotVulnerable, result.Verdict);
        Assert.Equal("a TLS 1.2 ClientHello with TLS_FALLBACK_SCSV (0x5600) got alert inappropriate_fallback (86): the server knows it accepts TLS 1.3 and refuses the downgrade (RFC 7507)", result.Evidence);
        Assert.Equal(1, result.ConnectionCount);
    }

    [Fact]
    public async Task FallbackScsv_against_openssl_with_TLS12_and_TLS11_is_NotVulnerable()
    {
        using var server = OpenSslTestServer.Start("-min_protocol TLSv1.1 -max_protocol TLSv1.2 -cipher DEFAULT:@SECLEVEL=0");
        var result = await Run("FallbackScsv", Evidence(server.EndPoint.Port, (TlsProtocol.Tls12, Tls12Suite), (TlsProtocol.Tls11, CbcSuite)));
        Assert.Equal(CheckVerdict.NotVulnerable, result.Verdict);
        Assert.Equal("a TLS 1.1 ClientHello with TLS_FALLBACK_SCSV (0x5600) got alert inappropriate_fallback (86): the server knows it accepts TLS 1.2 and refuses the downgrade (RFC 7507)", result.Evidence);
    }

    [Fact]
    public async Task FallbackScsv_against_a_server_that_ignores_the_signal_is_Vulnerable()
    {
        using var server = CraftedTlsServer.AnswerHello(hello =>
        {
            Assert.Equal(FallbackScsvCheck.FallbackScsv, hello.CipherSuites.Last(s => s != ClientHelloBuilder.RenegotiationScsv));
            return ServerHelloWithoutRenegotiationInfo(hello, hello.LegacyVersion);   // whatever version was offered, as if it were the best
        });
        var result = await Run("FallbackScsv", Evidence(server.Port, (TlsProtocol.Tls12, Tls12Suite), (TlsProtocol.Tls11, CbcSuite)));
        Assert.Equal(CheckVerdict.Vulnerable, result.Verdict);
        Assert.Equal("a TLS 1.1 ClientHello with TLS_FALLBACK_SCSV (0x5600) got a TLS 1.1 ServerHello, though the server accepts TLS 1.2: it ignores the fallback signal (RFC 7507 requires inappropriate_fallback)", result.Evidence);
        Assert.Equal(1, result.ConnectionCount);
    }

    [Fact]
    public async Task FallbackScsv_on_a_one_version_server_is_NotApplicable_without_a_connection()
    {
        var result = await Run("FallbackScsv", Evidence(9, (TlsProtocol.Tls12, Tls12Suite)));
        Assert.Equal(CheckVerdict.NotApplicable, result.Verdict);
        Assert.Equal("only TLS 1.2 is accepted: there is nothing to fall back to", result.Evidence);
        Assert.Equal(0, result.ConnectionCount);
    }

    [Fact]
    public async Task FallbackScsv_against_a_server_that_resets_is_Inconclusive()
    {
        using var server = CraftedTlsServer.AnswerHello(_ => null, resetAfterAnswer: true);
        var result = await Run("FallbackScsv", Evidence(server.Port, (TlsProtocol.Tls12, Tls12Suite), (TlsProtocol.Tls11, CbcSuite)));
        Assert.Equal(CheckVerdict.Inconclusive, result.Verdict);
        Assert.Matches("^a TLS 1.1 ClientHello with TLS_FALLBACK_SCSV \\(0x5600\\) got connection (reset|closed), neither inappropriate_fallback \\(86\\) nor a ServerHello$", result.Evidence);
    }

    [Fact]
    public async Task ClientRenegotiation_against_default_openssl_is_NotVulnerable_by_its_no_renegotiation_alert()
    {
        using var server = OpenSslTestServer.Start("");
        var result = await Run("ClientRenegotiation", Evidence(server.EndPoint.Port, (TlsProtocol.Tls13, "TLS_AES_128_GCM_SHA256"), (TlsProtocol.Tls12, Tls12Suite)));
        Assert.Equal(CheckVerdict.NotVulnerable, result.Verdict);
        Assert.Equal("after a completed TLS 1.2 handshake the server answered renegotiation 1 with warning alert no_renegotiation (100): client-initiated renegotiation is refused", result.Evidence);
        Assert.Equal(1, result.ConnectionCount);
    }

    [Fact]
    public async Task ClientRenegotiation_against_openssl_with_client_renegotiation_is_Vulnerable_all_ten_accepted()
    {
        using var server = OpenSslTestServer.Start("-client_renegotiation");
        var result = await Run("ClientRenegotiation", Evidence(server.EndPoint.Port, (TlsProtocol.Tls13, "TLS_AES_128_GCM_SHA256"), (TlsProtocol.Tls12, Tls12Suite)), timeoutSec: 10);
        Assert.Equal(CheckVerdict.Vulnerable, result.Verdict);
        Assert.Equal("the server accepted all 10 client-initiated renegotiations on one TLS 1.2 connection (no limit seen)", result.Evidence);
        Assert.Equal(1, result.ConnectionCount);
    }

    [Fact]
    public async Task ClientRenegotiation_on_a_TLS13_only_server_is_NotApplicable_and_without_its_suites_Inconclusive()
    {
        var tls13 = await Run("ClientRenegotiation", Evidence(9, (TlsProtocol.Tls13, "TLS_AES_128_GCM_SHA256")));
        Assert.Equal(CheckVerdict.NotApplicable, tls13.Verdict);
        Assert.Equal(0, tls13.ConnectionCount);
        var cbc = await Run("ClientRenegotiation", Evidence(9, (TlsProtocol.Tls12, CbcSuite)));
        Assert.Equal(CheckVerdict.Inconclusive, cbc.Verdict);
        Assert.Equal("this check renegotiates with TLS 1.2 ECDHE AES-128-GCM suites, which the server does not accept", cbc.Evidence);
        Assert.Equal(0, cbc.ConnectionCount);
    }

    [Fact]
    public async Task ClientRenegotiation_against_a_server_that_stops_after_its_hello_is_Inconclusive()
    {
        using var server = CraftedTlsServer.AnswerHello(hello => ServerHelloWithoutRenegotiationInfo(hello, CraftedMessages.Tls12), resetAfterAnswer: true);
        var result = await Run("ClientRenegotiation", Evidence(server.Port, (TlsProtocol.Tls12, Tls12Suite)));
        Assert.Equal(CheckVerdict.Inconclusive, result.Verdict);
        Assert.StartsWith("the first TLS 1.2 handshake did not complete: connection ", result.Evidence);
    }
}
