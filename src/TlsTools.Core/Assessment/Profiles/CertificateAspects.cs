using System;
using System.Linq;
using TlsTools.Catalog;

namespace TlsTools.Assessment.Profiles;

/// <summary>The profile's demands on the leaf certificate: type, curve, signature, RSA size, lifespan.</summary>
internal static class CertificateAspects
{
    public static void Check(ProfileCheck c, ChainCertificate leaf)
    {
        Type(c, leaf);
        Curve(c, leaf);
        Signature(c, leaf);
        RsaKeySize(c, leaf);
        Lifespan(c, leaf);
    }

    /// <summary>The leaf's key algorithm in certificate_types' words (RSA is rsa, EC is ecdsa).</summary>
    static string TypeOf(ChainCertificate leaf) =>
        ProfileVocabulary.CertificateTypes.FirstOrDefault(t => t.Value == leaf.KeyAlgorithm).Key ?? leaf.KeyAlgorithm.ToLowerInvariant();

    static void Type(ProfileCheck c, ChainCertificate leaf)
    {
        string type = TypeOf(leaf);
        if (c.Profile.CertificateTypes.Contains(type)) return;
        string expected = ProfileCheck.List(c.Profile.CertificateTypes);
        c.Deviation(ProfileAspect.CertificateType, expected, type,
            $"The leaf certificate has an {leaf.KeyAlgorithm} key ({leaf.KeySize} bits); {c.Name} asks for a certificate of type {expected}.");
    }

    /// <summary>An EC leaf's curve, compared by the group it names (prime256v1 and secp256r1 are one curve).</summary>
    static void Curve(ProfileCheck c, ChainCertificate leaf)
    {
        if (string.IsNullOrEmpty(leaf.KeyCurve)) return;
        var curve = NamedGroupCatalog.Find(leaf.KeyCurve)?.Name;
        bool listed = c.Profile.CertificateCurves.Any(name =>
            string.Equals(name, leaf.KeyCurve, StringComparison.OrdinalIgnoreCase) || (curve != null && NamedGroupCatalog.Find(name)?.Name == curve));
        if (listed) return;
        string expected = ProfileCheck.List(c.Profile.CertificateCurves);
        c.Deviation(ProfileAspect.CertificateCurve, expected, leaf.KeyCurve!,
            $"The leaf certificate's key is on {leaf.KeyCurve}; {c.Name} asks for {expected}.");
    }

    static void Signature(ProfileCheck c, ChainCertificate leaf)
    {
        if (c.Profile.CertificateSignatures.Contains(leaf.SignatureAlgorithm, StringComparer.OrdinalIgnoreCase)) return;
        string expected = ProfileCheck.List(c.Profile.CertificateSignatures);
        c.Deviation(ProfileAspect.CertificateSignature, expected, leaf.SignatureAlgorithm,
            $"The leaf certificate is signed with {leaf.SignatureAlgorithm}; {c.Name} asks for {expected}.");
    }

    static void RsaKeySize(ProfileCheck c, ChainCertificate leaf)
    {
        if (leaf.KeyAlgorithm != "RSA" || !(c.Profile.RsaKeySize is int minimum) || leaf.KeySize >= minimum) return;
        c.Deviation(ProfileAspect.RsaKeySize, $"at least {minimum} bits", $"{leaf.KeySize} bits",
            $"The leaf certificate's RSA key has {leaf.KeySize} bits; {c.Name} asks for at least {minimum}.");
    }

    /// <summary>NotAfter - NotBefore against maximum_certificate_lifespan (Mozilla: 90 days modern, 366 intermediate).</summary>
    static void Lifespan(ProfileCheck c, ChainCertificate leaf)
    {
        if (!(c.Profile.MaximumCertificateLifespan is int maximum)) return;
        double days = (leaf.NotAfter - leaf.NotBefore).TotalDays;
        if (days <= maximum) return;
        string span = days.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture);
        c.Deviation(ProfileAspect.CertificateLifespan, $"at most {maximum} days", $"{span} days",
            $"The leaf certificate is valid for {span} days ({leaf.NotBefore:yyyy-MM-dd} to {leaf.NotAfter:yyyy-MM-dd}); {c.Name} allows at most {maximum}.");
    }
}
