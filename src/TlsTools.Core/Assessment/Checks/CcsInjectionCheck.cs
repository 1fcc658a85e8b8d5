using System;
using System.Threading.Tasks;
using TlsTools.Catalog;
using TlsTools.Protocol;

namespace TlsTools.Assessment.Checks;

/// <summary>
/// OpenSSL CCS injection (CVE-2014-0224): does the server accept a ChangeCipherSpec before the key exchange? OpenSSL
/// before 0.9.8za, 1.0.0m and 1.0.1h did, and switched to keys made from an empty master secret. One connection: a
/// ClientHello for the newest version below TLS 1.3, the flight to ServerHelloDone, then a ChangeCipherSpec record.
/// The decision, learnt from testssl.sh's (two ChangeCipherSpec records, the answer to the second decides) and made
/// stricter where its "empty reply" says nothing:
/// <list type="bullet">
/// <item>the first ChangeCipherSpec answered with an alert, or the connection ended: NotVulnerable (a fixed server
/// sends unexpected_message, RFC 5246 7.1 / 7.4);</item>
/// <item>silence for 3 s (accepted), then a second ChangeCipherSpec answered with bad_record_mac (20) or
/// decryption_failed (21): Vulnerable, the server had switched to the injected keys and fails to read a plaintext
/// record;</item>
/// <item>the second answered with unexpected_message (10) or handshake_failure (40), or the connection ended:
/// NotVulnerable (as testssl.sh reads it);</item>
/// <item>silence to both, another alert, other records or garbage: Inconclusive with what came.</item>
/// </list>
/// TLS 1.3's handshake is protected from the ServerHello on (RFC 8446 5: a ChangeCipherSpec is only ever dropped), so a
/// TLS 1.3-only server is NotApplicable.
/// </summary>
public sealed class CcsInjectionCheck : ServerCheck
{
    const byte UnexpectedMessage = 10, BadRecordMac = 20, DecryptionFailed = 21, HandshakeFailure = 40;
    /// <summary>An accepted ChangeCipherSpec has no answer; how long the check listens for a refusal.</summary>
    static readonly TimeSpan Quiet = TimeSpan.FromSeconds(3);

    public override string Name => "CcsInjection";

    public override async Task<CheckOutcome> RunAsync(CheckContext context)
    {
        var version = context.BestLegacyVersion;
        if (version == TlsProtocol.None)
            return CheckOutcome.NotApplicable("only TLS 1.3 is accepted, whose handshake is protected from the ServerHello on: an early ChangeCipherSpec changes nothing (RFC 8446 5)");
        var name = ProtocolVersions.DisplayName(version);
        var flight = await HelloFlight.OpenAsync(context, version).ConfigureAwait(false);
        using (flight.Connection)
        {
            if (!flight.Complete) return CheckOutcome.Inconclusive(flight.Failure!);
            var connection = flight.Connection!;
            var ccs = ChangeCipherSpec(flight.ServerHello!.VersionCode);
            var early = $"a ChangeCipherSpec sent after the {name} ServerHelloDone, before any key exchange,";
            if (!await connection.SendAsync(ccs).ConfigureAwait(false))
                return CheckOutcome.NotVulnerable($"the server closed the connection before {early} was sent");
            var first = await connection.ReadMessageAsync(Quiet).ConfigureAwait(false);
            if (first.IsAlert) return CheckOutcome.NotVulnerable($"the server refused {early} with {first.Detail}");
            if (first.Silence == SilenceKind.Closed || first.Silence == SilenceKind.Reset)
                return CheckOutcome.NotVulnerable($"the server refused {early} by ending the connection ({first.Detail})");
            if (first.Silence != SilenceKind.Timeout)
                return CheckOutcome.Inconclusive($"the server answered {early} with {first.Detail}");

            var accepted = $"the server took {early} without a word ({first.Detail})";
            if (!await connection.SendAsync(ccs).ConfigureAwait(false))
                return CheckOutcome.NotVulnerable($"{accepted}, then closed the connection before a second was sent");
            var second = await connection.ReadMessageAsync(Quiet).ConfigureAwait(false);
            if (second.Alert is AlertMessage alert)
                switch (alert.Description)
                {
                    case BadRecordMac:
                    case DecryptionFailed:
                        return CheckOutcome.Vulnerable($"{accepted}, and answered a second in plaintext with {second.Detail}: it had switched to keys the injected ChangeCipherSpec made (CCS injection)");
                    case UnexpectedMessage:
                    case HandshakeFailure:
                        return CheckOutcome.NotVulnerable($"{accepted}, but refused a second with {second.Detail}");
                    default:
                        return CheckOutcome.Inconclusive($"{accepted}, and answered a second with {second.Detail}, which tells neither way");
                }
            if (second.Silence == SilenceKind.Closed || second.Silence == SilenceKind.Reset)
                return CheckOutcome.NotVulnerable($"{accepted}, but ended the connection at a second ({second.Detail})");
            if (second.Silence == SilenceKind.Timeout)
                return CheckOutcome.Inconclusive($"{accepted}, and a second too ({second.Detail}): a vulnerable OpenSSL answers the second with bad_record_mac, a fixed one the first with unexpected_message");
            return CheckOutcome.Inconclusive($"{accepted}, and answered a second with {second.Detail}");
        }
    }

    /// <summary>A ChangeCipherSpec record (RFC 5246 7.1): content type 20, one byte of value 1.</summary>
    internal static byte[] ChangeCipherSpec(ushort recordVersion) =>
        ClientHelloBuilder.Records(TlsContentType.ChangeCipherSpec, recordVersion, new byte[] { 1 });
}
