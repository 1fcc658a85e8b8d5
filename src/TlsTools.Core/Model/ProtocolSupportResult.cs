namespace TlsTools;

/// <summary>Get-TlsProtocolSupport: whether one server accepts one protocol version.</summary>
public sealed class ProtocolSupportResult : ITargetFindings
{
    public string ComputerName { get; set; } = "";
    public int Port { get; set; }
    public string? IPAddress { get; set; }
    /// <summary>The SNI sent; null when none was.</summary>
    public string? ServerName { get; set; }
    public TlsProtocol Protocol { get; set; }
    /// <summary>True: accepted. False: refused (alert, close, a lower version, not TLS). Null: no answer (timeout, connect failure).</summary>
    public bool? Supported { get; set; }
    /// <summary>The suite the server chose from a full offer for this version (IANA name; SSLv2: the first kind it listed).</summary>
    public string? CipherSuite { get; set; }
    /// <summary>Why not supported: "alert protocol_version (70)", "connection closed", "server answered TLS 1.0"...; null when supported.</summary>
    public string? Reason { get; set; }
    /// <summary>The version's own rating, supported or not: SSLv2/SSLv3 Insecure, TLS 1.0/1.1 Deprecated (RFC 8996), TLS 1.2/1.3 Secure.</summary>
    public CipherSuiteRating Rating { get; set; }
    /// <summary>Why the version has that rating.</summary>
    public string? RatingReason { get; set; }
    /// <summary>TCP connections this cmdlet made to the server, for all rows of the target together.</summary>
    public int Connections { get; set; }
    /// <summary>None unless the server accepted no version: then why, as Test-TlsHandshake names it.</summary>
    public FailureCategory FailureCategory { get; set; }
    public string? FailureReason { get; set; }
    /// <summary>The diagnosis rule that named <see cref="FailureCategory"/> (as Test-TlsHandshake's DiagnosisRule); null when None.</summary>
    public string? DiagnosisRule { get; set; }
    /// <summary>On a supported Insecure or Deprecated version: how to switch it off. When no version is accepted: the remedy for <see cref="FailureCategory"/>.</summary>
    public string? Remedy { get; set; }
    public bool InterceptionSuspected { get; set; }
    public string? InterceptionEvidence { get; set; }
    public ServerNameBehavior ServerNameBehavior { get; set; }
    public string? ServerNameComparison { get; set; }

    public override string ToString() => $"{ComputerName}:{Port} {Protocol} {(Supported == true ? "supported" : "not supported")}";
}
