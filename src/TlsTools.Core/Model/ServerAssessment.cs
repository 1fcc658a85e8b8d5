using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;

namespace TlsTools;

/// <summary>
/// Test-TlsServer: one server graded (SSL Labs SSL Server Rating Guide 2009r), checked against Mozilla's Server Side
/// TLS profiles, and every finding with what to change. Scalar columns first (what Export-Csv writes; the lists'
/// text forms join their items), then the rich lists.
/// </summary>
public sealed class ServerAssessment
{
    public string ComputerName { get; set; } = "";
    public int Port { get; set; }
    /// <summary>A+, A, A-, B, C, D, E, F, or T (chain not trusted) or M (name mismatch); null when the server could not be assessed.</summary>
    public string? Grade { get; set; }
    /// <summary>0-100: 30 % protocol, 30 % key exchange, 40 % cipher strength (the guide's weights); null when not assessed.</summary>
    public int? Score { get; set; }
    public int? ProtocolScore { get; set; }
    public int? KeyExchangeScore { get; set; }
    public int? CipherScore { get; set; }
    /// <summary>Every cap and warning applied, "B: TLS 1.0 is accepted", joined with "; ".</summary>
    public string? GradeCaps { get; set; }
    /// <summary>Mozilla intermediate: true when compliant, false with deviations, null when not checked.</summary>
    public bool? Intermediate { get; set; }
    /// <summary>Mozilla modern: true when compliant, false with deviations, null when not checked.</summary>
    public bool? Modern { get; set; }
    public int FindingCount { get; set; }
    /// <summary>The worst finding's severity; null when there is none.</summary>
    public FindingSeverity? WorstSeverity { get; set; }
    /// <summary>TCP connections made to the server for the whole assessment.</summary>
    public int ConnectionCount { get; set; }
    public double DurationMs { get; set; }
    /// <summary>The ids of the (up to) three most severe findings, worst first, joined with ", ": what the default view shows.</summary>
    public string? TopFindings { get; set; }
    /// <summary>Grade rules whose evidence is missing (a check excluded, inconclusive or not yet built, no GET of /, no time left), joined with "; ".</summary>
    public string? NotChecked { get; set; }
    /// <summary>The profile the server comes closest to (fewest deviations), the one RecommendedConfiguration is for.</summary>
    public string? ClosestProfile { get; set; }
    /// <summary>The server product as the HTTP Server header or the STARTTLS banner names it (nginx, Apache, ...); null when unknown.</summary>
    public string? ServerSoftware { get; set; }
    public string? IPAddress { get; set; }
    /// <summary>The SNI sent; null when none was.</summary>
    public string? ServerName { get; set; }
    /// <summary>The protocol versions accepted, oldest first, joined with ", ".</summary>
    public string? Protocols { get; set; }
    /// <summary>HSTS max-age in seconds from the GET of /; null when no (valid) header was seen or no GET was made.</summary>
    public long? HstsMaxAge { get; set; }
    /// <summary>None unless the server could not be assessed: then why, as Test-TlsHandshake names it.</summary>
    public FailureCategory FailureCategory { get; set; }
    public string? FailureReason { get; set; }
    /// <summary>The diagnosis rule that named <see cref="FailureCategory"/>; null when None.</summary>
    public string? DiagnosisRule { get; set; }
    public string? Remedy { get; set; }

    public FindingList Findings { get; set; } = FindingList.Empty;
    /// <summary>
    /// Every vulnerability and behaviour check run (Heartbleed, Robot, Compression, ...), one row each with its verdict and
    /// evidence. Its text form (the CSV column) names the Vulnerable and Inconclusive ones.
    /// </summary>
    public ServerCheckResultList Vulnerabilities { get; set; } = ServerCheckResultList.Empty;
    public ProfileDeviationList ProfileDeviations { get; set; } = ProfileDeviationList.Empty;
    /// <summary>Each profile checked, with its verdict and deviations.</summary>
    public ProfileVerdictList Profiles { get; set; } = ProfileVerdictList.Empty;
    public GradeCapList Caps { get; set; } = GradeCapList.Empty;
    public IReadOnlyList<ProtocolSupportResult> ProtocolSupport { get; set; } = Array.Empty<ProtocolSupportResult>();
    public IReadOnlyList<CipherSupportResult> CipherSuites { get; set; } = Array.Empty<CipherSupportResult>();
    /// <summary>
    /// The chain's rows without their X509Certificate2 and ChainReport (<see cref="ChainCertificate.Detached"/>), so the
    /// assessment converts to JSON cleanly; <see cref="GetCertificateChain"/> gives the full rows.
    /// </summary>
    public IReadOnlyList<ChainCertificate> Chain { get; set; } = Array.Empty<ChainCertificate>();
    /// <summary>What the GET of / returned; null for STARTTLS targets, with -NoHttp, or when the handshake failed.</summary>
    public HttpFacts? Http { get; set; }
    /// <summary>A complete configuration for <see cref="ClosestProfile"/>, per server product.</summary>
    public IReadOnlyList<ConfigurationSnippet> RecommendedConfiguration { get; set; } = Array.Empty<ConfigurationSnippet>();

