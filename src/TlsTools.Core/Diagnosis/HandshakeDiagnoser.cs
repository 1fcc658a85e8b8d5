using System;
using System.Collections.Generic;
using System.Linq;
using TlsTools.Catalog;
using TlsTools.Certificates;
using TlsTools.Handshake;
using TlsTools.Probing;
using TlsTools.Protocol;

namespace TlsTools.Diagnosis;

/// <summary>The explanation of one attempt: the cause, the evidence in one sentence, and what to change.</summary>
public sealed class Verdict
{
    public Verdict(FailureCategory category, string? reason, string? remedy = null, string? rule = null)
    {
        Category = category;
        Reason = reason;
        Remedy = remedy ?? Remedies.For(category);
        Rule = rule;
    }

    public FailureCategory Category { get; }
    /// <summary>The evidence in one sentence; null for <see cref="Success"/>.</summary>
    public string? Reason { get; }
    /// <summary>What to change; null when the catalog has no remedy for the category.</summary>
    public string? Remedy { get; }
    /// <summary>The name of the diagnosis rule that decided (the results' DiagnosisRule column).</summary>
    public string? Rule { get; }

    /// <summary>This verdict, as decided by the named rule.</summary>
    public Verdict DecidedBy(string rule) => Rule == rule ? this : new Verdict(Category, Reason, Remedy, rule);

    public static readonly Verdict Success = new Verdict(FailureCategory.None, null, null, DiagnosisRules.Trusted);
}

/// <summary>
/// The names of the rules that are not rows of <see cref="HandshakeDiagnoser.Rules"/>: the ones that judge a completed
/// handshake, and the fallback. Every verdict carries one of these or a table row's name.
/// </summary>
public static class DiagnosisRules
{
    /// <summary>The handshake completed and the validator found nothing a strict client refuses.</summary>
    public const string Trusted = "HandshakeTrusted";
    /// <summary>The handshake completed but the validator found a problem that makes strict clients refuse the certificate.</summary>
    public const string CertificateRefused = "CertificateRefused";
    /// <summary>
    /// The table's row for a version or suite refusal (also named here: -Engine Platform sharpens its sentence when the
    /// server refused the platform stack's own offer).
    /// </summary>
    public const string NegotiationRejected = "NegotiationRejected";
    /// <summary>No rule matched: the reason then shows the evidence.</summary>
    public const string NoRuleMatched = "NoRuleMatched";

    // The network-path follow-ups (NetworkPathFollowUp): what a second, different connection proved.
    /// <summary>The handshake stalled, but over a connection with a small MSS the server's flight got through: PathMtuStall.</summary>
    public const string SmallSegmentsGetThrough = "SmallSegmentsGetThrough";
    /// <summary>The ClientHello was reset or swallowed, but plain bytes on the same port got an answer: MiddleboxBlocking.</summary>
    public const string PlainBytesGetThrough = "PlainBytesGetThrough";

    // The SNI comparison (-CompareServerName).
    /// <summary>Without SNI the server presents its default certificate; with the name, the right one: SniRouting.</summary>
    public const string NoSniGetsDefaultCertificate = "NoSniGetsDefaultCertificate";
    /// <summary>The server routes by SNI but maps the name sent to a certificate that does not name it: SniRouting.</summary>
    public const string SniMapsToWrongCertificate = "SniMapsToWrongCertificate";

    /// <summary>The interception check found decisive evidence of a re-signed chain: InterceptionSuspected.</summary>
    public const string ChainResigned = "ChainResigned";

    // What only a capture shows (Read-TlsCapture).
    /// <summary>The capture does not show the connection's ClientHello: nothing to judge.</summary>
    public const string ClientHelloNotCaptured = "ClientHelloNotCaptured";
    /// <summary>The client sent an encrypted alert right after the server's TLS 1.3 flight: almost always a certificate rejection.</summary>
    public const string ClientAbortedEncrypted = "ClientAbortedEncrypted";

    /// <summary>A scanner accepted nothing, and the deadline left no time for the handshake that would say why.</summary>
    public const string ProbesUnanswered = "ProbesUnanswered";
    /// <summary>-Engine Platform: this machine's TLS stack sent no ClientHello at all (its policy allows nothing at the requested versions).</summary>
    public const string PlatformOfferedNothing = "PlatformOfferedNothing";

