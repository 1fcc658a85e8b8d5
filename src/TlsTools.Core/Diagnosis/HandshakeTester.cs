using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using TlsTools.Catalog;
using TlsTools.Certificates;
using TlsTools.Handshake;
using TlsTools.Net;
using TlsTools.Probing;

namespace TlsTools.Diagnosis;

public enum HandshakeEngine { Managed, Platform, Both }

/// <summary>One target to test, with everything the test needs.</summary>
public sealed class HandshakeTestRequest
{
    /// <summary>The target to test; required.</summary>
    public TargetEndpoint? Target { get; set; }
    public ConnectionOptions Options { get; set; } = new ConnectionOptions();
    /// <summary>Versions to offer; None means what a mainstream client offers (TLS 1.2 and 1.3).</summary>
    public TlsProtocol Protocols { get; set; }
    public HandshakeEngine Engine { get; set; } = HandshakeEngine.Managed;
    /// <summary>The trust anchors the served chain is validated with; required (a served chain cannot be judged without it).</summary>
    public TrustStore? Trust { get; set; }
    /// <summary>Also handshake without SNI and with an unknown name, and say how the server treats SNI.</summary>
    public bool CompareServerName { get; set; }
    /// <summary>SHA-1 or SHA-256 of the leaf the server should present; another certificate is InterceptionSuspected.</summary>
    public string? ExpectedThumbprint { get; set; }
    /// <summary>Ask each certificate's OCSP responder (then its CRL); the stapled response is checked either way.</summary>
    public bool CheckRevocation { get; set; }
    /// <summary>ALPN names to offer instead of the default (h2, http/1.1 without STARTTLS, none with it); empty offers none; null: the default.</summary>
    public IReadOnlyList<string>? ApplicationProtocols { get; set; }
    /// <summary>Narration of each step (called from worker threads); null for none.</summary>
    public Action<string>? Log { get; set; }
}

/// <summary>
/// Test-TlsHandshake's whole job for one target: resolve, connect, handshake with the chosen engine(s),
/// validate the served chain, probe what the server accepts when negotiation failed, and explain.
/// </summary>
public static class HandshakeTester
{
    /// <summary>One result per target in every case: an unexpected fault becomes a result too, never an exception.</summary>
    public static async Task<HandshakeResult> TestAsync(HandshakeTestRequest request, CancellationToken cancel)
    {
        var target = request.Target ?? throw new ArgumentException("The request names no target.", nameof(request));
        try
        {
            return await RunAsync(request, target, cancel).ConfigureAwait(false);
        }
        catch (Exception ex) when (!(ex is OperationCanceledException && cancel.IsCancellationRequested))
        {
            return new HandshakeResult
            {
                ComputerName = target.Host,
                Port = target.Port,
                Engine = request.Engine.ToString(),
                FailureCategory = FailureCategory.Unknown,
                // A fault of this module, not a verdict on the server: its text is what a bug report needs.
                FailureReason = $"The test itself failed: {ex.GetType().Name}: {ex.Message}",
                Remedy = Remedies.For(FailureCategory.Unknown),
                DiagnosisRule = DiagnosisRules.TestFault,
            };
        }
    }

