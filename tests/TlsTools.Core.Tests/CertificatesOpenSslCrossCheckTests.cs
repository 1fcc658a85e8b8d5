using System.Diagnostics;
using System.Linq;
using TlsTools.Certificates;
using Xunit;

namespace TlsTools.Core.Tests;

/// <summary>
/// Our verdicts agree with `openssl verify`, a validator nobody here wrote. The certificates are generated
/// relative to the real clock because openssl verify checks against it.
/// </summary>
public class CertificatesOpenSslCrossCheckTests
{
    private static readonly TestCert Root = TestPki.Root();
    private static readonly TestCert Intermediate = TestPki.Intermediate(Root);

    private static (int ExitCode, string Output) OpenSslVerify(string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo("openssl") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("verify");
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new System.InvalidOperationException("openssl did not start");
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output);
    }

    private static ChainValidationResult Ours(TrustStore trust, params TestCert[] served) =>
        ChainValidator.Validate(served.Select(c => c.Cert).ToList(), "localhost", System.DateTime.UtcNow, trust);

    [Fact]
    public void GoodChain_BothSayOk()
    {
        using var dir = new TempDir();
        var leaf = TestPki.Leaf(Intermediate);
        var rootFile = dir.WritePem("root.pem", Root);
        dir.WritePem("int.pem", Intermediate);
        dir.WritePem("leaf.pem", leaf);

        var openssl = OpenSslVerify(dir.Path, "-CAfile", "root.pem", "-untrusted", "int.pem", "leaf.pem");

        Assert.Equal(0, openssl.ExitCode);
        Assert.Contains("leaf.pem: OK", openssl.Output);
        Assert.True(Ours(TrustStore.Load(rootFile, false), leaf, Intermediate).IsValid);
    }

    [Fact]
    public void ExpiredLeaf_OpenSslError10_OursCertificateExpired()
    {
        using var dir = new TempDir();
        var leaf = TestPki.Leaf(Intermediate, s => s.NotAfter = TestPki.Now.AddDays(-2));
        var rootFile = dir.WritePem("root.pem", Root);
        dir.WritePem("int.pem", Intermediate);
        dir.WritePem("leaf.pem", leaf);

        var openssl = OpenSslVerify(dir.Path, "-CAfile", "root.pem", "-untrusted", "int.pem", "leaf.pem");

        Assert.Contains("error 10 at 0 depth", openssl.Output);
        Assert.Equal(FailureCategory.CertificateExpired, Ours(TrustStore.Load(rootFile, false), leaf, Intermediate).Category);
    }

    [Fact]
    public void LeafOnly_OpenSslError20_OursIncompleteChain()
    {
        using var dir = new TempDir();
        var leaf = TestPki.Leaf(Intermediate);
        var rootFile = dir.WritePem("root.pem", Root);
        dir.WritePem("leaf.pem", leaf);

        var openssl = OpenSslVerify(dir.Path, "-CAfile", "root.pem", "leaf.pem");

        Assert.Contains("error 20 at 0 depth", openssl.Output);
        Assert.Equal(FailureCategory.IncompleteChain, Ours(TrustStore.Load(rootFile, false), leaf).Category);
    }

    [Fact]
    public void RootServedButNotTrusted_OpenSslError19_OursUntrustedRoot()
    {
        using var dir = new TempDir();
        var leaf = TestPki.Leaf(Intermediate);
        var otherRootFile = dir.WritePem("other-root.pem", TestPki.Root("Other Root", TestPki.OtherKey));
        dir.WritePem("served-chain.pem", Intermediate, Root);
        dir.WritePem("leaf.pem", leaf);

        var openssl = OpenSslVerify(dir.Path, "-CAfile", "other-root.pem", "-untrusted", "served-chain.pem", "leaf.pem");

        Assert.Contains("error 19 at 2 depth", openssl.Output);   // self-signed certificate in certificate chain
        Assert.Equal(FailureCategory.UntrustedRoot, Ours(TrustStore.Load(otherRootFile, false), leaf, Intermediate, Root).Category);
    }

    [Fact]
    public void SelfSignedLeaf_OpenSslError18_OursSelfSigned()
    {
        using var dir = new TempDir();
        var selfSigned = TestPki.SelfSigned(new CertSpec { CommonName = "localhost", Key = TestPki.LeafKey, DnsNames = new[] { "localhost" } });
        var rootFile = dir.WritePem("root.pem", Root);
        dir.WritePem("self.pem", selfSigned);

        var openssl = OpenSslVerify(dir.Path, "-CAfile", "root.pem", "self.pem");

        Assert.Contains("error 18 at 0 depth", openssl.Output);   // self-signed certificate
        Assert.Equal(FailureCategory.SelfSigned, Ours(TrustStore.Load(rootFile, false), selfSigned).Category);
    }
}
