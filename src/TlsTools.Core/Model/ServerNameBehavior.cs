namespace TlsTools;

/// <summary>How a server treats the SNI name, from handshakes with it, without it and with a wrong one (-CompareServerName).</summary>
public enum ServerNameBehavior
{
    /// <summary>Not compared (no -CompareServerName).</summary>
    NotCompared = 0,
    /// <summary>Without SNI the server refuses the handshake.</summary>
    Required,
    /// <summary>Without SNI the server presents another (default) certificate: it routes by SNI.</summary>
    DefaultCertificateDiffers,
    /// <summary>Same certificate without SNI, but an unknown name is refused: it checks the name.</summary>
    UnknownNameRejected,
    /// <summary>The same certificate whatever the name: SNI makes no difference.</summary>
    Ignored,
    /// <summary>No name to send (an IP address without -ServerName), or the handshake with the name fails too.</summary>
    Inconclusive,
}
