using System;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using TlsTools.Handshake;
using TlsTools.Net;

namespace TlsTools.Diagnosis;

/// <summary>What the two firewall follow-ups found; each is null when it did not run.</summary>
public sealed class PathEvidence
{
    /// <summary>The handshake repeated over a connection that announced a small MSS.</summary>
    public HandshakeObservation? SmallSegments { get; set; }
    /// <summary>A connection to the same port that carried plain bytes instead of a ClientHello.</summary>
    public PlainBytesOutcome? PlainBytes { get; set; }
}

/// <summary>
/// Names a firewall symptom precisely when the handshake stalled, was swallowed or was reset. Two follow-up
/// connections, run at once so the wait is paid only once:
///  - the handshake again, announcing a 536-byte MSS: if it gets further than the full-size attempt, large
///    segments are lost on the path (PathMtuStall: an MTU black hole, the certificate flight never arrives);
///  - plain bytes on the same port: if they are answered while the ClientHello was reset or swallowed, the
///    path blocks by TLS content (MiddleboxBlocking).
/// Otherwise the original verdict stands, with the follow-ups' findings added as evidence.
/// </summary>
public static class NetworkPathFollowUp
{
    /// <summary>The IPv4 minimum MTU's MSS (RFC 879): what survives almost any tunnel or PPPoE hop.</summary>
    public const int SmallMss = 536;
    // A server reacts to a stray HTTP line in milliseconds; waiting longer only delays the result.
    static readonly TimeSpan PlainBytesWait = TimeSpan.FromSeconds(2);

    static readonly FailureCategory[] Symptoms =
        { FailureCategory.ServerSilent, FailureCategory.HandshakeTimeout, FailureCategory.ConnectionReset };

    public static bool Applies(Verdict verdict) => Symptoms.Contains(verdict.Category);

    /// <summary>The stall happened before the certificate chain: the flight that is larger than one segment.</summary>
    static bool StalledBeforeChain(HandshakeObservation o) => o.TimedOut && !o.HandshakeCompleted && o.ServedChain.Count == 0;

    /// <summary>Reset or swallowed before any answer: the ClientHello itself is what was refused.</summary>
    static bool HelloRefused(HandshakeObservation o) => o.BytesReceived == 0 && (o.PeerReset || o.TimedOut);

    /// <summary>What the follow-ups are called in a "not checked" sentence when there is no time left for them.</summary>
    internal const string FollowUpsName = "the network-path follow-ups (a handshake with small TCP segments, plain bytes on the same port)";

    /// <summary>
    /// The follow-ups the first attempt calls for, now, each waiting no longer than the target's deadline allows.
    /// With no time left they do not start, and the deadline records them as not checked.
    /// </summary>
    public static async Task<PathEvidence> GatherAsync(TargetEndpoint target, ConnectionOptions options, ClientProfile profile, string? sni,
        HandshakeObservation first, TargetDeadline deadline, CancellationToken cancel)
    {
        if (!deadline.HasTimeForStep)
        {
            deadline.Skip(FollowUpsName);
            return new PathEvidence();
        }
        // Never more patience than the first attempt had: a slow server that answers during a longer wait is slow, not an MTU problem.
        var smallWait = deadline.Cap(first.Elapsed);
        var smallSegments = StalledBeforeChain(first)
            ? HandshakeWithSmallSegmentsAsync(target, options, profile, sni, smallWait, cancel)
            : Task.FromResult<HandshakeObservation?>(null);
        var plain = HelloRefused(first)
            ? PlainBytesAsync(target, options, deadline.Cap(PlainBytesWait), cancel)
            : Task.FromResult<PlainBytesOutcome?>(null);
        await Task.WhenAll(smallSegments, plain).ConfigureAwait(false);
        return new PathEvidence { SmallSegments = smallSegments.Result, PlainBytes = plain.Result };
    }

    /// <summary>Of the evidence gathered early (both follow-ups), the part the first attempt calls for.</summary>
    internal static PathEvidence Select(PathEvidence early, HandshakeObservation first) => new PathEvidence
    {
        SmallSegments = StalledBeforeChain(first) ? early.SmallSegments : null,
        PlainBytes = HelloRefused(first) ? early.PlainBytes : null,
    };

