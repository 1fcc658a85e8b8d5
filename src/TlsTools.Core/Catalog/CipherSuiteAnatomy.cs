using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace TlsTools.Catalog;

/// <summary>
/// Takes an IANA cipher suite name apart. IANA names have two shapes:
///   TLS_{key exchange}[_EXPORT]_WITH_{cipher}[_{mac}]   (SSLv3 .. TLS 1.2)
///   TLS_{cipher}_{hash}                                 (TLS 1.3: key exchange and authentication are negotiated apart)
/// Each part is looked up in a small table below; nothing here lists suites one by one.
/// </summary>
internal static class CipherSuiteAnatomy
{
    private sealed class KeyExchangeTraits
    {
        public KeyExchangeTraits(string keyExchange, string authentication, bool forwardSecrecy)
        { KeyExchange = keyExchange; Authentication = authentication; ForwardSecrecy = forwardSecrecy; }
        public string KeyExchange { get; }
        public string Authentication { get; }
        public bool ForwardSecrecy { get; }
    }

    /// <summary>Text between "TLS_" and "_WITH_" (EXPORT removed) -> key exchange, authentication, forward secrecy.</summary>
    private static readonly Dictionary<string, KeyExchangeTraits> KeyExchanges = new Dictionary<string, KeyExchangeTraits>(StringComparer.Ordinal)
    {
        ["NULL"] = new KeyExchangeTraits("NULL", "NULL", false),
        ["RSA"] = new KeyExchangeTraits("RSA", "RSA", false),
        ["DH_DSS"] = new KeyExchangeTraits("DH", "DSS", false),
        ["DH_RSA"] = new KeyExchangeTraits("DH", "RSA", false),
        ["DHE_DSS"] = new KeyExchangeTraits("DHE", "DSS", true),
        ["DHE_RSA"] = new KeyExchangeTraits("DHE", "RSA", true),
        // Anonymous DH is ephemeral, but secrecy from an unauthenticated peer protects nothing: not counted.
        ["DH_anon"] = new KeyExchangeTraits("DH", "anon", false),
        ["ECDH_anon"] = new KeyExchangeTraits("ECDH", "anon", false),
        ["ECDH_ECDSA"] = new KeyExchangeTraits("ECDH", "ECDSA", false),
        ["ECDH_RSA"] = new KeyExchangeTraits("ECDH", "RSA", false),
        ["ECDHE_ECDSA"] = new KeyExchangeTraits("ECDHE", "ECDSA", true),
        ["ECDHE_RSA"] = new KeyExchangeTraits("ECDHE", "RSA", true),
        ["KRB5"] = new KeyExchangeTraits("KRB5", "KRB5", false),
        ["PSK"] = new KeyExchangeTraits("PSK", "PSK", false),
        ["RSA_PSK"] = new KeyExchangeTraits("RSA", "PSK", false),
        ["DHE_PSK"] = new KeyExchangeTraits("DHE", "PSK", true),
        ["PSK_DHE"] = new KeyExchangeTraits("DHE", "PSK", true),   // RFC 6655 spells 0xC0AA/0xC0AB this way round
        ["ECDHE_PSK"] = new KeyExchangeTraits("ECDHE", "PSK", true),
        ["SRP_SHA"] = new KeyExchangeTraits("SRP", "SRP", false),
        ["SRP_SHA_RSA"] = new KeyExchangeTraits("SRP", "RSA", false),
        ["SRP_SHA_DSS"] = new KeyExchangeTraits("SRP", "DSS", false),
        ["ECCPWD"] = new KeyExchangeTraits("ECCPWD", "ECCPWD", false),
        ["GOSTR341112_256"] = new KeyExchangeTraits("GOST", "GOST", false),
    };

    /// <summary>TLS 1.3 suites leave key exchange and authentication to extensions; OpenSSL calls that "any".</summary>
    private static readonly KeyExchangeTraits Tls13KeyExchange = new KeyExchangeTraits("any", "any", true);

