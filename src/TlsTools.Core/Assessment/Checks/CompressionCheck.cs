using System.Linq;
using System.Threading.Tasks;
using TlsTools.Catalog;
using TlsTools.Protocol;

namespace TlsTools.Assessment.Checks;

/// <summary>
/// CRIME: does the server compress TLS records? One ClientHello for the newest version below TLS 1.3 that offers
/// DEFLATE (RFC 3749, method 1) before null; the ServerHello's compression_method is the answer. TLS 1.3 has no
/// compression (RFC 8446 4.1.2: legacy_compression_method must be 0), so a TLS 1.3-only server is NotApplicable.
/// </summary>
public sealed class CompressionCheck : ServerCheck
{
    const byte Deflate = 1;

    public override string Name => "Compression";

    public override async Task<CheckOutcome> RunAsync(CheckContext context)
    {
        var version = context.BestLegacyVersion;
        if (version == TlsProtocol.None)
            return CheckOutcome.NotApplicable("only TLS 1.3 is accepted, which has no compression (RFC 8446 4.1.2)");
        using var exchange = await HelloAnswer.SendAsync(context, new ClientHelloOptions
        {
            Versions = version,
            CipherSuites = context.AcceptedSuites(version).ToList(),
            ServerName = context.ServerName,
            CompressionMethods = { Deflate, 0 },
        }).ConfigureAwait(false);
        if (exchange.ServerHello is not ServerHello serverHello)
            return CheckOutcome.Inconclusive(exchange.Failure($"a {ProtocolVersions.DisplayName(version)} ClientHello offering DEFLATE and null compression")!);
        return serverHello.CompressionMethod == Deflate
            ? CheckOutcome.Vulnerable($"the {ProtocolVersions.DisplayName(version)} ServerHello chose compression method 1 (DEFLATE): records are compressed before encryption (CRIME)")
            : serverHello.CompressionMethod == 0
                ? CheckOutcome.NotVulnerable($"offered DEFLATE before null with {ProtocolVersions.DisplayName(version)}, the server chose null compression")
                : CheckOutcome.Vulnerable($"the {ProtocolVersions.DisplayName(version)} ServerHello chose compression method {serverHello.CompressionMethod}, which was not offered");
    }
}
