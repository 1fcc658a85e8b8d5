using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;
using Org.BouncyCastle.X509.Extension;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace TlsTools.Core.Tests;

/// <summary>What one test certificate should look like. Defaults: valid from 30 days ago for a year, SHA-256.</summary>
internal sealed class CertSpec
{
    public required string CommonName { get; set; }
    public required AsymmetricCipherKeyPair Key { get; set; }
    public bool IsCa { get; set; }
    public DateTime NotBefore { get; set; } = TestPki.Now.AddDays(-30);
    public DateTime NotAfter { get; set; } = TestPki.Now.AddDays(365);
    public string[] DnsNames { get; set; } = Array.Empty<string>();
    public string[] IpAddresses { get; set; } = Array.Empty<string>();
    public string SignatureAlgorithm { get; set; } = "SHA256WITHRSA";
}

/// <summary>A generated certificate with its key, as BouncyCastle and .NET objects and as PEM/DER.</summary>
internal sealed class TestCert
{
    public TestCert(BcCertificate bc, AsymmetricCipherKeyPair key)
    {
        Bc = bc;
        Key = key;
        Cert = X509CertificateLoader.LoadCertificate(bc.GetEncoded());
    }

    public BcCertificate Bc { get; }
    public AsymmetricCipherKeyPair Key { get; }
    public X509Certificate2 Cert { get; }
    public byte[] Der => Bc.GetEncoded();

    public string Pem
    {
        get
        {
            var base64 = Convert.ToBase64String(Der);
            var lines = Enumerable.Range(0, (base64.Length + 63) / 64)
                .Select(i => base64.Substring(i * 64, Math.Min(64, base64.Length - i * 64)));
            return "-----BEGIN CERTIFICATE-----\n" + string.Join("\n", lines) + "\n-----END CERTIFICATE-----\n";
        }
    }
}

/// <summary>
/// A small PKI made with BouncyCastle: keys are generated once per test run (RSA generation is the slow
/// part), certificates per test, so each test states exactly the dates and names it is about.
/// </summary>
internal static class TestPki
{
    /// <summary>Real "now" (minute precision), so that openssl verify, which uses the real clock, agrees.</summary>
    public static readonly DateTime Now = TruncateToMinute(DateTime.UtcNow);

    private static readonly SecureRandom Random = new SecureRandom();
    private static readonly Lazy<AsymmetricCipherKeyPair> RootKeyPair = new Lazy<AsymmetricCipherKeyPair>(() => NewRsaKey(2048));
    private static readonly Lazy<AsymmetricCipherKeyPair> IntermediateKeyPair = new Lazy<AsymmetricCipherKeyPair>(() => NewRsaKey(2048));
    private static readonly Lazy<AsymmetricCipherKeyPair> LeafKeyPair = new Lazy<AsymmetricCipherKeyPair>(() => NewRsaKey(2048));
    private static readonly Lazy<AsymmetricCipherKeyPair> OtherKeyPair = new Lazy<AsymmetricCipherKeyPair>(() => NewRsaKey(2048));
    private static readonly Lazy<AsymmetricCipherKeyPair> WeakKeyPair = new Lazy<AsymmetricCipherKeyPair>(() => NewRsaKey(1024));

    public static AsymmetricCipherKeyPair RootKey => RootKeyPair.Value;
    public static AsymmetricCipherKeyPair IntermediateKey => IntermediateKeyPair.Value;
    public static AsymmetricCipherKeyPair LeafKey => LeafKeyPair.Value;
    /// <summary>For a second, unrelated CA (or a forged one with a borrowed name).</summary>
    public static AsymmetricCipherKeyPair OtherKey => OtherKeyPair.Value;
    public static AsymmetricCipherKeyPair Rsa1024Key => WeakKeyPair.Value;

    public const string RootName = "Test Root";
    public const string IntermediateName = "Test Intermediate CA";

    public static TestCert Root(string commonName = RootName, AsymmetricCipherKeyPair? key = null) =>
        SelfSigned(new CertSpec { CommonName = commonName, Key = key ?? RootKey, IsCa = true });

