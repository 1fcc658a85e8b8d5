using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using TlsTools.Certificates.Revocation;

namespace TlsTools.Certificates;

/// <summary>
/// Test-TlsHandshake's view of a served chain: the <see cref="ChainInspector"/>'s findings (the one validator,
/// shared with Get-CertificateChain), with each problem that makes a strict client refuse turned into the
/// FailureCategory that explains it. Non-fatal findings (expires soon, validity too long, ...) are kept and
/// listed, but never fail the handshake.
/// </summary>
public static class ChainValidator
{
    private sealed class VerdictRow
    {
        public VerdictRow(ChainProblem problem, FailureCategory category, string? remedy = null)
        {
            Problem = problem;
            Category = category;
            Remedy = remedy;
        }

        public ChainProblem Problem { get; }
        public FailureCategory Category { get; }
        /// <summary>A sharper remedy than the category's own (failure-categories.tsv); null: the category's.</summary>
        public string? Remedy { get; }
    }

    // Every fatal ChainProblem, most decisive first: a client that cannot build a trusted path stops there, so
    // that is the problem to fix first; revocation next (no other fix matters for a revoked certificate); dates
    // and names only matter once the chain is trusted; key and signature strength last.
    // NotACa and NotForServerAuth have no category of their own: to a client they are a path that does not lead
    // to a root trusted for TLS server authentication (OpenSSL: "invalid CA certificate" 24, "unsupported
    // certificate purpose" 26; Chrome: ERR_CERT_INVALID), so they are UntrustedRoot, with the remedy that fits.
    private static readonly VerdictRow[] Verdicts =
    {
        new VerdictRow(ChainProblem.IncompleteChain, FailureCategory.IncompleteChain),
        new VerdictRow(ChainProblem.SelfSigned, FailureCategory.SelfSigned),
        new VerdictRow(ChainProblem.UntrustedRoot, FailureCategory.UntrustedRoot),
        new VerdictRow(ChainProblem.NotACa, FailureCategory.UntrustedRoot,
            "Serve the real intermediate of the CA that issued the certificate: the one served has no basic constraints with CA:TRUE, so it cannot issue certificates and no client builds a path through it. Get the intermediate from the CA (or, for a private CA, reissue it with basicConstraints critical,CA:TRUE) and serve it after the leaf."),
        new VerdictRow(ChainProblem.NotForServerAuth, FailureCategory.UntrustedRoot,
            "Have the certificate reissued with an extended key usage that includes TLS server authentication (serverAuth, 1.3.6.1.5.5.7.3.1), and serve intermediates whose EKU allows it too."),
        new VerdictRow(ChainProblem.InterceptionSuspected, FailureCategory.InterceptionSuspected),
        new VerdictRow(ChainProblem.Revoked, FailureCategory.CertificateRevoked),
        new VerdictRow(ChainProblem.Expired, FailureCategory.CertificateExpired),
        new VerdictRow(ChainProblem.NotYetValid, FailureCategory.CertificateNotYetValid),
        new VerdictRow(ChainProblem.SniRouting, FailureCategory.SniRouting),
        new VerdictRow(ChainProblem.NameMismatch, FailureCategory.NameMismatch),
        new VerdictRow(ChainProblem.NoSubjectAlternativeName, FailureCategory.NameMismatch,
            "Reissue the certificate with every host name as a subjectAltName DNS entry (IP addresses as IP entries); the subject CN alone is not enough."),
        new VerdictRow(ChainProblem.WeakSignature, FailureCategory.WeakSignature),
        new VerdictRow(ChainProblem.WeakKey, FailureCategory.WeakCertificateKey),
    };

    private static readonly Dictionary<ChainProblem, (int Rank, VerdictRow Row)> VerdictFor =
        Verdicts.Select((row, rank) => (rank, row)).ToDictionary(x => x.row.Problem, x => (x.rank, x.row));

    /// <summary>The category a fatal chain problem fails a handshake with; null for a problem that does not fail it.</summary>
    public static FailureCategory? CategoryOf(ChainProblem problem) =>
        VerdictFor.TryGetValue(problem, out var verdict) ? verdict.Row.Category : (FailureCategory?)null;

    /// <summary>The served chain inspected (stapled OCSP response, responders with CheckRevocation, AIA when allowed) and judged.</summary>
    public static async Task<ChainValidationResult> ValidateAsync(ChainInspectionRequest request, CancellationToken cancel) =>
        Judge(await ChainInspector.InspectAsync(request, cancel).ConfigureAwait(false));

    /// <summary>The same rules without I/O: no AIA fetch, no staple, no revocation check.</summary>
    /// <param name="servedChain">The certificates as the server sent them, leaf first.</param>
    /// <param name="hostName">The name the client connects to (DNS name or IP literal); null skips the name check.</param>
    /// <param name="utcNow">The time to validate at.</param>
    /// <param name="trust">The trust anchors.</param>
    public static ChainValidationResult Validate(IReadOnlyList<X509Certificate2> servedChain, string? hostName,
        DateTime utcNow, TrustStore trust)
    {
        if (servedChain == null) throw new ArgumentNullException(nameof(servedChain));
        if (trust == null) throw new ArgumentNullException(nameof(trust));
        if (servedChain.Count == 0) throw new ArgumentException("The served chain is empty; there is no leaf certificate to validate.", nameof(servedChain));
        if (servedChain.Any(c => c == null)) throw new ArgumentException("The served chain contains a null certificate.", nameof(servedChain));

        var request = new ChainInspectionRequest { Certificates = servedChain, HostName = hostName, Trust = trust, FetchMissingIssuers = false };
        var served = servedChain.Select(CertificateNode.From).ToList();
        var path = PathBuilder.Build(served, trust);
        var notChecked = path.Certificates.ToDictionary(n => n, _ => RevocationVerdict.NotChecked);
        return Judge(ChainInspector.Evaluate(request, trust, served, path, Array.Empty<Inspection.FetchedIssuer>(), null, notChecked, ToUtc(utcNow)));
    }

    private static ChainValidationResult Judge(ChainReport report)
    {
        var leaf = report.Path[0];
        var problems = report.Findings
            .Where(f => VerdictFor.ContainsKey(f.Problem))
            .OrderBy(f => VerdictFor[f.Problem].Rank)   // stable: within a problem, leaf before issuers
            .Select(f => new CertificateProblem(VerdictFor[f.Problem].Row.Category, f.Message, f.Certificate ?? leaf, VerdictFor[f.Problem].Row.Remedy, f.Problem))
            .ToList();
        return new ChainValidationResult(problems, report);
    }

    /// <summary>Unspecified kind is taken as UTC, as the parameter name promises; local time is converted.</summary>
    private static DateTime ToUtc(DateTime time) =>
        time.Kind == DateTimeKind.Local ? time.ToUniversalTime() : DateTime.SpecifyKind(time, DateTimeKind.Utc);
}
