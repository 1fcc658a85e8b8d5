using System.Linq;
using System.Threading.Tasks;
using static TlsTools.Assessment.Checks.ScanSuites;

namespace TlsTools.Assessment.Checks;

/// <summary>
/// RC4 (CVE-2013-2566, CVE-2015-2808 "Bar Mitzvah"): RC4's keystream biases let plaintext repeated across many
/// connections (a cookie) be recovered; RFC 7465 prohibits RC4 in TLS. Decided from the scan, without a connection:
/// any accepted RC4 suite (or SSLv2 RC4 kind) is Vulnerable.
/// </summary>
public sealed class Rc4Check : ServerCheck
{
    public override string Name => "Rc4";

    public override Task<CheckOutcome> RunAsync(CheckContext context)
    {
        var rc4 = Of(context).Where(s => s.Rc4).ToList();
        return Task.FromResult(rc4.Count > 0
            ? CheckOutcome.Vulnerable($"{FromScan}RC4 suites are accepted: {Describe(rc4)}; RC4's keystream biases reveal repeated plaintext (RFC 7465 prohibits RC4)")
            : NoneAccepted(context, "no RC4 suite is accepted"));
    }
}
