using System;
using System.Collections.Generic;
using System.Linq;
using System.Diagnostics.CodeAnalysis;
using TlsTools.Protocol;

namespace TlsTools.Catalog;

/// <summary>
/// Every cipher suite in the IANA registry (embedded CSV), with names, anatomy and rating.
/// Built on first use; lookups are thread-safe.
/// </summary>
public static class CipherSuiteCatalog
{
    internal const string RegistryFile = "iana-tls-cipher-suites.csv";

    private static readonly Lazy<RegistryIndex<CipherSuiteInfo>> Index =
        new Lazy<RegistryIndex<CipherSuiteInfo>>(Build, isThreadSafe: true);

    /// <summary>All suites, in registry (code) order.</summary>
    public static IReadOnlyList<CipherSuiteInfo> All => Index.Value.All;

    public static bool TryGet(ushort code, [MaybeNullWhen(false)] out CipherSuiteInfo suite) => Index.Value.TryGet(code, out suite);

    /// <summary>By IANA or OpenSSL name, case-insensitive; null when neither matches.</summary>
    public static CipherSuiteInfo? Find(string? ianaOrOpenSslName) => Index.Value.Find(ianaOrOpenSslName);

    /// <summary>A suite named as users write it: IANA name, OpenSSL name, or a code ("0xC02F", "0xC0,0x2F"); null if none.</summary>
    public static CipherSuiteInfo? Resolve(string? text)
    {
        if (text is null || string.IsNullOrWhiteSpace(text)) return null;
        string trimmed = text.Trim();
        string hex = trimmed.Replace("0x", "").Replace("0X", "").Replace(",", "");
        if (trimmed.StartsWith("0x", System.StringComparison.OrdinalIgnoreCase) &&
            ushort.TryParse(hex, System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture, out var code))
            return TryGet(code, out var byCode) ? byCode : null;
        return Find(trimmed);
    }

    /// <summary>The IANA name, or "0xABCD (unknown)".</summary>
    /// <summary>The shape of the ServerKeyExchange a suite's server sends ((EC)DHE); null for suites that send none (RSA, PSK, TLS 1.3).</summary>
    public static ServerKeyExchangeKind? ServerKeyExchangeOf(ushort code) =>
        TryGet(code, out var suite) && ServerKeyExchange.TryGetKind(suite.KeyExchange, out var kind) ? kind : (ServerKeyExchangeKind?)null;

    public static string NameOf(ushort code) => TryGet(code, out var suite) ? suite.Name : CodeFormat.Unknown(code);

    /// <summary>The real suites (no signalling values) a given protocol version can negotiate, in registry order.</summary>
    public static IReadOnlyList<CipherSuiteInfo> UsableWith(TlsProtocol version) =>
        All.Where(s => !s.IsSignaling && (s.Protocols & version) != 0).ToList();

    private static RegistryIndex<CipherSuiteInfo> Build()
    {
        var suites = RegistryCsv.LoadRows(RegistryFile).Select(ToSuite);
        return new RegistryIndex<CipherSuiteInfo>(suites, s => s.Code, s => new[] { s.Name, s.OpenSslName });
    }

    private static CipherSuiteInfo ToSuite(RegistryRow row)
    {
        var suite = new CipherSuiteInfo(row.Code, row.Description)
        {
            IanaRecommended = row.Recommended,
        };
        CipherSuiteAnatomy.Describe(suite);
        suite.OpenSslName = OpenSslNaming.NameOf(suite);
        CipherSuiteRatingRules.Rate(suite);
        return suite;
    }
}
