using System.Linq;
using System.Threading.Tasks;
using static TlsTools.Assessment.Checks.ScanSuites;

namespace TlsTools.Assessment.Checks;

/// <summary>
/// FREAK (CVE-2015-0204): a server that accepts RSA export suites signs a 512-bit ephemeral RSA key, and a man in the
/// middle who factors it (hours) can make a client that mishandles the export ServerKeyExchange use it. Decided from the
/// scan, without a connection: an RSA export suite accepted with SSLv3 to TLS 1.2 is Vulnerable (SSLv2's export kinds
/// are DROWN's business).
/// </summary>
public sealed class FreakCheck : ServerCheck
{
    public override string Name => "Freak";

    public override Task<CheckOutcome> RunAsync(CheckContext context)
    {
        var export = Of(context).Where(s => s.Export && IsRsaKeyTransport(s) && IsSsl3ToTls12(s)).ToList();
        return Task.FromResult(export.Count > 0
            ? CheckOutcome.Vulnerable($"{FromScan}RSA export suites are accepted: {Describe(export)}; a man in the middle can force a 512-bit RSA key exchange (FREAK)")
            : NoneAccepted(context, "no RSA export suite is accepted"));
    }
}
