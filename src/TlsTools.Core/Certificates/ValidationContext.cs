using System;
using System.Collections.Generic;
using System.Globalization;

namespace TlsTools.Certificates;

/// <summary>Everything one validation looks at; each check reads it and adds its own problems.</summary>
internal sealed class ValidationContext
{
    public ValidationContext(IReadOnlyList<CertificateNode> served, CertificationPath path, string? hostName, DateTime utcNow)
    {
        Served = served;
        Path = path;
        HostName = hostName;
        UtcNow = utcNow;
    }

    public IReadOnlyList<CertificateNode> Served { get; }
    public CertificationPath Path { get; }
    /// <summary>Null: do not check the name.</summary>
    public string? HostName { get; }
    public DateTime UtcNow { get; }

    /// <summary>How a sentence names a certificate: by its role in the path, then its subject.</summary>
    public string Describe(CertificateNode certificate)
    {
        if (certificate == Path.Leaf) return "The certificate for " + certificate.Subject;
        return (certificate.IsSelfSigned ? "The root certificate " : "The intermediate certificate ") + certificate.Subject;
    }

    public static string FormatUtc(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    public static string Days(int days) => days == 1 ? "1 day" : days.ToString(CultureInfo.InvariantCulture) + " days";
}

/// <summary>One rule applied to a chain. Each rule is small and knows one chain problem (or family).</summary>
internal interface ICertificateCheck
{
    IEnumerable<CheckFinding> Check(ValidationContext context);
}

/// <summary>What one check found: the chain problem (ChainValidator's table gives its category), the evidence, the certificate.</summary>
internal sealed class CheckFinding
{
    public CheckFinding(ChainProblem problem, string message, System.Security.Cryptography.X509Certificates.X509Certificate2 certificate)
    {
        Problem = problem;
        Message = message;
        Certificate = certificate;
    }

    public ChainProblem Problem { get; }
    public string Message { get; }
    public System.Security.Cryptography.X509Certificates.X509Certificate2 Certificate { get; }
}