    /// <summary>The test itself faulted: a bug of this module, not a verdict on the server (the reason says so).</summary>
    public const string TestFault = "TestFault";

    /// <summary>The rule of a connection that failed before TLS (resolve, connect, proxy, STARTTLS): "Transport" and the step's error.</summary>
    public static string Transport(Net.TransportError error) => "Transport" + error;
}

/// <summary>
/// Turns what a managed handshake observed into a verdict. The rules are an ordered table: the first
/// rule whose condition holds names the cause, so the order is the precedence (most specific first).
/// </summary>
public static class HandshakeDiagnoser
{
    // TLS alert descriptions the rules refer to (the wire's code points; names and causes are the alert table's).
    const byte HandshakeFailure = TlsAlertDescription.HandshakeFailure, BadCertificate = TlsAlertDescription.BadCertificate,
        CertificateRevoked = TlsAlertDescription.CertificateRevoked, CertificateExpired = TlsAlertDescription.CertificateExpired,
        CertificateUnknown = TlsAlertDescription.CertificateUnknown, UnknownCa = TlsAlertDescription.UnknownCa, ProtocolVersion = TlsAlertDescription.ProtocolVersion,
        InsufficientSecurity = TlsAlertDescription.InsufficientSecurity, UnrecognizedName = TlsAlertDescription.UnrecognizedName,
        CertificateRequired = TlsAlertDescription.CertificateRequired, NoApplicationProtocol = TlsAlertDescription.NoApplicationProtocol,
        UnsupportedCertificate = TlsAlertDescription.UnsupportedCertificate, AccessDenied = TlsAlertDescription.AccessDenied, DecryptError = TlsAlertDescription.DecryptError;

    static readonly byte[] ClientCertificateRejections = { HandshakeFailure, BadCertificate, CertificateUnknown, CertificateRequired };
    static readonly byte[] NegotiationRejections = { HandshakeFailure, ProtocolVersion, InsufficientSecurity };

    /// <summary>
    /// The alerts a server ends the handshake with after the client's Certificate and CertificateVerify, each with what to
    /// change about the certificate presented; what each means from the server is the alert table's ServerCause.
    /// </summary>
    static readonly Dictionary<byte, string> PresentedCertificateRefusals = new Dictionary<byte, string>
    {
        [UnknownCa] = "Present a client certificate issued by one of the CAs the server accepts, with its intermediates (a PFX or PEM file that holds the chain); or add this certificate's issuing CA to the server's client CA list (nginx ssl_client_certificate, Apache SSLCACertificateFile, IIS the Client Authentication Issuers store).",
        [CertificateExpired] = "Renew the client certificate and present the new one; if it is within its dates, correct the clock of the server (or of this machine).",
        [BadCertificate] = "Check the client certificate against the server's checks: extended key usage clientAuth (or none), key usage digitalSignature, validity dates, a chain to one of the CAs the server accepts; the server's log names the check that failed.",
        [CertificateUnknown] = "Check the client certificate against the server's checks (issuer among the CAs it accepts, clientAuth extended key usage, validity); the server's log names the reason.",
        [CertificateRevoked] = "The issuer has revoked this client certificate: request a new one from the CA and present that.",
        [UnsupportedCertificate] = "Issue the client certificate with a key and usage the server supports: RSA 2048+ or ECDSA P-256/P-384, key usage digitalSignature, extended key usage clientAuth.",
        [AccessDenied] = "The certificate was accepted, but the server's access control refuses this client: ask its administrator to allow this certificate's subject, or present one that is allowed.",
        [DecryptError] = "The server could not verify the CertificateVerify signature: check that the private key belongs to the certificate, and that the server supports the signature scheme (RSA-PSS needs a TLS 1.2+ server that offers it).",
        [HandshakeFailure] = "The server refused the handshake after the client certificate without naming the reason: check its log, then the certificate's issuer, extended key usage clientAuth and validity against what the server accepts.",
        [CertificateRequired] = "The server did not take the certificate that was sent: present one issued by one of the CAs it accepts.",
    };

