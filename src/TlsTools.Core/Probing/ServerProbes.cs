using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using TlsTools.Catalog;
using TlsTools.Protocol;

namespace TlsTools.Probing;

/// <summary>
/// The offers a scan makes to one server, each one ClientHello over one connection of the scheduler, and how
/// each answer reads as "chose this code" or "refused". Every offer is built from the catalog: the candidate
/// lists are data, not code.
/// </summary>
internal sealed class ServerProbes
{
    private readonly ProbeScheduler _scheduler;
    private readonly string? _serverName;
    private IReadOnlyList<byte[]>? _servedChain;
    private int _unclearAnswers;

    public ServerProbes(ProbeScheduler scheduler, string? serverName) { _scheduler = scheduler; _serverName = serverName; }

    /// <summary>The first certificate chain (DER, leaf first) any probe read in plaintext; null while none has.</summary>
    public IReadOnlyList<byte[]>? ServedChain => Volatile.Read(ref _servedChain);

    /// <summary>
    /// Every probe got a TLS (or SSLv2) answer, a ServerHello or an alert: the server spoke for itself each time.
    /// False once a probe met silence, a close or reset, a failed connect or bytes that are not TLS, any of which
    /// can be the network path rather than the server.
    /// </summary>
    public bool EveryAnswerWasTls => Volatile.Read(ref _unclearAnswers) == 0;

    private static readonly HelloOutcomeKind[] TlsAnswers = { HelloOutcomeKind.ServerHello, HelloOutcomeKind.Ssl2ServerHello, HelloOutcomeKind.Alert };

    private HelloOutcome Remember(HelloOutcome outcome)
    {
        if (outcome.Certificates?.Count > 0) Interlocked.CompareExchange(ref _servedChain, outcome.Certificates, null);
        if (!TlsAnswers.Contains(outcome.Kind)) Interlocked.Increment(ref _unclearAnswers);
        return outcome;
    }

    /// <summary>Every real suite a version can negotiate, in registry order.</summary>
    public static IReadOnlyList<ushort> SuiteCandidates(TlsProtocol version) =>
        CipherSuiteCatalog.UsableWith(version).Select(s => s.Code).ToList();

    /// <summary>
    /// Groups a TLS 1.3 offer lists: every group of the registry, hybrid post-quantum ones included. They cost
    /// two bytes each; key shares are sent only for x25519 and P-256, so a server preferring another group
    /// answers with a HelloRetryRequest naming it, which is all a probe needs.
    /// </summary>
    public static IReadOnlyList<ushort> Tls13GroupCandidates { get; } = NamedGroupCatalog.All.Select(g => g.Code).ToList();

    /// <summary>Groups before TLS 1.3: the named elliptic curves and RFC 7919 finite-field groups (codes below 0x0200).</summary>
    public static IReadOnlyList<ushort> LegacyGroupCandidates { get; } =
        ClientHelloBuilder.DefaultGroups.Concat(NamedGroupCatalog.All.Select(g => g.Code).Where(c => c < 0x0200)).Distinct().ToList();

    /// <summary>Only the elliptic curves: what a TLS 1.2 ServerKeyExchange can name.</summary>
    public static IReadOnlyList<ushort> LegacyCurveCandidates { get; } =
        NamedGroupCatalog.All.Where(g => !g.IsFiniteField && g.Code < 0x0100).Select(g => g.Code).ToList();

    /// <summary>
    /// Offers <paramref name="suites"/> with one version; the answer is the suite the server chose.
    /// A server that closes the connection without an alert may have chosen a suite it then cannot complete:
    /// most often DHE without DH parameters (Dovecot without ssl_dh, for one), where OpenSSL fails inside the
    /// handshake with an internal error. So a silent close of an offer that mixes DHE and other suites is asked
    /// once more without the DHE suites; if that is accepted, DHE is what breaks this server, and later offers
    /// for the version leave DHE out (<see cref="DheBreaks"/>) instead of paying the close each time.
    /// </summary>
    public async Task<OfferAnswer> OfferSuitesAsync(TlsProtocol version, IReadOnlyList<ushort> suites, CancellationToken ct)
    {
        var offer = DheBreaks(version) ? suites.Where(c => !IsDhe(c)).ToList() : suites;
        if (offer.Count == 0)
            return OfferAnswer.Refused("only DHE suites are left, and this server closes the connection when it selects one", clean: true);
        var answer = await OfferAsync(version, offer, ct).ConfigureAwait(false);
        if (!IsSilentClose(answer) || !offer.Any(IsDhe) || offer.All(IsDhe)) return answer;

        var retry = await OfferAsync(version, offer.Where(c => !IsDhe(c)).ToList(), ct).ConfigureAwait(false);
        if (retry.Chosen == null) return answer;
        _dheBreaks.TryAdd(version, true);
        return retry;
    }

