using System;
using System.Collections.Generic;
using System.Security.Cryptography.X509Certificates;

namespace TlsTools;

/// <summary>
/// What Test-TlsHandshake returns for one target. Scalar properties first (what Export-Csv writes),
/// rich objects after.
/// </summary>
public sealed class HandshakeResult
{
    public string ComputerName { get; set; } = "";
    public int Port { get; set; }
    public string? IPAddress { get; set; }
    public string? ServerName { get; set; }
    /// <summary>A strict modern client would complete the handshake and trust the certificate (no problem browsers refuse).</summary>
    public bool Succeeded { get; set; }
    public bool HandshakeCompleted { get; set; }
    public TlsProtocol? Protocol { get; set; }
    /// <summary>IANA name of the negotiated suite.</summary>
    public string? CipherSuite { get; set; }
    public string? KeyExchangeGroup { get; set; }
    /// <summary>The application protocol the server selected by ALPN (h2, http/1.1); empty when none was negotiated.</summary>
    public string? ApplicationProtocol { get; set; }
    public string? CertificateSubject { get; set; }
    public string? CertificateIssuer { get; set; }
    public DateTime? CertificateNotAfter { get; set; }
    /// <summary>SHA-256 of the leaf's DER encoding, upper-case hex (as Get-CertificateChain's CertificateThumbprint): what Compare-TlsResult compares.</summary>
    public string? CertificateThumbprint { get; set; }
    public int? DaysUntilExpiry { get; set; }
    public FailureCategory FailureCategory { get; set; }
    /// <summary>One specific sentence with the evidence.</summary>
    public string? FailureReason { get; set; }
    /// <summary>What to change, and where.</summary>
    public string? Remedy { get; set; }
    /// <summary>The name of the diagnosis rule that decided FailureCategory (HandshakeTrusted for a trusted connection); -Verbose names it too.</summary>
    public string? DiagnosisRule { get; set; }
    /// <summary>e.g. "received fatal handshake_failure (40)".</summary>
    public string? Alert { get; set; }
    /// <summary>
    /// Every certificate problem found, as "Problem: sentence", joined with "; ": those that fail the handshake
    /// (the most decisive decides FailureCategory) and those browsers tolerate (ExpiresSoon, ValidityTooLong, ...).
    /// </summary>
    public string? CertificateProblems { get; set; }
    public string? OfferedProtocols { get; set; }
    public double? ResolveMs { get; set; }
    public double? ConnectMs { get; set; }
    public double? HandshakeMs { get; set; }
    public string Engine { get; set; } = "";
    /// <summary>With -Engine Both: whether this machine's own TLS stack (SslStream) completes the handshake.</summary>
    public bool? PlatformHandshakeCompleted { get; set; }
    public TlsProtocol? PlatformProtocol { get; set; }
    public string? PlatformCipherSuite { get; set; }
    /// <summary>With -Engine Both: why the platform stack fails or differs, and where that is configured.</summary>
    public string? PlatformFailureReason { get; set; }
    /// <summary>The proxy the connection went through (http:// or socks5://, no credentials); null when direct.</summary>
    public string? Proxy { get; set; }
    /// <summary>The plain-text protocol spoken before TLS (Smtp, Imap, Postgres, ...); null when TLS started at once.</summary>
    public string? StartTls { get; set; }
    /// <summary>With -CompareServerName: how the server treats SNI (Required, DefaultCertificateDiffers, Ignored, ...).</summary>
    public ServerNameBehavior ServerNameBehavior { get; set; }
    /// <summary>With -CompareServerName: the subject of the certificate the server presents without SNI.</summary>
    public string? DefaultCertificateSubject { get; set; }
    /// <summary>With -CompareServerName: the three handshakes (with the name, without SNI, with an unknown name) in one sentence.</summary>
    public string? ServerNameComparison { get; set; }
    /// <summary>The chain looks re-signed on the way (see InterceptionEvidence); FailureCategory is InterceptionSuspected when the evidence is decisive.</summary>
    public bool InterceptionSuspected { get; set; }
    /// <summary>Why interception is suspected: the unexpected thumbprint, the inspection product named, or the locally added root.</summary>
    public string? InterceptionEvidence { get; set; }
    /// <summary>The server sent a CertificateRequest: it asks for a client certificate (mutual TLS).</summary>
    public bool ClientCertificateRequested { get; set; }
    /// <summary>The subject of the client certificate presented (-ClientCertificate); empty when none was sent.</summary>
    public string? ClientCertificateSent { get; set; }
    /// <summary>The CAs the CertificateRequest named, joined with "; ": the issuers whose client certificates the server accepts.</summary>
    public string? ClientCertificateAuthorities { get; set; }

    /// <summary>The leaf the server served; null when none arrived.</summary>
    public X509Certificate2? Certificate { get; set; }
    /// <summary>The client certificate presented; null when none was sent.</summary>
    public X509Certificate2? ClientCertificate { get; set; }
    public CertificateList ServedChain { get; set; } = CertificateList.Empty;
    /// <summary>CertificateProblems as a list: each finding with its ChainProblem, IsFatal and certificate (as Get-CertificateChain names them).</summary>
    public ChainFindingList CertificateFindings { get; set; } = ChainFindingList.Empty;
    public HandshakeTranscript Transcript { get; set; } = HandshakeTranscript.Empty;

    public override string ToString() =>
        $"{ComputerName}:{Port} {(Succeeded ? "OK" : FailureCategory.ToString())}";
}
