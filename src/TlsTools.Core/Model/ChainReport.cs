using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography.X509Certificates;

namespace TlsTools;

/// <summary>An inspected chain: verdicts, every finding, and one <see cref="ChainCertificate"/> row per certificate.</summary>
public sealed class ChainReport
{
    internal ChainReport(string label, IReadOnlyList<ChainFinding> findings, IReadOnlyList<X509Certificate2> path, int rootCount)
    {
        Label = label;
        Findings = findings;
        Path = path;
        _rootCount = rootCount;
    }

    private readonly int _rootCount;

    /// <summary>host:port or the file names.</summary>
    public string Label { get; }
    public bool ChainValid => !Findings.Any(f => f.IsFatal);
    public bool RepairedChainValid => !Findings.Any(f => f.IsFatal && !f.FixedByRepair);
    /// <summary>Distinct problems, in enum order, joined with ", ".</summary>
    public string ChainProblems => string.Join(", ", Findings.Select(f => f.Problem).Distinct().OrderBy(p => p));
    public IReadOnlyList<ChainFinding> Findings { get; }
    /// <summary>The path as built: leaf, intermediates (served or fetched), then the root when one was reached.</summary>
    public IReadOnlyList<X509Certificate2> Path { get; }
    public IReadOnlyList<ChainCertificate> Certificates { get; internal set; } = new ChainCertificate[0];

    /// <summary>What a server should send: leaf, then intermediates in order; the root only when asked.</summary>
    public IReadOnlyList<X509Certificate2> GetBundle(bool includeRoot) =>
        includeRoot ? Path : Path.Take(Path.Count - _rootCount).ToList();

    public override string ToString() => $"{Label}: {(ChainValid ? "valid" : ChainProblems)}";
}
