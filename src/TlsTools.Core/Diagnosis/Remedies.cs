using System.Collections.Generic;

namespace TlsTools.Diagnosis
{
    /// <summary>
    /// What to change for each failure category: one table, shared by every cmdlet that explains a failure.
    /// Where the evidence makes a sharper remedy possible, the diagnoser says it instead.
    /// </summary>
    public static class Remedies
    {
        static readonly Dictionary<FailureCategory, string> Table = new Dictionary<FailureCategory, string>
        {
            [FailureCategory.DnsFailure] = "Check the spelling of the name and that it exists in DNS (Resolve-DnsName / nslookup); on a private network check the DNS server and search suffix this machine uses.",
            [FailureCategory.ConnectionRefused] = "Start the service or correct the port; if it runs, make it listen on this address (not only 127.0.0.1) and open the port in the host firewall.",
            [FailureCategory.ConnectTimeout] = "Allow the connection through every firewall on the path (host firewall, network ACL, cloud security group) and check routing; Test-NetConnection -Port shows the same symptom.",
            [FailureCategory.NetworkUnreachable] = "This machine has no route to that network: check its default gateway, VPN or proxy settings.",
            [FailureCategory.ServerSilent] = "The server accepted TCP but never answered the ClientHello: check that the port serves TLS (not a protocol where the client speaks first in plain text), and for a middlebox or load balancer that holds the connection.",
            [FailureCategory.HandshakeTimeout] = "The server started answering but did not finish in time: raise -TimeoutSec, and check server load or a slow OCSP/back-end dependency.",
            [FailureCategory.ConnectionReset] = "A reset right after the ClientHello is the signature of a firewall, IPS or DPI device blocking by SNI or TLS fingerprint, or of a server process that crashes on the hello: try from another network and check the server's error log.",
            [FailureCategory.NotTls] = "Connect to the port that serves TLS, or enable TLS on this listener.",
            [FailureCategory.ProtocolVersionMismatch] = "Enable TLS 1.2 and TLS 1.3 on the server (nginx: ssl_protocols TLSv1.2 TLSv1.3; Apache: SSLProtocol -all +TLSv1.2 +TLSv1.3; IIS/Windows: SCHANNEL Protocols\\TLS 1.2\\Server Enabled=1). Only to reach it meanwhile: -Protocol with the version it accepts.",
            [FailureCategory.NoSharedCipher] = "Configure modern suites on the server (ECDHE with AES-GCM or CHACHA20-POLY1305; Mozilla's 'intermediate' profile), e.g. nginx ssl_ciphers / Apache SSLCipherSuite / Windows Get-TlsCipherSuite and Enable-TlsCipherSuite.",
            [FailureCategory.ClientCertificateRequired] = "The server requires a client certificate (mutual TLS): present one issued by a CA the server trusts, or turn off client-certificate verification for this endpoint (nginx ssl_verify_client optional/off; Apache SSLVerifyClient none).",
            [FailureCategory.UnrecognizedName] = "The server has no site for the name sent in SNI: send the name it serves (-ServerName), or add a server block / binding for this name (nginx server_name; IIS site binding with 'Require SNI').",
            [FailureCategory.CertificateExpired] = "Renew the certificate and install the new one with its intermediates on the server (then reload the service); set up automated renewal and monitor DaysUntilExpiry.",
            [FailureCategory.CertificateNotYetValid] = "The certificate's validity starts in the future: check the clocks of this machine and of the issuing CA (NTP), or install the currently valid certificate.",
            [FailureCategory.NameMismatch] = "Connect with a name the certificate lists, or issue a certificate whose Subject Alternative Name contains this host name.",
            [FailureCategory.SelfSigned] = "Replace the self-signed certificate with one from a trusted CA, or, for a private service, trust it explicitly (-TrustedRootPath here; the OS or application trust store for clients).",
            [FailureCategory.UntrustedRoot] = "The chain ends at a CA this machine does not trust: use a certificate from a publicly trusted CA, or distribute the private root CA to the clients' trust stores (-TrustedRootPath here). An unknown root on a public site can also mean TLS interception by a proxy.",
            [FailureCategory.IncompleteChain] = "Serve the intermediate CA certificate(s) with the leaf: nginx ssl_certificate must point at the full chain (leaf then intermediates); Apache SSLCertificateFile with the chain appended; IIS: install the intermediate in the Intermediate Certification Authorities store.",
            [FailureCategory.WeakKeyExchange] = "Use a key exchange current clients accept: ECDHE (X25519, P-256) or DHE with at least 2048-bit groups (nginx ssl_dhparam with a 2048-bit or larger file, or drop DHE suites), and RSA keys of 2048 bits or more.",
            [FailureCategory.AlertReceived] = "Look up the alert in the server's error log for this connection; Resolve-TlsError explains the alert.",
            [FailureCategory.ProxyRefused] = "Ask the proxy's administrator to allow CONNECT to this host and port (many proxies allow only 443), give the right -ProxyCredential for a 407, or bypass the proxy for this host (NO_PROXY, -NoProxy) if the network allows direct connections.",
            [FailureCategory.StartTlsNotOffered] = "Enable STARTTLS on the server (Postfix: smtpd_tls_security_level = may with smtpd_tls_cert_file/key_file; Dovecot: ssl = yes; PostgreSQL: ssl = on; MySQL: ssl_cert/ssl_key; OpenLDAP: olcTLSCertificateFile), or connect to the implicit-TLS port (465, 993, 995, 636) without -StartTls.",
            [FailureCategory.Unknown] = "Run again with -Verbose and look at the Transcript property for the last step that succeeded.",
        };

        public static string For(FailureCategory category) =>
            Table.TryGetValue(category, out var text) ? text : null;
    }
}
