using System.Linq;
using System.Threading.Tasks;
using static TlsTools.Assessment.Checks.ScanSuites;

namespace TlsTools.Assessment.Checks;

/// <summary>
/// POODLE (CVE-2014-3566, RFC 7568): SSLv3's CBC padding is not covered by the MAC, so a man in the middle recovers a
/// byte per 256 tries. Decided from the scan, without a connection: SSLv3 accepted with a CBC suite is Vulnerable.
/// SSLv3 refused is NotVulnerable rather than NotApplicable: the scan asked the server for SSLv3 and it answered as
/// a server without the flaw does. The TLS variant (PoodleTls, a server that does not check TLS padding) is another check.
/// </summary>
public sealed class PoodleCheck : ServerCheck
{
    public override string Name => "Poodle";

    public override Task<CheckOutcome> RunAsync(CheckContext context) => Task.FromResult(Decide(context));

    static CheckOutcome Decide(CheckContext context)
    {
        var ssl3 = Answer(context, TlsProtocol.Ssl3);
        if (ssl3 == null) return Unanswered(TlsProtocol.Ssl3);
        if (ssl3 == false) return CheckOutcome.NotVulnerable(FromScan + "SSLv3 is refused, so there is no SSLv3 CBC padding to attack");
        var suites = Of(context).Where(s => s.Protocol == TlsProtocol.Ssl3).ToList();
        var cbc = suites.Where(s => s.Cbc).ToList();
        if (cbc.Count > 0)
            return CheckOutcome.Vulnerable($"{FromScan}SSLv3 is accepted with CBC suites: {Describe(cbc)}; SSLv3's CBC padding is not covered by the MAC (POODLE, RFC 7568)");
        return NoneAccepted(context, $"SSLv3 is accepted, but with no CBC suite ({Describe(suites)})");
    }
}
