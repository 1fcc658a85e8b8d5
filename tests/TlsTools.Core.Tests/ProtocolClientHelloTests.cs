using System.Linq;
using Org.BouncyCastle.Asn1.X9;
using TlsTools;
using TlsTools.Catalog;
using TlsTools.Protocol;
using Xunit;

namespace TlsTools.Core.Tests;

/// <summary>Our ClientHellos parsed back field by field.</summary>
public class ProtocolClientHelloTests
{
    private static (TlsMessage message, ClientHello hello) RoundTrip(ClientHelloOptions options)
    {
        var message = ProtocolTestData.Messages(ClientHelloBuilder.Build(options)).Single();
        Assert.Equal(TlsHandshakeType.ClientHello, message.HandshakeType);
        return (message, ClientHello.Parse(message.Body));
    }

    [Fact]
    public void Tls13Hello_CarriesEveryExtensionWeAskFor()
    {
        var options = new ClientHelloOptions
        {
            Versions = TlsProtocol.Tls12 | TlsProtocol.Tls13,
            CipherSuites = { 0x1301, 0x1302, 0xC02F },
            NamedGroups = { 0x001D, 0x0017, 0x0018 },
            ServerName = "example.test.",
            AlpnProtocols = { "h2", "http/1.1" },
        };
        var (message, hello) = RoundTrip(options);

        Assert.Equal(0x0301, message.RecordVersion);
        Assert.Equal(0x0303, hello.LegacyVersion);
        Assert.Equal(new ushort[] { 0x1301, 0x1302, 0xC02F, 0x00FF }, hello.CipherSuites.ToArray());   // SCSV appended for the 1.2 fallback
        Assert.Equal(new ushort[] { 0x0304, 0x0303 }, hello.SupportedVersions.ToArray());
        Assert.Equal(new ushort[] { 0x001D, 0x0017, 0x0018 }, hello.SupportedGroups.ToArray());
        Assert.Equal("example.test", hello.ServerName);
        Assert.Equal(new[] { "h2", "http/1.1" }, hello.AlpnProtocols.ToArray());
        Assert.Equal(ClientHelloBuilder.DefaultSignatureSchemes.ToArray(), hello.SignatureSchemes.ToArray());
        Assert.True(hello.HasExtension(TlsExtensionType.EcPointFormats));
        Assert.Equal(32, hello.SessionId.Length);
        Assert.Equal(new byte[] { 0 }, hello.CompressionMethods);

        Assert.Equal(new ushort[] { 0x001D, 0x0017 }, hello.KeyShares.Keys.ToArray());
        Assert.Equal(32, hello.KeyShares[0x001D].Length);
        var p256 = hello.KeyShares[0x0017];
        Assert.Equal(65, p256.Length);
        var point = ECNamedCurveTable.GetByName("secp256r1").Curve.DecodePoint(p256);   // throws if not on the curve
        Assert.True(point.IsValid());
    }

    [Fact]
    public void Tls13OnlyHello_HasNoScsv_AndOnlyTls13InSupportedVersions()
    {
        var (_, hello) = RoundTrip(new ClientHelloOptions { Versions = TlsProtocol.Tls13, CipherSuites = { 0x1301 }, IncludeP256KeyShare = false });
        Assert.Equal(new ushort[] { 0x1301 }, hello.CipherSuites.ToArray());
        Assert.Equal(new ushort[] { 0x0304 }, hello.SupportedVersions.ToArray());
        Assert.Equal(new ushort[] { 0x001D }, hello.KeyShares.Keys.ToArray());
    }

