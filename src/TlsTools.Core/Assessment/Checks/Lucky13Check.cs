using System.Linq;
using System.Threading.Tasks;
using static TlsTools.Assessment.Checks.ScanSuites;

namespace TlsTools.Assessment.Checks;

/// <summary>
/// Lucky Thirteen (CVE-2013-0169): CBC suites check the MAC after the padding (MAC-then-encrypt), and the time that
/// takes leaks whether the padding was right. Whether the TLS library checks in constant time (OpenSSL 1.0.1d and
/// later, every current library) cannot be seen from the wire without a timing attack, which a check must not mount.
/// The convention here is testssl.sh's: CBC suites accepted with SSLv3 to TLS 1.2 is Vulnerable, "potentially", and the
/// evidence says so; no CBC suite is NotVulnerable. Decided from the scan, without a connection.
/// </summary>
public sealed class Lucky13Check : ServerCheck
{
    public override string Name => "Lucky13";

    public override Task<CheckOutcome> RunAsync(CheckContext context)
    {
        var cbc = Of(context).Where(s => s.Cbc && IsSsl3ToTls12(s)).ToList();
        return Task.FromResult(cbc.Count > 0
            ? CheckOutcome.Vulnerable($"{FromScan}CBC suites are accepted: {Describe(cbc)}; potentially vulnerable: their MAC-then-encrypt padding check leaks timing (Lucky Thirteen) "
                + "unless the TLS library checks in constant time, which cannot be seen from the wire")
            : NoneAccepted(context, "no CBC suite is accepted with SSLv3 to TLS 1.2"));
    }
}
