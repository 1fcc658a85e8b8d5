using System.Collections.Generic;
using System.Linq;

namespace TlsTools.Certificates;

/// <summary>
/// Certificates below the root must not be signed with a broken hash: browsers and OpenSSL (security
/// level 1 and up, verify error 68) reject SHA-1 and MD5 signatures. A root's own signature is never
/// checked by clients, so roots are exempt.
/// </summary>
internal sealed class WeakSignatureCheck : ICertificateCheck
{
    // Signature algorithms whose hash is broken for certificate signatures, by OID.
    private static readonly Dictionary<string, string> WeakSignatureAlgorithms = new Dictionary<string, string>
    {
        ["1.2.840.113549.1.1.5"] = "sha1WithRSAEncryption",
        ["1.2.840.10045.4.1"] = "ecdsa-with-SHA1",
        ["1.2.840.10040.4.3"] = "dsa-with-SHA1",
        ["1.2.840.113549.1.1.4"] = "md5WithRSAEncryption",
        ["1.2.840.113549.1.1.2"] = "md2WithRSAEncryption",
    };

    public IEnumerable<CertificateProblem> Check(ValidationContext context) =>
        context.Path.Certificates
            .Where(c => !c.IsSelfSigned && WeakSignatureAlgorithms.ContainsKey(c.Parsed.SigAlgOid))
            .Select(c => new CertificateProblem(FailureCategory.WeakKeyExchange,
                $"{context.Describe(c)} is signed with {WeakSignatureAlgorithms[c.Parsed.SigAlgOid]}; clients reject SHA-1 and MD5 signatures on certificates other than roots.",
                c.Certificate));
}
