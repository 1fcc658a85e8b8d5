using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using TlsTools.Assessment.Http;
using TlsTools.Certificates;
using TlsTools.Diagnosis;
using TlsTools.Net;
using Xunit;
using Xunit.Abstractions;

namespace TlsTools.Core.Tests;

/// <summary>
/// The GET of / after Test-TlsServer's full handshake, on real bytes: a real HTTPS server on 127.0.0.1 answers with
/// crafted responses, the real managed handshake (the chain inspection's path) carries the probe, and the facts it
/// records are asserted exactly, together with the requests the server saw and the one connection it accepted.
/// </summary>
public class AssessmentHttpProbeTests
{
    const string Ok = "HTTP/1.1 200 OK\r\nServer: nginx/1.99.0\r\nContent-Length: 2\r\n\r\nok";

    readonly ITestOutputHelper _output;
    public AssessmentHttpProbeTests(ITestOutputHelper output) { _output = output; }

    async Task<HttpFacts> Get(HttpsScriptServer server, TimeSpan? timeLimit = null, TimeSpan? deadline = null)
    {
        using (server)
        {
            var probe = new HttpHeaderProbe($"127.0.0.1:{server.Port}", "TlsTools/test", timeLimit);
            var outcome = await ServedChainInspection.RunAsync(new ServedChainRequest
            {
                Target = TargetParser.Parse("127.0.0.1", server.Port),
                Options = new ConnectionOptions { Timeout = deadline ?? TimeSpan.FromSeconds(20) },
                Trust = TrustStore.FromCertificates(Array.Empty<System.Security.Cryptography.X509Certificates.X509Certificate2>()),
                AfterHandshake = probe,
            }, CancellationToken.None);
            var facts = probe.Result ?? throw new Xunit.Sdk.XunitException("the probe recorded nothing: " + outcome.FailureReason);
            _output.WriteLine($"{facts.StatusCode} server={facts.Server} sts={facts.StrictTransportSecurity} redirects={facts.Redirects} " +
                $"notFollowed={facts.RedirectNotFollowed} bytes={facts.BytesRead} problem={facts.Problem}");
            // The GET rides on the inspection's one handshake: never a connection of its own.
            Assert.Equal(1, outcome.Connections);
            Assert.Equal(1, server.Connections);
            return facts;
        }
    }

    static string WithHsts(params string[] values) =>
        "HTTP/1.1 200 OK\r\n" + string.Concat(values.Select(v => $"Strict-Transport-Security: {v}\r\n")) + "Content-Length: 0\r\n\r\n";

    [Fact]
    public async Task OneGetOfRootReadsStatusServerAndHsts()
    {
        var server = HttpsScriptServer.Answering(
            "HTTP/1.1 200 OK\r\nServer: nginx/1.99.0\r\nStrict-Transport-Security: max-age=63072000; includeSubDomains; preload\r\nContent-Length: 2\r\n\r\nok");
        var facts = await Get(server);

        Assert.Equal(200, facts.StatusCode);
        Assert.Equal("nginx/1.99.0", facts.Server);
        Assert.Equal("max-age=63072000; includeSubDomains; preload", facts.StrictTransportSecurity);
        Assert.Equal(63072000, facts.HstsMaxAge);
        Assert.True(facts.HstsIncludeSubDomains);
        Assert.True(facts.HstsPreload);
        Assert.Null(facts.HstsProblem);
        Assert.Equal(0, facts.Redirects);
        Assert.Null(facts.RedirectNotFollowed);
        Assert.Null(facts.Problem);
        Assert.True(facts.BytesRead >= 100);
        var request = Assert.Single(server.Requests);
        Assert.Equal($"GET / HTTP/1.1\r\nHost: 127.0.0.1:{server.Port}\r\nUser-Agent: TlsTools/test\r\nAccept: */*\r\nConnection: keep-alive", request);
    }