    /// <summary>
    /// The cause when a client sends this alert to reject the server's certificate (what a capture of a browser or
    /// openssl shows), from the alert table's ClientSends; null for other alerts. OpenSSL and SCHANNEL send unknown_ca
    /// for a self-signed or unknown root.
    /// </summary>
    static FailureCategory? CertificateRejectionByClient(byte alert) => AlertCatalog.ClientRefusalOfServerCertificate(alert);

    /// <summary>
    /// Which of the validator's categories can explain a client's certificate alert (absent: any). unknown_ca is a path
    /// problem, never a date; certificate_expired a date, never the path. The alert alone means the table's ClientSends.
    /// </summary>
    static readonly Dictionary<byte, FailureCategory[]> ValidatorCausesOf = new Dictionary<byte, FailureCategory[]>
    {
        [CertificateRevoked] = new[] { FailureCategory.CertificateRevoked },
        [CertificateExpired] = new[] { FailureCategory.CertificateExpired, FailureCategory.CertificateNotYetValid },
        [UnknownCa] = new[] { FailureCategory.IncompleteChain, FailureCategory.SelfSigned, FailureCategory.UntrustedRoot, FailureCategory.InterceptionSuspected },
    };

    /// <summary>A client that ends the connection after this long without a server byte gave up waiting; sooner, it never waited.</summary>
    static readonly TimeSpan GiveUpSilence = TimeSpan.FromSeconds(1);

    /// <summary>One named rule: when its condition holds, its verdict names the cause (or it declines with null).</summary>
    public sealed class Rule
    {
        public Rule(string name, Func<HandshakeObservation, bool> when, Func<HandshakeObservation, AcceptanceReport?, Verdict?> then)
        {
            Name = name;
            When = when;
            Then = then;
        }
        /// <summary>The rule's name, as results show it in DiagnosisRule and -Verbose narrates it.</summary>
        public string Name { get; }
        public Func<HandshakeObservation, bool> When { get; }
        /// <summary>The verdict, or null when the rule's closer look finds it does not apply after all.</summary>
        public Func<HandshakeObservation, AcceptanceReport?, Verdict?> Then { get; }
    }

