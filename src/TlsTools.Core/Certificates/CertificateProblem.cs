using System.Security.Cryptography.X509Certificates;

namespace TlsTools.Certificates;

/// <summary>One thing wrong with a served chain, with the sentence of evidence that proves it.</summary>
public sealed class CertificateProblem
{
    public CertificateProblem(FailureCategory category, string message, X509Certificate2 certificate)
    {
        Category = category;
        Message = message;
        Certificate = certificate;
    }

    public FailureCategory Category { get; }
    /// <summary>e.g. "The certificate for CN=localhost expired on 2026-11-20 10:00 UTC (7 days ago)."</summary>
    public string Message { get; }
    /// <summary>The certificate the problem is about.</summary>
    public X509Certificate2 Certificate { get; }

    public override string ToString() => Message;
}