    [Fact]
    public async Task NoHstsHeaderLeavesTheFactsEmpty()
    {
        var facts = await Get(HttpsScriptServer.Answering(Ok));
        Assert.Equal(200, facts.StatusCode);
        Assert.Null(facts.StrictTransportSecurity);
        Assert.Null(facts.HstsMaxAge);
        Assert.False(facts.HstsIncludeSubDomains);
        Assert.Null(facts.HstsProblem);
        Assert.Null(facts.Problem);
    }

    /// <summary>RFC 6797 section 6.1 on the wire: names case-insensitive, quoted values, duplicates and a missing max-age invalid.</summary>
    [Theory]
    [InlineData("MAX-AGE=31536000; INCLUDESUBDOMAINS", 31536000L, true, false, null)]
    [InlineData("max-age=\"31536000\"", 31536000L, false, false, null)]
    [InlineData("  max-age = 600 ;; includeSubDomains ; preload ;", 600L, true, true, null)]
    [InlineData("max-age=0", 0L, false, false, null)]
    [InlineData("max-age=86400; report-uri=\"https://x.example/r;1\"", 86400L, false, false, null)]
    [InlineData("max-age=1; Max-Age=2", null, false, false, "the directive Max-Age appears twice (RFC 6797 section 6.1, rule 2)")]
    [InlineData("includeSubDomains; preload", null, false, false, "no max-age directive (RFC 6797 section 6.1.1 requires one)")]
    [InlineData("max-age=1y", null, false, false, "max-age is not a number of seconds: '1y'")]
    [InlineData("max-age=\"100", null, false, false, "an unterminated quoted value for max-age")]
    [InlineData("max-age=100 includeSubDomains", null, false, false, "not a directive at 'includeSubDomains'")]
    public async Task HstsIsParsedAsRfc6797Says(string header, long? maxAge, bool includeSubDomains, bool preload, string? problem)
    {
        var facts = await Get(HttpsScriptServer.Answering(WithHsts(header)));
        Assert.Equal(header.Trim(), facts.StrictTransportSecurity);
        Assert.Equal(maxAge, facts.HstsMaxAge);
        Assert.Equal(includeSubDomains, facts.HstsIncludeSubDomains);
        Assert.Equal(preload, facts.HstsPreload);
        Assert.Equal(problem, facts.HstsProblem);
        Assert.Null(facts.Problem);
    }

    [Fact]
    public async Task OfSeveralHstsHeadersTheFirstCounts()
    {
        var facts = await Get(HttpsScriptServer.Answering(WithHsts("max-age=100", "max-age=200; includeSubDomains")));
        Assert.Equal("max-age=100", facts.StrictTransportSecurity);
        Assert.Equal(100, facts.HstsMaxAge);
        Assert.False(facts.HstsIncludeSubDomains);
    }

    [Fact]
    public async Task ASameOriginRedirectIsFollowedOnTheSameConnection()
    {
        var server = HttpsScriptServer.Answering(
            "HTTP/1.1 301 Moved Permanently\r\nServer: nginx/1.99.0\r\nLocation: /home\r\nContent-Length: 11\r\n\r\nmoved here.",
            "HTTP/1.1 200 OK\r\nServer: other\r\nStrict-Transport-Security: max-age=31536000\r\nContent-Length: 2\r\n\r\nok");
        var facts = await Get(server);

        Assert.Equal(200, facts.StatusCode);
        Assert.Equal(1, facts.Redirects);
        Assert.Equal("nginx/1.99.0", facts.Server);   // the first response's
        Assert.Equal(31536000, facts.HstsMaxAge);
        Assert.Null(facts.RedirectNotFollowed);
        Assert.Null(facts.Problem);
        Assert.Equal(new[] { "GET / HTTP/1.1", "GET /home HTTP/1.1" }, server.Requests.Select(r => r.Split("\r\n")[0]));
    }

