using System;
using System.Collections.Generic;
using System.Security.Cryptography.X509Certificates;

namespace TlsTools;

/// <summary>
/// One certificate of an inspected chain: what Get-CertificateChain writes, one row per certificate.
/// Scalar properties first (what Export-Csv writes), lists also joined as strings, rich objects last.
/// </summary>
public sealed class ChainCertificate
{
    /// <summary>The server contacted; empty for a chain read from files.</summary>
    public string? ComputerName { get; set; }
    public int? Port { get; set; }
    /// <summary>The name the leaf was checked against (SNI sent, or -HostName for files); empty when not checked.</summary>
    public string? ServerName { get; set; }
    /// <summary>The file(s) the chain was read from, joined with ", "; empty for a served chain.</summary>
    public string? FilePath { get; set; }
    /// <summary>0 = leaf, then each issuer in path order; empty for a certificate outside the path.</summary>
    public int? Position { get; set; }
    /// <summary>Where the server sent it (or the file held it), 0-based; empty when not sent.</summary>
    public int? SentPosition { get; set; }
    public CertificateRole Role { get; set; }
    public CertificateSource Source { get; set; }
    public string Subject { get; set; } = "";
    public string Issuer { get; set; } = "";
    public string SerialNumber { get; set; } = "";
    /// <summary>SHA-256 of the DER encoding, upper-case hex: the same value as Test-TlsHandshake's CertificateThumbprint.</summary>
    public string CertificateThumbprint { get; set; } = "";
    public DateTime NotBefore { get; set; }
    public DateTime NotAfter { get; set; }
    public int DaysUntilExpiry { get; set; }
    /// <summary>RSA, EC, DSA, Ed25519, ...</summary>
    public string KeyAlgorithm { get; set; } = "";
    public int KeySize { get; set; }
    /// <summary>The named curve of an EC key, as OpenSSL names it (prime256v1, secp384r1); empty for other keys.</summary>
    public string? KeyCurve { get; set; }
    /// <summary>As OpenSSL names it, e.g. sha256WithRSAEncryption.</summary>
    public string SignatureAlgorithm { get; set; } = "";
    /// <summary>DNS names then IP addresses, joined with ", ".</summary>
    public string SubjectAlternativeNames { get; set; } = "";
    /// <summary>This certificate's problems, joined with ", " (e.g. "Expired, WeakSignature").</summary>
    public string Problems { get; set; } = "";
    /// <summary>Every problem of the chain as served: no fatal problem at all.</summary>
    public bool ChainValid { get; set; }
    /// <summary>The path after repair (AIA-fetched issuers added, order fixed) is valid: what Export-CertificateChain writes.</summary>
    public bool RepairedChainValid { get; set; }
    /// <summary>Every problem of the chain, this certificate's and the others', joined with ", ".</summary>
    public string ChainProblems { get; set; } = "";
    public RevocationStatus RevocationStatus { get; set; }
    /// <summary>Where the revocation answer came from and what it said; null when not checked.</summary>
    public string? RevocationDetail { get; set; }
    /// <summary>The evidence sentences of this certificate's problems, joined with " ".</summary>
    public string ProblemDetails { get; set; } = "";
    /// <summary>-CompareServerName: how the server treats the SNI name (NotCompared otherwise).</summary>
    public ServerNameBehavior ServerNameBehavior { get; set; }
    /// <summary>-CompareServerName: the handshakes with the name, without SNI and with an unknown name, in one sentence.</summary>
    public string? ServerNameComparison { get; set; }

    public IReadOnlyList<ChainProblem> ProblemList { get; set; } = new ChainProblem[0];
    /// <summary>
    /// The certificate itself; null on a row not made by the inspection (e.g. rebuilt from imported data) and on the
    /// rows of a Test-TlsServer assessment (see <see cref="Detached"/>).
    /// </summary>
    public X509Certificate2? Certificate { get; set; }
    /// <summary>The whole inspected chain this row belongs to (Export-CertificateChain reads it); null where <see cref="Certificate"/> is.</summary>
    public ChainReport? Chain { get; set; }

    /// <summary>
    /// A copy without the two rich objects, for rows kept inside a larger result (ServerAssessment.Chain). The certificate's
    /// own properties and the back-reference to its report make ConvertTo-Json run past any depth (the report lists the
    /// row again) and write kilobytes of key bytes; every fact a reader needs is already a scalar column here.
    /// </summary>
    public ChainCertificate Detached()
    {
        var copy = (ChainCertificate)MemberwiseClone();
        copy.Certificate = null;
        copy.Chain = null;
        return copy;
    }

    public override string ToString() => $"{Position?.ToString() ?? "-"} {Role} {Subject}";
}
