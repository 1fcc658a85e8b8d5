using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using TlsTools.Certificates.Revocation;

namespace TlsTools.Certificates;

/// <summary>One chain to inspect, served or from files, and how far to go (fetch, revocation).</summary>
public sealed class ChainInspectionRequest
{
    /// <summary>As served (or as the files hold them), leaf first.</summary>
    public IReadOnlyList<X509Certificate2> Certificates { get; set; } = Array.Empty<X509Certificate2>();
    /// <summary>The name the leaf must match; null skips the name check.</summary>
    public string? HostName { get; set; }
    /// <summary>The trust anchors; required.</summary>
    public TrustStore? Trust { get; set; }
    /// <summary>Validation time; null is now.</summary>
    public DateTime? UtcNow { get; set; }
    public int WarningDays { get; set; } = 30;
    /// <summary>Download missing issuers from AIA caIssuers URLs (the -NoFetch switch turns it off).</summary>
    public bool FetchMissingIssuers { get; set; } = true;
    /// <summary>Ask OCSP responders and download CRLs for each certificate below the root.</summary>
    public bool CheckRevocation { get; set; }
    /// <summary>The OCSP response the server stapled, or null.</summary>
    public byte[]? StapledOcspResponse { get; set; }
    /// <summary>Deadline for each HTTP request (AIA, OCSP, CRL).</summary>
    public TimeSpan HttpTimeout { get; set; } = TimeSpan.FromSeconds(10);
    /// <summary>The target's deadline (a served chain): the HTTP requests together wait no longer than it allows; null for files.</summary>
    public Net.TargetDeadline? Deadline { get; set; }
    /// <summary>False when the source has no meaningful order (PFX): then WrongOrder is not judged.</summary>
    public bool OrderIsMeaningful { get; set; } = true;
    /// <summary>The server contacted; null for a chain read from files.</summary>
    public string? ComputerName { get; set; }
    public int? Port { get; set; }
    /// <summary>Set for a chain read from files; null for a served chain.</summary>
    public IReadOnlyList<string>? FilePaths { get; set; }
    /// <summary>Narration of each step; null for none.</summary>
    public Action<string>? Log { get; set; }
    /// <summary>SHA-1 or SHA-256 of the leaf that should be there; another leaf is InterceptionSuspected. Null: not checked.</summary>
    public string? ExpectedThumbprint { get; set; }
    /// <summary>The roots added to this machine (the LocallyAddedRoot evidence); null: none known.</summary>
    public LocallyAddedRoots? LocalRoots { get; set; } = LocallyAddedRoots.ForThisMachine;
    /// <summary>
    /// Set when a -CompareServerName comparison explains a name mismatch by the server's SNI routing: the
    /// NameMismatch is then SniRouting with this sentence.
    /// </summary>
    public string? SniRoutingEvidence { get; set; }

    internal string Label => FilePaths != null ? string.Join(", ", FilePaths) : $"{ComputerName}:{Port}";
}

/// <summary>
/// The one validator: Get-CertificateChain's analysis of one chain, and (through <see cref="ChainValidator"/>)
/// Test-TlsHandshake's. Builds the path independent of the served order (fetching missing issuers from AIA when
/// allowed), checks revocation (the stapled OCSP response always, the responders with CheckRevocation), then runs
/// every rule and names each problem; <see cref="ChainProblemSeverity"/> says which ones make browsers refuse.
/// </summary>
public static class ChainInspector
{
    /// <summary>Real chains need one or two fetched intermediates; the cap stops a chain of AIA links that never ends.</summary>
    private const int MaxFetchedIssuers = 4;

    private static readonly Inspection.IChainRule[] Rules =
    {
        new Inspection.HandshakeChecksRule(),
        new Inspection.RepairedIncompleteChainRule(),
        new Inspection.ExpiresSoonRule(),
        new Inspection.WrongOrderRule(),
        new Inspection.UnneededCertificateRule(),
        new Inspection.WeakSignatureRule(),
        new Inspection.WeakKeyRule(),
        new Inspection.ServerAuthRule(),
        new Inspection.NotACaRule(),
        new Inspection.SubjectAlternativeNameRule(),
        new Inspection.ValidityTooLongRule(),
        new Inspection.RevocationRule(),
        new Inspection.InterceptionRule(),
    };

