using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using TlsTools.Catalog;

namespace TlsTools.Assessment.Profiles;

/// <summary>
/// Checks a server against one profile configuration: one <see cref="ProfileDeviation"/> per difference, each with
/// what the profile asks for, what the server does and one sentence. The aspects are a table, checked in the order
/// the guideline lists them; each reads the evidence only. An aspect the evidence cannot answer is named under the
/// verdict's NotChecked and is not a deviation: Compliant means "no deviation seen", so -Quiet -Profile does not fail
/// a server for a check the caller switched off (-NoHttp) — the verdict still says what was not checked.
/// </summary>
public static class ProfileChecker
{
    static readonly Action<ProfileCheck>[] Aspects =
    {
        Protocols,
        CipherSuites,
        ServerOrder,
        Groups,
        EcdhParameterSize,
        DhParameterSize,
        Certificate,
        OcspStapling,
        Hsts,
    };

    public static ProfileVerdict Check(ServerEvidence evidence, ProfileConfiguration profile)
    {
        var check = new ProfileCheck(evidence, profile);
        foreach (var aspect in Aspects) aspect(check);
        return check.Verdict();
    }

    /// <summary>Every accepted version the profile does not allow, and every version it asks for that is refused.</summary>
    static void Protocols(ProfileCheck c)
    {
        var allowed = c.Profile.TlsVersions.OrderBy(v => v).ToList();
        string expected = ProfileCheck.Versions(allowed);
        foreach (var version in c.Accepted.Where(v => !allowed.Contains(v)))
            c.Deviation(ProfileAspect.Protocol, expected, ProtocolVersions.DisplayName(version),
                $"{ProtocolVersions.DisplayName(version)} is accepted; {c.Name} allows only {expected}.");
        foreach (var row in c.Evidence.Protocols.Where(p => p.Supported == false && allowed.Contains(p.Protocol)))
            c.Deviation(ProfileAspect.Protocol, expected, ProfileCheck.Versions(c.Accepted),
                $"{ProtocolVersions.DisplayName(row.Protocol)} is not accepted; {c.Name} asks for {expected}.");
        foreach (var row in c.Evidence.Protocols.Where(p => p.Supported == null))
            c.NotChecked(nameof(ProfileAspect.Protocol), $"{ProtocolVersions.DisplayName(row.Protocol)} got no answer to its probe");
    }

    /// <summary>
    /// Per version the profile allows: every accepted suite it does not list (TLS 1.3 against ciphersuites, older
    /// versions against ciphers.iana), and a version with none of its suites. Suites of a version the profile does
    /// not allow at all are not repeated here: the Protocol deviation already says to switch the version off.
    /// </summary>
    static void CipherSuites(ProfileCheck c)
    {
        foreach (var version in c.AcceptedAndAllowed)
        {
            var listed = version == TlsProtocol.Tls13 ? c.Profile.CipherSuites : c.Profile.Ciphers;
            string name = ProtocolVersions.DisplayName(version);
            string expected = $"{name}: {ProfileCheck.List(listed)}";
            var suites = c.SuitesOf(version).Select(s => s.CipherSuite!).ToList();
            if (suites.Count == 0)
            {
                c.NotChecked(nameof(ProfileAspect.CipherSuite), $"{name} is accepted but no suite of it was enumerated");
                continue;
            }
            foreach (var suite in suites.Where(s => !listed.Contains(s, StringComparer.OrdinalIgnoreCase)))
                c.Deviation(ProfileAspect.CipherSuite, expected, $"{name} {suite}", $"{name} accepts {suite}, which {c.Name} does not list.");
            if (!suites.Any(s => listed.Contains(s, StringComparer.OrdinalIgnoreCase)))
                c.Deviation(ProfileAspect.CipherSuite, expected, $"{name}: {ProfileCheck.List(suites)}",
                    $"{name} accepts none of {c.Name}'s suites, so a client limited to them cannot connect with it.");
        }
        if (c.Evidence.ScanProblem != null) c.NotChecked(nameof(ProfileAspect.CipherSuite), c.Evidence.ScanProblem);
    }

