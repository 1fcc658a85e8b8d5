namespace TlsTools
{
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
        WeakKeyExchange,
        AlertReceived,
        HandshakeTimeout,
        NetworkUnreachable,
        CertificateRevoked,
        Unknown,
    }
}
