using System;
using System.IO;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using TlsTools.Catalog;
using TlsTools.Certificates;
using TlsTools.Diagnosis;
using Xunit;

namespace TlsTools.Core.Tests;

/// <summary>The inspection-product table, the locally-added-root rule and the order of the interception rules.</summary>
public class InterceptionCheckTests
{
    static X509Certificate2 SelfSigned(string subject)
    {
        using (var key = ECDsa.Create(ECCurve.NamedCurves.nistP256))
            return new CertificateRequest(subject, key, HashAlgorithmName.SHA256)
                .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }

    [Theory]
    [InlineData("CN=Zscaler Root CA, OU=Zscaler Inc., O=Zscaler Inc., C=US", "Zscaler")]
    [InlineData("CN=Palo Alto Forward-Trust CA, O=Contoso", "Palo Alto Networks (SSL Forward Proxy)")]
    [InlineData("CN=FortiGate CA, O=Fortinet Ltd.", "Fortinet FortiGate")]
    [InlineData("CN=Kaspersky Anti-Virus Personal Root Certificate, O=AO Kaspersky Lab", "Kaspersky")]
    [InlineData("CN=ESET SSL Filter CA, O=ESET spol. s r. o.", "ESET")]
    [InlineData("CN=Contoso TLS Inspection Root", "Generic TLS inspection")]
    [InlineData("CN=DigiCert Global Root G2, OU=www.digicert.com, O=DigiCert Inc, C=US", null)]
    [InlineData("CN=ISRG Root X1, O=Internet Security Research Group, C=US", null)]
    public void TheProductTableNamesInspectionCas(string dn, string? product) =>
        Assert.Equal(product, InspectionProductCatalog.Identify(dn));

    [Fact]
    public void ARootInAnAdministratorsAnchorDirectoryIsLocallyAddedButNotDecisive()
    {
        var root = SelfSigned("CN=Contoso Enterprise Root");
        var dir = Path.Combine(Path.GetTempPath(), "tlstools-anchors-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(dir, "contoso"));
        try
        {
            string file = Path.Combine(dir, "contoso", "root.crt");
            File.WriteAllText(file, "-----BEGIN CERTIFICATE-----\n" + Convert.ToBase64String(root.RawData, Base64FormattingOptions.InsertLineBreaks) + "\n-----END CERTIFICATE-----\n");
            File.WriteAllText(Path.Combine(dir, "README"), "not a certificate");
            var local = LocallyAddedRoots.FromDirectories(new[] { dir, "/nonexistent/anchors" });
            Assert.Equal(file, local.SourceOf(root));
            Assert.Null(local.SourceOf(SelfSigned("CN=Other")));

            var finding = InterceptionCheck.Examine(new InterceptionCheck.Input { Served = new[] { root }, LocalRoots = local });
            Assert.True(finding.Suspected);
            Assert.False(finding.Decisive);
            Assert.Contains($"a root added to this machine's trust store ({file})", finding.Evidence);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void AnUnexpectedThumbprintComesFirstAndIsDecisive()
    {
        var leaf = SelfSigned("CN=Zscaler Intermediate");
        var finding = InterceptionCheck.Examine(new InterceptionCheck.Input { Served = new[] { leaf }, ExpectedThumbprint = "00 11" });
        Assert.True(finding.Decisive);
        Assert.Contains("not the expected certificate 0011", finding.Evidence);
    }

    [Fact]
    public void AnOrdinaryChainRaisesNothing()
    {
        var leaf = SelfSigned("CN=www.example.test");
        var finding = InterceptionCheck.Examine(new InterceptionCheck.Input { Served = new[] { leaf }, ExpectedThumbprint = leaf.Thumbprint });
        Assert.False(finding.Suspected);
        Assert.Null(finding.Evidence);
    }
}
