using System;
using System.Collections.Generic;

namespace TlsTools.Catalog;

/// <summary>
/// The rating of a cipher suite, as data. Rules are tried in order; the first that applies decides.
///
///   Insecure    no encryption (NULL)                       - traffic readable by anyone
///   Insecure    anonymous authentication (anon)            - trivially man-in-the-middled
///   Insecure    EXPORT                                     - 40/56-bit by design (FREAK, Logjam)
///   Insecure    RC4                                        - biased keystream, prohibited by RFC 7465
///   Insecure    DES / DES40                                - 56-bit key, brute-forced in hours
///   Insecure    64-bit block cipher (3DES, IDEA, RC2, GOST 28147/Magma) - Sweet32 (CVE-2016-2183)
///   Insecure    MD5 MAC                                    - MD5 is broken; RFC 6151
///   Recommended IANA Recommended = Y                       - TLS 1.3 suites and (EC)DHE with AEAD
///   Weak        no forward secrecy (RSA, static DH/ECDH, PSK, SRP, KRB5 key exchange)
///                                                          - one stolen key decrypts all recorded traffic
///   Weak        not AEAD (CBC, stream)                      - MAC-then-encrypt: Lucky13, POODLE-style oracles
///   Secure      forward secret and AEAD                    - everything left
/// </summary>
internal static class CipherSuiteRatingRules
{
    private sealed class Rule
    {
        public Rule(CipherSuiteRating rating, string reason, Func<CipherSuiteInfo, bool> applies)
        { Rating = rating; Reason = reason; Applies = applies; }
        public CipherSuiteRating Rating { get; }
        public string Reason { get; }
        public Func<CipherSuiteInfo, bool> Applies { get; }
    }

    private static readonly Rule[] Rules =
    {
        new Rule(CipherSuiteRating.Insecure, "no encryption", s => s.Encryption == "NULL"),
        new Rule(CipherSuiteRating.Insecure, "anonymous key exchange: the server is not authenticated", s => s.Authentication == "anon"),
        new Rule(CipherSuiteRating.Insecure, "export-grade cryptography", s => s.Export),
        new Rule(CipherSuiteRating.Insecure, "RC4 is broken (RFC 7465)", s => Family(s) == "RC4"),
        new Rule(CipherSuiteRating.Insecure, "single DES: 56-bit key or less", s => Family(s) == "DES" || Family(s) == "DES40"),
        new Rule(CipherSuiteRating.Insecure, "64-bit block cipher (Sweet32)", s => CipherSuiteAnatomy.FamilyOf(new[] { Family(s) }).SmallBlock),
        new Rule(CipherSuiteRating.Insecure, "MD5 MAC", s => s.Mac == "MD5"),
        new Rule(CipherSuiteRating.Recommended, "IANA recommended", s => s.IanaRecommended),
        new Rule(CipherSuiteRating.Weak, "no forward secrecy", s => !s.ForwardSecrecy),
        new Rule(CipherSuiteRating.Weak, "not AEAD (CBC or stream cipher with separate MAC)", s => !s.Aead),
        new Rule(CipherSuiteRating.Secure, "forward secrecy and AEAD", s => true),
    };

    public static void Rate(CipherSuiteInfo suite)
    {
        foreach (var rule in Rules)
        {
            if (!rule.Applies(suite)) continue;
            suite.Rating = rule.Rating;
            suite.RatingReason = rule.Reason;
            return;
        }
    }

    private static string Family(CipherSuiteInfo suite)
    {
        int underscore = suite.Encryption.IndexOf('_');
        return underscore < 0 ? suite.Encryption : suite.Encryption.Substring(0, underscore);
    }
}
