using TlsTools.Certificates;
using Xunit;

namespace TlsTools.Core.Tests;

/// <summary>The key cache: one decode per distinct key, the same key for every certificate that carries it.</summary>
public class CertificatesPublicKeysTests
{
    [Fact]
    public void TwoCertificatesWithOneKey_ShareOneDecodedKey_EqualToBouncyCastlesOwn()
    {
        var root = TestPki.Root();
        var first = TestPki.Leaf(root);
        var second = TestPki.Leaf(root, spec => spec.CommonName = "other.tlstools.test");   // same leaf key, another certificate
        var key = PublicKeys.Of(first.Bc);
        Assert.Same(key, PublicKeys.Of(second.Bc));
        Assert.Equal(first.Bc.GetPublicKey(), key);
        Assert.NotSame(key, PublicKeys.Of(root.Bc));
    }

    [Fact]
    public void RepeatedValidation_DecodesNoKeyAgain()
    {
        var root = TestPki.Root();
        var intermediate = TestPki.Intermediate(root);
        var leaf = TestPki.Leaf(intermediate);
        var trust = TrustStore.FromCertificates(new[] { root.Cert });
        var served = new[] { leaf.Cert, intermediate.Cert };
        Assert.True(ChainValidator.Validate(served, null, TestPki.Now, trust).IsValid);
        // Each RSA key decode costs milliseconds (BouncyCastle validates the modulus): a scan validates the same
        // intermediates and roots for every server. (Other tests may decode their own keys meanwhile, so the
        // count may rise, but not by these three keys on every round.)
        int before = PublicKeys.Decodes;
        for (int i = 0; i < 20; i++) Assert.True(ChainValidator.Validate(served, null, TestPki.Now, trust).IsValid);
        Assert.True(PublicKeys.Decodes - before < 20, $"{PublicKeys.Decodes - before} keys decoded again in 20 validations");
    }
}
