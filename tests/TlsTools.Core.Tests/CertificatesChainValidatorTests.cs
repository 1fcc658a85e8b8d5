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
        Assert.Null(result.FindingsText);
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
        Assert.Contains(result.Findings, f => f.Problem == ChainProblem.UnneededCertificate && f.Message.Contains("not part of the certification path"));
    }

    [Fact]
    public void WrongOrder_IsValidButListedAsAFindingThatDoesNotFail()
    {
        var result = Validate("localhost", TrustsRoot, Leaf, Root, Intermediate);

        Assert.True(result.IsValid, result.Summary);
        Assert.Equal(new[] { Leaf.Cert.Thumbprint, Intermediate.Cert.Thumbprint, Root.Cert.Thumbprint },
            result.Path.Select(c => c.Thumbprint));
        var order = Assert.Single(result.Findings, f => f.Problem == ChainProblem.WrongOrder);
        Assert.False(order.IsFatal);
        Assert.StartsWith("The chain was sent out of order (CN=localhost | CN=Test Root | CN=Test Intermediate CA)", order.Message);
        Assert.Contains("WrongOrder: The chain was sent out of order", result.FindingsText);
    }

    [Fact]
    public void RootServedAfterIntermediate_IsInOrder()
    {
        var result = Validate("localhost", TrustsRoot, Leaf, Intermediate, Root);

        Assert.True(result.IsValid, result.Summary);
        Assert.DoesNotContain(result.Findings, f => f.Problem == ChainProblem.WrongOrder);
        Assert.Equal(ChainProblem.UnneededCertificate, Assert.Single(result.Findings).Problem);
    }

    [Fact]
    public void Rsa1024Leaf_IsWeakCertificateKey()
    {
        var leaf = TestPki.Leaf(Intermediate, s => s.Key = TestPki.Rsa1024Key);

        var result = Validate("localhost", TrustsRoot, leaf, Intermediate);

        var problem = Assert.Single(result.Problems);
        Assert.Equal(FailureCategory.WeakCertificateKey, problem.Category);
        Assert.Equal(ChainProblem.WeakKey, problem.Problem);
        Assert.StartsWith("The certificate for CN=localhost has a 1024-bit RSA key;", problem.Message);
    }

    [Fact]
    public void SeveralProblems_AreOrderedMostDecisiveFirst()
    {
        var leaf = TestPki.Leaf(Intermediate, s => { s.Key = TestPki.Rsa1024Key; s.NotAfter = TestPki.Now.AddDays(-3); });

        var result = Validate("wronghost.test", TrustsRoot, leaf);

        Assert.Equal(
            new[] { FailureCategory.IncompleteChain, FailureCategory.CertificateExpired, FailureCategory.NameMismatch, FailureCategory.WeakCertificateKey },
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
        Assert.Equal(FailureCategory.WeakSignature, problem.Category);
        Assert.StartsWith("The certificate for CN=localhost is signed with ", problem.Message);
        Assert.Contains("SHA-1", problem.Message);
    }

    [Fact]
    public void LeafWithoutSan_IsNameMismatch_SayingOnlyOpenSslFallsBackToTheCn()
    {
        var leaf = TestPki.Leaf(Intermediate, s => { s.DnsNames = Array.Empty<string>(); s.IpAddresses = Array.Empty<string>(); });

        var result = Validate("localhost", TrustsRoot, leaf, Intermediate);

        var problem = Assert.Single(result.Problems);
        Assert.Equal(FailureCategory.NameMismatch, problem.Category);
        Assert.Equal(ChainProblem.NoSubjectAlternativeName, problem.Problem);
        Assert.Contains("only OpenSSL-based clients (curl, wget) fall back to the CN", problem.Message);
        Assert.Contains("subjectAltName", problem.Remedy);
    }

    [Fact]
    public void IssuerThatIsNotACa_IsUntrustedRootWithItsOwnRemedy()
    {
        var notACa = TestPki.Intermediate(Root, s => s.IsCa = false);
        var leaf = TestPki.Leaf(notACa);

        var result = Validate("localhost", TrustsRoot, leaf, notACa);

        var problem = Assert.Single(result.Problems);
        Assert.Equal(FailureCategory.UntrustedRoot, problem.Category);
        Assert.Equal(ChainProblem.NotACa, problem.Problem);
        Assert.Contains("CA:TRUE", problem.Remedy);
    }

    [Fact]
    public void ExpiringSoon_IsListedButDoesNotFail()
    {
        var leaf = TestPki.Leaf(Intermediate, s => s.NotAfter = TestPki.Now.AddDays(10));

        var result = Validate("localhost", TrustsRoot, leaf, Intermediate);

        Assert.True(result.IsValid, result.Summary);
        Assert.Equal(ChainProblem.ExpiresSoon, Assert.Single(result.Findings).Problem);
        Assert.StartsWith("ExpiresSoon: ", result.FindingsText);
    }

    [Fact]
    public void EveryProblemBrowsersRefuse_HasACategory_AndNoOtherDoes()
    {
        foreach (ChainProblem problem in Enum.GetValues(typeof(ChainProblem)))
            Assert.True(ChainProblemSeverity.IsFatal(problem) == ChainValidator.CategoryOf(problem).HasValue, problem.ToString());
        Assert.Equal(FailureCategory.CertificateRevoked, ChainValidator.CategoryOf(ChainProblem.Revoked));
        Assert.Equal(FailureCategory.WeakSignature, ChainValidator.CategoryOf(ChainProblem.WeakSignature));
        Assert.Equal(FailureCategory.WeakCertificateKey, ChainValidator.CategoryOf(ChainProblem.WeakKey));
        Assert.Null(ChainValidator.CategoryOf(ChainProblem.ValidityTooLong));
    }

    [Fact]
    public void EmptyChain_IsRejected()
    {
        Assert.Throws<ArgumentException>(() => ChainValidator.Validate(new X509Certificate2[0], "localhost", TestPki.Now, TrustsRoot));
    }
}
