using System;
using System.Threading;
using System.Threading.Tasks;
using TlsTools.Handshake;
using TlsTools.Net;

namespace TlsTools.Diagnosis;

/// <summary>
/// The network-path follow-ups started beside a handshake that is still waiting halfway to its deadline. A silent
/// or stalled server uses the whole budget in the first handshake, so follow-ups that started after it would run
/// past -TimeoutSec; started at half time they end by the same deadline, with half the first attempt's patience
/// (never more, so a merely slow server is not taken for a path problem). When the handshake ends early their
/// work is abandoned unread and not counted.
/// </summary>
public sealed class EarlyPathFollowUp
{
    readonly CancellationTokenSource _abandon;
    readonly Task<PathEvidence?> _evidence;
    readonly CancellationToken _caller;

    EarlyPathFollowUp(Task handshake, TargetEndpoint target, ConnectionOptions options, ClientProfile profile, string? sni,
        TargetDeadline deadline, CancellationToken cancel)
    {
        _caller = cancel;
        _abandon = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        _evidence = RunAsync(handshake, target, options, profile, sni, deadline, _abandon.Token);
    }

    /// <summary>When the follow-ups started, on the target's clock; zero until they do.</summary>
    public TimeSpan StartedAt { get; private set; }

    /// <summary>Watches <paramref name="handshake"/>; should it still run at half the time left, starts both follow-ups.</summary>
    public static EarlyPathFollowUp Watch(Task handshake, TargetEndpoint target, ConnectionOptions options, ClientProfile profile, string? sni,
        TargetDeadline deadline, CancellationToken cancel) =>
        new EarlyPathFollowUp(handshake, target, options, profile, sni, deadline, cancel);

    async Task<PathEvidence?> RunAsync(Task handshake, TargetEndpoint target, ConnectionOptions options, ClientProfile profile, string? sni,
        TargetDeadline deadline, CancellationToken token)
    {
        var half = TimeSpan.FromTicks(deadline.Remaining.Ticks / 2);
        var first = await Task.WhenAny(handshake, Task.Delay(half, token)).ConfigureAwait(false);
        if (first == handshake || token.IsCancellationRequested || !deadline.HasTimeForStep) return null;
        StartedAt = deadline.Elapsed;
        return await NetworkPathFollowUp.GatherBothAsync(target, options, profile, sni, deadline, token).ConfigureAwait(false);
    }

    /// <summary>The evidence, when the follow-ups started (waiting for them, no longer than the deadline); null when they did not.</summary>
    public async Task<PathEvidence?> TakeAsync()
    {
        try
        {
            return await _evidence.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!_caller.IsCancellationRequested)
        {
            return null;
        }
        finally
        {
            _abandon.Dispose();
        }
    }

    /// <summary>The handshake needs no follow-up: stops them, closing their sockets, and waits until they have let go.</summary>
    public async Task AbandonAsync()
    {
        try
        {
            _abandon.Cancel();
            _ = await _evidence.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!_caller.IsCancellationRequested)
        {
            // Abandoned on purpose.
        }
        finally
        {
            _abandon.Dispose();
        }
    }
}
