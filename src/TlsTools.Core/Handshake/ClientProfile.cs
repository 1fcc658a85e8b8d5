using System;
using System.Collections.Generic;
using System.Linq;
using TlsTools.Catalog;

namespace TlsTools.Handshake;

/// <summary>
/// What a client offers: versions, cipher suites, groups. The default is what current browsers and curl
/// offer, so a verdict with it is the verdict users experience.
/// </summary>
public sealed class ClientProfile
{
    /// <summary>
    /// Chrome/Firefox order (TLS 1.3 suites, ECDHE AEAD, ECDHE CBC, RSA fallbacks) plus curl/OpenSSL's DHE
    /// AEAD suites. Codes from the IANA registry; names come from the catalog.
    /// </summary>
    static readonly int[] MainstreamSuites =
    {
        0x1301, 0x1302, 0x1303,                 // TLS 1.3 AES-GCM, CHACHA20
        0xC02B, 0xC02F, 0xC02C, 0xC030,         // ECDHE ECDSA/RSA AES-GCM
        0xCCA9, 0xCCA8,                         // ECDHE ECDSA/RSA CHACHA20-POLY1305
        0x009E, 0x009F, 0xCCAA,                 // DHE-RSA AES-GCM, CHACHA20 (curl / OpenSSL)
        0xC013, 0xC014,                         // ECDHE-RSA AES-CBC-SHA (TLS 1.0 capable)
        0x009C, 0x009D, 0x002F, 0x0035,         // RSA key exchange, still offered by browsers as a fallback
    };

    /// <summary>What clients of the TLS 1.0 / SSLv3 era added; offered only when such versions are asked for.</summary>
    static readonly int[] LegacySuites =
    {
        0xC009, 0xC00A,                         // ECDHE-ECDSA AES-CBC-SHA
        0x0033, 0x0039,                         // DHE-RSA AES-CBC-SHA
        0xC012, 0x0016, 0x000A,                 // 3DES (ECDHE, DHE, RSA)
    };

    /// <summary>x25519, secp256r1, secp384r1: the groups every current client offers.</summary>
    static readonly int[] MainstreamGroups = { 29, 23, 24 };

    public const TlsProtocol MainstreamProtocols = TlsProtocol.Tls12 | TlsProtocol.Tls13;

    /// <summary>The smallest finite-field DH prime a current client accepts (OpenSSL security level 2, BouncyCastle).</summary>
    public const int MinimumDhBits = KeyExchangeStrength.MinimumDhBits;

    public TlsProtocol Protocols { get; private set; }
    public IReadOnlyList<int> CipherSuites { get; private set; } = Array.Empty<int>();
    public IReadOnlyList<int> Groups { get; private set; } = Array.Empty<int>();
    /// <summary>Ask for the stapled OCSP response (status_request), as browsers do; Get-CertificateChain reads it.</summary>
    public bool RequestOcspStaple { get; set; }
    /// <summary>ALPN protocol names offered, in order; empty offers no ALPN extension.</summary>
    public IReadOnlyList<string> ApplicationProtocols { get; set; } = Array.Empty<string>();
    /// <summary>
    /// What to say over the connection once the handshake is done (Test-TlsServer's GET of /), so that reading the
    /// application's answer costs no second handshake; null closes right after the handshake.
    /// </summary>
    public IApplicationExchange? AfterHandshake { get; set; }

    /// <summary>The certificate to present when the server sends a CertificateRequest; null sends an empty Certificate.</summary>
    public ClientCredential? ClientCredential { get; set; }

    /// <summary>
    /// The same offer without <see cref="AfterHandshake"/>: for the follow-up handshakes that diagnose the path, whose
    /// connections are evidence of the path only; the exchange belongs to the first connection.
    /// </summary>
    public ClientProfile WithoutExchange()
    {
        if (AfterHandshake == null) return this;
        var copy = (ClientProfile)MemberwiseClone();
        copy.AfterHandshake = null;
        return copy;
    }

    /// <summary>What browsers and curl offer on an HTTPS connection: HTTP/2 first, then HTTP/1.1.</summary>
    public static IReadOnlyList<string> BrowserApplicationProtocols { get; } = new[] { "h2", "http/1.1" };

    /// <summary>
    /// A current client's offer for a connection with these options. -StartTls decides ALPN: a connection that starts
    /// TLS at once is taken as HTTPS (h2, http/1.1, as browsers offer), one that switches to TLS inside a mail, directory
    /// or database protocol offers none, as those clients do (and a strict server would refuse "h2"). The client
    /// certificate, if any, is the one the handshake presents.
    /// </summary>
    public static ClientProfile Mainstream(TlsProtocol protocols, ConnectionOptions options)
    {
        var profile = Mainstream(protocols);
        profile.ApplicationProtocols = options.StartTls == StartTlsProtocol.None ? BrowserApplicationProtocols : Array.Empty<string>();
        profile.ClientCredential = options.ClientCertificate;
        return profile;
    }

    public static ClientProfile Mainstream(TlsProtocol protocols = TlsProtocol.None)
    {
        if (protocols == TlsProtocol.None) protocols = MainstreamProtocols;
        bool legacy = (protocols & (TlsProtocol.Ssl3 | TlsProtocol.Tls10 | TlsProtocol.Tls11)) != 0;
        IEnumerable<int> suites = MainstreamSuites;
        if (legacy) suites = suites.Concat(LegacySuites);
        if ((protocols & TlsProtocol.Tls13) == 0) suites = suites.Where(s => (s & 0xFF00) != 0x1300);
        return new ClientProfile { Protocols = protocols, CipherSuites = suites.ToArray(), Groups = MainstreamGroups };
    }
}
