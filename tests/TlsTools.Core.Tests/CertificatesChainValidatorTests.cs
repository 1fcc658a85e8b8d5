using System;
using System.Linq;
using System.Security.Cryptography.X509Certificates;
using TlsTools.Certificates;
using Xunit;

namespace TlsTools.Core.Tests;

public class CertificatesChainValidatorTests
{
    private static readonly TestCert Root = TestPki.Root();
    private static readonly TestCert Intermediate = TestPki.Intermediate(Root);
    private static readonly TestCert Leaf = TestPki.Leaf(Intermediate);
    private static readonly TrustStore TrustsRoot = TrustStore.FromCertificates(new[] { Root.Cert });

    private static ChainValidationResult Validate(string? host, TrustStore trust, params TestCert[] served) =>
        ChainValidator.Validate(served.Select(c => c.Cert).ToList(), host, TestPki.Now, trust);

    private static string Utc(DateTime t) => t.ToString("yyyy-MM-dd HH:mm") + " UTC";

    [Fact]
    public void GoodChain_TrustedViaPemFile_IsValidWithFullPath()
    {
        using var dir = new TempDir();
        var trust = TrustStore.Load(dir.WritePem("root.pem", Root), includeSystemRoots: false);

        var result = Validate("localhost", trust, Leaf, Intermediate);

        Assert.True(result.IsValid, result.Summary);
        Assert.Equal(FailureCategory.None, result.Category);
        Assert.Empty(result.Problems);
        Assert.Equal("", result.Summary);
        Assert.True(result.ServedInOrder);
        Assert.Empty(result.Notes);
        Assert.Equal(new[] { Leaf.Cert.Thumbprint, Intermediate.Cert.Thumbprint, Root.Cert.Thumbprint },
            result.Path.Select(c => c.Thumbprint));
    }

    [Fact]
    public void NullHostName_SkipsTheNameCheck()
    {
        var result = Validate(null, TrustsRoot, Leaf, Intermediate);

        Assert.True(result.IsValid, result.Summary);
    }

    [Fact]
    public void ExpiredLeaf_IsCertificateExpiredWithDateAndAge()
    {
        var expiredAt = TestPki.Now.AddDays(-7).AddHours(-2);
        var leaf = TestPki.Leaf(Intermediate, s => { s.NotBefore = TestPki.Now.AddDays(-100); s.NotAfter = expiredAt; });

        var result = Validate("localhost", TrustsRoot, leaf, Intermediate);

        var problem = Assert.Single(result.Problems);
        Assert.Equal(FailureCategory.CertificateExpired, problem.Category);
        Assert.Equal($"The certificate for CN=localhost expired on {Utc(expiredAt)} (7 days ago).", problem.Message);
        Assert.Equal(leaf.Cert.Thumbprint, problem.Certificate.Thumbprint);
        Assert.False(result.IsValid);
    }

    [Fact]
    public void ExpiredIntermediate_IsNamedAsTheIntermediate()
    {
        var intermediate = TestPki.Intermediate(Root, s => s.NotAfter = TestPki.Now.AddDays(-1).AddMinutes(-5));
        var leaf = TestPki.Leaf(intermediate);

        var result = Validate("localhost", TrustsRoot, leaf, intermediate);

        var problem = Assert.Single(result.Problems);
        Assert.Equal(FailureCategory.CertificateExpired, problem.Category);
        Assert.StartsWith("The intermediate certificate CN=Test Intermediate CA expired on ", problem.Message);
        Assert.EndsWith("(1 day ago).", problem.Message);
        Assert.Equal(intermediate.Cert.Thumbprint, problem.Certificate.Thumbprint);
    }

    [Fact]
    public void NotYetValidLeaf_IsCertificateNotYetValid()
    {
        var validFrom = TestPki.Now.AddDays(5).AddHours(-1);
        var leaf = TestPki.Leaf(Intermediate, s => s.NotBefore = validFrom);

        var result = Validate("localhost", TrustsRoot, leaf, Intermediate);

        var problem = Assert.Single(result.Problems);
        Assert.Equal(FailureCategory.CertificateNotYetValid, problem.Category);
        Assert.StartsWith($"The certificate for CN=localhost is not valid until {Utc(validFrom)} (in 5 days)", problem.Message);
    }