    /// <summary>
    /// The chain as Get-CertificateChain writes it, each row with its certificate and report, e.g. for
    /// <c>$a.GetCertificateChain() | Export-CertificateChain</c>. A method, not a property, so ConvertTo-Json and Export-Csv leave it out.
    /// </summary>
    public IReadOnlyList<ChainCertificate> GetCertificateChain() => _fullChain;

    /// <summary>Sets <see cref="Chain"/> (detached rows) and what <see cref="GetCertificateChain"/> returns from the inspection's rows.</summary>
    public void SetCertificateChain(IReadOnlyList<ChainCertificate> rows)
    {
        _fullChain = rows;
        Chain = rows.Select(r => r.Detached()).ToList();
    }

    IReadOnlyList<ChainCertificate> _fullChain = Array.Empty<ChainCertificate>();

    public override string ToString() => $"{ComputerName}:{Port} {Grade ?? FailureCategory.ToString()}";
}

/// <summary>How much a finding matters: the order is the order of severity.</summary>
public enum FindingSeverity
{
    Info,
    Low,
    Medium,
    High,
    Critical,
}

/// <summary>One thing to change on the server, with the evidence and the configuration that fixes it per product.</summary>
public sealed class AssessmentFinding
{
    /// <summary>Stable identifier (Tls10Enabled, NoForwardSecrecy, ...): the key of the finding catalog.</summary>
    public string Id { get; set; } = "";
    public FindingSeverity Severity { get; set; }
    public string Title { get; set; } = "";
    /// <summary>What crossed the wire that shows it.</summary>
    public string Evidence { get; set; } = "";
    public string Remedy { get; set; } = "";
    /// <summary>The grade caps, profile deviations and chain problems this finding answers ("grade B Tls10; intermediate Protocol"), joined with "; "; null when only the evidence raised it.</summary>
    public string? Causes { get; set; }
    public string? Nginx { get; set; }
    public string? Apache { get; set; }
    public string? HAProxy { get; set; }
    /// <summary>IIS and Windows: PowerShell (Disable-TlsCipherSuite, Enable-TlsCipherSuite) and SCHANNEL registry keys.</summary>
    public string? Windows { get; set; }
    public string? Postfix { get; set; }
    public string? Dovecot { get; set; }

    public override string ToString() => $"{Severity} {Id}";
}

/// <summary>Findings of one server. Its text form (what Export-Csv writes) is "Severity Id" per finding, joined with "; ".</summary>
public sealed class FindingList : ReadOnlyCollection<AssessmentFinding>
{
    public static readonly FindingList Empty = new FindingList(new AssessmentFinding[0]);
    public FindingList(IList<AssessmentFinding> findings) : base(findings) { }
    public override string ToString() => string.Join("; ", this.Select(f => f.ToString()));
}

/// <summary>One cap or warning of the rating guide that applied, with its evidence.</summary>
public sealed class GradeCap
{
    /// <summary>The rule's name in the grade-rule table (Ssl2Supported, NoTls13, ...).</summary>
    public string Rule { get; set; } = "";
    /// <summary>The highest grade the rule allows: F, C, B, A-, or T / M for trust and name.</summary>
    public string Cap { get; set; } = "";
    /// <summary>What was seen.</summary>
    public string Reason { get; set; } = "";
    /// <summary>Where the rule comes from (guide version and section).</summary>
    public string Source { get; set; } = "";

    public override string ToString() => $"{Cap}: {Reason}";
}

/// <summary>Caps applied. Its text form is the caps joined with "; ".</summary>
public sealed class GradeCapList : ReadOnlyCollection<GradeCap>
{
    public static readonly GradeCapList Empty = new GradeCapList(new GradeCap[0]);
    public GradeCapList(IList<GradeCap> caps) : base(caps) { }
    public override string ToString() => string.Join("; ", this.Select(c => c.ToString()));
}

/// <summary>What a Mozilla profile checks, one value per aspect.</summary>
public enum ProfileAspect
{
    Protocol,
    CipherSuite,
    Group,
    CertificateType,
    CertificateCurve,
    CertificateSignature,
    RsaKeySize,
    DhParameterSize,
    EcdhParameterSize,
    CertificateLifespan,
    OcspStapling,
    Hsts,
    ServerOrder,
}

