using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using TlsTools.Certificates;
using TlsTools.Handshake;
using TlsTools.Net;
using TlsTools.Probing;

namespace TlsTools.Diagnosis;

/// <summary>
/// What Get-TlsProtocolSupport and Get-CipherSupport add after their scan, so that every network cmdlet names
/// the network path as Test-TlsHandshake does:
///  - nothing accepted and some probe met silence, a reset, a failed connect or non-TLS bytes: one mainstream
///    handshake, diagnosed with the firewall follow-ups, names the cause (MiddleboxBlocking, PathMtuStall,
///    ConnectTimeout, ProxyRefused, StartTlsNotOffered, ...). A server that answered every probe with an alert
///    or a ServerHello for another version has simply refused what was asked, in its own words;
///  - the mainstream handshake succeeds (a server that resets versions it has disabled, as Schannel does): no failure;
///  - something was accepted: the chain a probe read in plaintext (or, when no probe got it, one handshake's) goes
///    through the interception check; a handshake that gets no chain at all names why (PathMtuStall when only
///    the ServerHello crosses the path);
///  - -CompareServerName: the three SNI handshakes.
/// These run after the scan, so its per-server connection limit holds, and each connection is counted. They take their
/// time from the target's deadline the scan started (-TimeoutSec bounds the whole target); one that finds no time left
/// does not start, and the rows say what was not checked.
/// </summary>
public static class ScanFollowUp
{
    /// <summary>Versions the extra handshakes offer: every TLS version a current stack still speaks (SSLv3 too, through BouncyCastle).</summary>
    const TlsProtocol HandshakeVersions = TlsProtocol.Ssl3 | TlsProtocol.Tls10 | TlsProtocol.Tls11 | TlsProtocol.Tls12 | TlsProtocol.Tls13;


    const string DiagnosingHandshakeName = "the diagnosing handshake that names why nothing was accepted (with its network-path follow-ups)";
    const string InterceptionHandshakeName = "the interception check (no probe read the chain in plaintext, and a full handshake for it did not fit)";
    const string ServerNameComparisonName = "the SNI comparison (-CompareServerName)";

    public static async Task<IReadOnlyList<TRow>> CompleteAsync<TRow>(ScanRequest request, ScanOutcome<TRow> scan, CancellationToken cancel)
        where TRow : ITargetFindings
    {
        var findings = new Findings { Connections = scan.Connections };
        // The probed address is there exactly when the name resolved.
        if (scan.ResolveFailure != null || !(scan.ProbedTarget is { } probed))
            findings.Verdict = new Verdict(FailureCategory.DnsFailure, scan.ResolveFailure, rule: DiagnosisRules.Transport(Net.TransportError.DnsFailure));
        else
        {
            // The scan itself refuses a request without a target; the follow-ups need its name (SNI, the name to verify).
            var target = request.Target ?? throw new ArgumentException("The scan request names no target.", nameof(request));
            var deadline = scan.Deadline;
            var transcript = new TranscriptRecorder(deadline.Clock, request.Log, $"{target}: ");
            var work = new List<Task>();
            if (scan.AnyAccepted)
                work.Add(Guarded("Interception", () => CheckInterceptionAsync(request, target, probed, scan.ServedChain, findings, deadline, transcript, cancel), transcript, cancel));
            else if (!scan.EveryAnswerWasTls)
                work.Add(Guarded("Diagnose", () => ExplainNothingAcceptedAsync(request, target, probed, findings, deadline, transcript, cancel), transcript, cancel));
            if (request.CompareServerName)
                work.Add(Guarded("ServerName", () => CompareServerNameAsync(request, target, probed, findings, deadline, transcript, cancel), transcript, cancel));
            await Task.WhenAll(work).ConfigureAwait(false);
            findings.NotChecked = deadline.NotChecked;
            transcript.Note("Deadline", $"{deadline.Accounting} (-TimeoutSec) used" + (findings.NotChecked == null ? "" : $"; {findings.NotChecked}"));
        }
        foreach (var row in scan.Rows) findings.ApplyTo(row);
        return scan.Rows;
    }