    [Fact]
    public async Task AnAbsoluteSameOriginRedirectWithAChunkedBodyIsFollowed()
    {
        HttpsScriptServer? server = null;
        server = new HttpsScriptServer(async c =>
        {
            await c.ReadRequestAsync();
            await c.WriteAsync($"HTTP/1.1 302 Found\r\nLocation: https://127.0.0.1:{server!.Port}/a/b?x=1\r\nTransfer-Encoding: chunked\r\n\r\n" +
                "5;ext=1\r\nhello\r\n10\r\n0123456789abcdef\r\n0\r\nX-Trailer: t\r\n\r\n");
            await c.ReadRequestAsync();
            await c.WriteAsync("HTTP/1.1 308 Permanent Redirect\r\nLocation: c\r\nContent-Length: 0\r\n\r\n");
            await c.ReadRequestAsync();
            await c.WriteAsync(Ok);
            await c.ReadRequestAsync();
        });
        var facts = await Get(server);

        Assert.Equal(200, facts.StatusCode);
        Assert.Equal(2, facts.Redirects);
        Assert.Null(facts.Problem);
        Assert.Equal(new[] { "GET / HTTP/1.1", "GET /a/b?x=1 HTTP/1.1", "GET /a/c HTTP/1.1" }, server.Requests.Select(r => r.Split("\r\n")[0]));
    }

