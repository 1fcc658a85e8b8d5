using System;
using System.IO;
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
/// The check frame on real sockets: the table and its classes name each other, -Check/-ExcludeCheck select by name and
/// wildcard, the runner counts connections and turns a throw or an overrun into Inconclusive, and CompressionCheck
/// decides from the ServerHello's compression_method: real openssl s_server (null compression) and a crafted
/// responder on 127.0.0.1 that answers DEFLATE (what a CRIME-vulnerable server sends).
/// </summary>
public class AssessmentChecksTests
{
    static ServerEvidence Evidence(int port, params (TlsProtocol Version, string Suite)[] accepted) => new ServerEvidence
    {
        Target = new TargetEndpoint("127.0.0.1", port, true),
        Protocols = accepted.Select(a => a.Version).Distinct().Select(v => new ProtocolSupportResult { Protocol = v, Supported = true }).ToList(),
        Suites = accepted.Select(a => new CipherSupportResult { Protocol = a.Version, CipherSuite = a.Suite }).ToList(),
    };

    static Task<ServerCheckResult> Run(string check, ServerEvidence evidence, double timeoutSec = 5) =>
        Run(ServerCheckCatalog.Find(check)!, evidence, timeoutSec);

    static async Task<ServerCheckResult> Run(ServerCheckDefinition check, ServerEvidence evidence, double timeoutSec = 5)
    {
        var options = new ConnectionOptions { Timeout = TimeSpan.FromSeconds(timeoutSec), NoProxy = true };
        var results = await ServerCheckRunner.RunAsync(new[] { check }, evidence, options, TargetDeadline.Start(options.Timeout), null, CancellationToken.None);
        return results.Single();
    }

    [Fact]
    public void Every_row_of_the_table_has_its_class_and_a_finding_to_raise()
    {
        Assert.NotEmpty(ServerCheckCatalog.All);
        foreach (var check in ServerCheckCatalog.All)
        {
            Assert.Equal(check.Name, check.Create().Name);
            var cause = Assessment.Findings.FindingCauses.Find(Assessment.Findings.CauseSource.Check, check.Name);
            Assert.True(cause != null, $"finding-causes.tsv has no Check row for {check.Name}");
            Assert.True(Assessment.Findings.FindingCatalog.Contains(cause!.Finding), $"{check.Name} raises {cause.Finding}, which findings.tsv does not define");
        }
    }

    [Fact]
    public void Select_takes_names_and_wildcards_in_any_case_and_names_the_checks_for_an_unknown_one()
    {
        Assert.Equal(new[] { "Compression" }, ServerCheckCatalog.Select(new[] { "compression" }, null).Select(c => c.Name));
        Assert.Equal(new[] { "Compression" }, ServerCheckCatalog.Select(new[] { "Compr*" }, null).Select(c => c.Name));
        Assert.Equal(ServerCheckCatalog.All.Count, ServerCheckCatalog.Select(null, null).Count);
        Assert.Empty(ServerCheckCatalog.Select(null, new[] { "*" }));
        Assert.DoesNotContain(ServerCheckCatalog.Select(null, new[] { "Compression" }), c => c.Name == "Compression");
        var error = Assert.Throws<ArgumentException>(() => ServerCheckCatalog.Select(new[] { "Heartbleeed" }, null));
        Assert.Contains("-Check: there is no check 'Heartbleeed'", error.Message);
        Assert.Contains("Compression", error.Message);
    }

    [Fact]
    public async Task Compression_against_openssl_is_NotVulnerable_in_one_connection()
    {
        using var server = OpenSslTestServer.Start("-tls1_2");
        var result = await Run("Compression", Evidence(server.EndPoint.Port, (TlsProtocol.Tls12, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")));
        Assert.Equal(CheckVerdict.NotVulnerable, result.Verdict);
        Assert.Equal("offered DEFLATE before null with TLS 1.2, the server chose null compression", result.Evidence);
        Assert.Equal(1, result.ConnectionCount);
        Assert.Null(result.Cve);
    }

    [Fact]
    public async Task Compression_against_a_server_that_chooses_DEFLATE_is_Vulnerable()
    {
        using var server = CraftedTlsServer.AnswerHello(hello =>
        {
            Assert.Equal(new byte[] { 1, 0 }, hello.CompressionMethods);   // what the check offered, as the server read it
            var suite = hello.CipherSuites.First(s => s != ClientHelloBuilder.RenegotiationScsv);
            return CraftedMessages.Record(TlsContentType.Handshake, CraftedMessages.ServerHello(hello, CraftedMessages.Tls12, suite, compression: 1));
        });
        var result = await Run("Compression", Evidence(server.Port, (TlsProtocol.Tls12, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")));
        Assert.Equal(CheckVerdict.Vulnerable, result.Verdict);
        Assert.Equal("the TLS 1.2 ServerHello chose compression method 1 (DEFLATE): records are compressed before encryption (CRIME)", result.Evidence);
        Assert.Equal(1, result.ConnectionCount);
    }

    [Fact]
    public async Task Compression_on_a_TLS13_only_server_is_NotApplicable_without_a_connection()
    {
        var result = await Run("Compression", Evidence(9, (TlsProtocol.Tls13, "TLS_AES_128_GCM_SHA256")));
        Assert.Equal(CheckVerdict.NotApplicable, result.Verdict);
        Assert.Equal(0, result.ConnectionCount);
    }

    [Fact]
    public async Task A_silent_server_is_Inconclusive_within_the_deadline_never_NotVulnerable()
    {
        using var server = CraftedTlsServer.AnswerHello(_ => null);
        var result = await Run("Compression", Evidence(server.Port, (TlsProtocol.Tls12, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")), timeoutSec: 1.5);
        Assert.Equal(CheckVerdict.Inconclusive, result.Verdict);
        // The connection's own deadline ended the read (the time left of -TimeoutSec), not the runner's guard.
        Assert.Matches("^a TLS 1.2 ClientHello offering DEFLATE and null compression got no answer within [01]\\.\\d s, no ServerHello$", result.Evidence);
    }

    [Fact]
    public async Task A_check_that_throws_is_Inconclusive_naming_the_failure()
    {
        var broken = new ServerCheckDefinition("Broken", null, "Test", "test", () => new ThrowingCheck());
        var result = await Run(broken, Evidence(9, (TlsProtocol.Tls12, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")));
        Assert.Equal(CheckVerdict.Inconclusive, result.Verdict);
        Assert.Equal("the check failed (InvalidOperationException: bug)", result.Evidence);
    }

    sealed class ThrowingCheck : ServerCheck
    {
        public override string Name => "Broken";
        public override Task<CheckOutcome> RunAsync(CheckContext context) => throw new InvalidOperationException("bug");
    }
}
