using System.Collections.Generic;
using System.Security.Cryptography.X509Certificates;

namespace TlsTools.Certificates;

/// <summary>The verdict on a served chain. Scalars first (what Export-Csv writes), lists after.</summary>
public sealed class ChainValidationResult
{
    internal ChainValidationResult(IReadOnlyList<CertificateProblem> problems, IReadOnlyList<X509Certificate2> path,
        bool servedInOrder, IReadOnlyList<string> notes)
    {
        Problems = problems;
        Path = path;
        ServedInOrder = servedInOrder;
        Notes = notes;
    }

    /// <summary>No problems: trusted path, in date, names the host, strong enough key.</summary>
    public bool IsValid => Problems.Count == 0;
    /// <summary>The most decisive problem's category, or None when valid.</summary>
    public FailureCategory Category => Problems.Count == 0 ? FailureCategory.None : Problems[0].Category;
    /// <summary>The served certificates appear in path order (leaf, its issuer, ...).</summary>
    public bool ServedInOrder { get; }
    /// <summary>Every problem's message, most decisive first, joined with "; ". Empty when valid.</summary>
    public string Summary => string.Join("; ", Problems);
    /// <summary>Notes joined with "; ", for CSV.</summary>
    public string NotesText => string.Join("; ", Notes);

    /// <summary>Most decisive first: chain/trust, then dates, then name, then key strength.</summary>
    public IReadOnlyList<CertificateProblem> Problems { get; }
    /// <summary>The path as built: leaf first, then each issuer, up to the anchor or where building stopped.</summary>
    public IReadOnlyList<X509Certificate2> Path { get; }
    /// <summary>Informational findings that do not make the chain invalid (order, SHA-1 signatures, unused certificates).</summary>
    public IReadOnlyList<string> Notes { get; }

    public override string ToString() => IsValid ? "Valid" : Summary;
}
