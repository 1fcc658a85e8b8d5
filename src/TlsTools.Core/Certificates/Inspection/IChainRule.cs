using System.Collections.Generic;

namespace TlsTools.Certificates.Inspection;

/// <summary>One rule of the chain inspection; each knows one problem (or one family) and says why with evidence.</summary>
internal interface IChainRule
{
    IEnumerable<ChainFinding> Check(InspectionContext context);
}
