using System;
using System.Linq;
using System.Security.Cryptography.X509Certificates;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace TlsTools.Certificates;

/// <summary>
/// One certificate seen twice: as the .NET object callers hand us and get back, and as the BouncyCastle
/// parse we do the real work on (DN comparison, signatures, extensions). Parsing once here keeps every
/// check free of re-parsing and keeps the path-building rules independent of the platform's X509 stack.
/// </summary>
internal sealed class CertificateNode
{
    private readonly Lazy<bool> _isSelfSigned;
    private readonly Lazy<byte[]> _publicKeyInfo;

    private CertificateNode(X509Certificate2 certificate, BcCertificate parsed)
    {
        Certificate = certificate;
        Parsed = parsed;
        _isSelfSigned = new Lazy<bool>(() => IsSelfIssued && SignatureVerifiesWith(this));
        // Compared against every anchor on each path step, so encoded once.
        _publicKeyInfo = new Lazy<byte[]>(() => Parsed.CertificateStructure.SubjectPublicKeyInfo.GetDerEncoded());
    }

    public X509Certificate2 Certificate { get; }
    public BcCertificate Parsed { get; }

    /// <summary>The subject as .NET (and so PowerShell) prints it: what a user recognises.</summary>
    public string Subject => Certificate.Subject.Length > 0 ? Certificate.Subject : "(empty subject, SHA-256 thumbprint " + Thumbprints.Sha256(Certificate) + ")";
    public string Issuer => Certificate.Issuer;

    /// <summary>Subject and issuer DN are equal: the certificate claims to be its own issuer.</summary>
    public bool IsSelfIssued => Parsed.SubjectDN.Equivalent(Parsed.IssuerDN, true);

    /// <summary>Self-issued and its signature verifies with its own key: a root (or a lone self-signed leaf).</summary>
    public bool IsSelfSigned => _isSelfSigned.Value;

    public static CertificateNode From(X509Certificate2 certificate)
    {
        if (certificate == null) throw new ArgumentNullException(nameof(certificate));
        return new CertificateNode(certificate, CertificateParsing.ParseDer(certificate.RawData));
    }

    /// <summary>From DER bytes already parsed by BouncyCastle (trust files), without parsing twice.</summary>
    public static CertificateNode From(BcCertificate parsed) =>
        new CertificateNode(new X509Certificate2(parsed.GetEncoded()), parsed);

    /// <summary>
    /// True when this certificate issued <paramref name="child"/>: the DN names this certificate AND the
    /// child's signature verifies with this certificate's key. The name alone is not proof: two CAs can
    /// share a name (re-keyed roots, cross-signing), and only the signature says which one signed.
    /// </summary>
    public bool Issued(CertificateNode child) =>
        Parsed.SubjectDN.Equivalent(child.Parsed.IssuerDN, true) && child.SignatureVerifiesWith(this);

    /// <summary>Same subject and same public key: the same CA, even if re-issued with other dates.</summary>
    public bool IsSameCaAs(CertificateNode other) =>
        Parsed.SubjectDN.Equivalent(other.Parsed.SubjectDN, true) &&
        PublicKeyInfo.SequenceEqual(other.PublicKeyInfo);

    public bool IsSameCertificateAs(CertificateNode other) =>
        Certificate.RawData.SequenceEqual(other.Certificate.RawData);

    private byte[] PublicKeyInfo => _publicKeyInfo.Value;

    private bool SignatureVerifiesWith(CertificateNode issuer)
    {
        try
        {
            Parsed.Verify(PublicKeys.Of(issuer.Parsed));
            return true;
        }
        catch (Exception)
        {
            // Any failure (bad signature, unsupported algorithm, malformed key) means "not proven".
            return false;
        }
    }

    public override string ToString() => Subject;
}