    /// <summary>The ordered table: the first rule that holds decides, so the order is the precedence.</summary>
    public static IReadOnlyList<Rule> Rules { get; } = new[]
    {
        new Rule("ServerSilentAfterHello", o => o.TimedOut && o.BytesReceived == 0, (o, _) => new Verdict(FailureCategory.ServerSilent,
            $"The server accepted the TCP connection but sent nothing in {Seconds(o.Elapsed)} after the client's {o.BytesSent}-byte ClientHello.")),
        new Rule("AnswerNotTls", o => !PeerProtocolIdentifier.LooksLikeTls(o.FirstBytesReceived), (o, _) => NotTls(o)),
    }
    // One rule per check of the wire audit, named as the check: the server sent something the protocol forbids.
    .Concat(WireAudit.Checks.Select(check => new Rule(check.Name, o => o.Wire.Violation?.Rule == check.Name,
        (o, _) => o.Wire.Violation is not { } violation ? null : new Verdict(FailureCategory.ProtocolViolation, violation.Reason))))
    .Concat(new[]
    {
        new Rule("HandshakeStalled", o => o.TimedOut, (o, _) => new Verdict(FailureCategory.HandshakeTimeout,
            $"The server answered ({o.BytesReceived} bytes) but the handshake did not finish within {Seconds(o.Elapsed)}; last step: {LastStep(o)}.")),
        new Rule("ClientCertificateRejected", o => PresentedCertificateRefusal(o) != null, (o, _) => ClientCertificateRejected(o)),
        new Rule("ClientCertificateMissing", o => o.ClientCertificateRequested && o.ClientCertificatePresented == null && !o.HandshakeCompleted && ReceivedFatal(o, ClientCertificateRejections),
            (o, _) => new Verdict(FailureCategory.ClientCertificateRequired,
                $"The server requested a client certificate, none was sent{(o.ClientCertificateWithheld is { } why ? $" ({why})" : "")}, and it then ended the handshake with {o.FirstFatalAlert?.Name}.{(o.ClientCertificateAuthorities.Count > 0 ? " " + AcceptedAuthorities(o) : "")}",
                Remedies.For(FailureCategory.ClientCertificateRequired) + " To test with one: -ClientCertificate (a PFX or PEM file with -Password, or an X509Certificate2 with its key).")),
        new Rule("ServerUnrecognizedName", o => ReceivedFatal(o, UnrecognizedName), (o, _) => new Verdict(FailureCategory.UnrecognizedName,
            o.ServerName == null
                ? "The server answered with unrecognized_name (112): it requires SNI and none was sent."
                : $"The server answered with unrecognized_name (112): it has no site for the SNI name '{o.ServerName}'.")),
        new Rule("NoApplicationProtocol", o => ReceivedFatal(o, NoApplicationProtocol), (o, _) => new Verdict(FailureCategory.AlertReceived,
            o.OfferedApplicationProtocols.Count == 0
                ? "The server answered with no_application_protocol (120) although no ALPN was offered: it requires ALPN; name the protocol with -ApplicationProtocol."
                : $"The server answered with no_application_protocol (120): it serves none of the application protocols offered by ALPN ({string.Join(", ", o.OfferedApplicationProtocols)}); try its own with -ApplicationProtocol.",
            Remedies.ForAlert(FailureCategory.AlertReceived, NoApplicationProtocol))),
        new Rule("WeakDhGroupChosen", o => KeyExchangeStrength.IsWeakDhGroup(o.DhPrimeBits), (o, _) => new Verdict(FailureCategory.WeakDhGroup,
            $"The server chose {SuiteName(o.ServerSuite)} with a {o.DhPrimeBits}-bit DH group; current clients require at least {ClientProfile.MinimumDhBits} bits and abort (Logjam).")),
        new Rule(DiagnosisRules.NegotiationRejected, o => AnyFatal(o, NegotiationRejections), (o, report) => Negotiation(o, report)),
        new Rule("ResetAfterClientHello", o => o.BytesReceived == 0 && o.PeerReset, (o, _) => new Verdict(FailureCategory.ConnectionReset,
            $"The connection was reset (TCP RST) right after the client's {o.BytesSent}-byte ClientHello, before any answer.")),
        new Rule("ClosedAfterClientHello", o => o.BytesReceived == 0 && o.PeerClosed, (o, _) => new Verdict(FailureCategory.ConnectionClosed,
            $"The server closed the connection (TCP FIN) right after the client's {o.BytesSent}-byte ClientHello, without an answer or alert.")),
        new Rule("ClientRefusedChosenVersion", o => o.ServerProtocol is { } v && v != TlsProtocol.None && SentFatal(o, ProtocolVersion), (o, _) => new Verdict(FailureCategory.ProtocolVersionMismatch,
            $"The server answered a ClientHello offering {ProtocolMap.Describe(o.OfferedProtocols)} with a {ProtocolMap.Display(o.ServerProtocol)} ServerHello, and the client refused that version with protocol_version (70): the server supports nothing newer than {ProtocolMap.Display(o.ServerProtocol)}, which the client does not accept.")),
        new Rule("ClientGaveUpOnSilence", o => (o.ClientClosed || o.ClientReset) && o.ServerSilence >= GiveUpSilence && o.FirstFatalAlert == null, (o, _) => GaveUp(o)),
        new Rule("ClientEndedHandshake", o => (o.ClientClosed || o.ClientReset) && o.FirstFatalAlert == null, (o, _) => new Verdict(FailureCategory.ConnectionClosed,
            $"The client {ClientEnd(o)} the connection after {LastServerStep(o)} without an alert{(o.ServerSilence is { } s ? $", {Milliseconds(s)} after its own last bytes" : "")}: the server did not end it, and the client gave no reason on the wire.",
            "The client ended the handshake without saying why: its own log or error message names the cause (Resolve-TlsError explains it); common ones are a certificate it refused without an alert, a cancelled request, or a client timeout shorter than the server's answer.")),
        new Rule("ClientRejectedCertificate", o => ClientRejectedCertificate(o) != null, (o, _) => CertificateRejected(o)),
        new Rule("ServerFatalAlert", o => o.FirstFatalAlert != null && o.FirstFatalAlert.Received, (o, _) => o.FirstFatalAlert is not { } alert ? null : new Verdict(FailureCategory.AlertReceived,
            $"The server ended the handshake with {alert.Name} after {LastStep(o)}.",
            Remedies.ForAlert(FailureCategory.AlertReceived, alert.Description))),
        new Rule("ClientFatalAlert", o => o.FirstFatalAlert != null, (o, _) => o.FirstFatalAlert is not { } alert ? null : new Verdict(FailureCategory.AlertReceived,
            $"The client aborted with {alert.Name} after {LastStep(o)}{Meaning(alert)}" +
                (o.Wire.ServerBytes.Length > 0 ? $"; the server sent {o.Wire.Summary}, which breaks no rule the audit checks." : "."),
            Remedies.ForAlert(FailureCategory.AlertReceived, alert.Description))),
        new Rule("ResetDuringHandshake", o => o.PeerReset, (o, _) => new Verdict(FailureCategory.ConnectionReset,
            $"The connection was reset (TCP RST) during the handshake, after {LastStep(o)}, without an alert; the server sent {Evidence(o)}.")),
        new Rule("ClosedDuringHandshake", o => o.PeerClosed, (o, _) => new Verdict(FailureCategory.ConnectionClosed,
            $"The server closed the connection (TCP FIN) after {LastStep(o)}, without an alert.")),
    }).ToList();