    static async Task<HandshakeResult> RunAsync(HandshakeTestRequest request, TargetEndpoint target, CancellationToken cancel)
    {
        var options = request.Options;
        // One deadline for the whole target: every connection, read and follow-up below takes its time from it.
        var deadline = TargetDeadline.Start(options.Timeout);
        string? sni = options.EffectiveServerName(target);
        string prefix = $"{target}: ";
        var transcript = new TranscriptRecorder(deadline.Clock, request.Log, prefix);
        var result = new HandshakeResult
        {
            ComputerName = target.Host,
            Port = target.Port,
            ServerName = sni,
            Engine = request.Engine.ToString(),
        };

        var profile = ClientProfile.Mainstream(request.Protocols, options);
        if (request.ApplicationProtocols != null) profile.ApplicationProtocols = request.ApplicationProtocols;
        // As browsers do: a stapled "revoked" response must fail the handshake's verdict.
        profile.RequestOcspStaple = true;
        result.OfferedProtocols = ProtocolMap.Describe(profile.Protocols);
        HandshakeObservation? managed = null;
        Verdict? verdict = null;
        AcceptanceReport? report = null;

        // The platform engine's handshake is independent of the managed one: with -Engine Both it runs beside it, in the same budget.
        var platform = request.Engine != HandshakeEngine.Managed
            ? PlatformAttemptAsync(request, target, sni, deadline, cancel, transcript)
            : null;

        if (request.Engine != HandshakeEngine.Platform)
        {
            var connected = await ConnectAsync(target, request.Options, deadline.Remaining, cancel, transcript).ConfigureAwait(false);
            DescribeTransport(result, connected);
            if (connected.Error != TransportError.None || !(connected.Socket is { } socket))
            {
                if (platform != null) await RecordPlatformAsync(request, target, result, sni, null, null, null, await platform.ConfigureAwait(false), deadline, cancel, transcript).ConfigureAwait(false);
                return Finish(Fail(result, transcript, TransportVerdict(connected)), deadline, transcript);
            }

            EarlyPathFollowUp early;
            using (socket)
            {
                var handshake = ManagedHandshakeEngine.RunAsync(socket, profile, sni, deadline.Remaining, cancel, transcript);
                early = EarlyPathFollowUp.Watch(handshake, connected.ReconnectTarget, options, profile, sni, deadline, cancel);
                managed = await handshake.ConfigureAwait(false);
            }
            result.HandshakeMs = Ms(managed.Elapsed);

            if (HandshakeDiagnoser.NeedsAcceptanceProbe(managed))
            {
                if (deadline.HasTimeForStep)
                {
                    transcript.Note("Probe", $"the handshake was rejected; probing which versions and suites the server accepts ({NetworkPathFollowUp.Seconds(deadline.Remaining)} left)");
                    report = await AcceptanceProber.ProbeAsync(connected.ReconnectTarget, options, sni, deadline.Remaining, cancel, deadline: deadline).ConfigureAwait(false);
                    transcript.Note("Probe", DescribeReport(report));
                }
                else
                    transcript.Note("Probe", deadline.Skip(AcceptanceProbeName) + $" ({deadline.Accounting})");
            }

            // The name the certificate must match: the SNI sent, else -ServerName even when -NoServerName keeps it off the wire.
            var chain = await ValidateAsync(request, managed.ServedChain, managed.StapledOcspResponse, ServerNameComparer.NameToVerify(target, options), deadline, cancel)
                .ConfigureAwait(false);
            FillCertificateProblems(result, chain);
            verdict = HandshakeDiagnoser.Diagnose(managed, report, chain);
            verdict = CheckInterception(result, request, managed, chain, verdict);
            if (NetworkPathFollowUp.Applies(verdict))
                verdict = (await NetworkPathFollowUp.FollowUpAsync(connected.ReconnectTarget, options, profile, sni, managed, verdict, deadline, early, cancel, transcript)
                    .ConfigureAwait(false)).Verdict;
            else
                await early.AbandonAsync().ConfigureAwait(false);
            if (request.CompareServerName)
                verdict = await CompareServerNameAsync(result, target, connected.ReconnectTarget, request, profile, sni, managed, verdict, deadline, cancel, transcript).ConfigureAwait(false);
            FillFromManaged(result, managed);
            result.Alert = HandshakeDiagnoser.AlertText(managed);
            ApplyVerdict(result, verdict);
        }

        if (platform != null)
            await RecordPlatformAsync(request, target, result, sni, managed, verdict, report, await platform.ConfigureAwait(false), deadline, cancel, transcript).ConfigureAwait(false);

        return Finish(result, deadline, transcript);
    }

    /// <summary>What the acceptance probe is called in a "not checked" sentence.</summary>
    const string AcceptanceProbeName = "which versions and suites the server accepts (the probe after a rejected handshake)";
    const string ServerNameComparisonName = "the SNI comparison (-CompareServerName)";

    /// <summary>
    /// The budget's accounting into the transcript, and what was not checked for lack of time into the reason of a
    /// failed result (a result that succeeded says it where the skipped step's own column is).
    /// </summary>
    static HandshakeResult Finish(HandshakeResult result, TargetDeadline deadline, TranscriptRecorder transcript)
    {
        transcript.Note("Diagnosis", $"rule {result.DiagnosisRule ?? DiagnosisRules.NoRuleMatched} decided: {result.FailureCategory}");
        var notChecked = deadline.NotChecked;
        transcript.Note("Deadline", $"{deadline.Accounting} (-TimeoutSec) used" + (notChecked == null ? "" : $"; {notChecked}"));
        if (notChecked != null && result.FailureCategory != FailureCategory.None)
            result.FailureReason = deadline.WithNotChecked(result.FailureReason);
        result.Transcript = transcript.Entries;
        return result;
    }

