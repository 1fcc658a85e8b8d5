namespace TlsTools;

/// <summary>
/// What the scanning cmdlets learn about a target beyond its versions and suites, the same columns on every row
/// of the target: why nothing could be scanned (the category Test-TlsHandshake would name), whether the chain
/// looks re-signed on the way, and how the server treats SNI (-CompareServerName).
/// </summary>
public interface ITargetFindings
{
    /// <summary>None unless the server accepted nothing: then why, as Test-TlsHandshake names it (MiddleboxBlocking, ProxyRefused, ...).</summary>
    FailureCategory FailureCategory { get; set; }
    /// <summary>The evidence sentence for <see cref="FailureCategory"/>.</summary>
    string? FailureReason { get; set; }
    /// <summary>The name of the diagnosis rule that decided <see cref="FailureCategory"/> (Test-TlsHandshake's DiagnosisRule); null when None.</summary>
    string? DiagnosisRule { get; set; }
    /// <summary>What to change for <see cref="FailureCategory"/>.</summary>
    string? Remedy { get; set; }
    /// <summary>The chain is not the expected one (-ExpectedThumbprint), names a TLS inspection product, or ends at a locally added root.</summary>
    bool InterceptionSuspected { get; set; }
    string? InterceptionEvidence { get; set; }
    /// <summary>-CompareServerName: how the server treats the SNI name.</summary>
    ServerNameBehavior ServerNameBehavior { get; set; }
    /// <summary>-CompareServerName: the three handshakes in one sentence.</summary>
    string? ServerNameComparison { get; set; }
    /// <summary>TCP connections made to the server for this target, the follow-ups included.</summary>
    int Connections { get; set; }
}