    /// <summary>
    /// True when follow-up probes with a broad legacy offer would name what the server does accept: only
    /// after a negotiation alert, and not when the server broke the protocol (then the alert answers that). A reset is left alone: probing again is the wrong reaction to a DPI block.
    /// </summary>
    public static bool NeedsAcceptanceProbe(HandshakeObservation o) =>
        !o.HandshakeCompleted && !o.TimedOut && !o.ClientCertificateRequested && o.Wire.Violation == null &&
        !KeyExchangeStrength.IsWeakDhGroup(o.DhPrimeBits) &&
        AnyFatal(o, NegotiationRejections);

    /// <summary>The verdict for a handshake that did not complete, or for a completed one with certificate problems.</summary>
    public static Verdict Diagnose(HandshakeObservation o, AcceptanceReport? report, ChainValidationResult? chain)
    {
        if (o.HandshakeCompleted)
        {
            var problem = chain?.Problems?.FirstOrDefault();
            return problem == null ? Verdict.Success : new Verdict(problem.Category, problem.Message, problem.Remedy, DiagnosisRules.CertificateRefused);
        }
        foreach (var rule in Rules)
            if (rule.When(o))
            {
                var verdict = rule.Then(o, report);
                if (verdict != null) return verdict.DecidedBy(rule.Name);
            }
        return new Verdict(FailureCategory.Unknown,
            $"The handshake failed after {LastStep(o)} and no rule explains it: the server sent {Evidence(o)}, {Ending(o)}.", rule: DiagnosisRules.NoRuleMatched);
    }

    /// <summary>The alert as the Alert column shows it: "received fatal handshake_failure (40)"; null when there was no fatal alert.</summary>
    public static string? AlertText(HandshakeObservation o) =>
        o.Alerts.FirstOrDefault(a => a.IsFatal)?.ToString();