    /// <summary>
    /// Gathers the evidence and explains the verdict with it, narrating each follow-up into the transcript; the
    /// connections it made are counted for the scanners' Connections column. Evidence the early start gathered beside
    /// a handshake that waited to its deadline is used as it is; otherwise the follow-ups run now in the time left.
    /// </summary>
    public static async Task<(Verdict Verdict, int Connections)> FollowUpAsync(TargetEndpoint target, ConnectionOptions options, ClientProfile profile,
        string? sni, HandshakeObservation first, Verdict verdict, TargetDeadline deadline, EarlyPathFollowUp? early, CancellationToken cancel,
        TranscriptRecorder transcript)
    {
        var gathered = early == null ? null : await early.TakeAsync().ConfigureAwait(false);
        PathEvidence evidence;
        if (gathered != null)
        {
            transcript.Note("PathProbe", $"{verdict.Category}: the small-segment handshake and the plain-bytes connection ran beside the first handshake (started at {Seconds(early!.StartedAt)}, when it had waited half its time)");
            evidence = Select(gathered, first);
        }
        else if (deadline.HasTimeForStep)
        {
            transcript.Note("PathProbe", $"{verdict.Category}: checking small TCP segments and plain bytes on the same port ({Seconds(deadline.Remaining)} left)");
            evidence = await GatherAsync(target, options, profile, sni, first, deadline, cancel).ConfigureAwait(false);
        }
        else
        {
            transcript.Note("PathProbe", deadline.Skip(FollowUpsName) + $" ({deadline.Accounting})");
            return (verdict, 0);
        }
        if (evidence.SmallSegments != null)
            transcript.Note("PathProbe", $"with a {SmallMss}-byte MSS: {evidence.SmallSegments.BytesReceived} bytes received, " +
                (evidence.SmallSegments.HandshakeCompleted ? "handshake completed" : evidence.SmallSegments.TimedOut ? "stalled" : "failed"));
        if (evidence.PlainBytes != null)
            transcript.Note("PathProbe", $"plain bytes: {evidence.PlainBytes.Reaction}" +
                (evidence.PlainBytes.BytesReceived > 0 ? $" ({evidence.PlainBytes.BytesReceived} bytes: {evidence.PlainBytes.Excerpt})" : ""));
        int connections = (evidence.SmallSegments != null ? 1 : 0) + (evidence.PlainBytes != null ? 1 : 0);
        return (Explain(verdict, first, evidence), connections);
    }

    /// <summary>Both follow-ups at once, each waiting no longer than <paramref name="deadline"/> allows (the early start).</summary>
    internal static async Task<PathEvidence> GatherBothAsync(TargetEndpoint target, ConnectionOptions options, ClientProfile profile, string? sni,
        TargetDeadline deadline, CancellationToken cancel)
    {
        var smallSegments = HandshakeWithSmallSegmentsAsync(target, options, profile, sni, deadline.Remaining, cancel);
        var plain = PlainBytesAsync(target, options, deadline.Cap(PlainBytesWait), cancel);
        await Task.WhenAll(smallSegments, plain).ConfigureAwait(false);
        return new PathEvidence { SmallSegments = smallSegments.Result, PlainBytes = plain.Result };
    }

    /// <summary>The verdict with the follow-ups taken into account: renamed when they prove a path cause, else with their evidence added.</summary>
    public static Verdict Explain(Verdict original, HandshakeObservation first, PathEvidence evidence)
    {
        var small = evidence.SmallSegments;
        if (small != null && GotFurther(small, first))
            return new Verdict(FailureCategory.PathMtuStall, MtuStallReason(first, small), rule: DiagnosisRules.SmallSegmentsGetThrough);
        var plain = evidence.PlainBytes;
        if (plain != null && plain.PathCarriesPlainBytes)
            return new Verdict(FailureCategory.MiddleboxBlocking, MiddleboxReason(first, plain), rule: DiagnosisRules.PlainBytesGetThrough);
        string notes = string.Join(" ", new[] { SmallSegmentsNote(small), PlainBytesNote(plain) }.Where(n => n != null));
        return notes.Length == 0 ? original : new Verdict(original.Category, $"{original.Reason} {notes}", original.Remedy, original.Rule);
    }