    [Fact]
    public void WrongHost_IsNameMismatchListingTheNames()
    {
        var result = Validate("wronghost.test", TrustsRoot, Leaf, Intermediate);

        var problem = Assert.Single(result.Problems);
        Assert.Equal(FailureCategory.NameMismatch, problem.Category);
        Assert.Equal("The certificate names localhost, www.example.test, 127.0.0.1 but not wronghost.test.", problem.Message);
    }

    [Theory]
    [InlineData("www.example.test", true)]
    [InlineData("API.Example.Test.", true)]
    [InlineData("a.b.example.test", false)]
    [InlineData("example.test", false)]
    public void WildcardLeaf_MatchesOneLabelOnly(string host, bool valid)
    {
        var leaf = TestPki.Leaf(Intermediate, s => { s.CommonName = "*.example.test"; s.DnsNames = new[] { "*.example.test" }; s.IpAddresses = new string[0]; });

        var result = Validate(host, TrustsRoot, leaf, Intermediate);

        Assert.Equal(valid, result.IsValid);
        if (!valid) Assert.Equal(FailureCategory.NameMismatch, Assert.Single(result.Problems).Category);
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("127.0.0.2", false)]
    public void IpLiteralHost_IsMatchedAgainstIpSans(string host, bool valid)
    {
        var result = Validate(host, TrustsRoot, Leaf, Intermediate);

        Assert.Equal(valid, result.IsValid);
    }

    [Fact]
    public void SelfSignedLeaf_IsSelfSigned()
    {
        var selfSigned = TestPki.SelfSigned(new CertSpec { CommonName = "selfie.test", Key = TestPki.LeafKey, DnsNames = new[] { "selfie.test" } });

        var result = Validate("selfie.test", TrustsRoot, selfSigned);

        var problem = Assert.Single(result.Problems);
        Assert.Equal(FailureCategory.SelfSigned, problem.Category);
        Assert.Equal("The certificate is self-signed (CN=selfie.test) and not trusted.", problem.Message);
        Assert.Single(result.Path);
    }

    [Fact]
    public void SelfSignedLeaf_ThatIsATrustAnchor_IsValid()
    {
        var selfSigned = TestPki.SelfSigned(new CertSpec { CommonName = "pinned.test", Key = TestPki.LeafKey, DnsNames = new[] { "pinned.test" } });

        var result = Validate("pinned.test", TrustStore.FromCertificates(new[] { selfSigned.Cert }), selfSigned);

        Assert.True(result.IsValid, result.Summary);
    }

    [Fact]
    public void FullChainServed_RootNotTrusted_IsUntrustedRoot()
    {
        var otherRoot = TestPki.Root("Other Root", TestPki.OtherKey);

        var result = Validate("localhost", TrustStore.FromCertificates(new[] { otherRoot.Cert }), Leaf, Intermediate, Root);

        var problem = Assert.Single(result.Problems);
        Assert.Equal(FailureCategory.UntrustedRoot, problem.Category);
        Assert.Equal("The chain ends at 'CN=Test Root' which is not in the trusted root store.", problem.Message);
        Assert.Equal(Root.Cert.Thumbprint, problem.Certificate.Thumbprint);
        Assert.Equal(3, result.Path.Count);
    }

    [Fact]
    public void IntermediateServed_ItsCaUnknown_IsUntrustedRoot()
    {
        var result = Validate("localhost", TrustStore.FromCertificates(new X509Certificate2[0]), Leaf, Intermediate);

        var problem = Assert.Single(result.Problems);
        Assert.Equal(FailureCategory.UntrustedRoot, problem.Category);
        Assert.Equal("The chain ends at 'CN=Test Intermediate CA', whose issuer 'CN=Test Root' was not sent and is not a trusted root.", problem.Message);
    }

    [Fact]
    public void LeafOnly_IsIncompleteChain()
    {
        var result = Validate("localhost", TrustsRoot, Leaf);

        var problem = Assert.Single(result.Problems);
        Assert.Equal(FailureCategory.IncompleteChain, problem.Category);
        Assert.Equal("The server sent only the leaf certificate; its issuer 'CN=Test Intermediate CA' was not sent and is not a trusted root.", problem.Message);
        Assert.Single(result.Path);
    }