    /// <summary>
    /// A version or suite rejection, explained by what the follow-up probes found the server accepts.
    /// Null when the probes found nothing the server accepts (so the rejection is not about negotiation).
    /// </summary>
    static Verdict? Negotiation(HandshakeObservation o, AcceptanceReport? report)
    {
        var accepted = report?.Versions?.Where(v => v.Accepted).ToList() ?? new List<VersionAcceptance>();
        string offeredVersions = ProtocolMap.Describe(o.OfferedProtocols);
        var fatal = o.FirstFatalAlert;
        string how = fatal == null ? (o.PeerReset ? "the server reset the connection" : "the server closed the connection")
            : fatal.Received ? $"the server answered with {fatal.Name}" : $"the client aborted with {fatal.Name}";

        if (report == null) return FromAlertAlone(o, offeredVersions, how);
        if (accepted.Count == 0 && report.Versions.Where(v => v.Unanswered).ToList() is { Count: > 0 } unanswered)
        {
            // Timed-out probes prove nothing: decide from the alert alone and say what went unanswered.
            var alone = FromAlertAlone(o, offeredVersions, how);
            var note = $" Follow-up probes of {string.Join(", ", unanswered.Select(v => v.ProtocolName))} got no answer ({unanswered[0].Rejection}), so what the server does accept is not known.";
            return alone == null ? null : new Verdict(alone.Category, alone.Reason + note);
        }
        if (accepted.Count == 0)
        {
            bool version = AnyFatal(o, new[] { ProtocolVersion });
            return new Verdict(version ? FailureCategory.ProtocolVersionMismatch : FailureCategory.NoSharedCipher,
                $"{Capitalize(how)}; follow-up probes found no version or suite it accepts (offered {offeredVersions}).");
        }

        var acceptedOffered = accepted.Where(v => (o.OfferedProtocols & v.Protocol) != 0).ToList();
        if (acceptedOffered.Count == 0)
        {
            var versions = ProtocolMap.Describe(accepted.Aggregate(TlsProtocol.None, (set, v) => set | v.Protocol));
            return new Verdict(FailureCategory.ProtocolVersionMismatch,
                $"The server accepts only {versions}; the client offered {offeredVersions} ({how}).",
                Remedies.For(FailureCategory.ProtocolVersionMismatch) +
                $" For example: Test-TlsHandshake -Protocol {string.Join(",", accepted.Select(v => v.Protocol))}.");
        }

        var suites = acceptedOffered.SelectMany(v => v.Suites.Select(s => (v.Protocol, Suite: s)))
            .Where(x => !o.OfferedSuites.Contains(x.Suite)).ToList();
        if (suites.Count == 0) return null;
        var names = suites.Select(x => CipherSuiteCatalog.NameOf(x.Suite)).Distinct().ToList();
        string list = names.Count <= 4 ? string.Join(", ", names) : string.Join(", ", names.Take(4)) + $" and {names.Count - 4} more";
        return new Verdict(FailureCategory.NoSharedCipher,
            $"The server accepts only {list} ({ProtocolMap.Describe(acceptedOffered.Aggregate(TlsProtocol.None, (s, v) => s | v.Protocol))}); none of the {o.OfferedSuites.Count} offered suites ({how}).");
    }

    /// <summary>
    /// A rejection without follow-up probes (a packet capture cannot probe): the alert and what was
    /// offered are the evidence. Null when the server had already chosen a suite (then it is not about negotiation).
    /// </summary>
    static Verdict? FromAlertAlone(HandshakeObservation o, string offeredVersions, string how)
    {
        if (o.ServerSuite.HasValue) return null;
        if (AnyFatal(o, new[] { ProtocolVersion }))
            return new Verdict(FailureCategory.ProtocolVersionMismatch,
                $"{Capitalize(how)} to a ClientHello offering {offeredVersions}: the server accepts none of those versions.");
        return new Verdict(FailureCategory.NoSharedCipher,
            $"{Capitalize(how)} before any ServerHello, to a ClientHello offering {o.OfferedSuites.Count} suites ({offeredVersions}): the server shares none of them (or none of the offered groups or signature schemes).");
    }

    /// <summary>The server's fatal alert after the client presented its certificate, when it is a refusal of that certificate.</summary>
    static AlertRecord? PresentedCertificateRefusal(HandshakeObservation o) =>
        o.ClientCertificatePresented == null || o.HandshakeCompleted ? null
            : o.Alerts.FirstOrDefault(a => a.Received && a.IsFatal && PresentedCertificateRefusals.ContainsKey(a.Description));

