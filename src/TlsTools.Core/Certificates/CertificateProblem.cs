using System.Security.Cryptography.X509Certificates;

namespace TlsTools.Certificates;

/// <summary>One thing wrong with a served chain, with the sentence of evidence that proves it.</summary>
public sealed class CertificateProblem
{
    public CertificateProblem(FailureCategory category, string message, X509Certificate2 certificate, string? remedy = null, ChainProblem? problem = null)
    {
        Category = category;
        Message = message;
        Certificate = certificate;
        Remedy = remedy;
        Problem = problem;
    }

    public FailureCategory Category { get; }
    /// <summary>e.g. "The certificate for CN=localhost expired on 2026-11-20 10:00 UTC (7 days ago)."</summary>
    public string Message { get; }
    /// <summary>The certificate the problem is about.</summary>
    public X509Certificate2 Certificate { get; }
    /// <summary>A remedy sharper than the category's own; null: the category's (failure-categories.tsv).</summary>
    public string? Remedy { get; }
    /// <summary>The chain problem this is (as Get-CertificateChain names it); null for a check's raw result.</summary>
    public ChainProblem? Problem { get; }

    public override string ToString() => Message;
}
