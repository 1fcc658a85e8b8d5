using System.Linq;
using System.Threading.Tasks;
using static TlsTools.Assessment.Checks.ScanSuites;

namespace TlsTools.Assessment.Checks;

/// <summary>
/// DROWN (CVE-2016-0800): a server that speaks SSLv2 with an RSA key is a Bleichenbacher oracle for that key, so its
/// SSLv2 connections decrypt recorded TLS sessions made with the same key, here or on any other server that shares
/// it. Decided from the scan, without a connection: SSLv2 accepted is Vulnerable (SSLv2 has only RSA key transport).
/// SSLv2 refused is NotVulnerable, with the caveat that the key's other servers cannot be checked from here; a
/// certificate without an RSA key is NotApplicable. The grade's Drown rule reads this check.
/// </summary>
public sealed class DrownCheck : ServerCheck
{
    public override string Name => "Drown";

    public override Task<CheckOutcome> RunAsync(CheckContext context) => Task.FromResult(Decide(context));

    static CheckOutcome Decide(CheckContext context)
    {
        var ssl2 = Answer(context, TlsProtocol.Ssl2);
        if (ssl2 == true)
        {
            var kinds = Of(context).Where(s => s.Protocol == TlsProtocol.Ssl2).Select(s => s.Name);
            return CheckOutcome.Vulnerable($"{FromScan}SSLv2 is accepted ({Grading.GradeFacts.List(kinds)}) with this server's RSA key, whose SSLv2 handshakes decrypt its TLS sessions too (DROWN)");
        }
        if (context.Evidence.Leaf is { } leaf && leaf.KeyAlgorithm != "RSA")
            return CheckOutcome.NotApplicable($"the certificate's key is {leaf.KeyAlgorithm}: SSLv2 has only RSA key transport");
        if (ssl2 == null) return Unanswered(TlsProtocol.Ssl2);
        return CheckOutcome.NotVulnerable(FromScan + "SSLv2 is refused here; key reuse on other hosts cannot be checked from here (a server that shares this RSA key and accepts SSLv2 still decrypts these sessions)");
    }
}
