using System.Linq;
using System.Threading.Tasks;
using TlsTools.Catalog;
using TlsTools.Protocol;

namespace TlsTools.Assessment.Checks;

/// <summary>
/// TLS_FALLBACK_SCSV (RFC 7507): a client that retries with a lower version after a failure says so with the suite
/// value 0x5600, and a server that supports a higher version must then refuse with inappropriate_fallback (86), so an
/// attacker who breaks the first attempt cannot force the downgrade. One ClientHello for the second-newest accepted
/// version, with the suites accepted there and 0x5600 last; a ServerHello for that version means the server ignores
/// the signal. A server that accepts one version has nothing to fall back to: NotApplicable without connecting.
/// </summary>
public sealed class FallbackScsvCheck : ServerCheck
{
    /// <summary>TLS_FALLBACK_SCSV (RFC 7507 section 6, IANA 0x56,0x00).</summary>
    public const ushort FallbackScsv = 0x5600;
    /// <summary>inappropriate_fallback (RFC 7507 section 2).</summary>
    public const byte InappropriateFallback = 86;

    static readonly TlsProtocol[] NewestFirst = { TlsProtocol.Tls13, TlsProtocol.Tls12, TlsProtocol.Tls11, TlsProtocol.Tls10, TlsProtocol.Ssl3 };

    public override string Name => "FallbackScsv";

    public override async Task<CheckOutcome> RunAsync(CheckContext context)
    {
        var accepted = NewestFirst.Where(context.Evidence.Accepts).ToList();
        if (accepted.Count == 0) return CheckOutcome.NotApplicable("no protocol version is accepted");
        if (accepted.Count == 1)
            return CheckOutcome.NotApplicable($"only {ProtocolVersions.DisplayName(accepted[0])} is accepted: there is nothing to fall back to");
        TlsProtocol best = accepted[0], lower = accepted[1];
        string bestName = ProtocolVersions.DisplayName(best), lowerName = ProtocolVersions.DisplayName(lower);
        using var exchange = await HelloAnswer.SendAsync(context, new ClientHelloOptions
        {
            Versions = lower,
            CipherSuites = context.AcceptedSuites(lower).Concat(new[] { FallbackScsv }).ToList(),
            ServerName = context.ServerName,
        }).ConfigureAwait(false);
        var asked = $"{CheckWording.AVersion(lower)} ClientHello with TLS_FALLBACK_SCSV (0x5600)";
        if (exchange.First?.Alert?.Description == InappropriateFallback)
            return CheckOutcome.NotVulnerable($"{asked} got alert inappropriate_fallback (86): the server knows it accepts {bestName} and refuses the downgrade (RFC 7507)");
        if (exchange.ServerHello is not ServerHello serverHello)
        {
            var sawOther = exchange.ConnectFailure == null && !exchange.SendFailed && exchange.ParseError == null;
            return CheckOutcome.Inconclusive(sawOther ? $"{asked} got {exchange.First!.Detail}, neither inappropriate_fallback (86) nor a ServerHello" : exchange.Failure(asked)!);
        }
        return serverHello.Version == lower
            ? CheckOutcome.Vulnerable($"{asked} got {CheckWording.AVersion(lower)} ServerHello, though the server accepts {bestName}: it ignores the fallback signal (RFC 7507 requires inappropriate_fallback)")
            : CheckOutcome.Inconclusive($"{asked} got a ServerHello for version 0x{serverHello.VersionCode:X4}, which was not offered");
    }
}
