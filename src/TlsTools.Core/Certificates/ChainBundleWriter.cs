using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cms;

namespace TlsTools.Certificates;

/// <summary>Encodes a certificate bundle, in the order given, as PEM, concatenated DER, or PKCS#7 (.p7b).</summary>
public static class ChainBundleWriter
{
    private static readonly Dictionary<BundleFormat, Func<IReadOnlyList<X509Certificate2>, byte[]>> Encoders =
        new Dictionary<BundleFormat, Func<IReadOnlyList<X509Certificate2>, byte[]>>
        {
            [BundleFormat.Pem] = certificates => Encoding.ASCII.GetBytes(string.Concat(certificates.Select(ToPem))),
            [BundleFormat.Der] = certificates => certificates.SelectMany(c => c.RawData).ToArray(),
            [BundleFormat.P7b] = ToPkcs7,
        };

    public static byte[] Encode(IReadOnlyList<X509Certificate2> certificates, BundleFormat format)
    {
        if (certificates == null || certificates.Count == 0) throw new ArgumentException("The bundle is empty.", nameof(certificates));
        return Encoders[format](certificates);
    }

    /// <summary>Writes the bundle to <paramref name="path"/>, replacing the file.</summary>
    public static void Write(string path, IReadOnlyList<X509Certificate2> certificates, BundleFormat format) =>
        File.WriteAllBytes(path, Encode(certificates, format));

    public static string ToPem(X509Certificate2 certificate) => Pem.Encode("CERTIFICATE", certificate.RawData);

    /// <summary>
    /// A certs-only SignedData (RFC 5652), as `openssl crl2pkcs7 -nocrl` writes it. Assembled from DL
    /// (unsorted) parts by hand: a DER SET would sort the certificates by their encoding and lose the
    /// leaf-first order that a server bundle needs.
    /// </summary>
    private static byte[] ToPkcs7(IReadOnlyList<X509Certificate2> certificates)
    {
        var vector = new Asn1EncodableVector();
        foreach (var c in certificates) vector.Add(Asn1Object.FromByteArray(c.RawData));
        var signedData = new DLSequence(
            DerInteger.ValueOf(1),
            new DerSet(),                                           // no digest algorithms: nothing is signed
            new DLSequence(CmsObjectIdentifiers.Data),              // no content
            new DLTaggedObject(false, 0, new DLSet(vector)),        // [0] IMPLICIT certificates, in order
            new DerSet());                                          // no signer infos
        return new DLSequence(CmsObjectIdentifiers.SignedData, new DLTaggedObject(true, 0, signedData)).GetEncoded(Asn1Encodable.DL);
    }
}
