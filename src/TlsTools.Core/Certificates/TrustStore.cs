using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography.X509Certificates;

namespace TlsTools.Certificates;

/// <summary>
/// The trust anchors a chain is validated against: roots from a file the user names (-TrustedRootPath)
/// and, optionally, the operating system's roots. Immutable and safe to share between threads.
/// </summary>
public sealed class TrustStore
{
    private readonly IReadOnlyList<CertificateNode> _fileAnchors;
    private readonly bool _includeSystemRoots;

    private TrustStore(IReadOnlyList<CertificateNode> fileAnchors, bool includeSystemRoots)
    {
        _fileAnchors = fileAnchors;
        _includeSystemRoots = includeSystemRoots;
    }

    /// <summary>
    /// Loads the roots in <paramref name="trustedRootPath"/> (PEM with one or many certificates, or DER),
    /// plus the system roots when <paramref name="includeSystemRoots"/> is set.
    /// </summary>
    /// <param name="trustedRootPath">A PEM or DER file, or null for none.</param>
    /// <exception cref="TrustStoreException">The file is missing, unreadable or holds no certificate.</exception>
    public static TrustStore Load(string? trustedRootPath, bool includeSystemRoots = true)
    {
        var fileAnchors = trustedRootPath == null || trustedRootPath.Length == 0
            ? Array.Empty<CertificateNode>()
            : (IReadOnlyList<CertificateNode>)TrustedRootFile.Read(trustedRootPath).Select(CertificateNode.From).ToList();
        return new TrustStore(fileAnchors, includeSystemRoots);
    }

    /// <summary>A store of exactly these roots (plus the system roots if asked): for callers that already hold certificates.</summary>
    public static TrustStore FromCertificates(IEnumerable<X509Certificate2> roots, bool includeSystemRoots = false)
    {
        if (roots == null) throw new ArgumentNullException(nameof(roots));
        return new TrustStore(roots.Select(CertificateNode.From).ToList(), includeSystemRoots);
    }

    /// <summary>The roots read from the trusted-root file, in file order.</summary>
    public IReadOnlyList<X509Certificate2> FileRoots => _fileAnchors.Select(a => a.Certificate).ToList();

    public bool IncludesSystemRoots => _includeSystemRoots;

    /// <summary>
    /// The anchors whose subject is equivalent to <paramref name="name"/>. File roots first: a root the user
    /// named explicitly is the one they mean, even if the system also has a CA of the same name. DN
    /// equivalence (case, whitespace, string types) is left to BouncyCastle rather than a hand-made key; the
    /// system roots' answers are remembered per distinct name (<see cref="SystemRoots.Named"/>).
    /// </summary>
    private IEnumerable<CertificateNode> AnchorsNamed(Org.BouncyCastle.Asn1.X509.X509Name name)
    {
        var fromFile = _fileAnchors.Where(a => a.Parsed.SubjectDN.Equivalent(name, true));
        return _includeSystemRoots ? fromFile.Concat(SystemRoots.Named(name)) : fromFile;
    }

    /// <summary>The anchors that issued <paramref name="child"/>: subject matches its issuer name and its signature verifies with the anchor's key.</summary>
    internal IEnumerable<CertificateNode> FindIssuers(CertificateNode child) => AnchorsNamed(child.Parsed.IssuerDN).Where(a => a.Issued(child));

    /// <summary>The certificate is itself a trust anchor (same subject and key as one).</summary>
    internal bool IsAnchor(CertificateNode certificate) => AnchorsNamed(certificate.Parsed.SubjectDN).Any(a => a.IsSameCaAs(certificate));
}
