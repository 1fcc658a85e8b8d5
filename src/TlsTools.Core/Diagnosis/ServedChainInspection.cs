using System;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using TlsTools.Certificates;
using TlsTools.Handshake;
using TlsTools.Net;

namespace TlsTools.Diagnosis;

/// <summary>One server whose chain to inspect, with the inspection settings.</summary>
public sealed class ServedChainRequest
{
    /// <summary>The server to inspect; required.</summary>
    public TargetEndpoint? Target { get; set; }
    public ConnectionOptions Options { get; set; } = new ConnectionOptions();
    /// <summary>The trust anchors the chain is validated with; required.</summary>
    public TrustStore? Trust { get; set; }
    public int WarningDays { get; set; } = 30;
    public bool FetchMissingIssuers { get; set; } = true;
    public bool CheckRevocation { get; set; }
    /// <summary>SHA-1 or SHA-256 of the leaf the server should present; another one is InterceptionSuspected.</summary>
    public string? ExpectedThumbprint { get; set; }
    /// <summary>Also handshake without SNI and with an unknown name, and say how the server treats SNI.</summary>
    public bool CompareServerName { get; set; }
    /// <summary>Narration of each step; null for none.</summary>
    public Action<string>? Log { get; set; }
    /// <summary>
    /// Said over the connection after the handshake (Test-TlsServer's GET of /); the handshake then offers ALPN
    /// http/1.1 only, so the server answers HTTP/1.1. Null closes after the handshake.
    /// </summary>
    public IApplicationExchange? AfterHandshake { get; set; }
}

/// <summary>The inspected chain, or why the server gave none (connection or handshake failure before its Certificate).</summary>
public sealed class ServedChainOutcome
{
    /// <summary>The inspected chain; null when the server gave none.</summary>
    public ChainReport? Report { get; set; }
    public FailureCategory FailureCategory { get; set; }
    /// <summary>Why the server gave no chain; null when it did.</summary>
    public string? FailureReason { get; set; }
    [MemberNotNullWhen(true, nameof(Report))]
    public bool Succeeded => Report != null;
    /// <summary>The handshake as seen (protocol, suite, stapled OCSP, client certificate request); null when the transport failed first.</summary>
    public HandshakeObservation? Observation { get; set; }
    /// <summary>The diagnosis of the handshake without the certificate checks (its rule names the cause of a failure).</summary>
    public Verdict? Verdict { get; set; }
    /// <summary>TCP connections made to the server: the handshake, its follow-ups and the SNI comparison.</summary>
    public int Connections { get; set; }
    /// <summary>The first line of the server's STARTTLS dialogue (it names the product); null without STARTTLS.</summary>
    public string? StartTlsGreeting { get; set; }
}

/// <summary>
/// Get-CertificateChain's network half: one full handshake offering TLS 1.0 to 1.3 (a full handshake,
/// because TLS 1.3 encrypts the Certificate message) asking for a stapled OCSP response, then the chain
/// exactly as sent goes to <see cref="ChainInspector"/>. The handshake is diagnosed as Test-TlsHandshake
/// diagnoses it (proxy, STARTTLS, firewall and path follow-ups) when it yields no chain; with
/// -CompareServerName the SNI comparison runs beside it and can rename a name mismatch SniRouting.
/// </summary>
public static class ServedChainInspection
{
    private const TlsProtocol AllTlsVersions = TlsProtocol.Tls10 | TlsProtocol.Tls11 | TlsProtocol.Tls12 | TlsProtocol.Tls13;
    private static readonly string[] HttpOnly = { "http/1.1" };

