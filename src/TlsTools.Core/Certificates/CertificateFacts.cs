using System;
using System.Collections.Generic;
using System.Linq;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.X509.Extension;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace TlsTools.Certificates;

/// <summary>
/// What the inspection reads from a certificate's extensions and key, decoded from the DER with
/// BouncyCastle (never from .NET's formatted text, which differs per OS and locale).
/// </summary>
internal static class CertificateFacts
{
    public const string ServerAuthEku = "1.3.6.1.5.5.7.3.1";
    public const string AnyEku = "2.5.29.37.0";
    private const string CaIssuersMethod = "1.3.6.1.5.5.7.48.2";
    private const string OcspMethod = "1.3.6.1.5.5.7.48.1";

    // Signature algorithm OIDs to the names OpenSSL prints, so the column reads like `openssl x509 -text`.
    private static readonly Dictionary<string, string> SignatureNames = new Dictionary<string, string>
    {
        ["1.2.840.113549.1.1.2"] = "md2WithRSAEncryption",
        ["1.2.840.113549.1.1.4"] = "md5WithRSAEncryption",
        ["1.2.840.113549.1.1.5"] = "sha1WithRSAEncryption",
        ["1.2.840.113549.1.1.11"] = "sha256WithRSAEncryption",
        ["1.2.840.113549.1.1.12"] = "sha384WithRSAEncryption",
        ["1.2.840.113549.1.1.13"] = "sha512WithRSAEncryption",
        ["1.2.840.113549.1.1.10"] = "rsassaPss",
        ["1.2.840.10045.4.1"] = "ecdsa-with-SHA1",
        ["1.2.840.10045.4.3.2"] = "ecdsa-with-SHA256",
        ["1.2.840.10045.4.3.3"] = "ecdsa-with-SHA384",
        ["1.2.840.10045.4.3.4"] = "ecdsa-with-SHA512",
        ["1.2.840.10040.4.3"] = "dsa-with-SHA1",
        ["1.3.101.112"] = "ED25519",
        ["1.3.101.113"] = "ED448",
    };

    /// <summary>MD5/SHA-1 (and MD2) signatures: collisions are practical, so clients reject them below the root.</summary>
    public static readonly HashSet<string> WeakSignatureOids = new HashSet<string>
    {
        "1.2.840.113549.1.1.2", "1.2.840.113549.1.1.4", "1.2.840.113549.1.1.5", "1.2.840.10045.4.1", "1.2.840.10040.4.3",
    };

    public static string SignatureAlgorithm(BcCertificate c) =>
        SignatureNames.TryGetValue(c.SigAlgOid, out var name) ? name : c.SigAlgOid;

    /// <summary>("RSA", 2048), ("EC", 256), ("DSA", 1024), ("Ed25519", 256); ("unknown", 0) when the key cannot be read.</summary>
    public static (string Algorithm, int Bits) Key(BcCertificate c)
    {
        AsymmetricKeyParameter key;
        try { key = PublicKeys.Of(c); }
        catch (Exception) { return ("unknown", 0); }
        switch (key)
        {
            case RsaKeyParameters rsa: return ("RSA", rsa.Modulus.BitLength);
            case ECPublicKeyParameters ec: return ("EC", ec.Parameters.Curve.FieldSize);
            case DsaPublicKeyParameters dsa: return ("DSA", dsa.Parameters?.P.BitLength ?? 0);
            case Ed25519PublicKeyParameters _: return ("Ed25519", 256);
            case Ed448PublicKeyParameters _: return ("Ed448", 456);
            default: return (key.GetType().Name.Replace("PublicKeyParameters", ""), 0);
        }
    }

    /// <summary>
    /// The named curve of an EC key, as OpenSSL names it (prime256v1, secp384r1, secp521r1); null for other keys,
    /// "explicit" for a key with explicit curve parameters (which browsers refuse).
    /// </summary>
    public static string? Curve(BcCertificate c)
    {
        var algorithm = c.CertificateStructure.SubjectPublicKeyInfo.Algorithm;
        if (!algorithm.Algorithm.Equals(Org.BouncyCastle.Asn1.X9.X9ObjectIdentifiers.IdECPublicKey)) return null;
        if (!(algorithm.Parameters?.ToAsn1Object() is DerObjectIdentifier oid)) return "explicit";
        return Org.BouncyCastle.Asn1.X9.X962NamedCurves.GetName(oid)
            ?? Org.BouncyCastle.Asn1.Sec.SecNamedCurves.GetName(oid)
            ?? Org.BouncyCastle.Asn1.X9.ECNamedCurveTable.GetName(oid)
            ?? oid.Id;
    }

    /// <summary>Null when the certificate has no EKU extension (then every usage is allowed).</summary>
    public static IReadOnlyList<string>? ExtendedKeyUsages(BcCertificate c)
    {
        try { return c.GetExtendedKeyUsage()?.Select(o => o.Id).ToList(); }
        catch (Exception) { return new string[0]; }   // a malformed EKU allows nothing
    }

    /// <summary>Basic constraints say cA=TRUE.</summary>
    public static bool IsCa(BcCertificate c) => c.GetBasicConstraints() >= 0;

    public static IReadOnlyList<Uri> CaIssuersUrls(BcCertificate c) => AccessUrls(c, CaIssuersMethod);
    public static IReadOnlyList<Uri> OcspUrls(BcCertificate c) => AccessUrls(c, OcspMethod);

    /// <summary>The http(s) URLs of the CRL distribution points (LDAP and other schemes are skipped).</summary>
    public static IReadOnlyList<Uri> CrlUrls(BcCertificate c)
    {
        var value = c.GetExtensionValue(X509Extensions.CrlDistributionPoints);
        if (value == null) return new Uri[0];
        try
        {
            var points = CrlDistPoint.GetInstance(X509ExtensionUtilities.FromExtensionValue(value)).GetDistributionPoints();
            return points.Select(p => p.DistributionPointName)
                .Where(n => n != null && n.Type == DistributionPointName.FullName)
                .SelectMany(n => GeneralNames.GetInstance(n.Name).GetNames())
                .Select(HttpUrl).OfType<Uri>().ToList();
        }
        catch (Exception) { return new Uri[0]; }
    }

    private static IReadOnlyList<Uri> AccessUrls(BcCertificate c, string method)
    {
        var value = c.GetExtensionValue(X509Extensions.AuthorityInfoAccess);
        if (value == null) return new Uri[0];
        try
        {
            return AuthorityInformationAccess.GetInstance(X509ExtensionUtilities.FromExtensionValue(value))
                .GetAccessDescriptions()
                .Where(d => d.AccessMethod.Id == method)
                .Select(d => HttpUrl(d.AccessLocation))
                .OfType<Uri>().ToList();
        }
        catch (Exception) { return new Uri[0]; }
    }

    /// <summary>The name as an http(s) URL; null for any other kind of name or scheme.</summary>
    private static Uri? HttpUrl(GeneralName name)
    {
        if (name.TagNo != GeneralName.UniformResourceIdentifier) return null;
        var text = DerIA5String.GetInstance(name.Name).GetString();
        return Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) ? uri : null;
    }
}