    private static readonly HashSet<PathEnd> MissingIssuer = new HashSet<PathEnd> { PathEnd.LeafIssuerMissing, PathEnd.IntermediateIssuerMissing };

    public static async Task<ChainReport> InspectAsync(ChainInspectionRequest request, CancellationToken cancel)
    {
        if (request?.Certificates == null || request.Certificates.Count == 0)
            throw new ArgumentException("There is no certificate to inspect.", nameof(request));
        if (request.Trust == null) throw new ArgumentException("A trust store is required.", nameof(request));
        var log = request.Log ?? (_ => { });
        var now = request.UtcNow ?? DateTime.UtcNow;
        var http = new BoundedHttpClient(request.HttpTimeout, request.Deadline);

        var served = request.Certificates.Select(CertificateNode.From).ToList();
        var path = PathBuilder.Build(served, request.Trust);
        var fetched = new List<Inspection.FetchedIssuer>();
        string? fetchError = null;
        while (request.FetchMissingIssuers && MissingIssuer.Contains(path.End) && fetched.Count < MaxFetchedIssuers)
        {
            var child = path.Last;
            log($"{request.Label}: the issuer of '{child.Subject}' is missing; fetching it from AIA");
            var outcome = await AiaIssuerFetcher.FetchAsync(child, http, cancel).ConfigureAwait(false);
            if (!outcome.Found)
            {
                fetchError = outcome.Error;
                log($"{request.Label}: AIA fetch failed: {fetchError}");
                break;
            }
            log($"{request.Label}: fetched '{outcome.Issuer.Subject}' from {outcome.Url}");
            fetched.Add(new Inspection.FetchedIssuer(child, outcome.Issuer, outcome.Url));
            path = PathBuilder.Build(served.Concat(fetched.Select(f => f.Issuer)).ToList(), request.Trust);
        }

        if (request.CheckRevocation) log($"{request.Label}: checking revocation (OCSP, then CRL) for {path.Certificates.Count - 1} certificate(s)");
        var revocation = await RevocationChecker.CheckAsync(path, request.StapledOcspResponse, request.CheckRevocation, http, now, cancel).ConfigureAwait(false);

        return Evaluate(request, request.Trust, served, path, fetched, fetchError, revocation, now);
    }

    /// <summary>
    /// The rules over a path already built (and its revocation answers): no I/O, so the synchronous
    /// <see cref="ChainValidator.Validate"/> runs the very same rules.
    /// </summary>
    internal static ChainReport Evaluate(ChainInspectionRequest request, TrustStore trust, IReadOnlyList<CertificateNode> served, CertificationPath path,
        IReadOnlyList<Inspection.FetchedIssuer> fetched, string? fetchError, IReadOnlyDictionary<CertificateNode, RevocationVerdict> revocation, DateTime now)
    {
        var context = new Inspection.InspectionContext(new ValidationContext(served, path, request.HostName, now), fetched, fetchError,
            trust, request.WarningDays, request.OrderIsMeaningful, revocation)
        {
            ExpectedThumbprint = request.ExpectedThumbprint,
            LocalRoots = request.LocalRoots,
        };
        var findings = Rules.SelectMany(rule => rule.Check(context))
            .Select(f => ExplainedBySni(f, request.SniRoutingEvidence))
            .OrderBy(f => f.Problem).ToList();   // stable: leaf first within a problem
        return Inspection.ChainRowBuilder.Build(request, context, findings);
    }

    /// <summary>A name mismatch the SNI comparison explains is named for its cause, as Test-TlsHandshake names it.</summary>
    private static ChainFinding ExplainedBySni(ChainFinding finding, string? sniRoutingEvidence) =>
        finding.Problem == ChainProblem.NameMismatch && sniRoutingEvidence != null
            ? new ChainFinding(ChainProblem.SniRouting, finding.Certificate, sniRoutingEvidence)
            : finding;
}