    public static async Task<ServedChainOutcome> RunAsync(ServedChainRequest request, CancellationToken cancel)
    {
        var target = request.Target ?? throw new ArgumentException("The request names no server.", nameof(request));
        var options = request.Options;
        // One deadline for the whole target: the handshake, its follow-ups, the SNI comparison beside it, AIA and OCSP fetches.
        var deadline = TargetDeadline.Start(options.Timeout);
        var transcript = new TranscriptRecorder(deadline.Clock, request.Log, $"{target}: ");
        var sni = options.EffectiveServerName(target);
        var profile = ClientProfile.Mainstream(AllTlsVersions, options);
        profile.RequestOcspStaple = true;
        if (request.AfterHandshake != null)
        {
            profile.ApplicationProtocols = HttpOnly;
            profile.AfterHandshake = request.AfterHandshake;
        }

        var handshake = DiagnosedHandshake.RunAsync(target, options, profile, sni, deadline, cancel, transcript);
        var comparison = request.CompareServerName
            ? CompareServerNameAsync(target, options, profile.WithoutExchange(), deadline, cancel)
            : Task.FromResult<ServerNameReport?>(null);
        var diagnosed = await handshake.ConfigureAwait(false);
        var observation = diagnosed.Observation;
        int connections = diagnosed.Connections + (request.CompareServerName && ServerNameComparer.ExpectedName(target, options) != null ? 3 : 0);
        if (observation == null || observation.ServedChain.Count == 0)
        {
            var verdict = diagnosed.Verdict;
            var category = verdict.Category == FailureCategory.None ? FailureCategory.Unknown : verdict.Category;
            var reason = observation == null ? verdict.Reason : $"The server sent no certificate. {verdict.Reason}".Trim();
            // The comparison says whether SNI is why (a server that refuses clients without it).
            var failedComparison = await comparison.ConfigureAwait(false);
            transcript.Note("Deadline", $"{deadline.Accounting} (-TimeoutSec) used" + (deadline.NotChecked == null ? "" : $"; {deadline.NotChecked}"));
            return new ServedChainOutcome
            {
                Observation = observation,
                Verdict = verdict,
                Connections = connections,
                StartTlsGreeting = diagnosed.Transport.Greeting,
                FailureCategory = category,
                FailureReason = deadline.WithNotChecked(failedComparison == null ? reason : $"{reason} {failedComparison.Summary}"),
            };
        }

        var sniReport = await comparison.ConfigureAwait(false);
        if (sniReport != null) transcript.Note("ServerName", sniReport.Summary);
        var report = await ChainInspector.InspectAsync(new ChainInspectionRequest
        {
            Certificates = observation.ServedChain,
            HostName = ServerNameComparer.NameToVerify(target, options),
            Trust = request.Trust,
            WarningDays = request.WarningDays,
            FetchMissingIssuers = request.FetchMissingIssuers,
            CheckRevocation = request.CheckRevocation,
            StapledOcspResponse = observation.StapledOcspResponse,
            // AIA and OCSP fetches wait no longer than the target has left; one with no time left is not started, and says so.
            HttpTimeout = options.Timeout,
            Deadline = deadline,
            ComputerName = target.Host,
            Port = target.Port,
            Log = request.Log,
            ExpectedThumbprint = request.ExpectedThumbprint,
            SniRoutingEvidence = SniRoutingEvidence(sni, observation, sniReport),
        }, cancel).ConfigureAwait(false);
        transcript.Note("Deadline", $"{deadline.Accounting} (-TimeoutSec) used" + (deadline.NotChecked == null ? "" : $"; {deadline.NotChecked}"));
        foreach (var row in report.Certificates)
        {
            row.ServerNameBehavior = sniReport?.Behavior ?? ServerNameBehavior.NotCompared;
            row.ServerNameComparison = sniReport?.Summary;
        }
        return new ServedChainOutcome { Report = report, Observation = observation, Verdict = diagnosed.Verdict, Connections = connections, StartTlsGreeting = diagnosed.Transport.Greeting };
    }

    private static async Task<ServerNameReport?> CompareServerNameAsync(TargetEndpoint target, ConnectionOptions options, ClientProfile profile, TargetDeadline deadline,
        CancellationToken cancel) =>
        await ServerNameComparer.CompareAsync(target, options, profile, ServerNameComparer.ExpectedName(target, options), deadline.Remaining, cancel).ConfigureAwait(false);

    /// <summary>The SniRouting sentence, should the chain's name check fail: null when the comparison does not explain a mismatch.</summary>
    private static string? SniRoutingEvidence(string? sni, HandshakeObservation observation, ServerNameReport? report) =>
        report == null ? null
            : ServerNameComparer.ExplainMismatch(new Verdict(FailureCategory.NameMismatch, null), sni, observation.ServedChain.FirstOrDefault(), report)?.Reason;
}
