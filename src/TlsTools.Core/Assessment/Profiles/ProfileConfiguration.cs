using System;
using System.Collections.Generic;

namespace TlsTools.Assessment.Profiles;

/// <summary>
/// One configuration of a Mozilla Server Side TLS guideline (modern, intermediate), every field as its JSON gives it.
/// Lists keep the file's order and spelling (what a server configuration takes) unless the doc says otherwise; a
/// size left null in the file (modern's rsa_key_size) is not checked.
/// </summary>
public sealed class ProfileConfiguration
{
    public string Name { get; set; } = "";
    /// <summary>The guideline's version ("6.0").</summary>
    public string Version { get; set; } = "";
    /// <summary>Where it was read from: the guideline's href, or the custom file's path.</summary>
    public string Source { get; set; } = "";

    /// <summary>tls_versions, as flags (TLSv1.2 is Tls12).</summary>
    public IReadOnlyList<TlsProtocol> TlsVersions { get; set; } = Array.Empty<TlsProtocol>();
    /// <summary>ciphersuites: the TLS 1.3 suites (IANA names).</summary>
    public IReadOnlyList<string> CipherSuites { get; set; } = Array.Empty<string>();
    /// <summary>ciphers.iana: the suites of TLS 1.2 and older (IANA names).</summary>
    public IReadOnlyList<string> Ciphers { get; set; } = Array.Empty<string>();
    /// <summary>ciphers.openssl: the same suites as OpenSSL names them (ssl_ciphers, SSLCipherSuite).</summary>
    public IReadOnlyList<string> OpenSslCiphers { get; set; } = Array.Empty<string>();
    /// <summary>tls_curves as written (OpenSSL's names: X25519MLKEM768, X25519, prime256v1, secp384r1).</summary>
    public IReadOnlyList<string> TlsCurves { get; set; } = Array.Empty<string>();
    /// <summary>tls_curves as the IANA registry names them, as the scan reports groups (x25519, secp256r1).</summary>
    public IReadOnlyList<string> Groups { get; set; } = Array.Empty<string>();
    /// <summary>certificate_types: ecdsa, rsa.</summary>
    public IReadOnlyList<string> CertificateTypes { get; set; } = Array.Empty<string>();
    /// <summary>certificate_curves, OpenSSL's names (prime256v1, secp384r1).</summary>
    public IReadOnlyList<string> CertificateCurves { get; set; } = Array.Empty<string>();
    /// <summary>certificate_signatures, OpenSSL's names (sha256WithRSAEncryption, ecdsa-with-SHA256).</summary>
    public IReadOnlyList<string> CertificateSignatures { get; set; } = Array.Empty<string>();
    /// <summary>rsa_key_size: the smallest RSA key in bits; null: not checked.</summary>
    public int? RsaKeySize { get; set; }
    /// <summary>dh_param_size: the smallest DHE prime in bits; null: not checked.</summary>
    public int? DhParamSize { get; set; }
    /// <summary>ecdh_param_size: the smallest ECDHE curve in bits; null: not checked.</summary>
    public int? EcdhParamSize { get; set; }
    /// <summary>hsts_min_age in seconds; null: not checked.</summary>
    public long? HstsMinAge { get; set; }
    /// <summary>maximum_certificate_lifespan in days; null: not checked.</summary>
    public int? MaximumCertificateLifespan { get; set; }
    /// <summary>recommended_certificate_lifespan in days (advice, not a check).</summary>
    public int? RecommendedCertificateLifespan { get; set; }
    /// <summary>ocsp_staple: the server must staple an OCSP response.</summary>
    public bool OcspStaple { get; set; }
    /// <summary>server_preferred_order: false means the server should follow the client's order.</summary>
    public bool ServerPreferredOrder { get; set; }
    /// <summary>oldest_clients: the oldest clients the configuration serves (information only).</summary>
    public IReadOnlyList<string> OldestClients { get; set; } = Array.Empty<string>();

    public override string ToString() => $"{Name} {Version}";
}

/// <summary>
/// How the guideline JSON spells what the evidence names otherwise: the one table for the file reader (which refuses
/// anything not in it) and the checker (which maps what it saw back to the file's words).
/// </summary>
internal static class ProfileVocabulary
{
    /// <summary>tls_versions entries (OpenSSL's protocol names) to versions.</summary>
    public static readonly IReadOnlyDictionary<string, TlsProtocol> TlsVersions = new Dictionary<string, TlsProtocol>(StringComparer.Ordinal)
    {
        ["SSLv2"] = TlsProtocol.Ssl2,
        ["SSLv3"] = TlsProtocol.Ssl3,
        ["TLSv1"] = TlsProtocol.Tls10,
        ["TLSv1.1"] = TlsProtocol.Tls11,
        ["TLSv1.2"] = TlsProtocol.Tls12,
        ["TLSv1.3"] = TlsProtocol.Tls13,
    };

    /// <summary>certificate_types entries to the key algorithm the chain inspection reports for the leaf.</summary>
    public static readonly IReadOnlyDictionary<string, string> CertificateTypes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["rsa"] = "RSA",
        ["ecdsa"] = "EC",
        ["ed25519"] = "Ed25519",
        ["ed448"] = "Ed448",
    };
}