    public static TestCert Intermediate(TestCert root, Action<CertSpec>? adjust = null) =>
        Issue(root, Spec(new CertSpec { CommonName = IntermediateName, Key = IntermediateKey, IsCa = true }, adjust));

    /// <summary>CN=localhost for localhost, www.example.test and 127.0.0.1, unless adjusted.</summary>
    public static TestCert Leaf(TestCert issuer, Action<CertSpec>? adjust = null) =>
        Issue(issuer, Spec(new CertSpec
        {
            CommonName = "localhost",
            Key = LeafKey,
            DnsNames = new[] { "localhost", "www.example.test" },
            IpAddresses = new[] { "127.0.0.1" },
        }, adjust));

    public static TestCert SelfSigned(CertSpec spec) => Build(spec, spec.CommonName, spec.Key);

    public static TestCert Issue(TestCert issuer, CertSpec spec)
    {
        var issuerName = issuer.Bc.SubjectDN.GetValueList(X509Name.CN).Single();
        return Build(spec, issuerName, issuer.Key);
    }

    public static AsymmetricCipherKeyPair NewRsaKey(int bits)
    {
        var generator = new RsaKeyPairGenerator();
        generator.Init(new KeyGenerationParameters(Random, bits));
        return generator.GenerateKeyPair();
    }

    private static CertSpec Spec(CertSpec spec, Action<CertSpec>? adjust)
    {
        adjust?.Invoke(spec);
        return spec;
    }

    private static TestCert Build(CertSpec spec, string issuerCommonName, AsymmetricCipherKeyPair signingKey)
    {
        var generator = new X509V3CertificateGenerator();
        generator.SetSerialNumber(new BigInteger(64, Random).Add(BigInteger.One));
        generator.SetSubjectDN(new X509Name("CN=" + spec.CommonName));
        generator.SetIssuerDN(new X509Name("CN=" + issuerCommonName));
        generator.SetNotBefore(spec.NotBefore);
        generator.SetNotAfter(spec.NotAfter);
        generator.SetPublicKey(spec.Key.Public);
        generator.AddExtension(X509Extensions.BasicConstraints, true, new BasicConstraints(spec.IsCa));
        generator.AddExtension(X509Extensions.KeyUsage, true, new KeyUsage(spec.IsCa
            ? KeyUsage.KeyCertSign | KeyUsage.CrlSign
            : KeyUsage.DigitalSignature | KeyUsage.KeyEncipherment));
        generator.AddExtension(X509Extensions.SubjectKeyIdentifier, false,
            X509ExtensionUtilities.CreateSubjectKeyIdentifier(spec.Key.Public));
        generator.AddExtension(X509Extensions.AuthorityKeyIdentifier, false,
            X509ExtensionUtilities.CreateAuthorityKeyIdentifier(signingKey.Public));
        var altNames = spec.DnsNames.Select(n => new GeneralName(GeneralName.DnsName, n))
            .Concat(spec.IpAddresses.Select(ip => new GeneralName(GeneralName.IPAddress, ip)))
            .ToArray();
        if (altNames.Length > 0)
            generator.AddExtension(X509Extensions.SubjectAlternativeName, false, new GeneralNames(altNames));

        var certificate = generator.Generate(new Asn1SignatureFactory(spec.SignatureAlgorithm, signingKey.Private, Random));
        return new TestCert(certificate, spec.Key);
    }

    private static DateTime TruncateToMinute(DateTime t) =>
        new DateTime(t.Ticks - t.Ticks % TimeSpan.TicksPerMinute, DateTimeKind.Utc);
}

/// <summary>A temporary directory for PEM/DER files, deleted afterwards.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "tlstools-certs-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Write(string name, string text) => Write(name, Encoding.ASCII.GetBytes(text));

    public string Write(string name, byte[] bytes)
    {
        var file = System.IO.Path.Combine(Path, name);
        File.WriteAllBytes(file, bytes);
        return file;
    }

    public string WritePem(string name, params TestCert[] certificates) =>
        Write(name, string.Concat(certificates.Select(c => c.Pem)));

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}