    /// <summary>
    /// server_preferred_order against whose order picks the suite, per version the profile allows, TLS 1.3 included:
    /// the settings that choose the order (nginx ssl_prefer_server_ciphers, Apache SSLHonorCipherOrder, OpenSSL's
    /// ServerPreference) apply to TLS 1.3's suites too, so a TLS 1.3-only server can enforce its order against
    /// modern's false. Undetermined (one suite) and Mixed orders are no evidence either way. Mozilla leaves the order
    /// to the client because every suite it lists is strong and the client knows which is fast on its hardware
    /// (ChaCha20 on phones).
    /// </summary>
    static void ServerOrder(ProfileCheck c)
    {
        var wanted = c.Profile.ServerPreferredOrder ? PreferenceSource.Server : PreferenceSource.Client;
        var opposite = c.Profile.ServerPreferredOrder ? PreferenceSource.Client : PreferenceSource.Server;
        foreach (var version in c.AcceptedAndAllowed)
        {
            var order = c.SuitesOf(version).Select(s => s.SuiteOrder).FirstOrDefault(o => o != null);
            if (order != opposite) continue;
            string name = ProtocolVersions.DisplayName(version);
            c.Deviation(ProfileAspect.ServerOrder, $"{name}: the {Whose(wanted)} order", $"{name}: the {Whose(opposite)} order",
                c.Profile.ServerPreferredOrder
                    ? $"{name} follows the client's suite order; {c.Name} asks the server to enforce its own (server_preferred_order true)."
                    : $"{name} enforces the server's suite order; {c.Name} asks the server to follow the client's (server_preferred_order false).");
        }
    }

    static string Whose(PreferenceSource order) => order == PreferenceSource.Server ? "server's" : "client's";

    /// <summary>
    /// Every accepted group tls_curves does not list. A listed group the server lacks is not a deviation: the list
    /// is what a server may offer, and every client the profile serves supports more than one of them (a server
    /// without X25519MLKEM768, such as one on OpenSSL 3.0, still serves them all with X25519). Only a server with
    /// none of them leaves such clients without a key exchange.
    /// </summary>
    static void Groups(ProfileCheck c)
    {
        var groups = c.Evidence.Groups;
        if (groups.Count == 0)
        {
            if (c.Evidence.Suites.Any(UsesNamedGroup))
                c.NotChecked(nameof(ProfileAspect.Group), "the server's groups were not enumerated");
            return;
        }
        var listed = c.Profile.Groups;
        string expected = ProfileCheck.List(listed);
        // One deviation for all the extra groups: one setting (ssl_ecdh_curve, SSLOpenSSLConfCmd Groups) fixes them all,
        // and a permissive stack accepts dozens (BouncyCastle: every sect, brainpool and GOST curve).
        var unlisted = groups.Where(g => !listed.Contains(g, StringComparer.OrdinalIgnoreCase)).ToList();
        if (unlisted.Count > 0)
            c.Deviation(ProfileAspect.Group, expected, ProfileCheck.List(unlisted),
                $"The server accepts {Count(unlisted.Count, "group")} {c.Name} does not list: {ProfileCheck.List(unlisted)}.");
        if (!groups.Any(g => listed.Contains(g, StringComparer.OrdinalIgnoreCase)))
            c.Deviation(ProfileAspect.Group, expected, ProfileCheck.List(groups), $"The server accepts none of {c.Name}'s groups.");
    }

