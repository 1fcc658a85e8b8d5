using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography.X509Certificates;

namespace TlsTools.Certificates;

/// <summary>The verdict on a served chain. Scalars first (what Export-Csv writes), lists after.</summary>
public sealed class ChainValidationResult
{
    internal ChainValidationResult(IReadOnlyList<CertificateProblem> problems, ChainReport report)
    {
        Problems = problems;
        Report = report;
    }

    /// <summary>No problem a strict client refuses: trusted path of CAs, in date, not revoked, names the host in a SAN, strong keys and signatures.</summary>
    public bool IsValid => Problems.Count == 0;
    /// <summary>The most decisive problem's category, or None when valid.</summary>
    public FailureCategory Category => Problems.Count == 0 ? FailureCategory.None : Problems[0].Category;
    /// <summary>Every refusing problem's message, most decisive first, joined with "; ". Empty when valid.</summary>
    public string Summary => string.Join("; ", Problems);
    /// <summary>Every finding, refusing or not, as "Problem: sentence", joined with "; "; null when there is none.</summary>
    public string? FindingsText => Findings.Count == 0 ? null : string.Join("; ", Findings.Select(f => $"{f.Problem}: {f.Message}"));

    /// <summary>The problems a strict client refuses the chain for, most decisive first.</summary>
    public IReadOnlyList<CertificateProblem> Problems { get; }
    /// <summary>Every finding of the inspection, including those clients tolerate (ExpiresSoon, ValidityTooLong, WrongOrder, ...).</summary>
    public IReadOnlyList<ChainFinding> Findings => Report.Findings;
    /// <summary>The path as built: leaf first, then each issuer, up to the anchor or where building stopped.</summary>
    public IReadOnlyList<X509Certificate2> Path => Report.Path;
    /// <summary>The inspection the verdict was made from (what Get-CertificateChain shows for the same chain).</summary>
    public ChainReport Report { get; }

    public override string ToString() => IsValid ? "Valid" : Summary;
}
