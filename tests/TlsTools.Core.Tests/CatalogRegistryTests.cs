using System.IO;
using System.Linq;
using TlsTools;
using TlsTools.Catalog;
using Xunit;

namespace TlsTools.Core.Tests;

public class CatalogRegistryTests
{
    [Fact]
    public void Csv_QuotedCommasAndLineBreaks_StayInsideTheirField()
    {
        var text = "Value,Description,Ref\n\"0x00,0x47-4F\",\"Reserved to avoid\nconflicts\",[x]\n\"0xC0,0x2F\",TLS_X,\"a \"\"q\"\"\"\n";
        var records = RegistryCsv.ReadRecords(new StringReader(text)).ToList();
        Assert.Equal(3, records.Count);
        Assert.Equal("Reserved to avoid\nconflicts", records[1][1]);
        Assert.Equal("0xC0,0x2F", records[2][0]);
        Assert.Equal("a \"q\"", records[2][2]);
    }

    [Theory]
    [InlineData("\"0xC0,0x2F\"", true, 0xC02F)]
    [InlineData("0xC0,0x2F", true, 0xC02F)]
    [InlineData("0x0804", true, 0x0804)]
    [InlineData("29", true, 29)]
    [InlineData("0x00,0x47-4F", false, 0)]
    [InlineData("0x01-09,*", false, 0)]
    [InlineData("42-255", false, 0)]
    public void RegistryCode_ParsesEachRegistrysNotation(string text, bool ok, int code)
    {
        Assert.Equal(ok, RegistryCsv.TryParseCode(text.Trim('"'), out var parsed));
        Assert.Equal((ushort)code, parsed);
    }

    [Fact]
    public void NamedGroups_LookupBothWays()
    {
        Assert.Equal("x25519", NamedGroupCatalog.NameOf(0x001D));
        Assert.Equal("secp256r1", NamedGroupCatalog.NameOf(23));
        var ffdhe2048 = NamedGroupCatalog.Find("FFDHE2048");
        Assert.NotNull(ffdhe2048);
        Assert.Equal(0x0100, ffdhe2048.Code);
        var lowerCase = NamedGroupCatalog.Find("ffdhe2048");
        Assert.NotNull(lowerCase);
        Assert.True(lowerCase.IsFiniteField);
        var hybrid = NamedGroupCatalog.Find("X25519MLKEM768");
        Assert.NotNull(hybrid);
        Assert.Equal(0x11EC, hybrid.Code);
        Assert.Equal("0x0A0A (unknown)", NamedGroupCatalog.NameOf(0x0A0A));
        Assert.DoesNotContain(NamedGroupCatalog.All, g => g.Name.StartsWith("Reserved") || g.Name.StartsWith("Unassigned"));
        Assert.InRange(NamedGroupCatalog.All.Count, 50, 70);
    }

    [Fact]
    public void SignatureSchemes_LookupBothWays()
    {
        Assert.Equal("rsa_pss_rsae_sha256", SignatureSchemeCatalog.NameOf(0x0804));
        var ecdsa = SignatureSchemeCatalog.Find("ECDSA_SECP256R1_SHA256");
        Assert.NotNull(ecdsa);
        Assert.Equal(0x0403, ecdsa.Code);
        var ed25519 = SignatureSchemeCatalog.Find("ed25519");
        Assert.NotNull(ed25519);
        Assert.True(ed25519.IanaRecommended);
        var sha1 = SignatureSchemeCatalog.Find("rsa_pkcs1_sha1");
        Assert.NotNull(sha1);
        Assert.False(sha1.IanaRecommended);
        Assert.Equal("0x0202 (unknown)", SignatureSchemeCatalog.NameOf(0x0202));   // "Reserved for backward compatibility"
        Assert.InRange(SignatureSchemeCatalog.All.Count, 30, 45);
    }

    [Fact]
    public void Alerts_DescribeLevelNameAndCode()
    {
        Assert.Equal("fatal handshake_failure (40)", AlertCatalog.Describe(2, 40));
        Assert.Equal("warning close_notify (0)", AlertCatalog.Describe(1, 0));
        Assert.Equal("fatal protocol_version (70)", AlertCatalog.Describe(2, 70));
        Assert.Equal("fatal unknown_alert_99 (99)", AlertCatalog.Describe(2, 99));
        Assert.Contains("SNI", AlertCatalog.MeaningOf(112));
        Assert.All(AlertCatalog.All, a => Assert.False(string.IsNullOrWhiteSpace(a.Meaning)));
    }

    [Theory]
    [InlineData((ushort)0x0300, TlsProtocol.Ssl3, "SSLv3")]
    [InlineData((ushort)0x0301, TlsProtocol.Tls10, "TLS 1.0")]
    [InlineData((ushort)0x0303, TlsProtocol.Tls12, "TLS 1.2")]
    [InlineData((ushort)0x0304, TlsProtocol.Tls13, "TLS 1.3")]
    [InlineData((ushort)0x0002, TlsProtocol.Ssl2, "SSLv2")]
    public void ProtocolVersions_MapWireFlagAndName(ushort wire, TlsProtocol protocol, string name)
    {
        Assert.Equal(protocol, ProtocolVersions.FromWire(wire));
        Assert.Equal(wire, ProtocolVersions.ToWire(protocol));
        Assert.Equal(name, ProtocolVersions.DisplayName(protocol));
        Assert.Equal(name, ProtocolVersions.DisplayNameOfWire(wire));
    }

    [Fact]
    public void ProtocolVersions_UnknownAndSets()
    {
        Assert.Equal(TlsProtocol.None, ProtocolVersions.FromWire(0x7F1C));
        Assert.Equal("0x7F1C (unknown)", ProtocolVersions.DisplayNameOfWire(0x7F1C));
        Assert.Equal("TLS 1.2, TLS 1.3", ProtocolVersions.DisplayName(TlsProtocol.Tls12 | TlsProtocol.Tls13));
        Assert.Equal(new[] { TlsProtocol.Tls10, TlsProtocol.Tls13 }, ProtocolVersions.Split(TlsProtocol.Tls13 | TlsProtocol.Tls10));
    }
}
