using System.Linq;
using System.Threading.Tasks;
using static TlsTools.Assessment.Checks.ScanSuites;

namespace TlsTools.Assessment.Checks;

/// <summary>
/// BEAST (CVE-2011-3389): with SSLv3 and TLS 1.0 the IV of a CBC record is the last block of the one before, so a
/// chosen-plaintext attacker in the browser can test guesses at a secret byte by byte. Decided from the scan, without a
/// connection: a CBC suite accepted with SSLv3 or TLS 1.0 is Vulnerable. Clients have mitigated it since 2012 with
/// 1/n-1 record splitting, but what the server allows is certain, so this follows testssl.sh in saying Vulnerable
/// (not Inconclusive) and names the mitigation. Neither version accepted is NotVulnerable: the scan asked for both.
/// </summary>
public sealed class BeastCheck : ServerCheck
{
    const TlsProtocol Affected = TlsProtocol.Ssl3 | TlsProtocol.Tls10;

    public override string Name => "Beast";

    public override Task<CheckOutcome> RunAsync(CheckContext context) => Task.FromResult(Decide(context));

    static CheckOutcome Decide(CheckContext context)
    {
        var suites = Of(context).Where(s => (s.Protocol & Affected) != 0).ToList();
        var cbc = suites.Where(s => s.Cbc).ToList();
        if (cbc.Count > 0)
            return CheckOutcome.Vulnerable($"{FromScan}CBC suites are accepted with {Versions(cbc)}: {Describe(cbc)}; each record's IV is the previous record's last block (BEAST). "
                + "Current clients mitigate it with 1/n-1 record splitting; TLS 1.1 and later use explicit IVs");
        if (suites.Count > 0) return NoneAccepted(context, $"{Versions(suites)} {(suites.Select(s => s.Protocol).Distinct().Count() > 1 ? "are" : "is")} accepted, but with no CBC suite ({Describe(suites)})");
        if (Answer(context, TlsProtocol.Ssl3) == null) return Unanswered(TlsProtocol.Ssl3);
        if (Answer(context, TlsProtocol.Tls10) == null) return Unanswered(TlsProtocol.Tls10);
        return NoneAccepted(context, "neither SSLv3 nor TLS 1.0 is accepted (BEAST needs their chained CBC IVs)");
    }

    static string Versions(System.Collections.Generic.IEnumerable<Grading.GradedSuite> suites) =>
        string.Join(" and ", suites.Select(s => s.Protocol).Distinct().OrderBy(v => v).Select(Catalog.ProtocolVersions.DisplayName));
}
