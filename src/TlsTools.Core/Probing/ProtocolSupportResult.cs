namespace TlsTools
{
    /// <summary>Get-TlsProtocolSupport: whether one server accepts one protocol version.</summary>
    public sealed class ProtocolSupportResult
    {
        public string ComputerName { get; set; }
        public int Port { get; set; }
        public string IPAddress { get; set; }
        /// <summary>The SNI sent; null when none was.</summary>
        public string ServerName { get; set; }
        public TlsProtocol Protocol { get; set; }
        /// <summary>True: accepted. False: refused (alert, close, a lower version, not TLS). Null: no answer (timeout, connect failure).</summary>
        public bool? Supported { get; set; }
        /// <summary>The suite the server chose from a full offer for this version (IANA name; SSLv2: the first kind it listed).</summary>
        public string CipherSuite { get; set; }
        /// <summary>Why not supported: "alert protocol_version (70)", "connection closed", "server answered TLS 1.0"...; null when supported.</summary>
        public string Reason { get; set; }
        /// <summary>TCP connections this cmdlet made to the server, for all rows of the target together.</summary>
        public int Connections { get; set; }

        public override string ToString() => $"{ComputerName}:{Port} {Protocol} {(Supported == true ? "supported" : "not supported")}";
    }
}
