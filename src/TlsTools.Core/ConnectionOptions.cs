using System;

namespace TlsTools
{
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
        public string ServerName { get; set; }
        /// <summary>Send no server_name extension at all.</summary>
        public bool NoServerName { get; set; }
        /// <summary>Deadline for one whole attempt (resolve, connect, handshake).</summary>
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(DefaultTimeoutSec);
        /// <summary>PEM or DER file of extra trust anchors.</summary>
        public string TrustedRootPath { get; set; }
        public int ThrottleLimit { get; set; } = DefaultThrottleLimit;

        /// <summary>The SNI to send to this endpoint, or null for none.</summary>
        public string EffectiveServerName(Net.TargetEndpoint endpoint)
        {
            if (NoServerName) return null;
            if (!string.IsNullOrEmpty(ServerName)) return ServerName;
            return endpoint.IsIpLiteral ? null : endpoint.Host.TrimEnd('.');
        }
    }
}
