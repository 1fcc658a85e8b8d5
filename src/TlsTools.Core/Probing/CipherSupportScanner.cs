using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using TlsTools.Catalog;

namespace TlsTools.Probing;

/// <summary>What one version's enumeration found.</summary>
internal sealed class VersionSuites
{
    public TlsProtocol Version { get; set; }
    /// <summary>SSLv3..TLS 1.3: the accepted suites and their order.</summary>
    public PreferenceList? Suites { get; set; }
    /// <summary>SSLv2: the answer to the one CLIENT-HELLO (the SERVER-HELLO lists every shared kind at once).</summary>
    public HelloOutcome? Ssl2 { get; set; }

    public bool AnyAccepted => Suites?.Accepted.Count > 0 || Ssl2?.Ssl2ServerHello?.CipherKinds.Count > 0;
    public string? Refusal => Suites?.Stop ?? Ssl2?.Detail;
}

/// <summary>A cipher-suite scan with the protocol verdicts its probes give.</summary>
public sealed class CipherScan
{
    internal CipherScan(ScanOutcome<CipherSupportResult> suites, IReadOnlyList<ProtocolSupportResult> protocols) { Suites = suites; Protocols = protocols; }
    public ScanOutcome<CipherSupportResult> Suites { get; }
    /// <summary>One row per version probed, oldest first.</summary>
    public IReadOnlyList<ProtocolSupportResult> Protocols { get; }
}

/// <summary>The groups the server accepts, probed with one version.</summary>
internal sealed class GroupSupport
{
    public GroupSupport(TlsProtocol version, PreferenceList groups) { Version = version; Groups = groups; }
    public TlsProtocol Version { get; }
    public PreferenceList Groups { get; }
}

/// <summary>
/// Get-CipherSupport: every suite the server accepts with every version, in the server's order, and (on
/// request) its groups. The versions are independent, so they run in parallel, each one a sequence of
/// <see cref="PreferenceEnumerator"/> offers; the scheduler keeps the connections to the server within the limit.
/// The first offer of each version is the full list, so it doubles as the protocol-support probe.
/// </summary>
public static class CipherSupportScanner
{
    public static async Task<ScanOutcome<CipherSupportResult>> ScanAsync(ScanRequest request, CancellationToken ct) =>
        (await ScanWithVersionsAsync(request, ct).ConfigureAwait(false)).Suites;

    /// <summary>
    /// The scan, plus one <see cref="ProtocolSupportResult"/> per version probed, read off the same probes (each version's
    /// first offer is the full list): Test-TlsServer's protocol and suite evidence from one set of connections.
    /// </summary>
    public static async Task<CipherScan> ScanWithVersionsAsync(ScanRequest request, CancellationToken ct)
    {
        using (var session = await ScanSession.OpenAsync(request, ct).ConfigureAwait(false))
        {
            var versionsAsked = ProtocolVersions.Split(request.EffectiveProtocols);
            if (session.Failure != null || session.Probes is not ServerProbes probes)
                return new CipherScan(Outcome(session, new[] { CipherSupportRows.Failure(session, session.Failure) }),
                    versionsAsked.Select(v => ProtocolSupportScanner.Row(session, v, null, session.Failure)).ToList());

            // With -CipherSuite, a version none of the chosen suites can use is not probed at all (SSLv2 has its own kinds).
            var versions = ProtocolVersions.Split(request.EffectiveProtocols)
                .Where(v => v == TlsProtocol.Ssl2 ? request.CipherSuites == null || request.CipherSuites.Count == 0 : request.SuiteCandidates(v).Count > 0)
                .ToList();
            // TLS 1.3's first answer is awaited by two parties: its own enumeration and, if it is accepted, the group probe.
            var tls13First = versions.Contains(TlsProtocol.Tls13)
                ? probes.OfferSuitesAsync(TlsProtocol.Tls13, request.SuiteCandidates(TlsProtocol.Tls13), ct)
                : null;
            var versionTasks = versions.Select(v => EnumerateVersionAsync(session, probes, v, v == TlsProtocol.Tls13 ? tls13First : null, ct)).ToList();
            var groupsTask = request.IncludeGroups ? ProbeGroupsAsync(probes, tls13First, versionTasks, ct) : Task.FromResult<GroupSupport?>(null);

            var found = await Task.WhenAll(versionTasks).ConfigureAwait(false);
            var groups = await groupsTask.ConfigureAwait(false);
            var protocols = found.OrderBy(v => v.Version).Select(v => ProtocolRow(session, v)).ToList();
            foreach (var row in protocols) row.Connections = session.Connections;
            return new CipherScan(Outcome(session, CipherSupportRows.Build(session, found, groups)), protocols);
        }
    }