    [Theory]
    [InlineData("https://www.example.com/")]
    [InlineData("http://127.0.0.1:{port}/")]
    [InlineData("https://127.0.0.1:1/")]
    public async Task ARedirectElsewhereIsRecordedAndNotFollowed(string location)
    {
        HttpsScriptServer? server = null;
        server = new HttpsScriptServer(async c =>
        {
            await c.ReadRequestAsync();
            await c.WriteAsync($"HTTP/1.1 301 Moved\r\nLocation: {location.Replace("{port}", server!.Port.ToString())}\r\nStrict-Transport-Security: max-age=300\r\nContent-Length: 0\r\n\r\n");
            await c.ReadRequestAsync();
        });
        var facts = await Get(server);

        Assert.Equal(301, facts.StatusCode);
        Assert.Equal(0, facts.Redirects);
        Assert.Equal(location.Replace("{port}", server.Port.ToString()), facts.RedirectNotFollowed);
        Assert.Equal(300, facts.HstsMaxAge);
        Assert.Null(facts.Problem);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task AtMostThreeRedirectsAreFollowed()
    {
        var server = HttpsScriptServer.Answering("HTTP/1.1 302 Found\r\nLocation: /again\r\nContent-Length: 0\r\n\r\n");
        var facts = await Get(server);

        Assert.Equal(302, facts.StatusCode);
        Assert.Equal(3, facts.Redirects);
        Assert.Equal("/again", facts.RedirectNotFollowed);
        Assert.Equal("more than 3 redirects: the one to /again was not followed", facts.Problem);
        Assert.Equal(4, server.Requests.Count);
    }

    [Theory]
    [InlineData("HTTP/1.1 301 Moved\r\nLocation: /home\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", "the server closes the connection after it")]
    [InlineData("HTTP/1.0 301 Moved\r\nLocation: /home\r\nContent-Length: 0\r\n\r\n", "the server closes the connection after it")]
    [InlineData("HTTP/1.1 301 Moved\r\nLocation: /home\r\n\r\n", "its body has no length (it runs until the server closes)")]
    [InlineData("HTTP/1.1 301 Moved\r\nLocation: /home\r\nContent-Length: 300000\r\n\r\n", "its body (300000 bytes) is over the 256 KiB this probe skips")]
    public async Task ARedirectTheConnectionCannotCarryIsNotFollowed(string response, string why)
    {
        var server = HttpsScriptServer.Answering(response);
        var facts = await Get(server);

        Assert.Equal(301, facts.StatusCode);
        Assert.Equal(0, facts.Redirects);
        Assert.Equal("/home", facts.RedirectNotFollowed);
        Assert.Equal($"the redirect to /home was not followed: {why}, and no other connection is opened", facts.Problem);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task InterimResponsesAreSkipped()
    {
        var facts = await Get(HttpsScriptServer.Answering("HTTP/1.1 103 Early Hints\r\nLink: </s.css>; rel=preload\r\n\r\n" + Ok));
        Assert.Equal(200, facts.StatusCode);
        Assert.Equal("nginx/1.99.0", facts.Server);
        Assert.Null(facts.Problem);
    }

    [Fact]
    public async Task ObsoleteLineFoldingIsJoined()
    {
        var facts = await Get(HttpsScriptServer.Answering("HTTP/1.1 200 OK\r\nStrict-Transport-Security: max-age=500;\r\n includeSubDomains\r\nContent-Length: 0\r\n\r\n"));
        Assert.Equal("max-age=500; includeSubDomains", facts.StrictTransportSecurity);
        Assert.True(facts.HstsIncludeSubDomains);
    }

    // Hostile servers: every one ends within the bounds, and Problem says what happened.

    [Fact]
    public async Task EndlessHeaderLinesStopAtTheFieldLimit()
    {
        var facts = await Get(new HttpsScriptServer(async c =>
        {
            await c.ReadRequestAsync();
            await c.WriteAsync("HTTP/1.1 200 OK\r\n");
            await c.WriteForeverAsync("X-Again: and again\r\n");
        }));
        Assert.Null(facts.StatusCode);
        Assert.Equal("more than 100 header fields in the response head", facts.Problem);
        Assert.InRange(facts.BytesRead, 100 * 20, HttpBounds.MaxHeadBytes + 16 * 1024);
    }

    [Fact]
    public async Task ATenMegabyteHeaderStopsAtTheLineLimit()
    {
        var facts = await Get(new HttpsScriptServer(async c =>
        {
            await c.ReadRequestAsync();
            await c.WriteAsync("HTTP/1.1 200 OK\r\nX-Big: ");
            var block = new string('a', 16 * 1024);
            for (int i = 0; i < 10 * 64; i++) await c.WriteAsync(block);
            await c.WriteAsync("\r\n\r\n");
        }));
        Assert.Null(facts.StatusCode);
        Assert.Equal("a header line is over 8 KiB", facts.Problem);
        Assert.InRange(facts.BytesRead, HttpBounds.MaxLineBytes, HttpBounds.MaxLineBytes + 2 * 16 * 1024);
    }

    [Fact]
    public async Task AHeadOverThirtyTwoKilobytesStopsAtTheHeadLimit()
    {
        var line = "X-Filler: " + new string('f', 1000) + "\r\n";
        var facts = await Get(HttpsScriptServer.Answering("HTTP/1.1 200 OK\r\n" + string.Concat(Enumerable.Repeat(line, 40)) + "\r\n"));
        Assert.Null(facts.StatusCode);
        Assert.Equal("the response head is over 32 KiB", facts.Problem);
    }

    [Fact]
    public async Task ANeverEndingChunkedRedirectBodyStopsAtTheSkipLimit()
    {
        var server = new HttpsScriptServer(async c =>
        {
            await c.ReadRequestAsync();
            await c.WriteAsync("HTTP/1.1 301 Moved\r\nLocation: /home\r\nTransfer-Encoding: chunked\r\n\r\n");
            await c.WriteForeverAsync("400\r\n" + new string('x', 0x400) + "\r\n");
        });
        var facts = await Get(server);
        Assert.Equal(301, facts.StatusCode);
        Assert.Equal(0, facts.Redirects);
        Assert.Equal("the redirect to /home was not followed: its chunked body is over the 256 KiB this probe skips, and no other connection is opened", facts.Problem);
        Assert.InRange(facts.BytesRead, HttpBounds.MaxSkippedBodyBytes, HttpBounds.MaxSkippedBodyBytes + 4 * 16 * 1024);
    }

    [Fact]
    public async Task AFinalResponsesBodyIsNotRead()
    {
        var facts = await Get(new HttpsScriptServer(async c =>
        {
            await c.ReadRequestAsync();
            await c.WriteAsync("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
            await c.WriteForeverAsync("400\r\n" + new string('x', 0x400) + "\r\n");
        }));
        Assert.Equal(200, facts.StatusCode);
        Assert.Null(facts.Problem);
        Assert.InRange(facts.BytesRead, 40, 16 * 1024 + 64);
    }

    [Fact]
    public async Task AServerTricklingOneByteAtATimeIsCutAtTheTimeLimit()
    {
        var facts = await Get(new HttpsScriptServer(async c =>
        {
            await c.ReadRequestAsync();
            foreach (char b in Ok)
            {
                await c.WriteAsync(b.ToString());
                await Task.Delay(400, c.Limit);   // the hostile behaviour itself, not a synchronisation
            }
        }), timeLimit: TimeSpan.FromSeconds(1));
        Assert.Null(facts.StatusCode);
        Assert.StartsWith("no complete answer within 1 s, the time the GET had (", facts.Problem);
        Assert.InRange(facts.BytesRead, 1, 10);
    }

    /// <summary>
    /// The target's deadline, not the GET's own limit, ends it here; and a GET still reading past half the deadline
    /// is no stalled handshake: the network-path follow-ups (which open connections) do not start.
    /// </summary>
    [Fact]
    public async Task ASlowAnswerEndsAtTheDeadlineWithoutPathFollowUps()
    {
        var facts = await Get(new HttpsScriptServer(async c =>
        {
            await c.ReadRequestAsync();
            await c.WriteAsync("HTTP/1.1 200 OK\r\n");
            await Task.Delay(TimeSpan.FromSeconds(10), c.Limit);   // a server that stalls mid-head
        }), timeLimit: TimeSpan.FromSeconds(30), deadline: TimeSpan.FromSeconds(2));
        Assert.Null(facts.StatusCode);
        Assert.StartsWith("no complete answer within 1.", facts.Problem);
        Assert.Equal(17, facts.BytesRead);
    }

    [Fact]
    public async Task ANonHttpAnswerIsNamed()
    {
        var facts = await Get(HttpsScriptServer.Answering("SSH-2.0-OpenSSH_9.6\r\n"));
        Assert.Null(facts.StatusCode);
        Assert.Equal("the answer is not HTTP: it starts with 'SSH-2.0-OpenSSH_9.6..'", facts.Problem);
    }

    [Fact]
    public async Task AMalformedStatusLineIsNamed()
    {
        var facts = await Get(HttpsScriptServer.Answering("HTTP/2 200\r\n\r\n"));
        Assert.Null(facts.StatusCode);
        Assert.Equal("a malformed status line: 'HTTP/2 200'", facts.Problem);
    }

    [Fact]
    public async Task ACloseNotifyRightAwayIsNamed()
    {
        var facts = await Get(new HttpsScriptServer(c => c.CloseNotifyAsync()));
        Assert.Null(facts.StatusCode);
        Assert.Equal("the server closed the connection (close_notify) without answering the GET", facts.Problem);
        Assert.Equal(0, facts.BytesRead);
    }

    [Fact]
    public async Task AConnectionDroppedInTheHeadIsNamed()
    {
        var facts = await Get(new HttpsScriptServer(async c =>
        {
            await c.ReadRequestAsync();
            await c.WriteAsync("HTTP/1.1 200 OK\r\nServer: half");
            await c.EndWithoutCloseNotifyAsync();
        }));
        Assert.Null(facts.StatusCode);
        Assert.Equal("the server closed the connection without close_notify before the response was complete", facts.Problem);
    }
}
