using System.Collections.Generic;
using System.Linq;

namespace TlsTools.Certificates;

/// <summary>
/// Builds the certification path ourselves instead of asking the platform's X509Chain, so that every OS
/// gives the same verdict for the same bytes (X509Chain fetches AIA on Windows, not elsewhere, and each
/// platform words and orders its errors differently).
///
/// From the leaf, repeatedly pick an issuer whose subject names the current certificate's issuer AND whose
/// key verifies its signature. Trust anchors are tried before served certificates: if the server also sent
/// a root (or a cross-signed copy of one), the trusted anchor ends the path at the first chance.
/// Among several served issuers the first one served wins; there is no backtracking.
/// </summary>
internal static class PathBuilder
{
    /// <summary>Real chains are 2 to 5 certificates; the cap only stops hostile or broken input.</summary>
    public const int MaxPathLength = 10;

    public static CertificationPath Build(IReadOnlyList<CertificateNode> served, TrustStore trust)
    {
        var path = new List<CertificateNode> { served[0] };
        while (true)
        {
            var step = NextStep(path, served, trust);
            if (step.Issuer != null) path.Add(step.Issuer);
            if (step.End.HasValue) return new CertificationPath(path, step.End.Value);
        }
    }

    /// <summary>One step up from the last certificate in the path: an issuer to append, an end, or both.</summary>
    private readonly struct Step
    {
        public Step(CertificateNode? issuer, PathEnd? end) { Issuer = issuer; End = end; }
        /// <summary>The issuer to append; null when the path ends without one.</summary>
        public CertificateNode? Issuer { get; }
        public PathEnd? End { get; }
        public static Step Stop(PathEnd end) => new Step(null, end);
    }

    private static Step NextStep(List<CertificateNode> path, IReadOnlyList<CertificateNode> served, TrustStore trust)
    {
        var current = path[path.Count - 1];
        if (trust.IsAnchor(current)) return Step.Stop(PathEnd.TrustAnchor);
        if (current.IsSelfSigned) return Step.Stop(PathEnd.UntrustedSelfSigned);
        if (path.Count >= MaxPathLength) return Step.Stop(PathEnd.TooLong);

        var anchor = trust.FindIssuers(current).FirstOrDefault();
        if (anchor != null) return new Step(anchor, PathEnd.TrustAnchor);

        var servedIssuers = served.Where(candidate => candidate != current && candidate.Issued(current)).ToList();
        var next = servedIssuers.FirstOrDefault(candidate => !path.Any(p => p.IsSameCertificateAs(candidate)));
        if (next != null) return new Step(next, null);
        if (servedIssuers.Count > 0) return Step.Stop(PathEnd.Loop);
        return Step.Stop(path.Count == 1 ? PathEnd.LeafIssuerMissing : PathEnd.IntermediateIssuerMissing);
    }
}
