using System.Linq;
using TlsTools.Certificates;
using Xunit;

namespace TlsTools.Core.Tests;

public class CertificatesTrustStoreTests
{
    private static readonly TestCert Root = TestPki.Root();
    private static readonly TestCert OtherRoot = TestPki.Root("Other Root", TestPki.OtherKey);
    private static readonly TestCert Intermediate = TestPki.Intermediate(Root);
    private static readonly TestCert Leaf = TestPki.Leaf(Intermediate);

    private static ChainValidationResult ValidateWith(TrustStore trust) =>
        ChainValidator.Validate(new[] { Leaf.Cert, Intermediate.Cert }, "localhost", TestPki.Now, trust);

    [Fact]
    public void PemWithTwoCertificates_LoadsBoth_AndTrustsEither()
    {
        using var dir = new TempDir();
        // CRLF line ends and text between blocks, as `openssl x509 -text` and Windows editors write them.
        var pem = ("subject=CN = Other Root\n" + OtherRoot.Pem + "\nsubject=CN = Test Root\n" + Root.Pem).Replace("\n", "\r\n");
        var trust = TrustStore.Load(dir.Write("bundle.pem", pem), includeSystemRoots: false);

        Assert.Equal(new[] { OtherRoot.Cert.Thumbprint, Root.Cert.Thumbprint }, trust.FileRoots.Select(c => c.Thumbprint));
        Assert.True(ValidateWith(trust).IsValid);
    }

    [Fact]
    public void DerFile_LoadsOneCertificate()
    {
        using var dir = new TempDir();
        var trust = TrustStore.Load(dir.Write("root.cer", Root.Der), includeSystemRoots: false);

        Assert.Equal(Root.Cert.Thumbprint, Assert.Single(trust.FileRoots).Thumbprint);
        Assert.True(ValidateWith(trust).IsValid);
    }

    [Fact]
    public void GarbageFile_ThrowsTrustStoreException_InvalidContent()
    {
        using var dir = new TempDir();
        var path = dir.Write("garbage.pem", new byte[] { 0x30, 0x82, 0x01, 0x00, 0xde, 0xad, 0xbe, 0xef });

        var e = Assert.Throws<TrustStoreException>(() => TrustStore.Load(path));

        Assert.Equal(TrustStoreError.InvalidContent, e.Error);
        Assert.Equal(path, e.Path);
        Assert.Equal($"The trusted root file '{path}' is neither a PEM file with CERTIFICATE blocks nor a DER-encoded X.509 certificate.", e.Message);
    }

    [Fact]
    public void PemWithoutCertificateBlocks_SaysWhatItFound()
    {
        using var dir = new TempDir();
        var path = dir.Write("key.pem", "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n");

        var e = Assert.Throws<TrustStoreException>(() => TrustStore.Load(path));

        Assert.Equal(TrustStoreError.InvalidContent, e.Error);
        Assert.Contains("contains no CERTIFICATE block (only PRIVATE KEY)", e.Message);
    }

    [Fact]
    public void PemWithCorruptCertificateBlock_NamesTheBlock()
    {
        using var dir = new TempDir();
        var path = dir.Write("bad.pem", Root.Pem + "-----BEGIN CERTIFICATE-----\nTUlJQg==\n-----END CERTIFICATE-----\n");

        var e = Assert.Throws<TrustStoreException>(() => TrustStore.Load(path));

        Assert.Contains("Certificate block 2", e.Message);
    }

    [Fact]
    public void MissingFile_ThrowsTrustStoreException_FileNotFound()
    {
        using var dir = new TempDir();
        var path = System.IO.Path.Combine(dir.Path, "nope.pem");

        var e = Assert.Throws<TrustStoreException>(() => TrustStore.Load(path));

        Assert.Equal(TrustStoreError.FileNotFound, e.Error);
        Assert.Equal($"The trusted root file '{path}' does not exist.", e.Message);
    }

    [Fact]
    public void NoFile_WithSystemRoots_DoesNotTrustTheTestRoot()
    {
        var trust = TrustStore.Load(null);

        Assert.True(trust.IncludesSystemRoots);
        Assert.Empty(trust.FileRoots);
        Assert.Equal(FailureCategory.UntrustedRoot, ValidateWith(trust).Category);
    }

    [Fact]
    public void FileAndSystemRoots_TogetherTrustTheFileRoot()
    {
        using var dir = new TempDir();
        var trust = TrustStore.Load(dir.WritePem("root.pem", Root), includeSystemRoots: true);

        Assert.True(ValidateWith(trust).IsValid);
    }
}