/// <summary>One way the server differs from a profile.</summary>
public sealed class ProfileDeviation
{
    /// <summary>The configuration name in the profile file (modern, intermediate).</summary>
    public string Profile { get; set; } = "";
    public ProfileAspect Aspect { get; set; }
    /// <summary>What the profile asks for.</summary>
    public string Expected { get; set; } = "";
    /// <summary>What the server does.</summary>
    public string Actual { get; set; } = "";
    /// <summary>The deviation in one sentence.</summary>
    public string Message { get; set; } = "";

    public override string ToString() => $"{Profile} {Aspect}: {Message}";
}

/// <summary>Deviations. Its text form is the deviations joined with "; ".</summary>
public sealed class ProfileDeviationList : ReadOnlyCollection<ProfileDeviation>
{
    public static readonly ProfileDeviationList Empty = new ProfileDeviationList(new ProfileDeviation[0]);
    public ProfileDeviationList(IList<ProfileDeviation> deviations) : base(deviations) { }
    public override string ToString() => string.Join("; ", this.Select(d => d.ToString()));
}

/// <summary>One profile configuration checked.</summary>
public sealed class ProfileVerdict
{
    /// <summary>modern, intermediate, or a custom file's configuration name.</summary>
    public string Name { get; set; } = "";
    /// <summary>The guideline version the configuration comes from (6.0).</summary>
    public string Version { get; set; } = "";
    /// <summary>The file the profile was read from; the built-in guideline's URL otherwise.</summary>
    public string Source { get; set; } = "";
    /// <summary>
    /// True when no deviation was seen. An aspect that could not be checked (HSTS with -NoHttp, the certificate when
    /// no chain was read) does not make it false; it is named in <see cref="NotChecked"/> instead, never passed silently.
    /// </summary>
    public bool Compliant { get; set; }
    public int DeviationCount { get; set; }
    /// <summary>Each aspect that could not be checked, "Hsts: -NoHttp: no GET of / was made", joined with "; "; null when every one was.</summary>
    public string? NotChecked { get; set; }
    public ProfileDeviationList Deviations { get; set; } = ProfileDeviationList.Empty;

    public override string ToString() =>
        $"{Name} {Version}: {(Compliant ? "compliant" : DeviationCount == 1 ? "1 deviation" : $"{DeviationCount} deviations")}" + (NotChecked == null ? "" : $" (not checked: {NotChecked})");
}

/// <summary>The verdicts of one server. Its text form (the CSV column) is "intermediate 6.0: compliant; modern 6.0: 3 deviations".</summary>
public sealed class ProfileVerdictList : ReadOnlyCollection<ProfileVerdict>
{
    public static readonly ProfileVerdictList Empty = new ProfileVerdictList(new ProfileVerdict[0]);
    public ProfileVerdictList(IList<ProfileVerdict> verdicts) : base(verdicts) { }
    public override string ToString() => string.Join("; ", this.Select(v => v.ToString()));
}

/// <summary>A configuration text for one server product.</summary>
public sealed class ConfigurationSnippet
{
    /// <summary>nginx, Apache, HAProxy, Windows, Postfix, Dovecot.</summary>
    public string Product { get; set; } = "";
    /// <summary>The profile it implements (intermediate, modern) or the finding it fixes.</summary>
    public string For { get; set; } = "";
    public string Text { get; set; } = "";

    public override string ToString() => $"{Product} ({For})";
}

/// <summary>What the one bounded GET of / after the handshake returned (HTTPS targets).</summary>
public sealed class HttpFacts
{
    /// <summary>The final response's status code; null when no response was read.</summary>
    public int? StatusCode { get; set; }
    /// <summary>The Server header of the first response; null when absent.</summary>
    public string? Server { get; set; }
    /// <summary>The Strict-Transport-Security header as sent; null when absent.</summary>
    public string? StrictTransportSecurity { get; set; }
    /// <summary>max-age in seconds; null when the header is absent or invalid (RFC 6797 6.1).</summary>
    public long? HstsMaxAge { get; set; }
    public bool HstsIncludeSubDomains { get; set; }
    public bool HstsPreload { get; set; }
    /// <summary>Why a header that was sent does not count (a duplicate directive, no max-age); null when valid or absent.</summary>
    public string? HstsProblem { get; set; }
    /// <summary>Same-origin redirects followed on the same connection.</summary>
    public int Redirects { get; set; }
    /// <summary>A redirect not followed (another host, port or scheme), as the Location header gave it.</summary>
    public string? RedirectNotFollowed { get; set; }
    public long BytesRead { get; set; }
    public double ElapsedMs { get; set; }
    /// <summary>Why the GET gave no (complete) answer; null when it did.</summary>
    public string? Problem { get; set; }

    public override string ToString() => StatusCode == null ? $"no response: {Problem}" : $"{StatusCode} {Server}";
}
