using System;
using System.Collections.Generic;
using System.Linq;

namespace TlsTools.Catalog;

/// <summary>
/// Derives OpenSSL's name for a cipher suite from its IANA name. OpenSSL's scheme is
///   [EXP-][{kx-auth}-]{cipher}[-{mac}]
/// with plain RSA key exchange written as no prefix at all (TLS_RSA_WITH_AES_128_CBC_SHA = AES128-SHA).
/// TLS 1.3 suites keep their IANA names in OpenSSL. Families OpenSSL never named (GOST, ECCPWD, SM4,
/// AEGIS...) get null. The few names that break the scheme are listed in <see cref="Irregular"/>.
/// </summary>
internal static class OpenSslNaming
{
    /// <summary>IANA key-exchange part -> OpenSSL prefix ("" = none).</summary>
    private static readonly Dictionary<string, string> Prefixes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["NULL"] = "", ["RSA"] = "",
        ["DH_DSS"] = "DH-DSS", ["DH_RSA"] = "DH-RSA", ["DHE_DSS"] = "DHE-DSS", ["DHE_RSA"] = "DHE-RSA",
        ["DH_anon"] = "ADH", ["ECDH_anon"] = "AECDH",
        ["ECDH_ECDSA"] = "ECDH-ECDSA", ["ECDH_RSA"] = "ECDH-RSA", ["ECDHE_ECDSA"] = "ECDHE-ECDSA", ["ECDHE_RSA"] = "ECDHE-RSA",
        ["PSK"] = "PSK", ["RSA_PSK"] = "RSA-PSK", ["DHE_PSK"] = "DHE-PSK", ["PSK_DHE"] = "DHE-PSK", ["ECDHE_PSK"] = "ECDHE-PSK",
        ["SRP_SHA"] = "SRP", ["SRP_SHA_RSA"] = "SRP-RSA", ["SRP_SHA_DSS"] = "SRP-DSS",
        ["KRB5"] = "KRB5",
    };

    /// <summary>
    /// DES-based suites kept the SSLeay-era "EDH" spelling for ephemeral DH (EDH-RSA-DES-CBC3-SHA).
    /// </summary>
    private static readonly Dictionary<string, string> DesEraPrefixes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["DHE_RSA"] = "EDH-RSA", ["DHE_DSS"] = "EDH-DSS",
    };

    private sealed class CipherName
    {
        public CipherName(string name, bool omitsMac = false) { Name = name; OmitsMac = omitsMac; }
        public string Name { get; }
        /// <summary>OpenSSL drops the PRF hash for ChaCha20 (ECDHE-RSA-CHACHA20-POLY1305).</summary>
        public bool OmitsMac { get; }
    }

    /// <summary>IANA cipher part, key size written as {b} -> OpenSSL cipher part.</summary>
    private static readonly Dictionary<string, CipherName> Ciphers = new Dictionary<string, CipherName>(StringComparer.Ordinal)
    {
        ["NULL"] = new CipherName("NULL"),
        ["RC4_{b}"] = new CipherName("RC4"), ["RC4_40"] = new CipherName("RC4"),
        ["RC2_CBC_40"] = new CipherName("RC2-CBC"),
        ["IDEA_CBC"] = new CipherName("IDEA-CBC"),
        ["DES_CBC"] = new CipherName("DES-CBC"), ["DES40_CBC"] = new CipherName("DES-CBC"), ["DES_CBC_40"] = new CipherName("DES-CBC"),
        ["3DES_EDE_CBC"] = new CipherName("DES-CBC3"),
        ["SEED_CBC"] = new CipherName("SEED"),
        ["AES_{b}_CBC"] = new CipherName("AES{b}"), ["AES_{b}_GCM"] = new CipherName("AES{b}-GCM"),
        ["AES_{b}_CCM"] = new CipherName("AES{b}-CCM"), ["AES_{b}_CCM_8"] = new CipherName("AES{b}-CCM8"),
        ["CAMELLIA_{b}_CBC"] = new CipherName("CAMELLIA{b}"), ["CAMELLIA_{b}_GCM"] = new CipherName("CAMELLIA{b}-GCM"),
        ["ARIA_{b}_CBC"] = new CipherName("ARIA{b}"), ["ARIA_{b}_GCM"] = new CipherName("ARIA{b}-GCM"),
        ["CHACHA20_POLY1305"] = new CipherName("CHACHA20-POLY1305", omitsMac: true),
    };

    /// <summary>PSK and SRP suites spell some ciphers differently (PSK-AES128-CBC-SHA, SRP-AES-128-CBC-SHA).</summary>
    private static readonly Dictionary<string, Dictionary<string, CipherName>> DialectCiphers = new Dictionary<string, Dictionary<string, CipherName>>(StringComparer.Ordinal)
    {
        ["PSK"] = new Dictionary<string, CipherName>
        {
            ["AES_{b}_CBC"] = new CipherName("AES{b}-CBC"), ["3DES_EDE_CBC"] = new CipherName("3DES-EDE-CBC"),
        },
        ["SRP"] = new Dictionary<string, CipherName>
        {
            ["AES_{b}_CBC"] = new CipherName("AES-{b}-CBC"), ["3DES_EDE_CBC"] = new CipherName("3DES-EDE-CBC"),
        },
    };

    /// <summary>IANA MAC token -> OpenSSL suffix.</summary>
    private static readonly Dictionary<string, string> Macs = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["MD5"] = "MD5", ["SHA"] = "SHA", ["SHA256"] = "SHA256", ["SHA384"] = "SHA384",
    };

    /// <summary>Names OpenSSL chose against its own scheme (the "RSA" is missing from these two).</summary>
    private static readonly Dictionary<string, string> Irregular = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["TLS_ECDHE_RSA_WITH_ARIA_128_GCM_SHA256"] = "ECDHE-ARIA128-GCM-SHA256",
        ["TLS_ECDHE_RSA_WITH_ARIA_256_GCM_SHA384"] = "ECDHE-ARIA256-GCM-SHA384",
    };

    public static string? NameOf(CipherSuiteInfo suite)
    {
        if (Irregular.TryGetValue(suite.Name, out var irregular)) return irregular;
        if (suite.IsSignaling) return null;
        // OpenSSL implements only RFC 8446's AES and ChaCha20 TLS 1.3 suites, under their IANA names.
        if (suite.IsTls13) return suite.Name.StartsWith("TLS_AES_", StringComparison.Ordinal)
            || suite.Name.StartsWith("TLS_CHACHA20_", StringComparison.Ordinal) ? suite.Name : null;

        var tokens = suite.Name.Split('_').Skip(1).ToList();
        int with = tokens.IndexOf("WITH");
        if (with < 0) return null;
        var kxTokens = tokens.Take(with).Where(t => t != "EXPORT").ToList();
        string kx = string.Join("_", kxTokens);
        var cipherTokens = tokens.Skip(with + 1).ToList();
        string? mac = cipherTokens.Count > 1 && Macs.TryGetValue(cipherTokens[cipherTokens.Count - 1], out var m) ? m : null;
        if (mac != null) cipherTokens.RemoveAt(cipherTokens.Count - 1);

        string? bits = cipherTokens.FirstOrDefault(t => t == "128" || t == "256");
        string template = string.Join("_", cipherTokens.Select(t => t == bits ? "{b}" : t));
        var cipher = LookupCipher(kx, template);
        if (cipher == null || !Prefixes.TryGetValue(kx, out var prefix)) return null;
        if (suite.Encryption.Contains("DES") && DesEraPrefixes.TryGetValue(kx, out var desPrefix)) prefix = desPrefix;

        var parts = new List<string>();
        if (suite.Export) parts.Add("EXP");
        if (prefix.Length > 0) parts.Add(prefix);
        parts.Add(cipher.Name.Replace("{b}", bits));
        if (mac != null && !cipher.OmitsMac) parts.Add(mac);
        return string.Join("-", parts);
    }

    private static CipherName? LookupCipher(string kx, string template)
    {
        string? dialect = kx.StartsWith("SRP", StringComparison.Ordinal) ? "SRP" : kx.Contains("PSK") ? "PSK" : null;
        if (dialect != null && DialectCiphers[dialect].TryGetValue(template, out var special)) return special;
        return Ciphers.TryGetValue(template, out var cipher) ? cipher : null;
    }
}