    /// <summary>Flags a re-signed chain; decisive evidence replaces the certificate verdict of a completed handshake.</summary>
    static Verdict CheckInterception(HandshakeResult result, HandshakeTestRequest request, HandshakeObservation managed, ChainValidationResult? chain, Verdict verdict)
    {
        var finding = InterceptionCheck.Examine(new InterceptionCheck.Input
        {
            Served = managed.ServedChain,
            Path = chain?.Path ?? Array.Empty<System.Security.Cryptography.X509Certificates.X509Certificate2>(),
            ExpectedThumbprint = request.ExpectedThumbprint,
            LocalRoots = LocallyAddedRoots.ForThisMachine,
        });
        result.InterceptionSuspected = finding.Suspected;
        result.InterceptionEvidence = finding.Evidence;
        return finding.Decisive && managed.HandshakeCompleted ? new Verdict(FailureCategory.InterceptionSuspected, finding.Evidence, rule: DiagnosisRules.ChainResigned) : verdict;
    }

    /// <param name="target">The target as given (whose name the certificate must match).</param>
    /// <param name="reconnect">Where to connect for the comparison's handshakes.</param>
    static async Task<Verdict> CompareServerNameAsync(HandshakeResult result, TargetEndpoint target, TargetEndpoint reconnect, HandshakeTestRequest request, ClientProfile profile,
        string? sni, HandshakeObservation managed, Verdict verdict, TargetDeadline deadline, CancellationToken cancel, TranscriptRecorder transcript)
    {
        string? expected = ServerNameComparer.ExpectedName(target, request.Options);
        if (!deadline.HasTimeForStep)
        {
            result.ServerNameComparison = deadline.Skip(ServerNameComparisonName);
            transcript.Note("ServerName", result.ServerNameComparison + $" ({deadline.Accounting})");
            return verdict;
        }
        transcript.Note("ServerName", $"comparing handshakes with SNI '{expected}', without SNI and with '{ServerNameComparer.WrongName}'");
        var report = await ServerNameComparer.CompareAsync(reconnect, request.Options, profile, expected, deadline.Remaining, cancel).ConfigureAwait(false);
        transcript.Note("ServerName", report.Summary);
        result.ServerNameBehavior = report.Behavior;
        result.ServerNameComparison = report.Summary;
        result.DefaultCertificateSubject = report.WithoutName?.Leaf?.Subject;
        return ServerNameComparer.ExplainMismatch(verdict, sni, managed.ServedChain.FirstOrDefault(), report) ?? verdict;
    }

    /// <summary>The platform engine's connection and handshake, or the transport failure that prevented it.</summary>
    sealed class PlatformAttempt
    {
        public PlatformAttempt(TransportOutcome connected, PlatformOutcome? outcome) { Connected = connected; Outcome = outcome; }
        public TransportOutcome Connected { get; }
        /// <summary>Null when the connection failed.</summary>
        public PlatformOutcome? Outcome { get; }
    }

    static async Task<PlatformAttempt> PlatformAttemptAsync(HandshakeTestRequest request, TargetEndpoint target, string? sni, TargetDeadline deadline,
        CancellationToken cancel, TranscriptRecorder transcript)
    {
        var connected = await ConnectAsync(target, request.Options, deadline.Remaining, cancel, transcript).ConfigureAwait(false);
        if (connected.Error != TransportError.None || !(connected.Socket is { } socket))
            return new PlatformAttempt(connected, null);
        using (socket)
        {
            transcript.Note("Platform", $"SslStream ({PlatformTlsPolicy.StackName}) handshake, versions {(request.Protocols == TlsProtocol.None ? "OS default" : ProtocolMap.Describe(request.Protocols))}");
            var platform = await PlatformHandshakeEngine.RunAsync(socket, sni ?? connected.Address?.ToString() ?? target.Host, request.Protocols, deadline.Remaining, cancel,
                request.Options.ClientCertificate).ConfigureAwait(false);
            transcript.Note("Platform", platform.HandshakeCompleted
                ? $"completed: {ProtocolMap.Display(platform.Protocol)}, {platform.CipherSuite}"
                : $"failed: {platform.Error}");
            return new PlatformAttempt(connected, platform);
        }
    }

