using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using TlsTools.Net;

namespace TlsTools.Probing;

/// <summary>What a scan of one target needs to know besides the common connection options.</summary>
public sealed class ScanRequest
{
    /// <summary>The target to scan; a scan without one is refused (<see cref="ArgumentException"/>).</summary>
    public TargetEndpoint? Target { get; set; }
    public ConnectionOptions Options { get; set; } = new ConnectionOptions();
    /// <summary>The versions to probe; None means all of SSLv2..TLS 1.3.</summary>
    public TlsProtocol Protocols { get; set; }
    /// <summary>Get-CipherSupport: also enumerate the supported groups and their order.</summary>
    public bool IncludeGroups { get; set; }
    /// <summary>Only these suites (codes) are offered; null or empty means every catalogued suite.</summary>
    public IReadOnlyCollection<ushort>? CipherSuites { get; set; }
    /// <summary>The trust store the interception check validates the served chain with (null: the system's).</summary>
    public Certificates.TrustStore? Trust { get; set; }
    /// <summary>SHA-1 or SHA-256 of the leaf the server should present; another one is InterceptionSuspected.</summary>
    public string? ExpectedThumbprint { get; set; }
    /// <summary>After the scan, also handshake without SNI and with an unknown name, and say how the server treats SNI.</summary>
    public bool CompareServerName { get; set; }
    /// <summary>Called (on a worker thread) after every probe connection.</summary>
    public Action<ProbeEvent>? OnProbe { get; set; }
    /// <summary>Narration (on a worker thread): the resolved address and the like.</summary>
    public Action<string>? Log { get; set; }

    /// <summary>The suites to offer with one version: the catalog's, narrowed to <see cref="CipherSuites"/> when given.</summary>
    internal IReadOnlyList<ushort> SuiteCandidates(TlsProtocol version)
    {
        var all = ServerProbes.SuiteCandidates(version);
        return CipherSuites == null || CipherSuites.Count == 0 ? all : all.Where(CipherSuites.Contains).ToList();
    }

    internal TlsProtocol EffectiveProtocols =>
        Protocols == TlsProtocol.None ? TlsProtocol.Ssl2 | TlsProtocol.Ssl3 | TlsProtocol.Tls10 | TlsProtocol.Tls11 | TlsProtocol.Tls12 | TlsProtocol.Tls13 : Protocols;
}

/// <summary>One target, resolved, with its scheduler: the part both scanners share.</summary>
internal sealed class ScanSession : IDisposable
{
    private ScanSession(ScanRequest request, TargetDeadline deadline, TargetEndpoint target, IPEndPoint? endpoint, string? failure)
    {
        Request = request;
        Deadline = deadline;
        Target = target;
        EndPoint = endpoint;
        Failure = failure;
        ServerName = request.Options.EffectiveServerName(target);
        if (endpoint == null) return;
        // Probes connect to the resolved address (one lookup per scan), through the proxy and STARTTLS the options name.
        ProbedTarget = target.At(endpoint.Address);
        Scheduler = new ProbeScheduler(ProbedTarget, request.Options, Math.Max(1, request.Options.ThrottleLimit), ProbeWait(deadline), request.OnProbe, deadline);
        Probes = new ServerProbes(Scheduler, ServerName);
    }

    public ScanRequest Request { get; }
    /// <summary>The target's one deadline (-TimeoutSec), started before the name is resolved: the scan and its follow-ups share it.</summary>
    public TargetDeadline Deadline { get; }

    /// <summary>
    /// One probe waits at most half of -TimeoutSec: a target that answers no probe calls for one diagnosing handshake
    /// after the scan, and that handshake (with its own path follow-ups) must fit in the same budget.
    /// </summary>
    static TimeSpan ProbeWait(TargetDeadline deadline) => TimeSpan.FromTicks(Math.Max(1, deadline.Budget.Ticks / 2));
    /// <summary>The request's target, as the scan was opened with it.</summary>
    public TargetEndpoint Target { get; }
    /// <summary>The resolved address; null when the name did not resolve.</summary>
    public IPEndPoint? EndPoint { get; }
    /// <summary>Where every probe connects: the resolved address; null when the name did not resolve.</summary>
    public TargetEndpoint? ProbedTarget { get; }
    /// <summary>Why the target could not be probed at all (DNS); null when it can.</summary>
    public string? Failure { get; }
    /// <summary>The SNI name the probes send; null when they send none.</summary>
    public string? ServerName { get; }
    /// <summary>Null exactly when <see cref="Failure"/> is set, as are <see cref="Probes"/>.</summary>
    public ProbeScheduler? Scheduler { get; }
    /// <summary>The probes of a resolved target; null exactly when <see cref="Failure"/> is set.</summary>
    public ServerProbes? Probes { get; }
    public int Connections => Scheduler?.Connections ?? 0;

    /// <summary>Resolves the target; the first address is the one probed, as a client would connect to it first.</summary>
    public static async Task<ScanSession> OpenAsync(ScanRequest request, CancellationToken ct)
    {
        var target = request?.Target ?? throw new ArgumentException("A scan needs a target.", nameof(request));
        var deadline = TargetDeadline.Start(request.Options.Timeout);
        var resolved = await NameResolver.ResolveAsync(target, deadline.Remaining, ct).ConfigureAwait(false);
        if (resolved.Error != null) return new ScanSession(request, deadline, target, null, resolved.Error);
        var endpoint = new IPEndPoint(resolved.Addresses[0], target.Port);
        request.Log?.Invoke($"{target}: probing {TcpConnector.Format(endpoint)}");
        return new ScanSession(request, deadline, target, endpoint, null);
    }

    public string? IPAddressText => EndPoint?.Address.ToString();

    public void Dispose() => Scheduler?.Dispose();
}
