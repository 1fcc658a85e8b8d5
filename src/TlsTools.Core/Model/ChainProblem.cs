using System.Collections.Generic;

namespace TlsTools;

/// <summary>
/// Everything Get-CertificateChain can find wrong with a chain, per certificate and for the chain.
/// Declared in the order the issue and the help list them; findings are sorted by this order.
/// Distinct from <see cref="FailureCategory"/>: that names why a handshake failed, this names what is
/// wrong with a chain, including things clients tolerate (ExpiresSoon, WrongOrder, ...).
/// </summary>
public enum ChainProblem
{
    Expired,
    NotYetValid,
    /// <summary>Expires within -WarningDays (default 30).</summary>
    ExpiresSoon,
    NameMismatch,
    SelfSigned,
    UntrustedRoot,
    /// <summary>The served chain lacks an intermediate (even when it could be fetched from AIA).</summary>
    IncompleteChain,
    WrongOrder,
    /// <summary>A root, a duplicate or a certificate outside the path was sent.</summary>
    UnneededCertificate,
    /// <summary>A certificate other than a root is signed with MD5 or SHA-1.</summary>
    WeakSignature,
    /// <summary>RSA below 2048 bits, EC below 256 bits, or DSA.</summary>
    WeakKey,
    /// <summary>The extended key usage does not allow TLS server authentication.</summary>
    NotForServerAuth,
    /// <summary>An issuer without CA basic constraints.</summary>
    NotACa,
    /// <summary>The leaf has no DNS or IP subjectAltName, only the subject CN, which browsers ignore (only OpenSSL falls back to it).</summary>
    NoSubjectAlternativeName,
    /// <summary>The leaf is valid for more than 398 days (CA/Browser Forum limit since September 2020).</summary>
    ValidityTooLong,
    Revoked,
    /// <summary>A revocation check was made but gave no trustworthy answer.</summary>
    RevocationUnknown,
    /// <summary>
    /// The wrong certificate because of SNI (-CompareServerName): none was sent and the server routes by it, or
    /// its SNI configuration maps the name to another certificate. Replaces the NameMismatch it explains.
    /// </summary>
    SniRouting,
    /// <summary>Not the -ExpectedThumbprint certificate, or a certificate of the chain names a TLS inspection product.</summary>
    InterceptionSuspected,
    /// <summary>The chain ends at a root an administrator added to this machine: an enterprise CA, or an inspecting proxy's.</summary>
    LocallyAddedRoot,
}

/// <summary>Which problems make a client refuse the chain (the rest are warnings).</summary>
public static class ChainProblemSeverity
{
    // What a strict modern client rejects (browsers; openssl verify -purpose sslserver -auth_level 2, except that
    // OpenSSL still accepts a CN-only leaf). Test-TlsHandshake fails exactly these (ChainValidator maps each to its
    // FailureCategory); everything else is worth fixing but does not break a handshake on its own.
    private static readonly HashSet<ChainProblem> Fatal = new HashSet<ChainProblem>
    {
        ChainProblem.Expired, ChainProblem.NotYetValid, ChainProblem.NameMismatch, ChainProblem.SelfSigned,
        ChainProblem.UntrustedRoot, ChainProblem.IncompleteChain, ChainProblem.WeakSignature, ChainProblem.WeakKey,
        ChainProblem.NotForServerAuth, ChainProblem.NotACa, ChainProblem.NoSubjectAlternativeName, ChainProblem.Revoked, ChainProblem.SniRouting, ChainProblem.InterceptionSuspected,
    };

    public static bool IsFatal(ChainProblem problem) => Fatal.Contains(problem);
}
