using System.Linq;
using System.Threading.Tasks;
using TlsTools.Catalog;
using TlsTools.Protocol;

namespace TlsTools.Assessment.Checks;

/// <summary>
/// Extended master secret (RFC 7627): does the server bind the master secret to the handshake, which ends the
/// triple-handshake attack (Bhargavan et al., 2014)? One ClientHello for the newest version below TLS 1.3 that offers
/// extended_master_secret (23), as every ClientHello of this library does; the ServerHello's echo is the answer.
/// TLS 1.3 has it built into its key schedule (RFC 8446 7.1); SSLv3 has no extensions to carry it.
/// Vulnerable means "no extended master secret".
/// </summary>
public sealed class ExtendedMasterSecretCheck : ServerCheck
{
    public override string Name => "ExtendedMasterSecret";

    public override async Task<CheckOutcome> RunAsync(CheckContext context)
    {
        var version = context.BestLegacyVersion;
        if (version == TlsProtocol.None)
            return CheckOutcome.NotApplicable("only TLS 1.3 is accepted, whose key schedule binds the handshake already (RFC 8446 7.1)");
        if (version == TlsProtocol.Ssl3)
            return CheckOutcome.NotApplicable("the newest version below TLS 1.3 accepted is SSLv3, for which RFC 7627 defines no extended master secret");
        var name = ProtocolVersions.DisplayName(version);
        using var exchange = await HelloAnswer.SendAsync(context, new ClientHelloOptions
        {
            Versions = version,
            CipherSuites = context.AcceptedSuites(version).ToList(),
            ServerName = context.ServerName,
        }).ConfigureAwait(false);
        if (exchange.ServerHello is not ServerHello serverHello)
            return CheckOutcome.Inconclusive(exchange.Failure($"a {name} ClientHello offering extended_master_secret")!);
        return serverHello.HasExtension(TlsExtensionType.ExtendedMasterSecret)
            ? CheckOutcome.NotVulnerable($"has it: the {name} ServerHello echoes extended_master_secret (23), so the master secret is bound to the handshake (RFC 7627)")
            : CheckOutcome.Vulnerable($"no extended master secret: the {name} ServerHello has no extended_master_secret extension (23) although the ClientHello offered it (RFC 7627; triple handshake)");
    }
}