    internal sealed class CipherFamily
    {
        public CipherFamily(int bits, bool smallBlock, bool isNull = false, bool aeadByItself = false)
        { DefaultBits = bits; SmallBlock = smallBlock; IsNull = isNull; AeadByItself = aeadByItself; }
        /// <summary>Key bits when the name carries no number (3DES: 112 effective, after meet-in-the-middle).</summary>
        public int DefaultBits { get; }
        /// <summary>64-bit block: Sweet32 birthday attacks (CVE-2016-2183) apply.</summary>
        public bool SmallBlock { get; }
        public bool IsNull { get; }
        public bool AeadByItself { get; }
    }

    /// <summary>First token of the cipher part -> family traits.</summary>
    private static readonly Dictionary<string, CipherFamily> CipherFamilies = new Dictionary<string, CipherFamily>(StringComparer.Ordinal)
    {
        ["NULL"] = new CipherFamily(0, false, isNull: true),
        // RFC 9150 integrity-only TLS 1.3 suites (TLS_SHA256_SHA256) name a hash where the cipher would be.
        ["SHA256"] = new CipherFamily(0, false, isNull: true),
        ["SHA384"] = new CipherFamily(0, false, isNull: true),
        ["RC4"] = new CipherFamily(128, false),
        ["RC2"] = new CipherFamily(128, true),
        ["IDEA"] = new CipherFamily(128, true),
        ["DES"] = new CipherFamily(56, true),
        ["DES40"] = new CipherFamily(40, true),
        ["3DES"] = new CipherFamily(112, true),
        ["AES"] = new CipherFamily(128, false),
        ["CAMELLIA"] = new CipherFamily(128, false),
        ["ARIA"] = new CipherFamily(128, false),
        ["SEED"] = new CipherFamily(128, false),
        ["CHACHA20"] = new CipherFamily(256, false),
        ["SM4"] = new CipherFamily(128, false),
        ["AEGIS"] = new CipherFamily(128, false, aeadByItself: true),
        ["KUZNYECHIK"] = new CipherFamily(256, false),
        ["MAGMA"] = new CipherFamily(256, true),
        ["28147"] = new CipherFamily(256, true),
    };

    /// <summary>Tokens of the cipher part that name an authenticated-encryption mode.</summary>
    private static readonly HashSet<string> AeadModes = new HashSet<string>(StringComparer.Ordinal)
    { "GCM", "CCM", "POLY1305", "MGM" };

    private sealed class MacTraits
    {
        public MacTraits(string display, bool needsTls12) { Display = display; NeedsTls12 = needsTls12; }
        public string Display { get; }
        /// <summary>Defined with the TLS 1.2 PRF, so no earlier version can negotiate it.</summary>
        public bool NeedsTls12 { get; }
    }

    /// <summary>Last token of a TLS 1.2-style name -> MAC.</summary>
    private static readonly Dictionary<string, MacTraits> Macs = new Dictionary<string, MacTraits>(StringComparer.Ordinal)
    {
        ["MD5"] = new MacTraits("MD5", false),
        ["SHA"] = new MacTraits("SHA1", false),
        ["SHA256"] = new MacTraits("SHA256", true),
        ["SHA384"] = new MacTraits("SHA384", true),
        ["SM3"] = new MacTraits("SM3", true),
        ["OMAC"] = new MacTraits("OMAC", true),
        ["IMIT"] = new MacTraits("IMIT", true),
    };

    /// <summary>
    /// RFC 9367 GOST suites for TLS 1.3 are named in the TLS 1.2 shape (…_WITH_…_MGM_L); their
    /// "MGM" mode is only defined for TLS 1.3.
    /// </summary>
    private static readonly HashSet<string> Tls13OnlyModes = new HashSet<string>(StringComparer.Ordinal) { "MGM" };

    private const TlsProtocol LegacyVersions = TlsProtocol.Ssl3 | TlsProtocol.Tls10 | TlsProtocol.Tls11 | TlsProtocol.Tls12;

