using System.Linq;
using System.Threading.Tasks;

namespace TlsTools.Assessment.Checks;

/// <summary>
/// Client-initiated renegotiation: each renegotiation costs the server a full handshake's public-key work, so one
/// that accepts them without limit hands a client a cheap denial-of-service lever (THC-SSL-DOS, 2011). One TLS 1.2
/// connection (<see cref="Tls12ProbeSession"/>: ECDHE X25519, AES-128-GCM), then up to <see cref="Attempts"/>
/// renegotiations on it, each completed before the next; the evidence says how many were accepted and how the last
/// ended. An alert (OpenSSL 3's warning no_renegotiation, 100) or a close at the first one is NotVulnerable.
/// TLS 1.3 has no renegotiation (RFC 8446 4.1.2): NotApplicable on a TLS 1.3-only server.
/// </summary>
public sealed class ClientRenegotiationCheck : ServerCheck
{
    /// <summary>Enough to see a rate limit bite (Node.js allows 3 in 10 minutes), few enough to stay polite.</summary>
    public const int Attempts = 10;

    public override string Name => "ClientRenegotiation";

    public override async Task<CheckOutcome> RunAsync(CheckContext context)
    {
        if (context.BestLegacyVersion == TlsProtocol.None)
            return CheckOutcome.NotApplicable("only TLS 1.3 is accepted, which has no renegotiation (RFC 8446 4.1.2)");
        if (!context.Evidence.Accepts(TlsProtocol.Tls12) || !context.AcceptedSuites(TlsProtocol.Tls12).Any(Tls12ProbeSession.Suites.Contains))
            return CheckOutcome.Inconclusive("this check renegotiates with TLS 1.2 ECDHE AES-128-GCM suites, which the server does not accept");
        var connect = await context.ConnectAsync().ConfigureAwait(false);
        if (connect.Connection is not CheckConnection connection) return CheckOutcome.Inconclusive(connect.Failure!);
        using (connection)
        {
            var session = new Tls12ProbeSession(connection, context.ServerName);
            var first = await session.HandshakeAsync().ConfigureAwait(false);
            if (first.End != ProbeHandshakeEnd.Completed)
                return CheckOutcome.Inconclusive($"the first TLS 1.2 handshake did not complete: {first.Detail}");
            int accepted = 0;
            ProbeHandshakeResult? last = null;
            while (accepted < Attempts)
            {
                last = await session.HandshakeAsync().ConfigureAwait(false);
                if (last.End != ProbeHandshakeEnd.Completed) break;
                accepted++;
            }
            if (accepted == Attempts)
                return CheckOutcome.Vulnerable($"the server accepted all {Attempts} client-initiated renegotiations on one TLS 1.2 connection (no limit seen)");
            var ending = last!.End switch
            {
                ProbeHandshakeEnd.Alert => $"answered renegotiation {accepted + 1} with {last.Detail}",
                ProbeHandshakeEnd.Closed => $"answered renegotiation {accepted + 1} with {last.Detail}",
                _ => null,
            };
            if (ending == null)
                return CheckOutcome.Inconclusive($"after {accepted} accepted renegotiations, renegotiation {accepted + 1} ended: {last.Detail}");
            return accepted == 0
                ? CheckOutcome.NotVulnerable($"after a completed TLS 1.2 handshake the server {ending}: client-initiated renegotiation is refused")
                : CheckOutcome.Vulnerable($"the server accepted {accepted} client-initiated renegotiations on one TLS 1.2 connection, then {ending}");
        }
    }
}
