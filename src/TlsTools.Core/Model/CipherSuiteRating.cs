namespace TlsTools;

/// <summary>
/// How much to trust a cipher suite, a key-exchange group or a protocol version: the one rating vocabulary of
/// the module. The rules are the catalog's (CipherSuiteRatingRules, KeyExchangeStrength, ProtocolVersions);
/// its RatingSeverity orders them.
/// </summary>
public enum CipherSuiteRating
{
    /// <summary>IANA marks it Recommended (TLS 1.3 suites, (EC)DHE with AEAD).</summary>
    Recommended,
    /// <summary>Forward secret and AEAD, but not on IANA's recommended list.</summary>
    Secure,
    /// <summary>No forward secrecy, or CBC mode.</summary>
    Weak,
    /// <summary>Broken: no encryption, no authentication, export grade, RC4, DES, 64-bit blocks, MD5.</summary>
    Insecure,
    /// <summary>A protocol version the IETF has deprecated: TLS 1.0 and 1.1 (RFC 8996). Worse than Secure, better than Weak.</summary>
    Deprecated,
}