    /// <param name="managed">The managed engine's handshake; null when only the platform engine runs.</param>
    /// <param name="managedVerdict">The managed engine's verdict; null when only the platform engine runs.</param>
    /// <param name="report">What the managed engine's follow-up found the server accepts; null when it did not probe.</param>
    static async Task RecordPlatformAsync(HandshakeTestRequest request, TargetEndpoint target, HandshakeResult result, string? sni,
        HandshakeObservation? managed, Verdict? managedVerdict, AcceptanceReport? report, PlatformAttempt attempt, TargetDeadline deadline, CancellationToken cancel,
        TranscriptRecorder transcript)
    {
        var connected = attempt.Connected;
        bool platformOnly = request.Engine == HandshakeEngine.Platform;
        if (!(attempt.Outcome is { } platform))
        {
            if (platformOnly)
            {
                DescribeTransport(result, connected);
                Fail(result, transcript, TransportVerdict(connected));
            }
            else
            {
                result.PlatformHandshakeCompleted = false;
                result.PlatformFailureReason = connected.Message;
            }
            return;
        }

        var accepts = report?.AcceptedProtocols ?? TlsProtocol.None;
        var own = platform.HandshakeCompleted ? null : PlatformDiagnoser.Explain(platform.Wire, accepts, request.Protocols);
        string? why = platform.HandshakeCompleted ? null : ExplainPlatformFailure(platform, own, managed, managedVerdict, accepts);
        result.PlatformHandshakeCompleted = platform.HandshakeCompleted;
        result.PlatformProtocol = platform.Protocol;
        result.PlatformCipherSuite = platform.CipherSuite;
        result.PlatformFailureReason = why;

        if (!platformOnly) return;
        DescribeTransport(result, connected);
        result.HandshakeMs = Ms(platform.Elapsed);
        result.HandshakeCompleted = platform.HandshakeCompleted;
        result.Protocol = platform.Protocol;
        result.CipherSuite = platform.CipherSuite;
        result.ServedChain = new CertificateList(platform.ServedChain.ToList());
        FillCertificate(result, platform.ServedChain);
        var chain = await ValidateAsync(request, platform.ServedChain, null, sni ?? target.Host, deadline, cancel).ConfigureAwait(false);
        FillCertificateProblems(result, chain);
        // What the platform's ClientHello offered, from the bytes it sent (its offer is the OS policy's, not this module's profile).
        var hello = platform.Wire.ClientHellos.FirstOrDefault();
        var offered = hello?.OfferedProtocols ?? TlsProtocol.None;
        if (hello != null) result.OfferedProtocols = ProtocolMap.Describe(offered);
        var wire = new HandshakeObservation
        {
            OfferedProtocols = offered,
            OfferedSuites = hello?.CipherSuites.Select(s => (int)s).ToList() ?? new List<int>(),
            ServerName = hello?.ServerName,
            HandshakeCompleted = platform.HandshakeCompleted, TimedOut = platform.TimedOut, Elapsed = platform.Elapsed,
            BytesReceived = platform.BytesReceived, FirstBytesReceived = platform.FirstBytesReceived,
            PeerReset = platform.PeerReset, PeerClosed = platform.PeerClosed, ServedChain = platform.ServedChain,
            Wire = platform.Wire, BytesSent = platform.BytesSent,
        };
        wire.Alerts.AddRange(platform.Wire.Alerts);
        var verdict = own ?? HandshakeDiagnoser.Diagnose(wire, null, chain);
        // The server refused the platform's own offer (no alert of the local stack's): say whose offer it was.
        if (own == null && verdict.Rule == DiagnosisRules.NegotiationRejected && verdict.Category == FailureCategory.NoSharedCipher)
            verdict = new Verdict(verdict.Category, $"{verdict.Reason} {PlatformTlsPolicy.ExplainOfferRefused(hello?.CipherSuites ?? Array.Empty<ushort>())}", verdict.Remedy, verdict.Rule);
        ApplyVerdict(result, verdict);
    }