    static bool UsesNamedGroup(CipherSupportResult suite) =>
        suite.Protocol == TlsProtocol.Tls13 || suite.KeyExchange?.StartsWith("ECDH", StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>Every elliptic-curve group accepted (scanned, or negotiated by a suite) smaller than ecdh_param_size.</summary>
    static void EcdhParameterSize(ProfileCheck c)
    {
        if (!(c.Profile.EcdhParamSize is int minimum)) return;
        var groups = c.Evidence.Groups.Concat(c.Evidence.Suites.Select(s => s.KeyExchangeGroup).OfType<string>())
            .Distinct(StringComparer.OrdinalIgnoreCase);
        var small = groups.Select(g => (Group: g, Bits: EcdhBits(g))).Where(g => g.Bits < minimum).Select(g => $"{g.Group} ({g.Bits} bits)").ToList();
        if (small.Count > 0)
            c.Deviation(ProfileAspect.EcdhParameterSize, $"at least {minimum} bits", ProfileCheck.List(small),
                $"The server accepts ECDHE on {Count(small.Count, "curve")} smaller than {minimum} bits, the least {c.Name} allows: {ProfileCheck.List(small)}.");
    }

    static string Count(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";

    /// <summary>
    /// The curve size of an elliptic or hybrid group; null for finite-field and pure ML-KEM groups. X25519 counts as
    /// 256: its security (about 128 bits) is P-256's, and Mozilla lists it beside ecdh_param_size 256. A hybrid counts
    /// its ECDH half. The registry names carry the size otherwise (secp384r1, sect571r1, brainpoolP512r1).
    /// </summary>
    static int? EcdhBits(string group)
    {
        if (EcdhBitsByName.TryGetValue(group, out int bits)) return bits;
        var sized = SizedCurveName.Match(group);
        return sized.Success ? int.Parse(sized.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : (int?)null;
    }

    static readonly Dictionary<string, int> EcdhBitsByName = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase)
    {
        ["x25519"] = 256,
        ["x448"] = 448,
        ["X25519MLKEM768"] = 256,
        ["SecP256r1MLKEM768"] = 256,
        ["SecP384r1MLKEM1024"] = 384,
    };

    static readonly Regex SizedCurveName = new Regex("^(?:secp|sect|brainpoolP)([0-9]+)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

    /// <summary>Every DH group smaller than dh_param_size: DHE suites' primes and finite-field groups accepted.</summary>
    static void DhParameterSize(ProfileCheck c)
    {
        if (!(c.Profile.DhParamSize is int minimum)) return;
        foreach (var size in c.Evidence.Suites.Where(s => s.DhBits < minimum).GroupBy(s => s.DhBits!.Value).OrderBy(g => g.Key))
            c.Deviation(ProfileAspect.DhParameterSize, $"at least {minimum} bits", $"{size.Key} bits ({ProfileCheck.List(size.Select(s => s.CipherSuite!).Distinct())})",
                $"The DHE suites use a {size.Key}-bit DH group; {c.Name} asks for at least {minimum} bits.");
        foreach (var group in c.Evidence.Groups)
        {
            var info = NamedGroupCatalog.Find(group);
            if (info == null || !(KeyExchangeStrength.FiniteFieldBits(info.Code) is int bits) || bits >= minimum) continue;
            c.Deviation(ProfileAspect.DhParameterSize, $"at least {minimum} bits", $"{group} ({bits} bits)",
                $"The server accepts the DH group {group}; {c.Name} asks for at least {minimum} bits.");
        }
    }

    /// <summary>The leaf's type, curve, signature, RSA size and lifespan: all from the chain of the full handshake.</summary>
    static void Certificate(ProfileCheck c)
    {
        var leaf = c.Evidence.Leaf;
        if (leaf == null)
        {
            c.NotChecked("CertificateType, CertificateCurve, CertificateSignature, RsaKeySize, CertificateLifespan",
                "no certificate was read (the full handshake gave no chain)");
            return;
        }
        CertificateAspects.Check(c, leaf);
    }

    static void OcspStapling(ProfileCheck c)
    {
        if (!c.Profile.OcspStaple) return;
        // The staple comes with the certificate: without the server's certificate message there is nothing to say.
        if (c.Evidence.Handshake == null || c.Evidence.Handshake.ServedChain.Count == 0)
        {
            c.NotChecked(nameof(ProfileAspect.OcspStapling), "the full handshake did not get as far as the server's certificate");
            return;
        }
        if (!c.Evidence.OcspStapled)
            c.Deviation(ProfileAspect.OcspStapling, "a stapled OCSP response", "none",
                $"The server staples no OCSP response to its certificate; {c.Name} asks for OCSP stapling (ocsp_staple).");
    }

    /// <summary>
    /// HSTS max-age against hsts_min_age, from the GET of /. A STARTTLS service (SMTP, IMAP...) has no HTTP header to
    /// send, so there the aspect does not apply; an HTTPS target without a GET (-NoHttp, a failed handshake) is not
    /// checked, and the verdict says so.
    /// </summary>
    static void Hsts(ProfileCheck c)
    {
        if (!(c.Profile.HstsMinAge is long minimum) || c.Evidence.StartTls != StartTlsProtocol.None) return;
        var http = c.Evidence.Http;
        if (http == null)
        {
            c.NotChecked(nameof(ProfileAspect.Hsts), c.Evidence.HttpNotMade ?? "no GET of / was made");
            return;
        }
        if (http.StatusCode == null)
        {
            c.NotChecked(nameof(ProfileAspect.Hsts), $"the GET of / got no response ({http.Problem})");
            return;
        }
        string expected = $"max-age of at least {minimum} s ({minimum / 86400} days)";
        if (http.HstsMaxAge is long age)
        {
            if (age < minimum)
                c.Deviation(ProfileAspect.Hsts, expected, $"max-age={age}",
                    $"Strict-Transport-Security max-age is {age} s ({age / 86400} days); {c.Name} asks for at least {minimum} s ({minimum / 86400} days).");
            return;
        }
        string actual = http.StrictTransportSecurity == null ? "no Strict-Transport-Security header" : $"'{http.StrictTransportSecurity}' ({http.HstsProblem ?? "no valid max-age"})";
        c.Deviation(ProfileAspect.Hsts, expected, actual, $"The response to GET / has {actual}; {c.Name} asks for HSTS with a max-age of at least {minimum} s.");
    }
}
