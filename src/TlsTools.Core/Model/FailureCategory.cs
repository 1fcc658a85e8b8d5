namespace TlsTools;

/// <summary>
/// Why a TLS connection failed. One enum for the whole module: every cmdlet that explains a
/// failure (handshakes, error messages, captures) reports one of these.
/// </summary>
public enum FailureCategory
{
    None = 0,
    DnsFailure,
    ConnectionRefused,
    ConnectTimeout,
    ServerSilent,
    ConnectionReset,
    NotTls,
    ProtocolVersionMismatch,
    NoSharedCipher,
    ClientCertificateRequired,
    UnrecognizedName,
    CertificateExpired,
    CertificateNotYetValid,
    NameMismatch,
    SelfSigned,
    UntrustedRoot,
    IncompleteChain,
    AlertReceived,
    HandshakeTimeout,
    NetworkUnreachable,
    CertificateRevoked,
    Unknown,
    /// <summary>The proxy would not open the tunnel: HTTP 403/407/502..., a SOCKS5 refusal, rejected credentials.</summary>
    ProxyRefused,
    /// <summary>The server speaks the plain protocol (-StartTls) but does not offer the switch to TLS.</summary>
    StartTlsNotOffered,
    /// <summary>The ClientHello was reset or swallowed while plain bytes on the same port got through: a DPI box, IPS or SNI filter.</summary>
    MiddleboxBlocking,
    /// <summary>Full-size segments of the server's flight never arrive, small ones do: a path-MTU black hole.</summary>
    PathMtuStall,
    /// <summary>The wrong certificate because of SNI: none was sent and the server routes by it, or its SNI configuration maps the name to another certificate.</summary>
    SniRouting,
    /// <summary>The chain is re-signed on the way: not the expected certificate, or issued by a known TLS inspection product.</summary>
    InterceptionSuspected,
    /// <summary>The server's ephemeral Diffie-Hellman group is smaller than clients accept (Logjam): fix the DH parameters or use ECDHE.</summary>
    WeakDhGroup,
    /// <summary>A certificate's public key is too small (RSA under 2048 bits, EC under P-256) or DSA: reissue it with a stronger key.</summary>
    WeakCertificateKey,
    /// <summary>A certificate below the root is signed with SHA-1 or MD5: reissue it signed with SHA-256.</summary>
    WeakSignature,
    /// <summary>The server sent something the protocol forbids: an unoffered suite, group or version, a length that disagrees with its record, an undecodable certificate, an undefined alert, ...</summary>
    ProtocolViolation,
    /// <summary>The server closed the TCP connection (FIN) without an alert, in the middle of the handshake.</summary>
    ConnectionClosed,
}
