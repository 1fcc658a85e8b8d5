using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using TlsTools.Assessment.Profiles;

namespace TlsTools.Assessment.Findings;

/// <summary>
/// The template values a profile gives (its versions, suites, curves, HSTS age, DH size, stapling, order), spelled
/// the ways the products' configuration languages need them. The profile file is the one home of the values; this
/// only spells them.
/// </summary>
public static class ProfileTemplateValues
{
    /// <summary>Each version's spelling: OpenSSL's (nginx, Apache, Postfix, Dovecot), HAProxy's, SCHANNEL's registry key.</summary>
    private static readonly (TlsProtocol Protocol, string OpenSsl, string HAProxy, string Schannel)[] VersionSpellings =
    {
        (TlsProtocol.Ssl2, "SSLv2", "SSLv2", "SSL 2.0"),
        (TlsProtocol.Ssl3, "SSLv3", "SSLv3", "SSL 3.0"),
        (TlsProtocol.Tls10, "TLSv1", "TLSv1.0", "TLS 1.0"),
        (TlsProtocol.Tls11, "TLSv1.1", "TLSv1.1", "TLS 1.1"),
        (TlsProtocol.Tls12, "TLSv1.2", "TLSv1.2", "TLS 1.2"),
        (TlsProtocol.Tls13, "TLSv1.3", "TLSv1.3", "TLS 1.3"),
    };

    /// <summary>OpenSSL's group names and SCHANNEL's (Enable-TlsEccCurve), for the curves Windows has.</summary>
    private static readonly Dictionary<string, string> SchannelCurves = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["X25519"] = "curve25519",
        ["prime256v1"] = "NistP256",
        ["secp384r1"] = "NistP384",
        ["secp521r1"] = "NistP521",
    };

    public static string OpenSslName(TlsProtocol version) => VersionSpellings.First(v => v.Protocol == version).OpenSsl;
    public static string SchannelName(TlsProtocol version) => VersionSpellings.First(v => v.Protocol == version).Schannel;

    /// <summary>Hybrid post-quantum groups (X25519MLKEM768): only OpenSSL 3.5 and later know them, and a group a library does not know stops nginx, Apache and HAProxy from starting.</summary>
    public static bool IsHybrid(string curve) =>
        curve.IndexOf("MLKEM", StringComparison.OrdinalIgnoreCase) >= 0 || curve.IndexOf("Kyber", StringComparison.OrdinalIgnoreCase) >= 0;

    /// <summary>True when the profile has the data the templates are filled from (a profile without versions has none).</summary>
    public static bool HasData(ProfileConfiguration? profile) => profile != null && profile.TlsVersions.Count > 0;

    /// <summary>The values every template section may use, from this profile, for a server listening on <paramref name="port"/>.</summary>
    public static TemplateValues For(ProfileConfiguration profile, int port)
    {
        var versions = VersionSpellings.Where(v => profile.TlsVersions.Contains(v.Protocol)).ToList();
        var others = VersionSpellings.Where(v => !profile.TlsVersions.Contains(v.Protocol)).ToList();
        var classic = profile.TlsCurves.Where(c => !IsHybrid(c)).ToList();
        bool dhe = profile.OpenSslCiphers.Any(c => c.StartsWith("DHE-", StringComparison.Ordinal) || c.StartsWith("EDH-", StringComparison.Ordinal));
        return new TemplateValues()
            .Set("profile", profile.Name)
            .Set("version", profile.Version)
            .Set("port", port.ToString(CultureInfo.InvariantCulture))
            .Set("protocols", versions.Select(v => v.OpenSsl))
            .Set("min_protocol", versions.Select(v => v.OpenSsl).Take(1))
            .Set("haproxy_min_protocol", versions.Select(v => v.HAProxy).Take(1))
            .Set("schannel_protocols", versions.Select(v => v.Schannel))
            .Set("schannel_other_protocols", others.Select(v => v.Schannel))
            .Set("ciphers", profile.OpenSslCiphers)
            .Set("ciphersuites", profile.CipherSuites)
            // SCHANNEL's one list holds both: the TLS 1.3 suites first, as OpenSSL puts them.
            .Set("iana_suites", profile.CipherSuites.Concat(profile.Ciphers))
            .Set("curves", profile.TlsCurves)
            .Set("classic_curves", classic)
            .Set("hybrid_curves", profile.TlsCurves.Where(IsHybrid))
            .Set("schannel_curves", classic.Where(SchannelCurves.ContainsKey).Select(c => SchannelCurves[c]))
            .Set("hsts_max_age", (profile.HstsMinAge ?? DetectionContext.DefaultHstsMinAge).ToString(CultureInfo.InvariantCulture))
            .Set("dhe", dhe && profile.DhParamSize != null)
            .Set("dh_param_size", profile.DhParamSize?.ToString(CultureInfo.InvariantCulture) ?? "")
            .Set("ocsp_staple", profile.OcspStaple)
            .Set("server_order", profile.ServerPreferredOrder);
    }
}
