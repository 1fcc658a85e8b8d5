using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using TlsTools.Assessment.Checks;
using TlsTools.Assessment.Findings;
using TlsTools.Assessment.Grading;
using TlsTools.Assessment.Http;
using TlsTools.Assessment.Profiles;
using TlsTools.Catalog;
using TlsTools.Certificates;
using TlsTools.Diagnosis;
using TlsTools.Net;
using TlsTools.Probing;

namespace TlsTools.Assessment;

/// <summary>What Test-TlsServer asks of one target.</summary>
public sealed class ServerAssessmentRequest
{
    /// <summary>The server to assess; required.</summary>
    public TargetEndpoint? Target { get; set; }
    public ConnectionOptions Options { get; set; } = new ConnectionOptions();
    /// <summary>The trust anchors the chain is validated with (null: the system's).</summary>
    public TrustStore? Trust { get; set; }
    /// <summary>The profiles to check: the built-in guideline, or a custom file's configurations.</summary>
    public IReadOnlyList<ProfileConfiguration> Profiles { get; set; } = MozillaGuideline.BuiltIn.Configurations;
    /// <summary>Skip the GET of / (HSTS and the Server header are then not checked, and the result says so).</summary>
    public bool NoHttp { get; set; }
    /// <summary>The GET's User-Agent: TlsTools/&lt;module version&gt;.</summary>
    public string HttpUserAgent { get; set; } = "TlsTools";
    public string? ExpectedThumbprint { get; set; }
    /// <summary>Also handshake without SNI and with an unknown name (three more connections), as the other cmdlets' -CompareServerName.</summary>
    public bool CompareServerName { get; set; }
    /// <summary>The vulnerability and behaviour checks to run (ServerCheckCatalog.Select); null runs every one.</summary>
    public IReadOnlyList<ServerCheckDefinition>? Checks { get; set; }
    /// <summary>Narration (on a worker thread).</summary>
    public Action<string>? Log { get; set; }
    /// <summary>Called (on a worker thread) after every probe connection.</summary>
    public Action<ProbeEvent>? OnProbe { get; set; }
}

/// <summary>
/// Test-TlsServer's engine. Two things run side by side under the target's one deadline (-TimeoutSec):
///  - the cipher-suite scan with groups: its probes give the versions, the suites in the server's order, the key
///    exchange groups and DH sizes (each version's first probe is also its protocol-support probe);
///  - one full handshake for the chain (and the stapled OCSP response), on which the GET of / rides for HSTS and
///    the Server header.
/// Then the vulnerability and behaviour checks run side by side, each reading the scan's evidence to ask only what
/// applies (no ROBOT probe without RSA key exchange), in the time left of the same deadline.
/// Nothing is asked twice. The evidence then goes, unchanged, to the grade, the profiles and the findings.
/// </summary>
public static class ServerAssessor
{
    public static async Task<ServerAssessment> AssessAsync(ServerAssessmentRequest request, CancellationToken cancel)
    {
        var target = request.Target ?? throw new ArgumentException("The request names no server.", nameof(request));
        var watch = Stopwatch.StartNew();
        var options = request.Options;
        // The target's one budget: the scan and the chain keep their own clocks started now; the checks run in what is left.
        var deadline = TargetDeadline.Start(options.Timeout);
        var http = request.NoHttp || options.StartTls != StartTlsProtocol.None ? null : new HttpHeaderProbe(HostHeader(target, options), request.HttpUserAgent);

        var scanTask = CipherSupportScanner.ScanWithVersionsAsync(new ScanRequest
        {
            Target = target,
            Options = options,
            IncludeGroups = true,
            Trust = request.Trust,
            Log = request.Log,
            OnProbe = request.OnProbe,
        }, cancel);
        var chainTask = ServedChainInspection.RunAsync(new ServedChainRequest
        {
            Target = target,
            Options = options,
            Trust = request.Trust ?? TrustStore.Load(null),
            ExpectedThumbprint = request.ExpectedThumbprint,
            CompareServerName = request.CompareServerName,
            Log = request.Log,
            AfterHandshake = http,
        }, cancel);
        var scan = await scanTask.ConfigureAwait(false);
        var chain = await chainTask.ConfigureAwait(false);

        var assessment = new ServerAssessment
        {
            ComputerName = target.Host,
            Port = target.Port,
            IPAddress = scan.Suites.ProbedTarget?.Host,
            ServerName = options.EffectiveServerName(target),
            ConnectionCount = scan.Suites.Connections + chain.Connections,
        };
        var evidence = Gather(target, options, scan, chain, http, request.NoHttp);
        if (!scan.Suites.AnyAccepted)
        {
            Fail(assessment, scan, chain);
        }
        else
        {
            var checks = await ServerCheckRunner.RunAsync(request.Checks ?? ServerCheckCatalog.All, evidence, options, deadline, request.Log, cancel).ConfigureAwait(false);
            evidence.Checks = new ServerCheckResultList(checks.ToList());
            assessment.ConnectionCount += checks.Sum(c => c.ConnectionCount);
            Judge(assessment, evidence, request.Profiles);
        }
        assessment.DurationMs = Math.Round(watch.Elapsed.TotalMilliseconds, 1);
        return assessment;
    }

