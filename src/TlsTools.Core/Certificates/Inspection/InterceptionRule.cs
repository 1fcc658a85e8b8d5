using System.Collections.Generic;
using System.Linq;

namespace TlsTools.Certificates.Inspection;

/// <summary>
/// The interception rules Test-TlsHandshake uses (<see cref="InterceptionCheck"/>), as chain problems on the
/// leaf: decisive evidence is InterceptionSuspected; a locally added root alone is LocallyAddedRoot, a warning,
/// because that is also how every enterprise CA for internal sites is trusted.
/// </summary>
internal sealed class InterceptionRule : IChainRule
{
    public IEnumerable<ChainFinding> Check(InspectionContext context)
    {
        var finding = InterceptionCheck.Examine(new InterceptionCheck.Input
        {
            Served = context.Served.Select(n => n.Certificate).ToList(),
            Path = context.Path.Certificates.Select(n => n.Certificate).ToList(),
            ExpectedThumbprint = context.ExpectedThumbprint,
            LocalRoots = context.LocalRoots,
        });
        if (!finding.Suspected) yield break;
        yield return Finding.Of(finding.Decisive ? ChainProblem.InterceptionSuspected : ChainProblem.LocallyAddedRoot,
            context.Path.Certificates[0], finding.Evidence);
    }
}
