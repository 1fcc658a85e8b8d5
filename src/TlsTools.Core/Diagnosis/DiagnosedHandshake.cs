using System;
using System.Threading;
using System.Threading.Tasks;
using TlsTools.Handshake;
using TlsTools.Net;

namespace TlsTools.Diagnosis;

/// <summary>
/// One managed handshake through the one Net entry point, diagnosed as Test-TlsHandshake diagnoses it without
/// its version/suite probes: transport refusals (proxy, STARTTLS, TCP), alerts, and for a silence, stall or
/// reset the network-path follow-ups (MiddleboxBlocking, PathMtuStall). What Get-CertificateChain and the
/// scanners run when they need a certificate chain or the reason a target gave none.
/// </summary>
public sealed class DiagnosedHandshake
{
    DiagnosedHandshake(TransportOutcome transport, HandshakeObservation? observation, Verdict verdict, int connections)
    {
        Transport = transport;
        Observation = observation;
        Verdict = verdict;
        Connections = connections;
    }

    public TransportOutcome Transport { get; }
    /// <summary>The handshake as seen; null when the transport failed first.</summary>
    public HandshakeObservation? Observation { get; }
    /// <summary>The cause without the certificate checks (the caller judges the chain its own way).</summary>
    public Verdict Verdict { get; }
    /// <summary>TCP connections made: the handshake's and the follow-ups'.</summary>
    public int Connections { get; }

    /// <summary>
    /// The handshake and its follow-ups, all within <paramref name="deadline"/>: the path follow-ups start beside a
    /// handshake still waiting at half its time, or after one that failed early in the time left.
    /// </summary>
    public static async Task<DiagnosedHandshake> RunAsync(TargetEndpoint target, ConnectionOptions options, ClientProfile profile, string? sni,
        TargetDeadline deadline, CancellationToken cancel, TranscriptRecorder transcript)
    {
        var connected = await TransportConnector.ConnectAsync(target, options, deadline.Remaining, cancel).ConfigureAwait(false);
        foreach (var step in connected.Steps) transcript.Note(step.Key, step.Value);
        if (connected.Error != TransportError.None || !(connected.Socket is { } socket))
            return new DiagnosedHandshake(connected, null, HandshakeTester.TransportVerdict(connected), 1);

        HandshakeObservation observation;
        EarlyPathFollowUp early;
        var followUpProfile = profile.WithoutExchange();
        using (socket)
        {
            // The follow-ups watch the handshake, not the application exchange after it (a slow GET is no stalled path).
            var handshakeOver = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            var handshake = ManagedHandshakeEngine.RunAsync(socket, profile, sni, deadline.Remaining, cancel, transcript, () => handshakeOver.TrySetResult(true));
            var handshakePhase = Task.WhenAny(handshake, handshakeOver.Task);
            early = EarlyPathFollowUp.Watch(handshakePhase, connected.ReconnectTarget, options, followUpProfile, sni, deadline, cancel);
            observation = await handshake.ConfigureAwait(false);
        }
        var verdict = HandshakeDiagnoser.Diagnose(observation, null, null);
        int connections = 1;
        if (NetworkPathFollowUp.Applies(verdict))
        {
            var followed = await NetworkPathFollowUp.FollowUpAsync(connected.ReconnectTarget, options, followUpProfile, sni, observation, verdict, deadline, early, cancel, transcript)
                .ConfigureAwait(false);
            verdict = followed.Verdict;
            connections += followed.Connections;
        }
        else
            await early.AbandonAsync().ConfigureAwait(false);
        return new DiagnosedHandshake(connected, observation, verdict, connections);
    }
}
