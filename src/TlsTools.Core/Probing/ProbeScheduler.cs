using System;
using System.Net;
using System.Threading;
using System.Threading.Tasks;

using TlsTools.Net;

namespace TlsTools.Probing;

/// <summary>One finished probe connection, for progress and -Verbose narration.</summary>
public sealed class ProbeEvent
{
    internal ProbeEvent(int number, string purpose, string answer) { Number = number; Purpose = purpose; Answer = answer; }
    /// <summary>1-based count of connections made to this server so far.</summary>
    public int Number { get; }
    /// <summary>What was offered: "TLS 1.2, 212 suites".</summary>
    public string Purpose { get; }
    /// <summary>What came back: "ServerHello TLS 1.2 TLS_RSA_WITH_AES_128_CBC_SHA", "alert handshake_failure (40)".</summary>
    public string Answer { get; }
    public override string ToString() => $"probe {Number}: {Purpose} -> {Answer}";
}

/// <summary>
/// The only way probes reach one server: at most <see cref="MaxConcurrent"/> connections open to it at once
/// (independent probes queue here, so a scan never floods a server), a deadline on every connection, and a
/// count of every connection made, which each result reports.
/// </summary>
internal sealed class ProbeScheduler : IDisposable
{
    private readonly SemaphoreSlim _slots;
    private readonly Action<ProbeEvent>? _onProbe;
    private readonly TargetDeadline? _deadline;
    private int _connections;
    private int _inFlight, _maxInFlight;

    public ProbeScheduler(IPEndPoint endpoint, int maxConcurrent, TimeSpan connectionTimeout, Action<ProbeEvent>? onProbe = null)
        : this(new TargetEndpoint((endpoint ?? throw new ArgumentNullException(nameof(endpoint))).Address.ToString(), endpoint.Port, true),
               new ConnectionOptions { NoProxy = true }, maxConcurrent, connectionTimeout, onProbe)
    {
    }

    /// <param name="target">Where each probe connects; with <paramref name="options"/>, through its proxy and STARTTLS.</param>
    /// <param name="deadline">The target's deadline: no probe waits past it, and a probe still queued when it has no time left is
    /// not sent (its outcome is Timeout, "not tried"); null: only <paramref name="connectionTimeout"/> bounds each probe.</param>
    public ProbeScheduler(TargetEndpoint target, ConnectionOptions options, int maxConcurrent, TimeSpan connectionTimeout, Action<ProbeEvent>? onProbe = null,
        TargetDeadline? deadline = null)
    {
        if (maxConcurrent < 1) throw new ArgumentOutOfRangeException(nameof(maxConcurrent));
        if (connectionTimeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(connectionTimeout));
        Target = target ?? throw new ArgumentNullException(nameof(target));
        Options = options ?? throw new ArgumentNullException(nameof(options));
        MaxConcurrent = maxConcurrent;
        ConnectionTimeout = connectionTimeout;
        _slots = new SemaphoreSlim(maxConcurrent);
        _onProbe = onProbe;
        _deadline = deadline;
    }

    /// <summary>What the scan's deadline says of probes that were never sent.</summary>
    internal const string UnsentProbesName = "the probes still queued when the time ran out";

    public TargetEndpoint Target { get; }
    public ConnectionOptions Options { get; }
    public int MaxConcurrent { get; }
    /// <summary>Deadline of one connection: connect, send, and read the answer.</summary>
    public TimeSpan ConnectionTimeout { get; }
    /// <summary>What the next probe may wait: its own timeout, no longer than the target's deadline allows.</summary>
    private TimeSpan ProbeTimeout => _deadline?.Cap(ConnectionTimeout) ?? ConnectionTimeout;
    /// <summary>Connections made so far.</summary>
    public int Connections => Volatile.Read(ref _connections);
    /// <summary>The most connections this scheduler ever had open at once (never above <see cref="MaxConcurrent"/>).</summary>
    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    /// <summary>A TLS/SSLv3 ClientHello; with <paramref name="readKeyExchange"/>, reads on to the ServerKeyExchange.</summary>
    public Task<HelloOutcome> SendAsync(byte[] clientHello, string purpose, bool readKeyExchange, CancellationToken ct) =>
        RunAsync(purpose, ct, () => HelloExchange.RunAsync(Target, Options, clientHello, ProbeTimeout, readKeyExchange, ct));

    /// <summary>An SSLv2 CLIENT-HELLO.</summary>
    public Task<HelloOutcome> SendSsl2Async(byte[] clientHello, string purpose, CancellationToken ct) =>
        RunAsync(purpose, ct, () => HelloExchange.RunSsl2Async(Target, Options, clientHello, ProbeTimeout, ct));

    private async Task<HelloOutcome> RunAsync(string purpose, CancellationToken ct, Func<Task<HelloOutcome>> exchange)
    {
        await _slots.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (_deadline != null && !_deadline.HasTimeForStep)
            {
                _deadline.Skip(UnsentProbesName);
                return HelloOutcome.Failed(HelloOutcomeKind.Timeout, $"not tried: no time left within -TimeoutSec {_deadline.Budget.TotalSeconds:0.###}");
            }
            int number = Interlocked.Increment(ref _connections);
            RecordInFlight(Interlocked.Increment(ref _inFlight));
            try
            {
                var outcome = await exchange().ConfigureAwait(false);
                _onProbe?.Invoke(new ProbeEvent(number, purpose, outcome.Detail));
                return outcome;
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }
        }
        finally
        {
            _slots.Release();
        }
    }

    private void RecordInFlight(int now)
    {
        for (int seen = Volatile.Read(ref _maxInFlight); now > seen; seen = Volatile.Read(ref _maxInFlight))
            if (Interlocked.CompareExchange(ref _maxInFlight, now, seen) == seen) return;
    }

    public void Dispose() => _slots.Dispose();
}
