using System.Linq;
using System.Threading.Tasks;
using static TlsTools.Assessment.Checks.ScanSuites;

namespace TlsTools.Assessment.Checks;

/// <summary>
/// Sweet32 (CVE-2016-2183 for 3DES, CVE-2016-6329 for Blowfish-class ciphers in VPNs): a 64-bit block cipher repeats a
/// block after about 2^32 blocks (32 GB) under one key, and the birthday collision reveals plaintext of a long
/// connection. Decided from the scan, without a connection: any accepted suite (or SSLv2 cipher kind) with 3DES, DES,
/// IDEA or RC2 is Vulnerable.
/// </summary>
public sealed class Sweet32Check : ServerCheck
{
    public override string Name => "Sweet32";

    public override Task<CheckOutcome> RunAsync(CheckContext context)
    {
        var suites = Of(context);
        var block64 = suites.Where(s => s.Block64).ToList();
        return Task.FromResult(block64.Count > 0
            ? CheckOutcome.Vulnerable($"{FromScan}64-bit block ciphers are accepted: {Describe(block64)}; a birthday collision after about 32 GB under one key reveals plaintext (Sweet32)")
            : NoneAccepted(context, $"none of the {suites.Count} accepted suites uses a 64-bit block cipher (3DES, DES, IDEA, RC2)"));
    }
}
