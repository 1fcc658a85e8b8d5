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

    public static async Task<DiagnosedHandshake> RunAsync(TargetEndpoint target, ConnectionOptions options, ClientProfile profile, string? sni,
        TimeSpan timeout, CancellationToken cancel, TranscriptRecorder transcript)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        TimeSpan Remaining() => timeout - clock.Elapsed;
        var connected = await TransportConnector.ConnectAsync(target, options, timeout, cancel).ConfigureAwait(false);
        foreach (var step in connected.Steps) transcript.Note(step.Key, step.Value);
        if (connected.Error != TransportError.None || !(connected.Socket is { } socket))
            return new DiagnosedHandshake(connected, null, HandshakeTester.TransportVerdict(connected), 1);

        HandshakeObservation observation;
        using (socket)
            observation = await ManagedHandshakeEngine.RunAsync(socket, profile, sni, Remaining(), cancel, transcript).ConfigureAwait(false);
        var verdict = HandshakeDiagnoser.Diagnose(observation, null, null);
        int connections = 1;
        if (NetworkPathFollowUp.Applies(verdict))
        {
            var followed = await NetworkPathFollowUp.FollowUpAsync(connected.ReconnectTarget, options, profile, sni, observation, verdict, Remaining(), cancel, transcript)
                .ConfigureAwait(false);
            verdict = followed.Verdict;
            connections += followed.Connections;
        }
        return new DiagnosedHandshake(connected, observation, verdict, connections);
    }
}