    static ServerEvidence Gather(TargetEndpoint target, ConnectionOptions options, CipherScan scan, ServedChainOutcome chain, HttpHeaderProbe? http, bool noHttp)
    {
        var suites = scan.Suites.Rows.Where(r => r.CipherSuite != null).ToList();
        var problems = suites.Select(r => r.Problem).Where(p => p != null).Distinct().ToList();
        return new ServerEvidence
        {
            Target = target,
            ServerName = options.EffectiveServerName(target),
            StartTls = options.StartTls,
            StartTlsGreeting = chain.StartTlsGreeting,
            Protocols = scan.Protocols,
            Suites = suites,
            Groups = suites.FirstOrDefault()?.Groups ?? Array.Empty<string>(),
            GroupOrder = suites.FirstOrDefault()?.GroupOrder,
            ScanProblem = problems.Count == 0 ? null : string.Join("; ", problems),
            Chain = chain.Report,
            Handshake = chain.Observation,
            Http = http?.Result,
            HttpNotMade = HttpNotMade(options, chain, http, noHttp),
        };
    }

    /// <summary>Why no GET of / was made, for an HTTPS target; null when one was (or none was due).</summary>
    static string? HttpNotMade(ConnectionOptions options, ServedChainOutcome chain, HttpHeaderProbe? http, bool noHttp)
    {
        if (options.StartTls != StartTlsProtocol.None) return null;
        if (noHttp) return "-NoHttp: no GET of / was made";
        if (http?.Result != null) return null;
        if (chain.Observation?.ClientCertificateRequested == true && chain.Observation.HandshakeCompleted != true)
            return "the server requires a client certificate (give -ClientCertificate): no GET of / could be made";
        return "the full handshake did not complete: no GET of / could be made" + (chain.FailureReason == null ? "" : $" ({chain.FailureReason})");
    }

