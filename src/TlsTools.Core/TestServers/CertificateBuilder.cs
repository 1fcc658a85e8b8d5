using System;
using System.Linq;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;
using Org.BouncyCastle.X509.Extension;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace TlsTools.TestServers;

/// <summary>What one certificate of the test PKI looks like. Defaults describe a healthy server leaf.</summary>
internal sealed class CertificateSpec
{
    public CertificateSpec(AsymmetricKeyParameter publicKey) { PublicKey = publicKey; }

    /// <summary>The subject's CN; null leaves it empty.</summary>
    public string? CommonName { get; set; }
    public AsymmetricKeyParameter PublicKey { get; set; }
    public bool IsCa { get; set; }
    public DateTime NotBefore { get; set; }
    public DateTime NotAfter { get; set; }
    public string[] DnsNames { get; set; } = Array.Empty<string>();
    /// <summary>BouncyCastle algorithm name; null picks SHA-256 with the issuer's key type.</summary>
    public string? SignatureAlgorithm { get; set; }
}

/// <summary>Issues X.509 v3 certificates with the extensions real CAs put in (and OpenSSL expects).</summary>
internal static class CertificateBuilder
{
    static readonly SecureRandom Random = new SecureRandom();

    public static BcCertificate Issue(CertificateSpec spec, X509Name issuer, AsymmetricKeyParameter issuerPrivateKey,
        AsymmetricKeyParameter issuerPublicKey)
    {
        var generator = new X509V3CertificateGenerator();
        generator.SetSerialNumber(new BigInteger(64, Random).Add(BigInteger.One));
        generator.SetIssuerDN(issuer);
        generator.SetSubjectDN(Name(spec.CommonName));
        generator.SetNotBefore(spec.NotBefore);
        generator.SetNotAfter(spec.NotAfter);
        generator.SetPublicKey(spec.PublicKey);
        generator.AddExtension(X509Extensions.BasicConstraints, true, new BasicConstraints(spec.IsCa));
        generator.AddExtension(X509Extensions.KeyUsage, true, new KeyUsage(spec.IsCa
            ? KeyUsage.KeyCertSign | KeyUsage.CrlSign
            : KeyUsage.DigitalSignature | KeyUsage.KeyEncipherment));
        generator.AddExtension(X509Extensions.SubjectKeyIdentifier, false, X509ExtensionUtilities.CreateSubjectKeyIdentifier(spec.PublicKey));
        generator.AddExtension(X509Extensions.AuthorityKeyIdentifier, false, X509ExtensionUtilities.CreateAuthorityKeyIdentifier(issuerPublicKey));
        if (!spec.IsCa)
        {
            generator.AddExtension(X509Extensions.ExtendedKeyUsage, false,
                new ExtendedKeyUsage(KeyPurposeID.id_kp_serverAuth, KeyPurposeID.id_kp_clientAuth));
            if (spec.DnsNames.Length > 0)
                generator.AddExtension(X509Extensions.SubjectAlternativeName, false,
                    new GeneralNames(spec.DnsNames.Select(n => new GeneralName(GeneralName.DnsName, n)).ToArray()));
        }
        var algorithm = spec.SignatureAlgorithm ?? (issuerPrivateKey is Org.BouncyCastle.Crypto.Parameters.ECPrivateKeyParameters
            ? "SHA256WITHECDSA" : "SHA256WITHRSA");
        return generator.Generate(new Asn1SignatureFactory(algorithm, issuerPrivateKey, Random));
    }

    public static X509Name Name(string? commonName) => new X509Name("O=TlsTools test PKI,CN=" + commonName);
}
