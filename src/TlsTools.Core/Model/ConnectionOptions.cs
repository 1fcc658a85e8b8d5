using System;
using System.Net;

namespace TlsTools;

/// <summary>
/// The options every network cmdlet shares (same names, same meaning). One type, so a new option
/// reaches every cmdlet at once.
/// </summary>
public sealed class ConnectionOptions
{
    public const int DefaultPort = 443;
    public const int DefaultTimeoutSec = 10;
    public const int DefaultThrottleLimit = 32;

    /// <summary>SNI to send; null means "the host name, or none for an IP literal".</summary>
    public string? ServerName { get; set; }
    /// <summary>Send no server_name extension at all.</summary>
    public bool NoServerName { get; set; }
    /// <summary>Deadline for one whole attempt (resolve, connect, handshake).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(DefaultTimeoutSec);
    /// <summary>PEM or DER file of extra trust anchors.</summary>
    public string? TrustedRootPath { get; set; }
    public int ThrottleLimit { get; set; } = DefaultThrottleLimit;

    /// <summary>
    /// Proxy to tunnel through: <c>http://host:port</c> (HTTP CONNECT) or <c>socks5://host:port</c>. Null means
    /// "the HTTPS_PROXY / ALL_PROXY environment variables, unless <see cref="NoProxy"/>".
    /// </summary>
    public string? Proxy { get; set; }
    /// <summary>User name and password for the proxy (HTTP Basic, SOCKS5 user/password); overrides any in the proxy URL.</summary>
    public NetworkCredential? ProxyCredential { get; set; }
    /// <summary>Connect directly: ignore the proxy environment variables.</summary>
    public bool NoProxy { get; set; }
    /// <summary>Protocol to speak in plain text before the ClientHello; Auto picks one from the port.</summary>
    public StartTlsProtocol StartTls { get; set; }
    /// <summary>
    /// The certificate every full handshake presents when the server asks for one (mutual TLS); null sends none. Probes
    /// that stop at the ServerHello never get that far.
    /// </summary>
    public ClientCredential? ClientCertificate { get; set; }

    /// <summary>
    /// MSS to announce in the SYN (0: the OS default). Not a cmdlet parameter: the path-MTU follow-up sets it on a
    /// copy to see whether small segments get through where full-size ones stall.
    /// </summary>
    internal int TcpMaxSegmentSize { get; set; }

    /// <summary>A copy to change for one follow-up connection without touching the caller's options.</summary>
    internal ConnectionOptions Copy() => (ConnectionOptions)MemberwiseClone();
}