    /// <summary>
    /// A follow-up that fails unexpectedly costs its own finding, never the scan's rows: the user still gets what
    /// the probes found, and -Verbose says what went wrong.
    /// </summary>
    static async Task Guarded(string step, Func<Task> followUp, TranscriptRecorder transcript, CancellationToken cancel)
    {
        try
        {
            await followUp().ConfigureAwait(false);
        }
        catch (Exception ex) when (!(ex is OperationCanceledException && cancel.IsCancellationRequested))
        {
            transcript.Note(step, $"the follow-up failed: {ex.GetType().Name}: {ex.Message}");
        }
    }

    /// <summary>What the follow-ups found for the target; filled from parallel tasks, each writing its own fields.</summary>
    sealed class Findings
    {
        int _connections;
        public int Connections { get => _connections; set => _connections = value; }
        public void Count(int more) => Interlocked.Add(ref _connections, more);
        /// <summary>Null when no follow-up named a cause.</summary>
        public Verdict? Verdict { get; set; }
        public InterceptionFinding Interception { get; set; } = InterceptionFinding.None;
        /// <summary>Null without -CompareServerName.</summary>
        public ServerNameReport? ServerName { get; set; }
        /// <summary>-CompareServerName when there was no time left for it: the sentence that says so; null otherwise.</summary>
        public string? ServerNameSkipped { get; set; }
        /// <summary>What was not checked for lack of time (the deadline's sentence); null when everything ran.</summary>
        public string? NotChecked { get; set; }

        public void ApplyTo(ITargetFindings row)
        {
            row.Connections = Connections;
            if (Verdict != null && Verdict.Category != FailureCategory.None)
            {
                row.FailureCategory = Verdict.Category;
                row.FailureReason = NotChecked == null ? Verdict.Reason : $"{Verdict.Reason} {NotChecked}".Trim();
                row.Remedy = Verdict.Remedy;
                row.DiagnosisRule = Verdict.Rule;
            }
            row.InterceptionSuspected = Interception.Suspected;
            row.InterceptionEvidence = Interception.Evidence;
            row.ServerNameBehavior = ServerName?.Behavior ?? ServerNameBehavior.NotCompared;
            row.ServerNameComparison = ServerName?.Summary ?? ServerNameSkipped;
        }
    }

    /// <summary>
    /// The extra handshakes offer every version whatever -Protocol narrowed the scan to: they ask whether the target
    /// works at all, whose chain it serves and how it treats SNI, not whether it accepts the versions scanned.
    /// </summary>
    static ClientProfile Profile(ScanRequest request) => ClientProfile.Mainstream(HandshakeVersions, request.Options);

    /// <param name="target">The target as given (its name is the SNI).</param>
    /// <param name="probed">The address the probes connected to.</param>
    static async Task ExplainNothingAcceptedAsync(ScanRequest request, TargetEndpoint target, TargetEndpoint probed, Findings findings, TargetDeadline deadline,
        TranscriptRecorder transcript, CancellationToken cancel)
    {
        if (!deadline.HasTimeForStep)
        {
            // The probes waited to the deadline: some got no complete answer in time, and nothing names why.
            deadline.Skip(DiagnosingHandshakeName);
            transcript.Note("Diagnose", $"nothing accepted; {deadline.NotChecked} ({deadline.Accounting})");
            findings.Verdict = new Verdict(FailureCategory.HandshakeTimeout,
                $"No probe was accepted, and not every probe got a complete answer within -TimeoutSec {deadline.Budget.TotalSeconds:0.###}.", rule: DiagnosisRules.ProbesUnanswered);
            return;
        }
        transcript.Note("Diagnose", $"nothing accepted, and not every probe was answered; one handshake as a mainstream client to name the cause ({NetworkPathFollowUp.Seconds(deadline.Remaining)} left)");
        var sni = request.Options.EffectiveServerName(target);
        var diagnosed = await DiagnosedHandshake.RunAsync(probed, request.Options, Profile(request), sni, deadline, cancel, transcript)
            .ConfigureAwait(false);
        findings.Count(diagnosed.Connections);
        transcript.Note("Diagnose", $"{diagnosed.Verdict.Category}: {diagnosed.Verdict.Reason}");
        // A handshake that works (a server that resets the versions it disabled) is no failure of the target: Verdict None.
        findings.Verdict = diagnosed.Verdict;
    }

