using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using TlsTools.Catalog;
using TlsTools.Net;
using TlsTools.Protocol;

namespace TlsTools.Probing;

/// <summary>
/// Finds out what a server DOES accept when a normal handshake fails with protocol_version or
/// handshake_failure. Each version gets its own ClientHellos (one version per hello, every suite that version
/// can use); the versions run in parallel. Within a version, each accepted suite is removed from the next hello
/// until the server refuses or <c>maxSuitesPerVersion</c> are found.
/// </summary>
public static class AcceptanceProber
{
    /// <summary>The versions probed, oldest first. SSLv2 has its own hello format and is not probed here.</summary>
    private static readonly TlsProtocol[] ProbedVersions =
        { TlsProtocol.Ssl3, TlsProtocol.Tls10, TlsProtocol.Tls11, TlsProtocol.Tls12, TlsProtocol.Tls13 };

    /// <summary>Probes one address directly (no proxy, no STARTTLS).</summary>
    public static Task<AcceptanceReport> ProbeAsync(IPEndPoint endpoint, string? serverName, TimeSpan perConnectionTimeout,
        CancellationToken ct, int maxSuitesPerVersion = 8)
    {
        if (endpoint == null) throw new ArgumentNullException(nameof(endpoint));
        var target = new TargetEndpoint(endpoint.Address.ToString(), endpoint.Port, true);
        return ProbeAsync(target, new ConnectionOptions { NoProxy = true }, serverName, perConnectionTimeout, ct, maxSuitesPerVersion);
    }

    /// <summary>Probes the target the way <paramref name="options"/> say to reach it: through its proxy, after its STARTTLS.</summary>
    public static async Task<AcceptanceReport> ProbeAsync(TargetEndpoint target, ConnectionOptions options, string? serverName,
        TimeSpan perConnectionTimeout, CancellationToken ct, int maxSuitesPerVersion = 8, TargetDeadline? deadline = null)
    {
        if (target == null) throw new ArgumentNullException(nameof(target));
        if (options == null) throw new ArgumentNullException(nameof(options));
        if (perConnectionTimeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(perConnectionTimeout));
        if (maxSuitesPerVersion < 1) throw new ArgumentOutOfRangeException(nameof(maxSuitesPerVersion));

        var probe = new VersionProbe(target, options, serverName, perConnectionTimeout, maxSuitesPerVersion, deadline);
        var versions = await Task.WhenAll(ProbedVersions.Select(v => probe.RunAsync(v, ct))).ConfigureAwait(false);
        return new AcceptanceReport(versions, probe.Connections);
    }

    /// <summary>The settings shared by the per-version probes, and their connection count.</summary>
    private sealed class VersionProbe
    {
        private readonly TargetEndpoint _target;
        private readonly ConnectionOptions _options;
        private readonly string? _serverName;
        private readonly TimeSpan _timeout;
        private readonly int _maxSuites;
        /// <summary>The target's deadline: no connection waits past it, none starts without time left; null: only the per-connection timeout.</summary>
        private readonly TargetDeadline? _deadline;
        private int _connections;

        public VersionProbe(TargetEndpoint target, ConnectionOptions options, string? serverName, TimeSpan timeout, int maxSuites, TargetDeadline? deadline)
        { _target = target; _options = options; _serverName = serverName; _timeout = timeout; _maxSuites = maxSuites; _deadline = deadline; }

        public int Connections => Volatile.Read(ref _connections);

        public async Task<VersionAcceptance> RunAsync(TlsProtocol version, CancellationToken ct)
        {
            var remaining = ServerProbes.SuiteCandidates(version).ToList();
            var found = new List<ushort>();
            string? refusal = null;
            bool unanswered = false;
            while (found.Count < _maxSuites && remaining.Count > 0)
            {
                ct.ThrowIfCancellationRequested();
                if (_deadline != null && !_deadline.HasTimeForStep)
                {
                    unanswered = true;
                    refusal ??= "no time left within -TimeoutSec";
                    break;
                }
                Interlocked.Increment(ref _connections);
                var timeout = _deadline?.Cap(_timeout) ?? _timeout;
                var outcome = await HelloExchange.RunAsync(_target, _options, BuildHello(version, remaining), timeout, ct).ConfigureAwait(false);
                refusal = Refusal(version, outcome, remaining);
                unanswered = outcome.Kind == HelloOutcomeKind.Timeout || outcome.Kind == HelloOutcomeKind.ConnectFailed;
                if (refusal != null || outcome.ServerHello is not ServerHello hello) break;
                found.Add(hello.CipherSuite);
                remaining.Remove(hello.CipherSuite);
            }
            bool complete = !unanswered && (refusal != null || remaining.Count == 0);
            return new VersionAcceptance(version, found, refusal, complete, unanswered);
        }

        private byte[] BuildHello(TlsProtocol version, List<ushort> suites) =>
            ClientHelloBuilder.Build(new ClientHelloOptions
            {
                Versions = version,
                CipherSuites = suites,
                NamedGroups = ServerProbes.LegacyGroupCandidates.ToList(),   // every curve and finite-field group: an odd one is still found
                ServerName = _serverName,
            });
    }

    /// <summary>
    /// Why an answer does not count as "version accepted with one of the offered suites", or null when it does.
    /// A ServerHello for another version is a refusal: a TLS 1.0-only server answering a TLS 1.2 hello with
    /// TLS 1.0 accepts TLS 1.0, not TLS 1.2.
    /// </summary>
    private static string? Refusal(TlsProtocol version, HelloOutcome outcome, List<ushort> offered)
    {
        if (outcome.Kind != HelloOutcomeKind.ServerHello || outcome.ServerHello is not ServerHello hello) return outcome.Detail;
        if (hello.Version != version) return "server answered " + ProtocolVersions.DisplayNameOfWire(hello.VersionCode);
        if (!offered.Contains(hello.CipherSuite))
            return $"server chose {CipherSuiteCatalog.NameOf(hello.CipherSuite)}, which was not offered";
        return null;
    }
}
