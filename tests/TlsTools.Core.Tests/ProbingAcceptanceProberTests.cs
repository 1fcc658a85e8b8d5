using System;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using TlsTools;
using TlsTools.Catalog;
using TlsTools.Probing;
using Xunit;

namespace TlsTools.Core.Tests;

public class ProbingAcceptanceProberTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>The report's line for a version; every probe reports every version it tried.</summary>
    private static VersionAcceptance For(AcceptanceReport report, TlsProtocol protocol)
    {
        var version = report.For(protocol);
        Assert.NotNull(version);
        return version;
    }

    [Fact]
    public async Task Tls10OnlyServer_AcceptsTls10_AndAnswersNewerHellosWithTls10()
    {
        using (var server = OpenSslTestServer.Start("-tls1 -cipher DEFAULT:@SECLEVEL=0"))
        {
            var report = await AcceptanceProber.ProbeAsync(server.EndPoint, null, Timeout, CancellationToken.None, maxSuitesPerVersion: 3);

            Assert.Equal(TlsProtocol.Tls10, report.AcceptedProtocols);
            var tls10 = For(report, TlsProtocol.Tls10);
            Assert.Equal(3, tls10.Suites.Count);
            Assert.Equal(0x002F, tls10.Suites[0]);   // s_server takes the client's order: AES128-SHA is our first usable one
            Assert.All(tls10.Suites, code => Assert.True(CipherSuiteCatalog.TryGet(code, out var s) && (s.Protocols & TlsProtocol.Tls10) != 0));
            Assert.False(tls10.Complete);

            // The version-downgrade case: a ServerHello for TLS 1.0 is no acceptance of TLS 1.1 or 1.2.
            Assert.Equal("server answered TLS 1.0", For(report, TlsProtocol.Tls12).Rejection);
            Assert.Equal("server answered TLS 1.0", For(report, TlsProtocol.Tls11).Rejection);
            Assert.False(For(report, TlsProtocol.Tls13).Accepted);
            // A TLS 1.3 hello lists only 0x0304 in supported_versions, so there is nothing to fall back to.
            Assert.Equal("alert protocol_version (70)", For(report, TlsProtocol.Tls13).Rejection);
            Assert.False(For(report, TlsProtocol.Ssl3).Accepted);
            Assert.Empty(For(report, TlsProtocol.Tls12).Suites);

            // 3 for TLS 1.0 (stopped at the limit) + one refusal each for the other four versions.
            Assert.Equal(7, report.Connections);
        }
    }

    [Fact]
    public async Task Tls12ServerWithOneSuite_AcceptsExactlyThatSuite()
    {
        using (var server = OpenSslTestServer.Start("-tls1_2 -cipher AES256-SHA"))
        {
            var report = await AcceptanceProber.ProbeAsync(server.EndPoint, "localhost", Timeout, CancellationToken.None);

            var tls12 = For(report, TlsProtocol.Tls12);
            Assert.True(tls12.Accepted);
            Assert.Equal(new ushort[] { 0x0035 }, tls12.Suites.ToArray());
            Assert.Equal("TLS_RSA_WITH_AES_256_CBC_SHA", tls12.SuiteNames);
            Assert.True(tls12.Complete);
            Assert.Null(tls12.Rejection);

            Assert.Equal(TlsProtocol.Tls12, report.AcceptedProtocols);
            Assert.Equal("alert protocol_version (70)", For(report, TlsProtocol.Tls13).Rejection);
            Assert.Equal("alert protocol_version (70)", For(report, TlsProtocol.Tls10).Rejection);
            // TLS 1.2: one hit, then one refusal; the others: one refusal each.
            Assert.Equal(6, report.Connections);
        }
    }

    [Fact]
    public async Task ModernServer_EnumeratesTls13SuitesInClientOrder()
    {
        using (var server = OpenSslTestServer.Start(""))
        {
            var report = await AcceptanceProber.ProbeAsync(server.EndPoint, "localhost", Timeout, CancellationToken.None);
            var tls13 = For(report, TlsProtocol.Tls13);
            Assert.Equal(new ushort[] { 0x1301, 0x1302, 0x1303 }, tls13.Suites.ToArray());   // OpenSSL 3.0's default TLS 1.3 set
            Assert.True(tls13.Complete);
            Assert.True(For(report, TlsProtocol.Tls12).Accepted);
        }
    }

    [Fact]
    public async Task SilentServer_TimesOutInsteadOfHanging()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();   // accepts into the backlog, never answers
        try
        {
            var endpoint = (IPEndPoint)listener.LocalEndpoint;
            var report = await AcceptanceProber.ProbeAsync(endpoint, null, TimeSpan.FromMilliseconds(300), CancellationToken.None);
            Assert.All(report.Versions, v => Assert.StartsWith("no answer within 0.3 s", v.Rejection));
            Assert.Equal(5, report.Connections);
        }
        finally { listener.Stop(); }
    }

    [Fact]
    public async Task ClosedPort_ReportsConnectFailure()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var endpoint = (IPEndPoint)listener.LocalEndpoint;
        listener.Stop();
        var report = await AcceptanceProber.ProbeAsync(endpoint, null, TimeSpan.FromSeconds(5), CancellationToken.None);
        Assert.All(report.Versions, v => Assert.Equal("connect failed: ConnectionRefused", v.Rejection));
    }

    [Fact]
    public async Task Cancellation_IsHonoured()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            using (var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200)))
                await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
                    AcceptanceProber.ProbeAsync((IPEndPoint)listener.LocalEndpoint, null, TimeSpan.FromSeconds(30), cts.Token));
        }
        finally { listener.Stop(); }
    }
}