    private async Task<OfferAnswer> OfferAsync(TlsProtocol version, IReadOnlyList<ushort> suites, CancellationToken ct)
    {
        var hello = Build(version, suites, version == TlsProtocol.Tls13 ? Tls13GroupCandidates : LegacyGroupCandidates, sendKeyShares: true);
        var outcome = Remember(await _scheduler.SendAsync(hello, $"{ProtocolVersions.DisplayName(version)}, {suites.Count} suites", readKeyExchange: true, ct)
            .ConfigureAwait(false));
        return AnswerFor(version, outcome, h => h.CipherSuite);
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<TlsProtocol, bool> _dheBreaks =
        new System.Collections.Concurrent.ConcurrentDictionary<TlsProtocol, bool>();

    /// <summary>With this version, offers that lead the server to a DHE suite are closed without an alert, and the same offers without DHE are accepted.</summary>
    public bool DheBreaks(TlsProtocol version) => _dheBreaks.ContainsKey(version);

    /// <summary>What Get-CipherSupport says on the rows of a version where <see cref="DheBreaks"/> holds.</summary>
    public const string DheBreaksProblem = "DHE suites fail: offers that let the server choose DHE are closed without an alert, the same offers without DHE are accepted. " +
        "The server selects DHE but cannot complete it, typically for lack of DH parameters (Dovecot: ssl_dh; Postfix: smtpd_tls_dh1024_param_file); " +
        "configure them, or remove DHE from its cipher list.";

    private static bool IsDhe(ushort code) => CipherSuiteCatalog.TryGet(code, out var suite) && suite.KeyExchange == "DHE";

    private static bool IsSilentClose(OfferAnswer answer) => answer.Chosen == null && (answer.Evidence as HelloOutcome)?.Kind == HelloOutcomeKind.Closed;

    /// <summary>
    /// TLS 1.3, no key shares, <paramref name="groups"/> in supported_groups: the HelloRetryRequest names the
    /// group the server picks.
    /// </summary>
    public async Task<OfferAnswer> OfferTls13GroupsAsync(IReadOnlyList<ushort> groups, IReadOnlyList<ushort> suites, CancellationToken ct)
    {
        var hello = Build(TlsProtocol.Tls13, suites, groups, sendKeyShares: false);
        var outcome = Remember(await _scheduler.SendAsync(hello, $"TLS 1.3 groups, {groups.Count} offered", readKeyExchange: false, ct).ConfigureAwait(false));
        return AnswerFor(TlsProtocol.Tls13, outcome, h => h.SelectedGroup);
    }

    /// <summary>Before TLS 1.3: ECDHE suites only, so the curve in the ServerKeyExchange is the group the server picked.</summary>
    public async Task<OfferAnswer> OfferLegacyGroupsAsync(TlsProtocol version, IReadOnlyList<ushort> groups, IReadOnlyList<ushort> ecdheSuites, CancellationToken ct)
    {
        var hello = Build(version, ecdheSuites, groups, sendKeyShares: false);
        var outcome = Remember(await _scheduler.SendAsync(hello, $"{ProtocolVersions.DisplayName(version)} curves, {groups.Count} offered", readKeyExchange: true, ct)
            .ConfigureAwait(false));
        return AnswerFor(version, outcome, h => outcome.KeyExchange?.NamedGroup);
    }

    /// <summary>An SSLv2 CLIENT-HELLO with every cipher kind.</summary>
    public async Task<HelloOutcome> OfferSsl2Async(CancellationToken ct) =>
        Remember(await _scheduler.SendSsl2Async(ClientHelloBuilder.BuildSsl2ClientHello(Ssl2CipherKinds.All), "SSLv2, 7 cipher kinds", ct).ConfigureAwait(false));

    private byte[] Build(TlsProtocol version, IReadOnlyList<ushort> suites, IReadOnlyList<ushort> groups, bool sendKeyShares) =>
        ClientHelloBuilder.Build(new ClientHelloOptions
        {
            Versions = version,
            CipherSuites = suites.ToList(),
            NamedGroups = groups.ToList(),
            ServerName = _serverName,
            SendKeyShares = sendKeyShares,
        });

    /// <summary>
    /// A ServerHello for the version offered chooses <paramref name="choice"/>; anything else is a refusal.
    /// Alerts and closes are clean refusals ("nothing here I accept"); so is a ServerHello for another version,
    /// since a TLS 1.0-only server answering a TLS 1.2 hello with TLS 1.0 does not accept TLS 1.2. Silence,
    /// garbage and unknown versions are not clean: they say nothing about what the server accepts.
    /// </summary>
    internal static OfferAnswer AnswerFor(TlsProtocol version, HelloOutcome outcome, Func<ServerHello, ushort?> choice)
    {
        if (outcome.Kind != HelloOutcomeKind.ServerHello || outcome.ServerHello is not ServerHello hello)
            return OfferAnswer.Refused(outcome.Detail, outcome.IsRefusal, outcome);
        if (hello.Version != version)
            return OfferAnswer.Refused("server answered " + ProtocolVersions.DisplayNameOfWire(hello.VersionCode), hello.Version != TlsProtocol.None, outcome);
        var chosen = choice(hello);
        return chosen.HasValue ? OfferAnswer.Accepted(chosen.Value, outcome)
            : OfferAnswer.Refused("the answer names no group", clean: false, evidence: outcome);
    }
}