    /// <summary>
    /// Why SslStream failed, from the wire: its own alert (the local policy's refusal), else what the managed engine
    /// learnt of the server (a legacy version, a suite), else what the server sent.
    /// </summary>
    static string ExplainPlatformFailure(PlatformOutcome platform, Verdict? own, HandshakeObservation? managed, Verdict? managedVerdict, TlsProtocol serverAccepts)
    {
        string head = $"SslStream ({PlatformTlsPolicy.StackName}) did not complete the handshake";
        if (own != null) return $"{head}: {own.Reason}";
        var legacy = TlsProtocol.Ssl3 | TlsProtocol.Tls10 | TlsProtocol.Tls11;
        if (managed?.HandshakeCompleted == true && managed.ServerProtocol.HasValue && (managed.ServerProtocol.Value & legacy) != 0)
            return $"{head}. {PlatformTlsPolicy.ExplainVersionRefusal(managed.ServerProtocol.Value)}";
        if (managedVerdict?.Category == FailureCategory.ProtocolVersionMismatch && serverAccepts != TlsProtocol.None)
            return $"{head}. {PlatformTlsPolicy.ExplainVersionRefusal(serverAccepts)}";
        if (managed?.HandshakeCompleted == true && managed.ServerSuite.HasValue)
            return $"{head}. {PlatformTlsPolicy.ExplainSuiteRefusal(Catalog.CipherSuiteCatalog.NameOf((ushort)managed.ServerSuite.Value))}";
        if (managedVerdict != null && managedVerdict.Category != FailureCategory.None)
            return $"{head}; the managed engine fails too: {managedVerdict.Reason}";
        var w = platform.Wire;
        return platform.TimedOut
            ? $"{head} within {platform.Elapsed.TotalSeconds:0.0} s: the server sent {w.Summary}."
            : $"{head}: the server sent {w.Summary}, {w.Ending}{(w.Alerts.FirstOrDefault(a => !a.Received) is { } sent ? $"; this machine's stack sent {sent.Name}" : "")}.";
    }

    /// <summary>Resolve, connect, tunnel and STARTTLS through the one Net entry point, each step into the transcript.</summary>
    static async Task<TransportOutcome> ConnectAsync(TargetEndpoint target, ConnectionOptions options, TimeSpan timeout, CancellationToken cancel, TranscriptRecorder transcript)
    {
        var connected = await TransportConnector.ConnectAsync(target, options, timeout, cancel).ConfigureAwait(false);
        foreach (var step in connected.Steps) transcript.Note(step.Key, step.Value);
        return connected;
    }

    static void DescribeTransport(HandshakeResult result, TransportOutcome connected)
    {
        result.IPAddress = connected.Proxy == null ? connected.Address?.ToString() : null;
        result.ResolveMs = Ms(connected.ResolveElapsed);
        result.ConnectMs = Ms(connected.ConnectElapsed);
        result.Proxy = connected.Proxy?.ToString();
        result.StartTls = connected.StartTls == StartTlsProtocol.None ? null : connected.StartTls.ToString();
    }

    static readonly (TransportError Error, FailureCategory Category)[] TransportCategories =
    {
        (TransportError.DnsFailure, FailureCategory.DnsFailure),
        (TransportError.Refused, FailureCategory.ConnectionRefused),
        (TransportError.Timeout, FailureCategory.ConnectTimeout),
        (TransportError.Unreachable, FailureCategory.NetworkUnreachable),
        (TransportError.ProxyRefused, FailureCategory.ProxyRefused),
        (TransportError.StartTlsNotOffered, FailureCategory.StartTlsNotOffered),
        (TransportError.InvalidProxy, FailureCategory.Unknown),
        (TransportError.Other, FailureCategory.Unknown),
    };

    internal static Verdict TransportVerdict(TransportOutcome connected) =>
        new Verdict(TransportCategories.First(c => c.Error == connected.Error).Category, connected.Message, rule: DiagnosisRules.Transport(connected.Error));

