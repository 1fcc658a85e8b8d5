using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using TlsTools;
using TlsTools.Assessment;
using TlsTools.Assessment.Profiles;
using TlsTools.Net;
using Xunit;

namespace TlsTools.Core.Tests;

/// <summary>ProfileChecker's verdicts on real openssl s_server instances on 127.0.0.1, assessed by ServerAssessor.</summary>
public class AssessmentProfileCheckerTests
{
    static readonly ProfileConfiguration Modern = MozillaGuideline.BuiltIn.Configurations.Single(c => c.Name == "modern");

    static async Task<ProfileVerdict> ModernVerdict(OpenSslTestServer server)
    {
        var assessment = await ServerAssessor.AssessAsync(new ServerAssessmentRequest
        {
            Target = new TargetEndpoint("127.0.0.1", server.EndPoint.Port, true),
            Options = new ConnectionOptions { Timeout = TimeSpan.FromSeconds(20) },
            Profiles = new[] { Modern },
            NoHttp = true,
        }, CancellationToken.None);
        return Assert.Single(assessment.Profiles);
    }

    /// <summary>
    /// Mozilla 6.0 modern: server_preferred_order false, tls_versions TLSv1.3 only. OpenSSL's server preference
    /// (s_server -serverpref, nginx ssl_prefer_server_ciphers on) orders TLS 1.3's suites too, so a TLS 1.3-only
    /// server that enforces its order deviates; the checker once looked at TLS 1.2 and older only.
    /// </summary>
    [Fact]
    public async Task ServerOrder_Tls13OnlyServerEnforcingItsOrder_DeviatesFromModern()
    {
        using var server = OpenSslTestServer.Start("-tls1_3 -serverpref");
        var verdict = await ModernVerdict(server);

        var deviation = Assert.Single(verdict.Deviations, d => d.Aspect == ProfileAspect.ServerOrder);
        Assert.Equal("TLS 1.3: the client's order", deviation.Expected);
        Assert.Equal("TLS 1.3: the server's order", deviation.Actual);
        Assert.Equal("TLS 1.3 enforces the server's suite order; modern asks the server to follow the client's (server_preferred_order false).", deviation.Message);
        Assert.False(verdict.Compliant);
    }

    [Fact]
    public async Task ServerOrder_Tls13OnlyServerFollowingTheClient_IsNoDeviation()
    {
        using var server = OpenSslTestServer.Start("-tls1_3");
        var verdict = await ModernVerdict(server);

        Assert.DoesNotContain(verdict.Deviations, d => d.Aspect == ProfileAspect.ServerOrder);
        Assert.DoesNotContain(verdict.Deviations, d => d.Aspect == ProfileAspect.Protocol);
    }
}
