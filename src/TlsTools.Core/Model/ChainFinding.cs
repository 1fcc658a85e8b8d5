using System.Security.Cryptography.X509Certificates;

namespace TlsTools;

/// <summary>One problem found in a chain, with the sentence of evidence.</summary>
public sealed class ChainFinding
{
    internal ChainFinding(ChainProblem problem, X509Certificate2? certificate, string message, bool fixedByRepair = false)
    {
        Problem = problem;
        Certificate = certificate;
        Message = message;
        FixedByRepair = fixedByRepair;
    }

    public ChainProblem Problem { get; }
    /// <summary>e.g. "The certificate for CN=www.contoso.com expired on 2026-01-01 00:00 UTC (3 days ago)."</summary>
    public string Message { get; }
    /// <summary>True for a problem of the chain as served that the repaired path no longer has (an intermediate fetched from AIA).</summary>
    public bool FixedByRepair { get; }
    /// <summary>The certificate the problem is about; null for a problem of the whole chain (WrongOrder).</summary>
    public X509Certificate2? Certificate { get; }
    public bool IsFatal => ChainProblemSeverity.IsFatal(Problem);

    public override string ToString() => Message;
}

/// <summary>
/// Findings of one chain. Its text form (what Export-Csv writes) is the problem names, so a CSV column reads as
/// a value rather than a type name; the sentences are in CertificateProblems.
/// </summary>
public sealed class ChainFindingList : System.Collections.ObjectModel.ReadOnlyCollection<ChainFinding>
{
    public static readonly ChainFindingList Empty = new ChainFindingList(new ChainFinding[0]);

    public ChainFindingList(System.Collections.Generic.IList<ChainFinding> findings) : base(findings) { }

    public override string ToString() => string.Join(", ", System.Linq.Enumerable.Select(this, f => f.Problem));
}
