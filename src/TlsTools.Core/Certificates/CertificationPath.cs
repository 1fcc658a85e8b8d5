using System.Collections.Generic;
using System.Linq;

namespace TlsTools.Certificates;

/// <summary>Why path building stopped where it did.</summary>
internal enum PathEnd
{
    /// <summary>The last certificate is a trust anchor, or was issued by one (which is then last).</summary>
    TrustAnchor,
    /// <summary>The last certificate is self-signed and not a trust anchor.</summary>
    UntrustedSelfSigned,
    /// <summary>The leaf's issuer was neither served nor trusted.</summary>
    LeafIssuerMissing,
    /// <summary>A served intermediate's issuer was neither served nor trusted.</summary>
    IntermediateIssuerMissing,
    /// <summary>The only issuers found are already in the path: the served certificates sign each other in a circle.</summary>
    Loop,
    /// <summary>More certificates than any real chain has; building stopped at <see cref="PathBuilder.MaxPathLength"/>.</summary>
    TooLong,
}

/// <summary>The path as built, leaf first, and how it ended.</summary>
internal sealed class CertificationPath
{
    public CertificationPath(IReadOnlyList<CertificateNode> certificates, PathEnd end)
    {
        Certificates = certificates;
        End = end;
    }

    public IReadOnlyList<CertificateNode> Certificates { get; }
    public PathEnd End { get; }
    public CertificateNode Leaf => Certificates[0];
    public CertificateNode Last => Certificates[Certificates.Count - 1];

    public bool Contains(CertificateNode certificate) => Certificates.Any(c => c.IsSameCertificateAs(certificate));
}
