using System;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;

namespace TlsTools.Commands;

/// <summary>
/// Base of the network cmdlets: runs one task per target, up to ThrottleLimit at once, while the
/// pipeline thread alone writes (workers enqueue, the pipeline thread drains). Ctrl+C cancels every socket.
/// </summary>
public abstract class AsyncTargetCmdlet : PSCmdlet, IDisposable
{
    readonly CancellationTokenSource cancel = new CancellationTokenSource();
    readonly BlockingCollection<Action> pipelineWork = new BlockingCollection<Action>();
    SemaphoreSlim throttle;
    int started, finished;

    /// <summary>How many targets run at once.</summary>
    protected abstract int Throttle { get; }

    /// <summary>Activity name for Write-Progress.</summary>
    protected abstract string ProgressActivity { get; }

    protected CancellationToken Cancellation => cancel.Token;

    /// <summary>Starts work for one target; waits (while still writing finished results) when all slots are busy.</summary>
    protected void StartTarget(string label, Func<CancellationToken, Task<object>> work)
    {
        if (throttle == null) throttle = new SemaphoreSlim(Math.Max(1, Throttle));
        while (!throttle.Wait(50, cancel.Token)) Drain();
        Interlocked.Increment(ref started);
        Task.Run(async () =>
        {
            try
            {
                var output = await work(cancel.Token).ConfigureAwait(false);
                if (output != null) pipelineWork.Add(() => WriteObject(output));
            }
            catch (OperationCanceledException) when (cancel.IsCancellationRequested)
            {
            }
            catch (Exception ex)
            {
                pipelineWork.Add(() => WriteError(new ErrorRecord(ex, "UnexpectedFailure", ErrorCategory.NotSpecified, label)));
            }
            finally
            {
                throttle.Release();
                Interlocked.Increment(ref finished);
                pipelineWork.Add(ReportProgress);
            }
        });
        Drain();
    }

    /// <summary>Narration from a worker thread, written as verbose output by the pipeline thread.</summary>
    protected void LogVerbose(string message) => pipelineWork.Add(() => WriteVerbose(message));

    /// <summary>Several results from a worker thread, each written as its own pipeline object by the pipeline thread.</summary>
    protected void EnqueueObjects(System.Collections.IEnumerable items) =>
        pipelineWork.Add(() => { foreach (var item in items) WriteObject(item); });

    /// <summary>Any pipeline work from a worker thread (several WriteObject calls, WriteProgress), run by the pipeline thread.</summary>
    protected void OnPipelineThread(Action action) => pipelineWork.Add(action);

    /// <summary>An error from a worker thread, written by the pipeline thread.</summary>
    protected void EnqueueError(ErrorRecord record) => pipelineWork.Add(() => WriteError(record));

    /// <summary>Writes whatever workers have finished so far, without waiting.</summary>
    protected void Drain()
    {
        while (pipelineWork.TryTake(out var action)) action();
    }

    protected override void EndProcessing()
    {
        while (Volatile.Read(ref finished) < Volatile.Read(ref started) || pipelineWork.Count > 0)
        {
            if (pipelineWork.TryTake(out var action, 100, cancel.Token)) action();
        }
        if (started > 1)
            WriteProgress(new ProgressRecord(1, ProgressActivity, "Done") { RecordType = ProgressRecordType.Completed });
    }

    protected override void StopProcessing() => cancel.Cancel();

    void ReportProgress()
    {
        if (started <= 1) return;
        int done = Volatile.Read(ref finished), total = Volatile.Read(ref started);
        WriteProgress(new ProgressRecord(1, ProgressActivity, $"{done} of {total} done")
        {
            PercentComplete = Math.Min(100, done * 100 / Math.Max(1, total)),
        });
    }

    public void Dispose()
    {
        cancel.Cancel();
        cancel.Dispose();
        pipelineWork.Dispose();
        throttle?.Dispose();
    }
}