    /// <summary>A version is supported when a suite was accepted, refused when its enumeration ended on a clean refusal, unknown otherwise.</summary>
    private static ProtocolSupportResult ProtocolRow(ScanSession session, VersionSuites version)
    {
        bool? supported = version.AnyAccepted ? true
            : version.Ssl2 != null ? ProtocolSupportScanner.SupportedFrom(version.Ssl2, false)
            : version.Suites?.Complete == true ? false : (bool?)null;
        var row = ProtocolSupportScanner.Row(session, version.Version, supported, version.Refusal);
        var first = version.Suites?.Accepted.FirstOrDefault();
        if (first.HasValue && version.AnyAccepted) row.CipherSuite = CipherSuiteCatalog.NameOf(first.Value);
        var kind = version.Ssl2?.Ssl2ServerHello?.CipherKinds.FirstOrDefault();
        if (kind.HasValue && version.AnyAccepted) row.CipherSuite = Ssl2CipherKindCatalog.Find(kind.Value)?.Name;
        return row;
    }

    private static ScanOutcome<CipherSupportResult> Outcome(ScanSession session, IReadOnlyList<CipherSupportResult> rows) =>
        new ScanOutcome<CipherSupportResult>(rows, session, rows.Any(r => r.CipherSuite != null));

    private static async Task<VersionSuites> EnumerateVersionAsync(ScanSession session, ServerProbes probes, TlsProtocol version, Task<OfferAnswer>? firstAnswer,
        CancellationToken ct)
    {
        if (version == TlsProtocol.Ssl2)
            return new VersionSuites { Version = version, Ssl2 = await probes.OfferSsl2Async(ct).ConfigureAwait(false) };

        AskServer ask = (offer, token) => probes.OfferSuitesAsync(version, offer, token);
        var first = firstAnswer == null ? null : await firstAnswer.ConfigureAwait(false);
        var suites = await PreferenceEnumerator.EnumerateAsync(session.Request.SuiteCandidates(version), ask, ct, first).ConfigureAwait(false);
        return new VersionSuites { Version = version, Suites = suites };
    }

    /// <summary>
    /// With TLS 1.3: empty key_share offers, each HelloRetryRequest names the next group. Without it: ECDHE-only
    /// offers on the newest version that accepted an ECDHE suite, each ServerKeyExchange names the next curve.
    /// </summary>
    private static async Task<GroupSupport?> ProbeGroupsAsync(ServerProbes probes, Task<OfferAnswer>? tls13First, List<Task<VersionSuites>> versionTasks,
        CancellationToken ct)
    {
        if (tls13First != null && (await tls13First.ConfigureAwait(false)).Chosen.HasValue)
        {
            var suites = ServerProbes.SuiteCandidates(TlsProtocol.Tls13);
            AskServer ask = (offer, token) => probes.OfferTls13GroupsAsync(offer, suites, token);
            var groups = await PreferenceEnumerator.EnumerateAsync(ServerProbes.Tls13GroupCandidates, ask, ct).ConfigureAwait(false);
            return new GroupSupport(TlsProtocol.Tls13, groups);
        }

        var legacy = (await Task.WhenAll(versionTasks).ConfigureAwait(false))
            .Where(v => v.Version != TlsProtocol.Tls13)
            .OrderByDescending(v => v.Version)
            .Select(v => new { v.Version, Ecdhe = v.Suites?.Accepted.Where(IsEcdhe).ToList() ?? new List<ushort>() })
            .FirstOrDefault(v => v.Ecdhe.Count > 0);
        if (legacy == null) return null;
        AskServer askLegacy = (offer, token) => probes.OfferLegacyGroupsAsync(legacy.Version, offer, legacy.Ecdhe, token);
        var curves = await PreferenceEnumerator.EnumerateAsync(ServerProbes.LegacyCurveCandidates, askLegacy, ct).ConfigureAwait(false);
        return new GroupSupport(legacy.Version, curves);
    }

    private static bool IsEcdhe(ushort code) => CipherSuiteCatalog.TryGet(code, out var suite) && suite.KeyExchange == "ECDHE";
}
