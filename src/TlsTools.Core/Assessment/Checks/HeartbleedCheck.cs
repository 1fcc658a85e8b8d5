using System;
using System.Linq;
using System.Threading.Tasks;
using TlsTools.Catalog;
using TlsTools.Protocol;

namespace TlsTools.Assessment.Checks;

/// <summary>
/// Heartbleed (CVE-2014-0160): does the server answer a HeartbeatRequest whose payload_length claims more bytes than
/// the record holds with that many bytes, read from its own memory? RFC 6520 section 4 says such a request MUST be
/// discarded silently. One connection: a ClientHello offering heartbeat (extension 15, mode 1 peer_allowed_to_send);
/// a ServerHello without it means the server does not do heartbeat (NotVulnerable). Otherwise, after the flight and
/// before any key exchange (records are still plaintext, as testssl.sh sends it), one HeartbeatRequest record carrying
/// 16 payload bytes and 16 padding bytes but claiming <see cref="ClaimedLength"/>: a small over-read of 32 bytes past
/// the record, never the 16 KiB other scanners claim. The answer's bytes are counted, never kept or shown.
/// Heartbeat is not defined for TLS 1.3 (RFC 8446 has no such extension), so a TLS 1.3-only server is NotApplicable.
/// </summary>
public sealed class HeartbleedCheck : ServerCheck
{
    const byte PeerAllowedToSend = 1, HeartbeatRequest = 1, HeartbeatResponse = 2;
    const int PayloadSent = 16, PaddingSent = 16;
    /// <summary>What the request claims: its payload and padding (32 bytes) and 32 bytes beyond the record.</summary>
    internal const int ClaimedLength = 64;
    /// <summary>A server that discards the request (RFC 6520) sends nothing; how long the check listens for that.</summary>
    static readonly TimeSpan Quiet = TimeSpan.FromSeconds(3);
    /// <summary>Records the server may send first (a late handshake message, a warning) before the check stops listening.</summary>
    const int MaxOtherRecords = 4;

    public override string Name => "Heartbleed";

    public override async Task<CheckOutcome> RunAsync(CheckContext context)
    {
        var version = context.BestLegacyVersion;
        if (version == TlsProtocol.None)
            return CheckOutcome.NotApplicable("only TLS 1.3 is accepted, and heartbeat is not defined in TLS 1.3 (RFC 8446)");
        var name = ProtocolVersions.DisplayName(version);
        var flight = await HelloFlight.OpenAsync(context, version, new TlsExtension(TlsExtensionType.Heartbeat, new[] { PeerAllowedToSend })).ConfigureAwait(false);
        using (flight.Connection)
        {
            if (flight.ServerHello is not ServerHello serverHello) return CheckOutcome.Inconclusive(flight.Failure!);
            if (!serverHello.HasExtension(TlsExtensionType.Heartbeat))
                return CheckOutcome.NotVulnerable($"the server does not negotiate heartbeat: its {name} ServerHello has no heartbeat extension (RFC 6520) for a ClientHello that offered it");
            if (!flight.Complete) return CheckOutcome.Inconclusive(flight.Failure!);
            var connection = flight.Connection!;
            if (!await connection.SendAsync(Request(serverHello.VersionCode)).ConfigureAwait(false))
                return CheckOutcome.NotVulnerable($"the server negotiates heartbeat ({name}) but closed the connection before the HeartbeatRequest was sent");
            var asked = $"a HeartbeatRequest carrying {PayloadSent} payload bytes that claimed {ClaimedLength}";
            for (int i = 0; i <= MaxOtherRecords; i++)
            {
                var read = await connection.ReadMessageAsync(Quiet).ConfigureAwait(false);
                if (read.Message?.ContentType == TlsContentType.Heartbeat) return Judge(read.Message.Body, asked);
                if (read.IsAlert) return CheckOutcome.NotVulnerable($"the server negotiates heartbeat ({name}) and answered {asked} with {read.Detail}");
                switch (read.Silence)
                {
                    case SilenceKind.Timeout:
                        return CheckOutcome.NotVulnerable($"the server negotiates heartbeat ({name}) and sent nothing back for {asked} ({read.Detail}): discarded, as RFC 6520 section 4 requires");
                    case SilenceKind.Closed:
                    case SilenceKind.Reset:
                        return CheckOutcome.NotVulnerable($"the server negotiates heartbeat ({name}) and answered {asked} by ending the connection ({read.Detail})");
                    case SilenceKind.Garbage:
                        return CheckOutcome.Inconclusive($"after {asked} the server sent bytes that are not TLS ({read.Detail})");
                }
            }
            return CheckOutcome.Inconclusive($"after {asked} the server sent {MaxOtherRecords + 1} other records and no HeartbeatResponse");
        }
    }

    /// <summary>
    /// type heartbeat_request, payload_length <see cref="ClaimedLength"/>, a fixed 16-byte payload, 16 bytes of padding
    /// (the minimum RFC 6520 allows): a 35-byte record whose claim runs 32 bytes past its end.
    /// </summary>
    internal static byte[] Request(ushort recordVersion)
    {
        var body = new ByteWriter()
            .Byte(HeartbeatRequest)
            .UInt16(ClaimedLength)
            .Bytes(Enumerable.Range(0, PayloadSent).Select(i => (byte)('A' + i)).ToArray())
            .Bytes(new byte[PaddingSent])
            .ToArray();
        return ClientHelloBuilder.Records(TlsContentType.Heartbeat, recordVersion, body);
    }

    /// <summary>More payload back than was sent is memory the server read past the request: only the count is reported.</summary>
    static CheckOutcome Judge(byte[] body, string asked)
    {
        if (body.Length < 3 || body[0] != HeartbeatResponse)
            return CheckOutcome.Inconclusive($"the server answered {asked} with a heartbeat record that is not a HeartbeatResponse ({body.Length} bytes, type {(body.Length > 0 ? body[0] : 0)})");
        int declared = (body[1] << 8) | body[2];
        int returned = Math.Min(declared, body.Length - 3);
        if (returned > PayloadSent)
        {
            int beyondRecord = returned - PayloadSent - PaddingSent;
            return CheckOutcome.Vulnerable($"the server answered {asked} with a HeartbeatResponse of {returned} payload bytes: "
                + $"{returned - PayloadSent} bytes more than it was sent{(beyondRecord > 0 ? $", {beyondRecord} of them from beyond the request record (server memory; not kept)" : "")}");
        }
        return CheckOutcome.NotVulnerable($"the server answered {asked} with a HeartbeatResponse of {returned} payload bytes, no more than it was sent");
    }
}
