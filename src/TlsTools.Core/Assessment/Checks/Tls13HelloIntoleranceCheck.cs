using System.Linq;
using TlsTools.Catalog;
using TlsTools.Protocol;

namespace TlsTools.Assessment.Checks;

/// <summary>
/// Does a server without TLS 1.3 answer a TLS 1.3 ClientHello with its best version, as RFC 8446 D.1 and RFC 5246
/// E.1 require (version negotiation)? Every current client offers TLS 1.3 (supported_versions, key_share, TLS 1.3
/// suites); a server that fails on that fails every current client. The control is the classic hello for its best
/// version. NotApplicable when the server accepts TLS 1.3 (it answered such hellos in the scan).
/// </summary>
public sealed class Tls13HelloIntoleranceCheck : HelloIntoleranceCheck
{
    static readonly ushort[] Tls13Suites = { 0x1301, 0x1302, 0x1303 };

    public override string Name => "Tls13HelloIntolerance";

    protected override HelloVariant? Build(CheckContext context, out CheckOutcome? instead)
    {
        instead = null;
        if (context.Evidence.Accepts(TlsProtocol.Tls13))
        {
            instead = CheckOutcome.NotApplicable("the server accepts TLS 1.3: the scan's TLS 1.3 ClientHellos were answered");
            return null;
        }
        var best = context.BestLegacyVersion;
        if (best == TlsProtocol.None) { instead = NothingAccepted(); return null; }
        var control = new ClientHelloOptions { Versions = best, CipherSuites = context.AcceptedSuites(best).ToList(), ServerName = context.ServerName };
        // Every version from the best one up to TLS 1.3, as a client that supports them all offers them.
        var offered = new[] { TlsProtocol.Tls10, TlsProtocol.Tls11, TlsProtocol.Tls12 }.Where(v => v >= best)
            .Aggregate(TlsProtocol.Tls13, (all, v) => all | v);
        var tested = Copy(control, o =>
        {
            o.Versions = offered;
            o.CipherSuites = Tls13Suites.Concat(control.CipherSuites).ToList();
        });
        var bestName = ProtocolVersions.DisplayName(best);
        return new HelloVariant(tested, control, $"its offer of TLS 1.3 (supported_versions {string.Join(", ", ProtocolVersions.Split(offered).Reverse().Select(ProtocolVersions.DisplayName))}, key_share, TLS 1.3 suites)")
        {
            Judge = hello => hello.Version == best ? null
                : CheckOutcome.Vulnerable($"intolerant: offered TLS 1.3 down to {bestName}, the server answered with {ProtocolVersions.DisplayNameOfWire(hello.VersionCode)} although it accepts {bestName}"),
        };
    }
}
