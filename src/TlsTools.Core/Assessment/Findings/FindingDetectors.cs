using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using TlsTools.Catalog;

namespace TlsTools.Assessment.Findings;

/// <summary>One finding seen in the evidence: the sentence of what crossed the wire, and what it is about.</summary>
public sealed class Detection
{
    public Detection(string evidence, IEnumerable<TlsProtocol>? versions = null, IEnumerable<CipherSupportResult>? suites = null)
    {
        Evidence = evidence;
        Versions = versions?.ToList() ?? new List<TlsProtocol>();
        Suites = suites?.ToList() ?? new List<CipherSupportResult>();
    }

    public string Evidence { get; }
    /// <summary>The versions the finding is about (accepted and to switch off, or missing and to switch on).</summary>
    public IReadOnlyList<TlsProtocol> Versions { get; }
    /// <summary>The accepted suites the finding is about (to remove).</summary>
    public IReadOnlyList<CipherSupportResult> Suites { get; }
}

/// <summary>What a detector may know beyond the evidence: the profile the findings' fixes are for.</summary>
public sealed class DetectionContext
{
    /// <summary>SSL Labs' threshold for HSTS (180 days), when no profile says otherwise.</summary>
    public const long DefaultHstsMinAge = 15552000;

    public long HstsMinAge { get; set; } = DefaultHstsMinAge;
}

/// <summary>
/// The findings read straight from the evidence, one detector per finding Id (the Id is the catalog's): which versions
/// and suites were accepted, the DH sizes, HSTS and OCSP stapling. Grade caps, profile deviations and chain problems
/// come in through <see cref="FindingCauses"/>; these give them the wire evidence.
/// </summary>
public static class FindingDetectors
{
    private delegate Detection? Detector(ServerEvidence evidence, DetectionContext context);

    /// <summary>Versions that must not be accepted, and the finding each raises.</summary>
    private static readonly (TlsProtocol Version, string Finding)[] RetiredVersions =
    {
        (TlsProtocol.Ssl2, "Ssl2Enabled"),
        (TlsProtocol.Ssl3, "Ssl3Enabled"),
        (TlsProtocol.Tls10, "Tls10Enabled"),
        (TlsProtocol.Tls11, "Tls11Enabled"),
    };

    private static readonly (string Id, Detector Detect)[] Detectors =
        RetiredVersions.Select(v => (v.Finding, (Detector)((e, c) => VersionAccepted(e, v.Version))))
        .Concat(new (string, Detector)[]
        {
            ("Tls12Missing", (e, c) => VersionRefused(e, TlsProtocol.Tls12)),
            ("Tls13Missing", (e, c) => VersionRefused(e, TlsProtocol.Tls13)),
            ("InsecureCipherSuites", (e, c) => SuitesAccepted(e, s => s.Rating == CipherSuiteRating.Insecure, s => s.RatingReason)),
            ("NoForwardSecrecy", (e, c) => SuitesAccepted(e, s => s.ForwardSecrecy == false && s.Rating != CipherSuiteRating.Insecure, s => $"{s.KeyExchange} key exchange: no forward secrecy")),
            ("CbcCipherSuites", (e, c) => SuitesAccepted(e, s => s.Aead == false && s.ForwardSecrecy == true && s.Rating != CipherSuiteRating.Insecure, s => $"{s.Encryption}: CBC mode")),
            ("NoAead", (e, c) => NoAead(e)),
            ("WeakDhParameters", (e, c) => SuitesAccepted(e, s => s.DhBits < 2048, s => $"a {s.DhBits}-bit DH prime in the ServerKeyExchange")),
            ("HstsMissing", (e, c) => HstsMissing(e)),
            ("HstsInvalid", (e, c) => HstsInvalid(e)),
            ("HstsTooShort", HstsTooShort),
            ("OcspStaplingMissing", (e, c) => OcspNotStapled(e)),
        })
        .ToArray();

    /// <summary>The finding Ids that have a detector.</summary>
    public static IReadOnlyList<string> Ids => Detectors.Select(d => d.Id).ToList();

    /// <summary>Every detection in the evidence, by finding Id, in the detectors' order.</summary>
    public static IReadOnlyList<KeyValuePair<string, Detection>> Detect(ServerEvidence evidence, DetectionContext context) =>
        Detectors.Select(d => new KeyValuePair<string, Detection?>(d.Id, d.Detect(evidence, context)))
            .Where(d => d.Value != null)
            .Select(d => new KeyValuePair<string, Detection>(d.Key, d.Value!))
            .ToList();