    /// <param name="served">The chain a probe read in plaintext; null when none did.</param>
    static async Task CheckInterceptionAsync(ScanRequest request, TargetEndpoint target, TargetEndpoint probed, IReadOnlyList<byte[]>? served, Findings findings,
        TargetDeadline deadline, TranscriptRecorder transcript, CancellationToken cancel)
    {
        var chain = Decode(served);
        var sni = request.Options.EffectiveServerName(target);
        if (chain == null || chain.Count == 0)
        {
            // No probe saw the chain in plaintext: TLS 1.3 encrypts it, so a TLS 1.3-only server needs one full handshake.
            if (!deadline.HasTimeForStep)
            {
                transcript.Note("Interception", deadline.Skip(InterceptionHandshakeName) + $" ({deadline.Accounting})");
                return;
            }
            transcript.Note("Interception", "no probe read the certificate chain; one full handshake for it");
            var diagnosed = await DiagnosedHandshake.RunAsync(probed, request.Options, Profile(request), sni, deadline, cancel, transcript)
                .ConfigureAwait(false);
            findings.Count(diagnosed.Connections);
            chain = diagnosed.Observation?.ServedChain.ToList();
            if (chain == null || chain.Count == 0)
            {
                // The server accepts versions, yet a whole handshake on this path yields no chain (the ServerHello
                // arrives, the certificate flight never does): that is the finding, as Test-TlsHandshake would name it.
                findings.Verdict = diagnosed.Verdict;
                return;
            }
        }
        var validated = ChainValidator.Validate(chain, ServerNameComparer.NameToVerify(target, request.Options), DateTime.UtcNow,
            request.Trust ?? TrustStore.Load(null));
        findings.Interception = InterceptionCheck.Examine(new InterceptionCheck.Input
        {
            Served = chain,
            Path = validated.Path,
            ExpectedThumbprint = request.ExpectedThumbprint,
            LocalRoots = LocallyAddedRoots.ForThisMachine,
        });
        if (findings.Interception.Suspected) transcript.Note("Interception", findings.Interception.Evidence);
    }

    /// <summary>The probe's DER certificates, or null when any is not a certificate (a broken or hostile server): then the handshake's chain is used.</summary>
    static List<X509Certificate2>? Decode(IReadOnlyList<byte[]>? der)
    {
        if (der == null) return null;
        try
        {
            return der.Select(d => new X509Certificate2(d)).ToList();
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    static async Task CompareServerNameAsync(ScanRequest request, TargetEndpoint target, TargetEndpoint probed, Findings findings, TargetDeadline deadline,
        TranscriptRecorder transcript, CancellationToken cancel)
    {
        if (!deadline.HasTimeForStep)
        {
            findings.ServerNameSkipped = deadline.Skip(ServerNameComparisonName);
            transcript.Note("ServerName", findings.ServerNameSkipped + $" ({deadline.Accounting})");
            return;
        }
        string? expected = ServerNameComparer.ExpectedName(target, request.Options);
        var report = await ServerNameComparer.CompareAsync(probed, request.Options, Profile(request), expected, deadline.Remaining, cancel)
            .ConfigureAwait(false);
        if (expected != null) findings.Count(3);
        findings.ServerName = report;
        transcript.Note("ServerName", report.Summary);
    }
}
