using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using TlsTools.Net;

namespace TlsTools.Assessment.Checks;

/// <summary>
/// Runs the chosen checks against one server, side by side, under the target's one deadline. Each check gets its own
/// counted context; a check that throws or outlives the deadline is Inconclusive with why, and the others go on.
/// </summary>
public static class ServerCheckRunner
{
    /// <summary>How many checks talk to one server at once: enough to overlap round trips, few enough to stay polite.</summary>
    public const int ChecksAtOnce = 6;

    public static async Task<IReadOnlyList<ServerCheckResult>> RunAsync(IReadOnlyList<ServerCheckDefinition> checks, ServerEvidence evidence,
        ConnectionOptions options, TargetDeadline deadline, Action<string>? log, CancellationToken cancel)
    {
        using (var slots = new SemaphoreSlim(ChecksAtOnce))
        {
            var runs = checks.Select(async definition =>
            {
                await slots.WaitAsync(cancel).ConfigureAwait(false);
                try
                {
                    return await RunOneAsync(definition, evidence, options, deadline, log, cancel).ConfigureAwait(false);
                }
                finally
                {
                    slots.Release();
                }
            }).ToList();
            return await Task.WhenAll(runs).ConfigureAwait(false);
        }
    }

    static async Task<ServerCheckResult> RunOneAsync(ServerCheckDefinition definition, ServerEvidence evidence, ConnectionOptions options,
        TargetDeadline deadline, Action<string>? log, CancellationToken cancel)
    {
        var context = new CheckContext(evidence, options, deadline, cancel) { Log = log };
        var clock = Stopwatch.StartNew();
        CheckOutcome outcome;
        if (!deadline.HasTimeForStep)
            outcome = CheckOutcome.Inconclusive(deadline.Skip($"the {definition.Name} check"));
        else
            outcome = await GuardedAsync(definition, context, deadline).ConfigureAwait(false);
        cancel.ThrowIfCancellationRequested();
        var result = new ServerCheckResult
        {
            Name = definition.Name,
            Cve = definition.Cve,
            Verdict = outcome.Verdict,
            Evidence = outcome.Evidence,
            ConnectionCount = context.Connections,
            DurationMs = Math.Round(clock.Elapsed.TotalMilliseconds, 1),
        };
        log?.Invoke($"{evidence.Target}: check {result.Name}: {result.Verdict}: {result.Evidence} ({result.ConnectionCount} connections)");
        return result;
    }

    /// <summary>The check's own outcome; Inconclusive when it throws or has not ended a moment after the deadline.</summary>
    static async Task<CheckOutcome> GuardedAsync(ServerCheckDefinition definition, CheckContext context, TargetDeadline deadline)
    {
        var run = Task.Run(() => definition.Create().RunAsync(context));
        // The check's connections end by the deadline; the grace covers the last read returning, never a hang.
        var grace = Task.Delay(deadline.Remaining + TimeSpan.FromMilliseconds(500), context.Cancel);
        try
        {
            if (await Task.WhenAny(run, grace).ConfigureAwait(false) != run)
            {
                _ = run.ContinueWith(t => t.Exception, TaskContinuationOptions.OnlyOnFaulted);
                return CheckOutcome.Inconclusive($"the check did not finish within -TimeoutSec ({deadline.Budget.TotalSeconds:0.#} s)");
            }
            return await run.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.Cancel.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            // A bug in the check, not a property of the server: say so rather than guess a verdict.
            return CheckOutcome.Inconclusive($"the check failed ({ex.GetType().Name}: {ex.Message})");
        }
    }
}
