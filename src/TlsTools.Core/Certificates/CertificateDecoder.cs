using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace TlsTools.Certificates;

/// <summary>
/// Turns bytes into certificates, in the order they appear: PEM (CERTIFICATE and PKCS7 blocks),
/// one or several concatenated DER certificates, or a PKCS#7 (.p7b/.p7c) certs-only bundle in DER.
/// Used for -Path files and for AIA downloads (which are DER or .p7c). PFX is <see cref="ChainFileReader"/>'s.
/// </summary>
internal static class CertificateDecoder
{
    private static readonly HashSet<string> CertificateLabels = new HashSet<string> { "CERTIFICATE", "X509 CERTIFICATE" };
    private static readonly HashSet<string> Pkcs7Labels = new HashSet<string> { "PKCS7", "CERTIFICATE CHAIN" };

    public static bool LooksLikePem(byte[] bytes) =>
        Pem.LooksLikePem(Encoding.ASCII.GetString(bytes, 0, Math.Min(bytes.Length, 64 * 1024)));

    /// <summary>The certificates in <paramref name="bytes"/>; an empty list when there are none.</summary>
    /// <exception cref="FormatException">The bytes are PEM with a broken block, or neither PEM nor DER certificates/PKCS#7.</exception>
    public static IReadOnlyList<BcCertificate> Decode(byte[] bytes) =>
        LooksLikePem(bytes) ? DecodePem(Encoding.ASCII.GetString(bytes)) : DecodeDer(bytes);

    private static IReadOnlyList<BcCertificate> DecodePem(string text)
    {
        var result = new List<BcCertificate>();
        foreach (var (label, body) in Pem.Blocks(text))
        {
            if (!CertificateLabels.Contains(label) && !Pkcs7Labels.Contains(label)) continue;   // keys, CSRs: not ours to read
            byte[] der;
            try { der = Pem.Decode(body); }
            catch (FormatException) { throw new FormatException($"A {label} block is not valid base64."); }
            result.AddRange(DecodeDer(der));
        }
        return result;
    }

    /// <summary>Consecutive DER objects, each a certificate or a PKCS#7 SignedData.</summary>
    private static IReadOnlyList<BcCertificate> DecodeDer(byte[] der)
    {
        var result = new List<BcCertificate>();
        using (var stream = new Asn1InputStream(der))
        {
            while (true)
            {
                Asn1Object asn1;
                try { asn1 = stream.ReadObject(); }
                catch (Exception e) when (e is IOException || e is InvalidOperationException || e is ArgumentException)
                { throw new FormatException("The data is not DER: " + e.Message); }
                if (asn1 == null) break;
                result.AddRange(FromAsn1(asn1));
            }
        }
        return result;
    }

    private static IEnumerable<BcCertificate> FromAsn1(Asn1Object asn1)
    {
        var sequence = asn1 as Asn1Sequence ?? throw new FormatException("The data is neither a certificate nor a PKCS#7 bundle.");
        if (sequence.Count == 2 && sequence[0] is DerObjectIdentifier oid)
        {
            if (!oid.Equals(PkcsObjectIdentifiers.SignedData))
                throw new FormatException($"The PKCS#7 content is {oid.Id}, not SignedData.");
            var signed = SignedData.GetInstance(Asn1TaggedObject.GetInstance(sequence[1]).GetExplicitBaseObject());
            return signed.Certificates?.Cast<Asn1Encodable>()
                .Select(e => new BcCertificate(X509CertificateStructure.GetInstance(e))).ToList()
                ?? new List<BcCertificate>();
        }
        if (IsPfx(sequence)) throw new FormatException("The data is a PFX/PKCS#12 file.");
        try { return new[] { new BcCertificate(X509CertificateStructure.GetInstance(sequence)) }; }
        catch (ArgumentException e) { throw new FormatException("The data is neither a certificate nor a PKCS#7 bundle: " + e.Message); }
    }

    /// <summary>PKCS#12 PFX: SEQUENCE { version INTEGER (3), authSafe ContentInfo, macData OPTIONAL }.</summary>
    public static bool IsPfx(byte[] bytes)
    {
        try { return Asn1Object.FromByteArray(bytes) is Asn1Sequence s && IsPfx(s); }
        catch (Exception) { return false; }
    }

    private static bool IsPfx(Asn1Sequence sequence) =>
        sequence.Count >= 2 && sequence[0] is DerInteger version && version.HasValue(3);
}