    private static Detection? VersionAccepted(ServerEvidence evidence, TlsProtocol version)
    {
        var row = evidence.Protocols.FirstOrDefault(p => p.Protocol == version && p.Supported == true);
        if (row == null) return null;
        string name = ProtocolVersions.DisplayName(version);
        // Each version is probed with a ClientHello that offers that version alone.
        string exchange = version == TlsProtocol.Ssl2
            ? "SERVER-HELLO to an SSLv2 CLIENT-HELLO"
            : $"ServerHello {name} to a {name} ClientHello";
        string suite = row.CipherSuite == null ? "" : $", {row.CipherSuite} chosen";
        return new Detection($"{name} accepted ({exchange}{suite})", versions: new[] { version });
    }

    private static Detection? VersionRefused(ServerEvidence evidence, TlsProtocol version)
    {
        // Null is no answer (a timeout): not evidence that the version is off.
        var row = evidence.Protocols.FirstOrDefault(p => p.Protocol == version);
        if (row?.Supported != false) return null;
        string name = ProtocolVersions.DisplayName(version);
        return new Detection($"{name} refused: to a {name} ClientHello, {row.Reason ?? "no ServerHello"}", versions: new[] { version });
    }

    /// <summary>The suites that match, each once with every version it was accepted with, and why it is here.</summary>
    private static Detection? SuitesAccepted(ServerEvidence evidence, Func<CipherSupportResult, bool> matches, Func<CipherSupportResult, string?> why)
    {
        var rows = evidence.Suites.Where(s => s.CipherSuite != null && matches(s)).ToList();
        if (rows.Count == 0) return null;
        var sentences = rows.GroupBy(s => s.CipherSuite).Select(g =>
        {
            string versions = string.Join(", ", g.Select(s => ProtocolVersions.DisplayName(s.Protocol)).Distinct());
            string? reason = why(g.First());
            return $"{g.Key} accepted with {versions}" + (string.IsNullOrEmpty(reason) ? "" : $" ({reason})");
        });
        return new Detection(string.Join("; ", sentences), suites: rows);
    }

    private static Detection? NoAead(ServerEvidence evidence)
    {
        var suites = evidence.Suites.Where(s => s.CipherSuite != null).ToList();
        if (suites.Count == 0 || suites.Any(s => s.Aead == true)) return null;
        return new Detection($"none of the {suites.Select(s => s.CipherSuite).Distinct().Count()} suites accepted is AEAD (GCM, CCM, CHACHA20-POLY1305)");
    }

    private static Detection? HstsMissing(ServerEvidence evidence)
    {
        var http = evidence.Http;
        if (http?.StatusCode == null || http.StrictTransportSecurity != null) return null;
        return new Detection($"GET / answered {http.StatusCode} with no Strict-Transport-Security header");
    }

    private static Detection? HstsInvalid(ServerEvidence evidence)
    {
        var http = evidence.Http;
        if (http?.StrictTransportSecurity == null || http.HstsMaxAge != null) return null;
        return new Detection($"GET / answered Strict-Transport-Security: {http.StrictTransportSecurity} ({http.HstsProblem ?? "no valid max-age"})");
    }

    private static Detection? HstsTooShort(ServerEvidence evidence, DetectionContext context)
    {
        var age = evidence.Http?.HstsMaxAge;
        if (age == null || age >= context.HstsMinAge) return null;
        return new Detection(string.Format(CultureInfo.InvariantCulture,
            "GET / answered Strict-Transport-Security max-age={0} ({1:0.#} days); at least {2} ({3:0} days) is asked",
            age, age / 86400.0, context.HstsMinAge, context.HstsMinAge / 86400.0));
    }

    private static Detection? OcspNotStapled(ServerEvidence evidence)
    {
        // A self-signed certificate has no CA to answer for it: stapling cannot apply.
        if (evidence.Handshake?.HandshakeCompleted != true || evidence.OcspStapled || evidence.HasChainProblem(ChainProblem.SelfSigned)) return null;
        string version = evidence.Handshake.ServerProtocol is { } p ? ProtocolVersions.DisplayName(p) : "the handshake";
        return new Detection($"the full handshake ({version}) asked for a stapled OCSP response (status_request); the server sent none");
    }
}
