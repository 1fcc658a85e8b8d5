using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using TlsTools;
using TlsTools.Net;
using TlsTools.Probing;
using Xunit;

namespace TlsTools.Core.Tests;

/// <summary>The scanners against real openssl s_server instances on 127.0.0.1.</summary>
public class ProbingCipherScannerTests
{
    private static ScanRequest Request(OpenSslTestServer server, TlsProtocol protocols = TlsProtocol.None, bool groups = false) => new ScanRequest
    {
        Target = new TargetEndpoint("127.0.0.1", server.EndPoint.Port, true),
        Options = new ConnectionOptions { Timeout = TimeSpan.FromSeconds(10) },
        Protocols = protocols,
        IncludeGroups = groups,
    };

    [Fact]
    public async Task ServerOrderTls12_ExactSuitesInServerOrder_WithDhSizeAndCurve()
    {
        using (var server = OpenSslTestServer.Start("-tls1_2 -serverpref -cipher ECDHE-RSA-AES128-GCM-SHA256:AES256-SHA:DHE-RSA-AES256-GCM-SHA384"))
        {
            var rows = (await CipherSupportScanner.ScanAsync(Request(server), CancellationToken.None)).Rows;

            Assert.All(rows, r => Assert.Equal(TlsProtocol.Tls12, r.Protocol));
            Assert.Equal(new[] { "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_RSA_WITH_AES_256_CBC_SHA", "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384" },
                rows.Select(r => r.CipherSuite).ToArray());
            Assert.Equal(new int?[] { 1, 2, 3 }, rows.Select(r => r.PreferenceOrder).ToArray());
            Assert.All(rows, r => Assert.Equal(PreferenceSource.Server, r.SuiteOrder));
            Assert.Equal("x25519", rows[0].KeyExchangeGroup);
            Assert.Equal(2048, rows[2].DhBits);
            Assert.Null(rows[1].KeyExchangeGroup);
            Assert.Equal("DH 2048-bit", rows[2].KeyExchangeGroup);
            // SSLv2, SSLv3, TLS 1.0, 1.1, 1.3: one refusal each (5); TLS 1.2: 3 suites + 1 refusal, order proven for free.
            Assert.All(rows, r => Assert.Equal(9, r.Connections));
        }
    }

    [Fact]
    public async Task ServerPrefTls13_SuitesAndGroupsInServerOrder_ViaHelloRetryRequests()
    {
        using (var server = OpenSslTestServer.Start("-tls1_3 -serverpref -groups secp384r1:x25519:ffdhe2048"))
        {
            var rows = (await CipherSupportScanner.ScanAsync(Request(server, TlsProtocol.Tls13, groups: true), CancellationToken.None)).Rows;

            // OpenSSL's own TLS 1.3 order, which -serverpref enforces (openssl ciphers -s -tls1_3 -stdname lists it so).
            Assert.Equal(new[] { "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256", "TLS_AES_128_GCM_SHA256" }, rows.Select(r => r.CipherSuite).ToArray());
            Assert.All(rows, r => Assert.Equal(PreferenceSource.Server, r.SuiteOrder));
            Assert.Equal("secp384r1, x25519, ffdhe2048", rows[0].SupportedGroups);
            Assert.Equal(PreferenceSource.Server, rows[0].GroupOrder);
            Assert.Equal(TlsProtocol.Tls13, rows[0].GroupsProtocol);
            // As negotiated: OpenSSL 3.0 takes the x25519 key share we sent rather than ask for its favourite
            // with a HelloRetryRequest, even with -serverpref.
            Assert.Equal("x25519", rows[0].KeyExchangeGroup);
        }
    }

    [Fact]
    public async Task NothingListening_GivesOneRowWithTheReason()
    {
        var port = OpenSslTestServer.FreePort();
        var rows = await CipherSupportScanner.ScanAsync(new ScanRequest
        {
            Target = new TargetEndpoint("127.0.0.1", port, true),
            Options = new ConnectionOptions { Timeout = TimeSpan.FromSeconds(5) },
        }, CancellationToken.None);
        var row = Assert.Single(rows.Rows);
        Assert.False(rows.AnyAccepted);
        Assert.Equal(TlsProtocol.None, row.Protocol);
        Assert.Null(row.CipherSuite);
        Assert.Equal("no version accepted: connect failed: ConnectionRefused", row.Problem);
        Assert.Equal(6, row.Connections);
    }
}