    /// <summary>Fills the derived properties of <paramref name="suite"/> from its IANA name.</summary>
    public static void Describe(CipherSuiteInfo suite)
    {
        var tokens = suite.Name.Split('_').ToList();
        if (tokens.Count < 2 || tokens[0] != "TLS")
            throw new FormatException($"Not an IANA cipher suite name: {suite.Name}");
        tokens.RemoveAt(0);

        if (tokens[tokens.Count - 1] == "SCSV")
        {
            DescribeSignaling(suite);
            return;
        }

        int with = tokens.IndexOf("WITH");
        List<string> cipherTokens;
        string? macToken;
        KeyExchangeTraits keyExchange;
        if (with < 0)
        {
            // TLS 1.3 shape: the last token is the HKDF hash, everything before it is the AEAD.
            macToken = tokens[tokens.Count - 1];
            cipherTokens = tokens.Take(tokens.Count - 1).ToList();
            keyExchange = Tls13KeyExchange;
            suite.IsTls13 = true;
        }
        else
        {
            var kxTokens = tokens.Take(with).ToList();
            suite.Export = kxTokens.Remove("EXPORT");
            string kxKey = string.Join("_", kxTokens);
            keyExchange = KeyExchanges.TryGetValue(kxKey, out var known) ? known : new KeyExchangeTraits(kxKey, kxKey, false);
            cipherTokens = tokens.Skip(with + 1).ToList();
            macToken = cipherTokens.Count > 1 && Macs.ContainsKey(cipherTokens[cipherTokens.Count - 1])
                ? cipherTokens[cipherTokens.Count - 1] : null;
            if (macToken != null) cipherTokens.RemoveAt(cipherTokens.Count - 1);
            suite.IsTls13 = cipherTokens.Any(Tls13OnlyModes.Contains);
            if (suite.IsTls13) keyExchange = Tls13KeyExchange;
        }

        var family = FamilyOf(cipherTokens);
        suite.KeyExchange = keyExchange.KeyExchange;
        suite.Authentication = keyExchange.Authentication;
        suite.ForwardSecrecy = keyExchange.ForwardSecrecy;
        suite.Encryption = family.IsNull ? "NULL" : string.Join("_", cipherTokens);
        suite.Bits = family.IsNull ? 0 : KeyBits(cipherTokens, family);
        suite.Aead = !family.IsNull && (family.AeadByItself || cipherTokens.Any(AeadModes.Contains));
        Macs.TryGetValue(macToken ?? "", out var mac);
        suite.Mac = suite.Aead ? "AEAD" : mac?.Display ?? (suite.IsTls13 ? macToken : null) ?? "NULL";
        suite.Protocols = suite.IsTls13 ? TlsProtocol.Tls13
            : suite.Aead || (mac?.NeedsTls12 ?? false) ? TlsProtocol.Tls12
            : LegacyVersions;
    }

    internal static CipherFamily FamilyOf(IReadOnlyList<string> cipherTokens) =>
        cipherTokens.Count > 0 && CipherFamilies.TryGetValue(cipherTokens[0], out var family)
            ? family
            : new CipherFamily(0, false);

    /// <summary>The first number after the family name ("AES_256_GCM", "RC4_40", "AEGIS_128L"), else the family's default.</summary>
    private static int KeyBits(List<string> cipherTokens, CipherFamily family)
    {
        foreach (var token in cipherTokens.Skip(1))
        {
            var digits = new string(token.TakeWhile(char.IsDigit).ToArray());
            if (digits.Length > 0) return int.Parse(digits, CultureInfo.InvariantCulture);
        }
        return family.DefaultBits;
    }

    private static void DescribeSignaling(CipherSuiteInfo suite)
    {
        suite.IsSignaling = true;
        suite.KeyExchange = suite.Authentication = suite.Encryption = suite.Mac = "NULL";
        suite.Protocols = LegacyVersions;
    }
}
