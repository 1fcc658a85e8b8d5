using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using TlsTools.Catalog;
using TlsTools.Certificates;
using TlsTools.Diagnosis;
using TlsTools.Net;
using TlsTools.Probing;
using TlsTools.Protocol;
using TlsTools.TestServers;
using Xunit;
using Xunit.Abstractions;

namespace TlsTools.Core.Tests;

/// <summary>All scenarios started once for the class (as Start-TlsTestServer * does), stopped at the end.</summary>
public sealed class TestServerFixture : IDisposable
{
    public TestServerFixture()
    {
        var clock = Stopwatch.StartNew();
        Servers = TestServerHost.ScenarioNames.Select(name => TestServerHost.Start(name, IPAddress.Loopback, 0))
            .ToDictionary(s => s.Scenario, StringComparer.OrdinalIgnoreCase);
        StartAll = clock.Elapsed;
    }

    public IReadOnlyDictionary<string, TestServer> Servers { get; }
    public TimeSpan StartAll { get; }

    public void Dispose() => TestServerHost.Shutdown();
}

public class TestServersTests : IClassFixture<TestServerFixture>
{
    static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    readonly TestServerFixture _fixture;
    readonly ITestOutputHelper _output;

    public TestServersTests(TestServerFixture fixture, ITestOutputHelper output)
    {
        this._fixture = fixture;
        this._output = output;
    }

    public static IEnumerable<object[]> ScenarioNames => TestServerHost.ScenarioNames.Select(n => new object[] { n });

    TestServer Server(string name) => _fixture.Servers[name];

    [Fact]
    public void EveryScenarioStarts_OnItsOwnLoopbackPort()
    {
        _output.WriteLine($"Started {_fixture.Servers.Count} scenarios (fresh PKI included) in {_fixture.StartAll.TotalMilliseconds:0} ms");
        Assert.Equal(TestServerHost.ScenarioNames.Count, _fixture.Servers.Count);
        Assert.Equal(_fixture.Servers.Count, _fixture.Servers.Values.Select(s => s.Port).Distinct().Count());
        Assert.All(_fixture.Servers.Values, s => Assert.Equal("127.0.0.1", s.ComputerName));
    }

    [Theory]
    [MemberData(nameof(ScenarioNames))]
    public async Task TestTlsHandshake_ReportsTheExpectedFailureAndRule(string scenario)
    {
        var server = Server(scenario);
        var result = await HandshakeTester.TestAsync(new HandshakeTestRequest
        {
            Target = TargetParser.Parse(server.ComputerName, server.Port),
            Options = new ConnectionOptions { ServerName = server.ServerName, TrustedRootPath = server.TrustedRootPath },
            Trust = TrustStore.Load(server.TrustedRootPath),
        }, CancellationToken.None);
        _output.WriteLine($"{scenario}: {result.FailureCategory} ({result.DiagnosisRule}): {result.FailureReason} | {result.Protocol} {result.CipherSuite}");
        Assert.Equal(server.ExpectedFailure, result.FailureCategory);
        Assert.Equal(server.ExpectedRule, result.DiagnosisRule);
    }

    [Fact]
    public async Task AClientThatNeverSendsItsHello_IsHungUpOn_AndTheServerGoesOn()
    {
        using (var idle = new TcpClient())
        {
            idle.Connect(IPAddress.Loopback, Server("Good").Port);
            idle.ReceiveTimeout = 25000;   // well past the 10 s hello deadline, well short of forever
            Assert.Equal(0, idle.GetStream().Read(new byte[16], 0, 16));   // 0: the server closed the connection
        }
        var target = new TlsTools.Net.TargetEndpoint("127.0.0.1", Server("Good").Port, true);
        var answer = await HelloExchange.RunAsync(target, new ConnectionOptions(),
            ClientHelloBuilder.Build(new ClientHelloOptions()), Timeout, CancellationToken.None);
        Assert.Equal(HelloOutcomeKind.ServerHello, answer.Kind);
    }

    [Fact]
    public void TrustedRootFile_HoldsOnlyTheRootCertificate_NoKey()
    {
        var text = System.IO.File.ReadAllText(Server("Good").TrustedRootPath);
        Assert.Equal(1, CountOf(text, "-----BEGIN CERTIFICATE-----"));
        Assert.DoesNotContain("PRIVATE KEY", text);
    }

    static int CountOf(string text, string what) => (text.Length - text.Replace(what, "").Length) / what.Length;
}