    /// <summary>
    /// The server refused the client certificate presented: the alert says why (its meaning from the server, the table's
    /// ServerCause), the certificate's own dates or issuer sharpen it, and the CA names of the CertificateRequest say what
    /// the server would take.
    /// </summary>
    static Verdict? ClientCertificateRejected(HandshakeObservation o)
    {
        if (!(PresentedCertificateRefusal(o) is { } alert) || !(o.ClientCertificatePresented is { } presented)) return null;
        string cause = AlertCatalog.TryGet(alert.Description, out var info) && info.ServerCause != null ? Lower(info.ServerCause.TrimEnd('.')) : AlertMeaning(alert);
        var now = DateTime.UtcNow;
        string detail = "";
        if (alert.Description == CertificateExpired || alert.Description == BadCertificate || alert.Description == CertificateUnknown)
        {
            if (presented.NotAfter.ToUniversalTime() < now) detail = $"; the certificate expired on {presented.NotAfter.ToUniversalTime():yyyy-MM-dd}";
            else if (presented.NotBefore.ToUniversalTime() > now) detail = $"; the certificate is not valid before {presented.NotBefore.ToUniversalTime():yyyy-MM-dd}";
        }
        if (alert.Description == UnknownCa && o.ClientCertificateAuthorities.Count > 0 && !o.ClientCertificateAuthorities.Contains(presented.Issuer))
            detail = $"; its issuer '{presented.Issuer}' is not among the CAs the server named";
        return new Verdict(FailureCategory.ClientCertificateRequired,
            $"The server refused the client certificate '{presented.Subject}' (issued by '{presented.Issuer}') with {alert.Name}: {cause}{detail}. {AcceptedAuthorities(o)}",
            PresentedCertificateRefusals[alert.Description]);
    }

    /// <summary>The sentence that names the CAs our CertificateRequest listed (whose client certificates the server takes), or says it named none.</summary>
    static string AcceptedAuthorities(HandshakeObservation o) =>
        o.ClientCertificateAuthorities.Count > 0
            ? $"The server accepts client certificates issued by: {string.Join("; ", o.ClientCertificateAuthorities)}."
            : "The server's CertificateRequest named no CA it accepts.";

    /// <summary>The client's fatal certificate alert, if it sent one.</summary>
    static AlertRecord? ClientRejectedCertificate(HandshakeObservation o) =>
        o.Alerts.FirstOrDefault(a => !a.Received && a.IsFatal && a.Detail == null && CertificateRejectionByClient(a.Description) != null);

    /// <summary>
    /// The client refused the served certificate. The alert names the kind of problem; the chain, when it was
    /// visible (TLS 1.2 and earlier) and validated, names the cause: the validator's first problem of the kind the
    /// alert means. A chain this machine accepts means the client's trust or checks differ: the alert's meaning stands.
    /// </summary>
    static Verdict? CertificateRejected(HandshakeObservation o)
    {
        var alert = ClientRejectedCertificate(o);
        if (alert == null) return null;
        if (CertificateRejectionByClient(alert.Description) is not { } category) return null;
        ValidatorCausesOf.TryGetValue(alert.Description, out var explains);
        var leaf = o.ServedChain.FirstOrDefault();
        string what = leaf == null ? "the server's certificate" : $"the server's certificate '{leaf.Subject}' (issued by '{leaf.Issuer}')";
        var validation = o.ServedChainValidation;
        var problem = validation?.Problems.FirstOrDefault(p => explains == null || explains.Contains(p.Category));
        if (problem != null)
            return new Verdict(problem.Category, $"The client rejected {what} with {alert.Name}; validated here: {problem.Message}",
                problem.Remedy ?? Remedies.For(problem.Category));
        if (validation != null)
            return new Verdict(category, $"The client rejected {what} with {alert.Name} ({AlertMeaning(alert)}), but validated here " +
                $"(this machine's trust store or -TrustedRootPath, for '{o.ServerName}', at the capture's time) the chain has no such problem: " +
                "the client's own trust store, clock or checks differ" +
                (validation.Problems.Count == 0 ? "." : $"; the chain's other problem: {validation.Problems[0].Message}"));
        bool selfIssued = leaf != null && o.ServedChain.Count == 1 && leaf.SubjectName.RawData.SequenceEqual(leaf.IssuerName.RawData);
        if (category == FailureCategory.UntrustedRoot && selfIssued) category = FailureCategory.SelfSigned;
        return new Verdict(category, $"The client rejected {what} with {alert.Name}.");
    }