    [Theory]
    [InlineData(TlsProtocol.Ssl3, 0x0300, 0x0300)]
    [InlineData(TlsProtocol.Tls10, 0x0301, 0x0301)]
    [InlineData(TlsProtocol.Tls11, 0x0302, 0x0301)]
    [InlineData(TlsProtocol.Tls12, 0x0303, 0x0301)]
    [InlineData(TlsProtocol.Tls10 | TlsProtocol.Tls12, 0x0303, 0x0301)]
    public void LegacyHello_UsesClientVersionField_NotSupportedVersions(TlsProtocol versions, int clientVersion, int recordVersion)
    {
        var (message, hello) = RoundTrip(new ClientHelloOptions { Versions = versions, CipherSuites = { 0x002F } });
        Assert.Equal(clientVersion, hello.LegacyVersion);
        Assert.Equal(recordVersion, message.RecordVersion);
        Assert.Empty(hello.SupportedVersions);
        Assert.Empty(hello.KeyShares);
        Assert.Empty(hello.SessionId);
        Assert.Null(hello.ServerName);
        Assert.Equal(new ushort[] { 0x002F, 0x00FF }, hello.CipherSuites.ToArray());
    }

    [Fact]
    public void MidSizedHello_IsPaddedPast511Bytes()
    {
        // Without padding this hello is between 256 and 511 bytes: the size some F5 servers hang on.
        var options = new ClientHelloOptions { Versions = TlsProtocol.Tls12, CipherSuites = Enumerable.Range(1, 80).Select(i => (ushort)i).ToList() };
        var (message, hello) = RoundTrip(options);
        Assert.True(hello.HasExtension(TlsExtensionType.Padding));
        Assert.True(message.Body.Length + 4 >= 512, "handshake length " + (message.Body.Length + 4));
    }

    [Fact]
    public void HugeSuiteList_SpansSeveralRecords_AndReassembles()
    {
        var suites = Enumerable.Range(0x0100, 12000).Select(i => (ushort)i).ToList();
        var bytes = ClientHelloBuilder.Build(new ClientHelloOptions { Versions = TlsProtocol.Tls12, CipherSuites = suites, SignalRenegotiation = false });
        var records = 0;
        for (int offset = 0; offset < bytes.Length; records++) offset += 5 + ((bytes[offset + 3] << 8) | bytes[offset + 4]);
        Assert.Equal(2, records);
        var hello = ClientHello.Parse(ProtocolTestData.Messages(bytes).Single().Body);
        Assert.Equal(suites, hello.CipherSuites.ToList());
    }

    [Fact]
    public void ProberStyleHello_OffersEveryTls12Suite()
    {
        var suites = CipherSuiteCatalog.UsableWith(TlsProtocol.Tls12).Select(s => s.Code).ToList();
        var (_, hello) = RoundTrip(new ClientHelloOptions { Versions = TlsProtocol.Tls12, CipherSuites = suites });
        Assert.Equal(suites.Count + 1, hello.CipherSuites.Count);
        Assert.DoesNotContain(hello.CipherSuites.Take(suites.Count), c => c == 0x00FF || c == 0x5600);
    }

    [Fact]
    public void Ssl2ClientHello_HasTheSsl2Layout()
    {
        var bytes = ClientHelloBuilder.BuildSsl2ClientHello(new[] { Ssl2CipherKind.Rc4128WithMd5, Ssl2CipherKind.Des192Ede3CbcWithMd5 });
        Assert.Equal(0x80, bytes[0] & 0x80);
        Assert.Equal(bytes.Length - 2, ((bytes[0] & 0x7F) << 8) | bytes[1]);
        Assert.Equal(1, bytes[2]);                       // CLIENT-HELLO
        Assert.Equal(new byte[] { 0x00, 0x02 }, bytes.Skip(3).Take(2).ToArray());   // version 2
        Assert.Equal(6, (bytes[5] << 8) | bytes[6]);       // two 3-byte cipher specs
        Assert.Equal(0, (bytes[7] << 8) | bytes[8]);       // no session id
        Assert.Equal(16, (bytes[9] << 8) | bytes[10]);     // challenge
        Assert.Equal(new byte[] { 0x01, 0x00, 0x80, 0x07, 0x00, 0xC0 }, bytes.Skip(11).Take(6).ToArray());
        Assert.Equal(2 + 9 + 6 + 16, bytes.Length);
    }
}