    [Fact]
    public void IntermediateWithTheRightNameButAnotherKey_IsNotTakenAsIssuer()
    {
        // Same DN as the real intermediate, different key: the leaf's signature does not verify with it.
        var impostor = TestPki.Intermediate(Root, s => s.Key = TestPki.OtherKey);

        var result = Validate("localhost", TrustsRoot, Leaf, impostor);

        Assert.Equal(FailureCategory.IncompleteChain, result.Category);
        Assert.StartsWith("The server did not send the issuer of the leaf certificate: 'CN=Test Intermediate CA'", result.Summary);
        Assert.Contains(result.Notes, n => n.Contains("not part of the certification path"));
    }

    [Fact]
    public void WrongOrder_IsValidButNotServedInOrder()
    {
        var result = Validate("localhost", TrustsRoot, Leaf, Root, Intermediate);

        Assert.True(result.IsValid, result.Summary);
        Assert.False(result.ServedInOrder);
        Assert.Equal(new[] { Leaf.Cert.Thumbprint, Intermediate.Cert.Thumbprint, Root.Cert.Thumbprint },
            result.Path.Select(c => c.Thumbprint));
        var note = Assert.Single(result.Notes);
        Assert.StartsWith("The server sent the chain out of order (CN=localhost | CN=Test Root | CN=Test Intermediate CA)", note);
    }

    [Fact]
    public void RootServedAfterIntermediate_IsInOrder()
    {
        var result = Validate("localhost", TrustsRoot, Leaf, Intermediate, Root);

        Assert.True(result.IsValid, result.Summary);
        Assert.True(result.ServedInOrder);
        Assert.Empty(result.Notes);
    }

    [Fact]
    public void Rsa1024Leaf_IsWeakKeyExchange()
    {
        var leaf = TestPki.Leaf(Intermediate, s => s.Key = TestPki.Rsa1024Key);

        var result = Validate("localhost", TrustsRoot, leaf, Intermediate);

        var problem = Assert.Single(result.Problems);
        Assert.Equal(FailureCategory.WeakKeyExchange, problem.Category);
        Assert.StartsWith("The certificate for CN=localhost has a 1024-bit RSA key;", problem.Message);
    }

    [Fact]
    public void SeveralProblems_AreOrderedMostDecisiveFirst()
    {
        var leaf = TestPki.Leaf(Intermediate, s => { s.Key = TestPki.Rsa1024Key; s.NotAfter = TestPki.Now.AddDays(-3); });

        var result = Validate("wronghost.test", TrustsRoot, leaf);

        Assert.Equal(
            new[] { FailureCategory.IncompleteChain, FailureCategory.CertificateExpired, FailureCategory.NameMismatch, FailureCategory.WeakKeyExchange },
            result.Problems.Select(p => p.Category));
        Assert.Equal(string.Join("; ", result.Problems.Select(p => p.Message)), result.Summary);
        Assert.Equal(FailureCategory.IncompleteChain, result.Category);
    }

    [Fact]
    public void Sha1SignedLeaf_IsRejectedAsClientsDo()
    {
        var leaf = TestPki.Leaf(Intermediate, s => s.SignatureAlgorithm = "SHA1WITHRSA");

        var result = Validate("localhost", TrustsRoot, leaf, Intermediate);

        Assert.False(result.IsValid);
        var problem = Assert.Single(result.Problems);
        Assert.Equal(FailureCategory.WeakKeyExchange, problem.Category);
        Assert.Equal("The certificate for CN=localhost is signed with sha1WithRSAEncryption; clients reject SHA-1 and MD5 signatures on certificates other than roots.", problem.Message);
        Assert.Empty(result.Notes);
    }

    [Fact]
    public void EmptyChain_IsRejected()
    {
        Assert.Throws<ArgumentException>(() => ChainValidator.Validate(new X509Certificate2[0], "localhost", TestPki.Now, TrustsRoot));
    }
}