    /// <summary>The handshake over a small-MSS connection; null when that connection could not be made.</summary>
    static async Task<HandshakeObservation?> HandshakeWithSmallSegmentsAsync(TargetEndpoint target, ConnectionOptions options, ClientProfile profile,
        string? sni, TimeSpan timeout, CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        var small = options.Copy();
        small.TcpMaxSegmentSize = SmallMss;
        var connected = await TransportConnector.ConnectAsync(target, small, timeout, cancel).ConfigureAwait(false);
        if (connected.Error != TransportError.None || !(connected.Socket is { } socket)) return null;
        using (socket)
            return await ManagedHandshakeEngine.RunAsync(socket, profile, sni, timeout - clock.Elapsed, cancel, new TranscriptRecorder(clock, null, ""))
                .ConfigureAwait(false);
    }

    static async Task<PlainBytesOutcome?> PlainBytesAsync(TargetEndpoint target, ConnectionOptions options, TimeSpan wait, CancellationToken cancel) =>
        await PlainBytesProbe.RunAsync(target, options, wait, cancel).ConfigureAwait(false);

    static bool GotFurther(HandshakeObservation small, HandshakeObservation first) =>
        small.HandshakeCompleted || small.ServedChain.Count > first.ServedChain.Count || small.BytesReceived > first.BytesReceived && !small.TimedOut;

    static string MtuStallReason(HandshakeObservation first, HandshakeObservation small)
    {
        string stalled = first.BytesReceived == 0
            ? $"nothing arrived in {Seconds(first.Elapsed)} after our ClientHello"
            : first.ServerSuite.HasValue
                ? $"the ServerHello arrived ({first.BytesReceived} bytes) but the certificate chain never did ({Seconds(first.Elapsed)})"
                : $"the first {first.BytesReceived} bytes of the server's flight arrived, then nothing for {Seconds(first.Elapsed)}";
        string through = small.ServedChain.Count > 0
            ? $"the whole flight ({small.BytesReceived} bytes, a {small.ServedChain.Count}-certificate chain) arrived"
            : $"{small.BytesReceived} bytes arrived";
        return $"An MTU-like stall: with full-size TCP segments {stalled}; a second handshake announcing a {SmallMss}-byte MSS got through, {through}. " +
            "Segments larger than some hop's MTU are dropped and the ICMP 'fragmentation needed' never reaches the server (a path-MTU black hole).";
    }

    static string MiddleboxReason(HandshakeObservation first, PlainBytesOutcome plain)
    {
        string hello = first.PeerReset && !first.TimedOut
            ? $"The connection was reset (TCP RST) right after our {first.BytesSent}-byte ClientHello"
            : $"Our {first.BytesSent}-byte ClientHello got no answer in {Seconds(first.Elapsed)}";
        string answer = plain.Reaction == PlainBytesReaction.Answered
            ? $"was answered ({plain.BytesReceived} bytes: \"{plain.Excerpt}\")"
            : "was closed normally by the peer (TCP FIN), not reset";
        return $"{hello}, yet a plain connection to the same port that sent an HTTP HEAD line instead {answer}: plain TCP works, " +
            "so something on the path blocks TLS by its content (a DPI device, IPS or firewall filtering on the ClientHello or its SNI).";
    }

    static string? SmallSegmentsNote(HandshakeObservation? small) =>
        small == null ? null : $"A second handshake announcing a {SmallMss}-byte MSS stalled the same way, so it is not a path-MTU problem.";

    static readonly (PlainBytesReaction Reaction, string? Note)[] PlainNotes =
    {
        (PlainBytesReaction.Reset, "A plain connection to the same port that sent an HTTP HEAD line was reset too: the port resets every connection (the server, or a firewall rule for the port), not only TLS."),
        (PlainBytesReaction.Silent, "A plain connection to the same port that sent an HTTP HEAD line got no answer either: whatever listens holds connections without speaking."),
    };

    /// <summary>The note for the plain connection's reaction; null when it did not run or its reaction needs none.</summary>
    static string? PlainBytesNote(PlainBytesOutcome? plain) =>
        plain == null ? null : PlainNotes.FirstOrDefault(n => n.Reaction == plain.Reaction).Note;

    internal static string Seconds(TimeSpan t) => $"{t.TotalSeconds:0.0} s";
}