    /// <summary>
    /// The served chain through the one validator Get-CertificateChain uses; null when the server served none.
    /// No AIA fetch: a strict client (Firefox, curl, OpenSSL, Java) does not fetch either, so a missing
    /// intermediate stays IncompleteChain. A served chain needs the request's trust store.
    /// </summary>
    static async Task<ChainValidationResult?> ValidateAsync(HandshakeTestRequest request, IReadOnlyList<System.Security.Cryptography.X509Certificates.X509Certificate2> served,
        byte[]? stapledOcsp, string host, TargetDeadline deadline, CancellationToken cancel)
    {
        if (served.Count == 0) return null;
        var target = request.Target;
        return await ChainValidator.ValidateAsync(new ChainInspectionRequest
        {
            Certificates = served,
            HostName = host,
            Trust = request.Trust ?? throw new ArgumentException("A served chain cannot be judged without a trust store.", nameof(request)),
            FetchMissingIssuers = false,
            CheckRevocation = request.CheckRevocation,
            StapledOcspResponse = stapledOcsp,
            // Revocation downloads (-CheckRevocation) take their time from the target's budget; none starts without time left.
            HttpTimeout = deadline.Remaining > TargetDeadline.MinimumStep ? deadline.Remaining : TargetDeadline.MinimumStep,
            Deadline = deadline,
            ComputerName = target?.Host,
            Port = target?.Port,
            Log = request.Log,
            ExpectedThumbprint = request.ExpectedThumbprint,
        }, cancel).ConfigureAwait(false);
    }

    /// <summary>Every finding, the ones browsers refuse and the ones they tolerate (expires soon, validity too long, ...).</summary>
    static void FillCertificateProblems(HandshakeResult result, ChainValidationResult? chain)
    {
        if (chain == null) return;
        result.CertificateProblems = chain.FindingsText;
        result.CertificateFindings = new ChainFindingList(chain.Findings.ToList());
    }

    static void FillFromManaged(HandshakeResult result, HandshakeObservation managed)
    {
        result.HandshakeCompleted = managed.HandshakeCompleted;
        // What the ServerHello chose is evidence even when the handshake fails later (client certificate, weak DH).
        if (managed.ServerSuite.HasValue)
        {
            result.Protocol = managed.ServerProtocol;
            result.CipherSuite = Catalog.CipherSuiteCatalog.NameOf((ushort)managed.ServerSuite.Value);
            result.KeyExchangeGroup = managed.KeyExchangeGroup;
        }
        result.ApplicationProtocol = managed.ApplicationProtocol;
        result.ClientCertificateRequested = managed.ClientCertificateRequested;
        result.ClientCertificate = managed.ClientCertificatePresented;
        result.ClientCertificateSent = managed.ClientCertificatePresented?.Subject;
        result.ClientCertificateAuthorities = managed.ClientCertificateAuthorities.Count == 0 ? null : string.Join("; ", managed.ClientCertificateAuthorities);
        result.ServedChain = new CertificateList(managed.ServedChain.ToList());
        FillCertificate(result, managed.ServedChain);
    }

    static void FillCertificate(HandshakeResult result, System.Collections.Generic.IReadOnlyList<System.Security.Cryptography.X509Certificates.X509Certificate2> chain)
    {
        var leaf = chain.FirstOrDefault();
        if (leaf == null) return;
        result.Certificate = leaf;
        result.CertificateSubject = leaf.Subject;
        result.CertificateIssuer = leaf.Issuer;
        result.CertificateNotAfter = leaf.NotAfter.ToUniversalTime();
        result.CertificateThumbprint = Thumbprints.Sha256(leaf);
        result.DaysUntilExpiry = (int)Math.Floor((leaf.NotAfter.ToUniversalTime() - DateTime.UtcNow).TotalDays);
    }

    static void ApplyVerdict(HandshakeResult result, Verdict verdict)
    {
        result.FailureCategory = verdict.Category;
        result.FailureReason = verdict.Reason;
        result.Remedy = verdict.Category == FailureCategory.None ? null : verdict.Remedy;
        result.DiagnosisRule = verdict.Rule;
        result.Succeeded = result.HandshakeCompleted && verdict.Category == FailureCategory.None;
    }

    static HandshakeResult Fail(HandshakeResult result, TranscriptRecorder transcript, Verdict verdict)
    {
        ApplyVerdict(result, verdict);
        result.Transcript = transcript.Entries;
        return result;
    }

    static string DescribeReport(AcceptanceReport report)
    {
        var accepted = report.Versions.Where(v => v.Accepted).Select(v => $"{ProtocolMap.Display(v.Protocol)} ({v.Suites.Count} suite(s))").ToList();
        return (accepted.Count == 0 ? "no version accepted" : "accepted: " + string.Join(", ", accepted)) + $"; {report.Connections} connection(s)";
    }

    static double Ms(TimeSpan t) => Math.Round(t.TotalMilliseconds, 1);
}
