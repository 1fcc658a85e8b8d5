using System.Linq;
using TlsTools.Catalog;
using TlsTools.Diagnosis;
using TlsTools.Handshake;
using TlsTools.Probing;
using Xunit;

namespace TlsTools.Core.Tests;

/// <summary>The one rule for weak key-exchange groups, and that Get-CipherSupport's rating and Test-TlsHandshake's verdict follow it.</summary>
public class CatalogKeyExchangeStrengthTests
{
    [Theory]
    [InlineData(512, CipherSuiteRating.Insecure)]
    [InlineData(768, CipherSuiteRating.Insecure)]
    [InlineData(1023, CipherSuiteRating.Insecure)]
    [InlineData(1024, CipherSuiteRating.Weak)]
    [InlineData(1536, CipherSuiteRating.Weak)]
    [InlineData(2047, CipherSuiteRating.Weak)]
    public void DhGroupsUnder2048BitsAreWeakAndUnder1024Insecure(int bits, CipherSuiteRating expected)
    {
        var verdict = KeyExchangeStrength.RateDhGroup(bits);
        Assert.NotNull(verdict);
        Assert.Equal(expected, verdict!.Rating);
        Assert.StartsWith($"{bits}-bit DH group", verdict.Reason);
    }

    [Theory]
    [InlineData(2048)]
    [InlineData(3072)]
    [InlineData(4096)]
    public void DhGroupsOf2048BitsOrMoreSayNothing(int bits) => Assert.Null(KeyExchangeStrength.RateDhGroup(bits));

    [Theory]
    [InlineData((ushort)0x0013, CipherSuiteRating.Insecure, "secp192r1")]
    [InlineData((ushort)0x0001, CipherSuiteRating.Insecure, "sect163k1")]
    [InlineData((ushort)0x0015, CipherSuiteRating.Weak, "secp224r1")]
    [InlineData((ushort)0x000E, CipherSuiteRating.Weak, "sect571r1")]
    public void SmallAndBinaryCurvesAreRatedByTheCurve(ushort code, CipherSuiteRating expected, string name)
    {
        var verdict = KeyExchangeStrength.RateGroup(code);
        Assert.NotNull(verdict);
        Assert.Equal(expected, verdict!.Rating);
        Assert.StartsWith(name + ":", verdict.Reason);
    }

    [Theory]
    [InlineData((ushort)0x001D)]   // x25519
    [InlineData((ushort)0x0017)]   // secp256r1
    [InlineData((ushort)0x0018)]   // secp384r1
    [InlineData((ushort)0x0019)]   // secp521r1
    [InlineData((ushort)0x001E)]   // x448
    [InlineData((ushort)0x0100)]   // ffdhe2048
    [InlineData((ushort)0x0104)]   // ffdhe8192
    [InlineData((ushort)0x11EC)]   // X25519MLKEM768
    public void ModernGroupsSayNothing(ushort code) => Assert.Null(KeyExchangeStrength.RateGroup(code));

    [Fact]
    public void FiniteFieldGroupsCarryTheirSizeInTheName()
    {
        Assert.Equal(2048, KeyExchangeStrength.FiniteFieldBits(0x0100));
        Assert.Equal(6144, KeyExchangeStrength.FiniteFieldBits(0x0103));
        Assert.Null(KeyExchangeStrength.FiniteFieldBits(0x001D));
    }

    /// <summary>Test-TlsHandshake fails exactly the DH groups that Get-CipherSupport rates down: one rule, no gap, no overlap.</summary>
    [Fact]
    public void TheHandshakeVerdictAndTheRowRatingAgreeOnEverySize()
    {
        foreach (int bits in Enumerable.Range(256, 4096 - 256 + 1))
            Assert.Equal(KeyExchangeStrength.RateDhGroup(bits) != null, KeyExchangeStrength.IsWeakDhGroup(bits));
        Assert.False(KeyExchangeStrength.IsWeakDhGroup(null));
        Assert.Equal(KeyExchangeStrength.MinimumDhBits, ClientProfile.MinimumDhBits);
    }

    [Theory]
    [InlineData(1024, true)]
    [InlineData(2047, true)]
    [InlineData(2048, false)]
    public void TheDiagnoserFiresItsDhRuleByTheSharedThreshold(int bits, bool fires)
    {
        var o = new HandshakeObservation
        {
            OfferedProtocols = TlsProtocol.Tls12,
            OfferedSuites = ClientProfile.Mainstream().CipherSuites,
            ServerName = "host.test",
            BytesSent = 517,
            BytesReceived = 2000,
            FirstBytesReceived = new byte[] { 0x16, 0x03, 0x03 },
            DhPrimeBits = bits,
            ServerSuite = 0x009F,
        };
        o.Alerts.Add(new AlertRecord(false, 2, 71, "DH group not acceptable"));
        var verdict = HandshakeDiagnoser.Diagnose(o, null, null);
        Assert.Equal(fires, (verdict.Reason ?? "").Contains($"{bits}-bit DH group"));
    }

    [Theory]
    [InlineData(TlsProtocol.Ssl2, CipherSuiteRating.Insecure, true)]
    [InlineData(TlsProtocol.Ssl3, CipherSuiteRating.Insecure, true)]
    [InlineData(TlsProtocol.Tls10, CipherSuiteRating.Deprecated, true)]
    [InlineData(TlsProtocol.Tls11, CipherSuiteRating.Deprecated, true)]
    [InlineData(TlsProtocol.Tls12, CipherSuiteRating.Secure, false)]
    [InlineData(TlsProtocol.Tls13, CipherSuiteRating.Secure, false)]
    public void EveryProtocolVersionHasARatingAndBadOnesARemedy(TlsProtocol version, CipherSuiteRating rating, bool hasRemedy)
    {
        var info = ProtocolVersions.Find(version);
        Assert.NotNull(info);
        Assert.Equal(rating, info!.Rating);
        Assert.False(string.IsNullOrEmpty(info.RatingReason));
        Assert.Equal(hasRemedy, info.Remedy != null);
        if (hasRemedy) Assert.StartsWith($"Disable {info.DisplayName} on the server", info.Remedy);
    }

    [Fact]
    public void DeprecatedSitsBetweenSecureAndWeak()
    {
        Assert.True(RatingSeverity.Of(CipherSuiteRating.Secure) < RatingSeverity.Of(CipherSuiteRating.Deprecated));
        Assert.True(RatingSeverity.Of(CipherSuiteRating.Deprecated) < RatingSeverity.Of(CipherSuiteRating.Weak));
        Assert.True(RatingSeverity.IsWorse(KeyExchangeStrength.RateDhGroup(1024), CipherSuiteRating.Recommended));
        Assert.False(RatingSeverity.IsWorse(KeyExchangeStrength.RateDhGroup(1024), CipherSuiteRating.Insecure));
    }
}
