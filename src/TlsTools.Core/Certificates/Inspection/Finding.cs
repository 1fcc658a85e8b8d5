namespace TlsTools.Certificates.Inspection;

/// <summary>A finding about a node of the chain: the Model's ChainFinding holds the node's certificate, not the node.</summary>
internal static class Finding
{
    public static ChainFinding Of(ChainProblem problem, CertificateNode? node, string message, bool fixedByRepair = false) =>
        new ChainFinding(problem, node?.Certificate, message, fixedByRepair);
}
