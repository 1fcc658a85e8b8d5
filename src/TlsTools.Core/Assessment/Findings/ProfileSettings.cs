using System;
using System.Collections.Generic;
using System.Linq;
using TlsTools.Assessment.Profiles;

namespace TlsTools.Assessment.Findings;

/// <summary>
/// What the configuration templates need of a profile, in the profile's own terms (Mozilla's JSON fields), and the
/// template values derived from it. The profile file is the one home of these values; this only reads them.
/// </summary>
public sealed class ProfileSettings
{
    public string Name { get; set; } = "";
    public string Version { get; set; } = "";
    /// <summary>tls_versions, as the guideline spells them (TLSv1.2, TLSv1.3).</summary>
    public IReadOnlyList<string> TlsVersions { get; set; } = Array.Empty<string>();
    /// <summary>ciphers.openssl: the TLS 1.2-and-older suites in OpenSSL's names, in the profile's order.</summary>
    public IReadOnlyList<string> OpenSslCiphers { get; set; } = Array.Empty<string>();
    /// <summary>ciphers.iana: the same suites in IANA's names.</summary>
    public IReadOnlyList<string> IanaCiphers { get; set; } = Array.Empty<string>();
    /// <summary>ciphersuites: the TLS 1.3 suites.</summary>
    public IReadOnlyList<string> Tls13Suites { get; set; } = Array.Empty<string>();
    /// <summary>tls_curves, in OpenSSL's names (X25519MLKEM768, X25519, prime256v1, secp384r1).</summary>
    public IReadOnlyList<string> Curves { get; set; } = Array.Empty<string>();
    public long HstsMinAge { get; set; }
    /// <summary>dh_param_size; null when the profile has no DHE suites.</summary>
    public int? DhParamSize { get; set; }
    public bool OcspStaple { get; set; }
    public bool ServerPreferredOrder { get; set; }

    /// <summary>The settings of a profile read from Mozilla's JSON (or a custom file of its shape).</summary>
    public static ProfileSettings From(ProfileConfiguration profile) => new ProfileSettings
    {
        Name = profile.Name,
        Version = profile.Version,
    };

    /// <summary>Each version's spelling in the configuration languages: OpenSSL's (nginx, Apache, Postfix, Dovecot), HAProxy's, SCHANNEL's registry key.</summary>
    private static readonly (TlsProtocol Protocol, string OpenSsl, string HAProxy, string Schannel)[] VersionSpellings =
    {
        (TlsProtocol.Ssl2, "SSLv2", "SSLv2", "SSL 2.0"),
        (TlsProtocol.Ssl3, "SSLv3", "SSLv3", "SSL 3.0"),
        (TlsProtocol.Tls10, "TLSv1", "TLSv1.0", "TLS 1.0"),
        (TlsProtocol.Tls11, "TLSv1.1", "TLSv1.1", "TLS 1.1"),
        (TlsProtocol.Tls12, "TLSv1.2", "TLSv1.2", "TLS 1.2"),
        (TlsProtocol.Tls13, "TLSv1.3", "TLSv1.3", "TLS 1.3"),
    };

    /// <summary>OpenSSL's group names and SCHANNEL's (Enable-TlsEccCurve) for the curves Windows has.</summary>
    private static readonly Dictionary<string, string> SchannelCurves = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["X25519"] = "curve25519",
        ["prime256v1"] = "NistP256",
        ["secp384r1"] = "NistP384",
        ["secp521r1"] = "NistP521",
    };

    /// <summary>The guideline's version names (TLSv1.2; also "TLS 1.2" or TLSv1.0 from a hand-written file) as flags.</summary>
    public TlsProtocol Protocols => TlsVersions.Select(ParseVersion).Aggregate(TlsProtocol.None, (set, p) => set | p);

    public static TlsProtocol ParseVersion(string name)
    {
        var compact = name.Replace(" ", "").Replace("TLSv1.0", "TLSv1").Replace("TLS1", "TLSv1");
        foreach (var v in VersionSpellings)
            if (string.Equals(v.OpenSsl, compact, StringComparison.OrdinalIgnoreCase) || string.Equals(v.HAProxy, compact, StringComparison.OrdinalIgnoreCase))
                return v.Protocol;
        return TlsProtocol.None;
    }

    public static string OpenSslName(TlsProtocol version) => VersionSpellings.First(v => v.Protocol == version).OpenSsl;
    public static string SchannelName(TlsProtocol version) => VersionSpellings.First(v => v.Protocol == version).Schannel;

    /// <summary>Hybrid post-quantum groups (X25519MLKEM768): only OpenSSL 3.5 and later know them, and a name a library does not know stops nginx, Apache and HAProxy from starting.</summary>
    public static bool IsHybrid(string curve) => curve.IndexOf("MLKEM", StringComparison.OrdinalIgnoreCase) >= 0 || curve.IndexOf("Kyber", StringComparison.OrdinalIgnoreCase) >= 0;

    /// <summary>The values every template section may use, derived from this profile.</summary>
    public TemplateValues Values(int port)
    {
        var versions = VersionSpellings.Where(v => (Protocols & v.Protocol) != 0).ToList();
        var others = VersionSpellings.Where(v => (Protocols & v.Protocol) == 0).ToList();
        var classic = Curves.Where(c => !IsHybrid(c)).ToList();
        bool dhe = OpenSslCiphers.Any(c => c.StartsWith("DHE-", StringComparison.Ordinal) || c.StartsWith("EDH-", StringComparison.Ordinal));
        return new TemplateValues()
            .Set("profile", Name)
            .Set("version", Version)
            .Set("port", port.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Set("protocols", versions.Select(v => v.OpenSsl))
            .Set("min_protocol", versions.Select(v => v.OpenSsl).Take(1))
            .Set("haproxy_min_protocol", versions.Select(v => v.HAProxy).Take(1))
            .Set("schannel_protocols", versions.Select(v => v.Schannel))
            .Set("schannel_other_protocols", others.Select(v => v.Schannel))
            .Set("ciphers", OpenSslCiphers)
            .Set("ciphersuites", Tls13Suites)
            // SCHANNEL's list holds both: the TLS 1.3 suites first, as OpenSSL puts them.
            .Set("iana_suites", Tls13Suites.Concat(IanaCiphers))
            .Set("curves", Curves)
            .Set("classic_curves", classic)
            .Set("hybrid_curves", Curves.Where(IsHybrid))
            .Set("schannel_curves", classic.Where(SchannelCurves.ContainsKey).Select(c => SchannelCurves[c]))
            .Set("hsts_max_age", HstsMinAge.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Set("dhe", dhe && DhParamSize != null)
            .Set("dh_param_size", DhParamSize?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "")
            .Set("ocsp_staple", OcspStaple)
            .Set("server_order", ServerPreferredOrder);
    }
}