    /// <summary>The client ended the connection after waiting in vain: silent from the start, or stalled mid-handshake.</summary>
    static Verdict GaveUp(HandshakeObservation o)
    {
        string waited = o.ServerSilence is { } s ? Seconds(s) : "a while";
        return o.BytesReceived == 0
            ? new Verdict(FailureCategory.ServerSilent,
                $"The client gave up after {waited}: the server never answered its {o.BytesSent}-byte ClientHello (not one byte back), and the client {ClientEnd(o)} the connection.")
            : new Verdict(FailureCategory.HandshakeTimeout,
                $"The client gave up after {waited} of server silence: the server answered ({o.BytesReceived} bytes, up to {LastServerStep(o)}) but then sent nothing more, and the client {ClientEnd(o)} the connection.");
    }

    static string ClientEnd(HandshakeObservation o) => o.ClientReset ? "reset (TCP RST)" : "closed (TCP FIN)";

    /// <summary>"the server's ServerHelloDone", or "its ClientHello" when the server sent no handshake message.</summary>
    static string LastServerStep(HandshakeObservation o) =>
        o.LastServerMessage is { } m ? $"the server's {m}" : o.BytesReceived > 0 ? LastStep(o) : "its ClientHello";

    static string AlertMeaning(AlertRecord alert) =>
        AlertCatalog.MeaningOf(alert.Description) is string meaning ? Lower(meaning.TrimEnd('.')) : "an alert this catalog does not know";

    static bool SentFatal(HandshakeObservation o, byte description) =>
        o.Alerts.Any(a => !a.Received && a.IsFatal && a.Description == description);

    static string Milliseconds(TimeSpan t) => $"{t.TotalMilliseconds:0} ms";

    static string Lower(string s) => s.Length == 0 ? s : char.ToLowerInvariant(s[0]) + s.Substring(1);

    static Verdict NotTls(HandshakeObservation o)
    {
        var (protocol, hint, excerpt) = PeerProtocolIdentifier.Identify(o.FirstBytesReceived);
        return new Verdict(FailureCategory.NotTls,
            $"The server answered the ClientHello in {protocol}, not TLS: \"{excerpt}\".", hint);
    }

    static bool ReceivedFatal(HandshakeObservation o, params byte[] descriptions) =>
        o.Alerts.Any(a => a.Received && a.IsFatal && descriptions.Contains(a.Description));

    static bool AnyFatal(HandshakeObservation o, byte[] descriptions) =>
        o.Alerts.Any(a => a.IsFatal && descriptions.Contains(a.Description));

    static string SuiteName(int? suite) => suite.HasValue ? CipherSuiteCatalog.NameOf((ushort)suite.Value) : "a DHE suite";

    /// <summary>
    /// The last message the server got to, from the wire where it was plaintext ("its ServerHello (TLS 1.2, ...)"), else
    /// from what the engine decrypted (a TLS 1.3 Certificate), else the ClientHello.
    /// </summary>
    static string LastStep(HandshakeObservation o)
    {
        string? wire = o.Wire.LastMessage;
        if (o.ServedChain.Count > 0 && (wire == null || o.ServerProtocol == TlsProtocol.Tls13)) return "its Certificate";
        if (wire != null) return wire;
        return o.ServerSuite.HasValue ? $"its ServerHello ({ProtocolMap.Display(o.ServerProtocol)}, {SuiteName(o.ServerSuite)})" : "the client's ClientHello";
    }

    /// <summary>What the server sent, as the wire audit summarises it, or its byte count when nothing was recorded.</summary>
    static string Evidence(HandshakeObservation o) =>
        o.Wire.ServerBytes.Length > 0 ? o.Wire.Summary : $"{o.BytesReceived} bytes";

    static string Ending(HandshakeObservation o) =>
        o.PeerReset ? "then the connection was reset (TCP RST)" : o.PeerClosed ? "then closed the connection (TCP FIN)"
        : o.Wire.ClientBoundReached ? o.Wire.Ending : "and the connection was still open";

    /// <summary>": the alert's meaning", from the alert registry.</summary>
    static string Meaning(AlertRecord alert) =>
        AlertCatalog.MeaningOf(alert.Description) is string meaning ? $" ({meaning.TrimEnd('.')})" : "";

    static string Seconds(TimeSpan t) => $"{t.TotalSeconds:0.0} s";

    static string Capitalize(string s) => char.ToUpperInvariant(s[0]) + s.Substring(1);
}