    static void Judge(ServerAssessment assessment, ServerEvidence evidence, IReadOnlyList<ProfileConfiguration> profiles)
    {
        var grade = SslLabsGrader.Grade(evidence);
        var verdicts = profiles.Select(p => ProfileChecker.Check(evidence, p)).ToList();
        var closest = verdicts.Count == 0 ? null
            : profiles[verdicts.IndexOf(verdicts.OrderBy(v => v.DeviationCount).First())];
        var findings = FindingBuilder.Build(evidence, grade, verdicts, closest);
        var product = FindingBuilder.InferProduct(evidence);

        assessment.Grade = grade.Grade;
        assessment.Score = grade.Score;
        assessment.ProtocolScore = grade.ProtocolScore;
        assessment.KeyExchangeScore = grade.KeyExchangeScore;
        assessment.CipherScore = grade.CipherScore;
        assessment.Caps = new GradeCapList(grade.Caps.ToList());
        assessment.GradeCaps = grade.Caps.Count == 0 ? null : assessment.Caps.ToString();
        // The grade's NotChecked names HSTS too (rule NoHsts) when no GET of / was made or it got no answer.
        assessment.NotChecked = grade.NotChecked.Count == 0 ? null : string.Join("; ", grade.NotChecked);
        assessment.Profiles = new ProfileVerdictList(verdicts);
        assessment.Intermediate = verdicts.FirstOrDefault(v => v.Name == "intermediate")?.Compliant;
        assessment.Modern = verdicts.FirstOrDefault(v => v.Name == "modern")?.Compliant;
        assessment.ProfileDeviations = new ProfileDeviationList(verdicts.SelectMany(v => v.Deviations).ToList());
        assessment.Findings = new FindingList(findings.OrderByDescending(f => f.Severity).ToList());
        assessment.Vulnerabilities = WithRemedies(evidence.Checks, assessment.Findings);
        assessment.FindingCount = findings.Count;
        assessment.TopFindings = findings.Count == 0 ? null : string.Join(", ", assessment.Findings.Take(3).Select(f => f.Id));
        assessment.WorstSeverity = findings.Count == 0 ? (FindingSeverity?)null : findings.Max(f => f.Severity);
        assessment.ClosestProfile = closest?.Name;
        assessment.RecommendedConfiguration = closest == null ? Array.Empty<ConfigurationSnippet>() : FindingBuilder.RecommendedConfiguration(closest, product, evidence.Target.Port);
        assessment.ServerSoftware = product;
        assessment.Protocols = string.Join(", ", evidence.Protocols.Where(p => p.Supported == true).Select(p => ProtocolVersions.DisplayName(p.Protocol)));
        assessment.HstsMaxAge = evidence.Http?.HstsMaxAge;
        assessment.Http = evidence.Http;
        assessment.ProtocolSupport = evidence.Protocols;
        assessment.CipherSuites = evidence.Suites;
        assessment.SetCertificateChain(evidence.Chain?.Certificates ?? Array.Empty<ChainCertificate>());
    }

    /// <summary>A Vulnerable check's Remedy is the one of the finding it raised (finding-causes.tsv, Source Check): one home for the text.</summary>
    static ServerCheckResultList WithRemedies(ServerCheckResultList checks, FindingList findings)
    {
        foreach (var check in checks.Where(c => c.Verdict == CheckVerdict.Vulnerable))
        {
            var id = FindingCauses.Find(CauseSource.Check, check.Name)?.Finding;
            check.Remedy = findings.FirstOrDefault(f => f.Id == id)?.Remedy;
        }
        return checks;
    }

    /// <summary>
    /// Nothing was accepted: no grade (never an F for a server that could not be reached), and the cause as the full
    /// handshake's diagnosis names it (with its network-path follow-ups), or the name resolution's failure.
    /// </summary>
    static void Fail(ServerAssessment assessment, CipherScan scan, ServedChainOutcome chain)
    {
        var resolveFailure = scan.Suites.ResolveFailure;
        var verdict = resolveFailure != null
            ? new Verdict(FailureCategory.DnsFailure, resolveFailure, rule: DiagnosisRules.Transport(TransportError.DnsFailure))
            : chain.Verdict ?? new Verdict(chain.FailureCategory, chain.FailureReason);
        var category = verdict.Category == FailureCategory.None ? FailureCategory.Unknown : verdict.Category;
        var reason = verdict.Category == FailureCategory.None
            ? $"No probe's version or suite was accepted, though a mainstream handshake completed: {scan.Suites.Rows.FirstOrDefault()?.Problem}"
            : verdict.Reason;
        assessment.FailureCategory = category;
        assessment.FailureReason = reason;
        assessment.DiagnosisRule = verdict.Rule;
        assessment.Remedy = verdict.Remedy ?? Remedies.For(category);
        assessment.ProtocolSupport = scan.Protocols;
    }

    /// <summary>The Host header: the SNI name when one is sent, else the target as given (with its port when not 443).</summary>
    static string HostHeader(TargetEndpoint target, ConnectionOptions options)
    {
        var name = options.EffectiveServerName(target) ?? (target.IsIpLiteral && target.Host.Contains(":") ? $"[{target.Host}]" : target.Host);
        return target.Port == 443 ? name : $"{name}:{target.Port}";
    }
}
