using System.Threading.Tasks;
using TlsTools.Catalog;

namespace TlsTools.Assessment.Checks;

/// <summary>
/// Insecure renegotiation (CVE-2009-3555): a server that renegotiates without RFC 5746's binding lets a man in the
/// middle splice his own request in front of the client's. A server whose ServerHello carries renegotiation_info binds
/// every renegotiation to the connection (RFC 5746 3.7), so it is NotVulnerable from that one answer. A server without
/// the extension is vulnerable only if it also accepts a renegotiation; asking that needs a completed handshake and a
/// second ClientHello inside it, which no client of this release makes (BouncyCastle's TLS client refuses to
/// renegotiate), so that case is Inconclusive with what was seen, never NotVulnerable.
/// </summary>
public sealed class InsecureRenegotiationCheck : ServerCheck
{
    public override string Name => "InsecureRenegotiation";

    public override async Task<CheckOutcome> RunAsync(CheckContext context)
    {
        var version = context.BestLegacyVersion;
        if (version == TlsProtocol.None)
            return CheckOutcome.NotApplicable("only TLS 1.3 is accepted, which has no renegotiation (RFC 8446 4.1.2)");
        var answer = await RenegotiationInfo.AskAsync(context, version).ConfigureAwait(false);
        var name = ProtocolVersions.DisplayName(version);
        return answer.Kind switch
        {
            RenegotiationInfoKind.Empty => CheckOutcome.NotVulnerable(
                $"the {name} ServerHello has an empty renegotiation_info extension: renegotiations are bound to the connection (RFC 5746)"),
            RenegotiationInfoKind.NoServerHello => CheckOutcome.Inconclusive(answer.Detail),
            _ => CheckOutcome.Inconclusive(
                $"the {name} ServerHello has no valid renegotiation_info extension (no RFC 5746); whether the server accepts an unprotected renegotiation was not tried: that needs a client that renegotiates"),
        };
    }
}
