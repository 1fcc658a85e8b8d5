using System.Linq;
using System.Threading.Tasks;
using TlsTools;
using TlsTools.Catalog;
using TlsTools.Protocol;
using Xunit;

namespace TlsTools.Core.Tests;

/// <summary>Our ClientHellos against a real openssl s_server; the real answers parsed (and stored for offline tests).</summary>
public class ProtocolLiveServerTests
{
    private static byte[] Hello(TlsProtocol versions, params ushort[] suites) =>
        ClientHelloBuilder.Build(new ClientHelloOptions { Versions = versions, CipherSuites = suites.ToList(), ServerName = "localhost" });

    [Fact]
    public async Task Tls13Hello_GetsTls13ServerHelloWithX25519()
    {
        using (var server = OpenSslTestServer.Start(""))
        {
            var flight = await ProtocolTestData.CaptureFirstFlightAsync(server.EndPoint, Hello(TlsProtocol.Tls12 | TlsProtocol.Tls13));
            ProtocolTestData.MaybeStore("openssl-tls13-serverhello.hex", flight);
            var hello = ServerHello.Parse(ProtocolTestData.Messages(flight).First().Body);
            Assert.Equal(TlsProtocol.Tls13, hello.Version);
            Assert.Equal(0x0303, hello.LegacyVersion);
            Assert.Equal(0x1301, hello.CipherSuite);   // s_server follows the client's order unless -serverpref; ours starts with 0x1301
            Assert.Equal(NamedGroupCatalog.X25519, hello.SelectedGroup);
            Assert.NotNull(hello.KeySharePublicKey);
            Assert.Equal(32, hello.KeySharePublicKey.Length);
            Assert.Equal(32, hello.SessionId.Length);   // echoes our middlebox-compatibility session id
            Assert.False(hello.IsHelloRetryRequest);
        }
    }

    [Fact]
    public async Task Tls13Hello_ToServerWantingP384_GetsHelloRetryRequest()
    {
        using (var server = OpenSslTestServer.Start("-groups P-384"))
        {
            var flight = await ProtocolTestData.CaptureFirstFlightAsync(server.EndPoint, Hello(TlsProtocol.Tls13));
            ProtocolTestData.MaybeStore("openssl-tls13-hrr.hex", flight);
            var hello = ServerHello.Parse(ProtocolTestData.Messages(flight).First().Body);
            Assert.True(hello.IsHelloRetryRequest);
            Assert.Equal(TlsProtocol.Tls13, hello.Version);
            Assert.Equal((ushort)0x0018, hello.SelectedGroup);   // secp384r1
            Assert.Null(hello.KeySharePublicKey);
        }
    }

    [Fact]
    public async Task Tls12EcdheHello_GetsServerKeyExchangeWithNamedGroup()
    {
        using (var server = OpenSslTestServer.Start("-tls1_2 -cipher ECDHE-RSA-AES128-GCM-SHA256"))
        {
            var flight = await ProtocolTestData.CaptureFirstFlightAsync(server.EndPoint, Hello(TlsProtocol.Tls12, 0xC030, 0xC02F, 0x009C));
            ProtocolTestData.MaybeStore("openssl-tls12-ecdhe-flight.hex", flight);
            var messages = ProtocolTestData.Messages(flight);
            Assert.Equal(new TlsHandshakeType?[] { TlsHandshakeType.ServerHello, TlsHandshakeType.Certificate, TlsHandshakeType.ServerKeyExchange, TlsHandshakeType.ServerHelloDone },
                messages.Select(m => m.HandshakeType).ToArray());
            var hello = ServerHello.Parse(messages[0].Body);
            Assert.Equal(TlsProtocol.Tls12, hello.Version);
            Assert.Equal(0xC02F, hello.CipherSuite);
            Assert.True(hello.HasExtension(TlsExtensionType.RenegotiationInfo));   // answers our SCSV
            var ske = ServerKeyExchange.Parse(messages[2].Body, ServerKeyExchangeKind.Ecdhe);
            Assert.Equal(NamedGroupCatalog.X25519, ske.NamedGroup);
            Assert.Equal(32, ske.PublicKey.Length);
            Assert.Equal(256, ske.Signature.Length);   // RSA-2048 signature
        }
    }

    [Fact]
    public async Task Tls12DheHello_GetsServerKeyExchangeWith2048BitPrime()
    {
        using (var server = OpenSslTestServer.Start("-tls1_2 -cipher DHE-RSA-AES128-GCM-SHA256"))
        {
            var flight = await ProtocolTestData.CaptureFirstFlightAsync(server.EndPoint, Hello(TlsProtocol.Tls12, 0x009E));
            ProtocolTestData.MaybeStore("openssl-tls12-dhe-flight.hex", flight);
            var messages = ProtocolTestData.Messages(flight);
            Assert.Equal(0x009E, ServerHello.Parse(messages[0].Body).CipherSuite);
            var ske = ServerKeyExchange.Parse(messages.Single(m => m.HandshakeType == TlsHandshakeType.ServerKeyExchange).Body, ServerKeyExchangeKind.Dhe);
            Assert.Equal(2048, ske.DhPrimeBits);   // OpenSSL 3 sizes the group to the 2048-bit RSA key
            Assert.Null(ske.NamedGroup);
        }
    }

    [Fact]
    public async Task Ssl3Hello_ToModernServer_GetsFatalAlert()
    {
        using (var server = OpenSslTestServer.Start(""))
        {
            var flight = await ProtocolTestData.CaptureFirstFlightAsync(server.EndPoint, Hello(TlsProtocol.Ssl3, 0x002F, 0x0035));
            ProtocolTestData.MaybeStore("openssl-ssl3-alert.hex", flight);
            var message = ProtocolTestData.Messages(flight).Single();
            Assert.Equal(TlsContentType.Alert, message.ContentType);
            // OpenSSL 3 is built without SSLv3 and answers a 0x0300 hello with handshake_failure, not protocol_version.
            var alert = AlertMessage.Parse(message.Body);
            Assert.True(alert.IsFatal);
            Assert.Equal(TlsAlertDescription.HandshakeFailure, alert.Description);
            Assert.Equal("fatal handshake_failure (40)", AlertCatalog.Describe(alert.Level, alert.Description));
            Assert.Equal(0x0300, message.RecordVersion);
        }
    }
}
