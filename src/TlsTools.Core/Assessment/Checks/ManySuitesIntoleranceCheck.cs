using System.Linq;

namespace TlsTools.Assessment.Checks;

/// <summary>
/// Does the server read a long cipher list? Some servers and appliances fail (or read only the first 128 entries) when
/// offered more than 128 suites. The accepted ClientHello with its accepted suites last, after assigned suites it
/// does not accept, 160 in all; a server that truncates the list finds nothing it accepts.
/// </summary>
public sealed class ManySuitesIntoleranceCheck : HelloIntoleranceCheck
{
    /// <summary>Well over the 128 some stacks stop at.</summary>
    const int Offered = 160;

    public override string Name => "ManySuitesIntolerance";

    protected override HelloVariant? Build(CheckContext context, out CheckOutcome? instead)
    {
        instead = null;
        if (Accepted(context) is not Protocol.ClientHelloOptions control) { instead = NothingAccepted(); return null; }
        var filler = FillerSuites(control.CipherSuites).Take(System.Math.Max(0, Offered - control.CipherSuites.Count)).ToList();
        var tested = Copy(control, o => o.CipherSuites = filler.Concat(control.CipherSuites).ToList());
        return new HelloVariant(tested, control,
            $"its cipher list: {tested.CipherSuites.Count} suites, the {control.CipherSuites.Count} accepted ones last after {filler.Count} assigned ones it does not accept");
    }
}
