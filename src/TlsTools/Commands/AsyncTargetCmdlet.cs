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
    readonly CancellationTokenSource _cancel = new CancellationTokenSource();
    readonly BlockingCollection<Action> _pipelineWork = new BlockingCollection<Action>();
    SemaphoreSlim? _throttle;
    int _started, _finished;

    /// <summary>How many targets run at once.</summary>
    protected abstract int Throttle { get; }

    /// <summary>Activity name for Write-Progress.</summary>
    protected abstract string ProgressActivity { get; }

    protected CancellationToken Cancellation => _cancel.Token;

    /// <summary>Starts work for one target; waits (while still writing finished results) when all slots are busy.</summary>
    protected void StartTarget(string label, Func<CancellationToken, Task<object?>> work)
    {
        if (_throttle == null) _throttle = new SemaphoreSlim(Math.Max(1, Throttle));
        while (!_throttle.Wait(50, _cancel.Token)) Drain();
        Interlocked.Increment(ref _started);
        Task.Run(async () =>
        {
            try
            {
                var output = await work(_cancel.Token).ConfigureAwait(false);
                if (output != null) _pipelineWork.Add(() => WriteObject(output));
            }
            catch (OperationCanceledException) when (_cancel.IsCancellationRequested)
            {
            }
            catch (Exception ex)
            {
                _pipelineWork.Add(() => WriteError(new ErrorRecord(ex, "UnexpectedFailure", ErrorCategory.NotSpecified, label)));
            }
            finally
            {
                _throttle.Release();
                Interlocked.Increment(ref _finished);
                _pipelineWork.Add(ReportProgress);
            }
        });
        Drain();
    }

    /// <summary>Narration from a worker thread, written as verbose output by the pipeline thread.</summary>
    protected void LogVerbose(string message) => _pipelineWork.Add(() => WriteVerbose(message));

    /// <summary>Several results from a worker thread, each written as its own pipeline object by the pipeline thread.</summary>
    protected void EnqueueObjects(System.Collections.IEnumerable items) =>
        _pipelineWork.Add(() => { foreach (var item in items) WriteObject(item); });

    /// <summary>Any pipeline work from a worker thread (several WriteObject calls, WriteProgress), run by the pipeline thread.</summary>
    protected void OnPipelineThread(Action action) => _pipelineWork.Add(action);

    /// <summary>An error from a worker thread, written by the pipeline thread.</summary>
    protected void EnqueueError(ErrorRecord record) => _pipelineWork.Add(() => WriteError(record));

    /// <summary>Writes whatever workers have finished so far, without waiting.</summary>
    protected void Drain()
    {
        while (_pipelineWork.TryTake(out var action)) action();
    }

    protected override void EndProcessing()
    {
        while (Volatile.Read(ref _finished) < Volatile.Read(ref _started) || _pipelineWork.Count > 0)
        {
            if (_pipelineWork.TryTake(out var action, 100, _cancel.Token)) action();
        }
        if (_started > 1)
            WriteProgress(new ProgressRecord(1, ProgressActivity, "Done") { RecordType = ProgressRecordType.Completed });
    }

    protected override void StopProcessing() => _cancel.Cancel();

    void ReportProgress()
    {
        if (_started <= 1) return;
        int done = Volatile.Read(ref _finished), total = Volatile.Read(ref _started);
        WriteProgress(new ProgressRecord(1, ProgressActivity, $"{done} of {total} done")
        {
            PercentComplete = Math.Min(100, done * 100 / Math.Max(1, total)),
        });
    }

    public void Dispose()
    {
        _cancel.Cancel();
        _cancel.Dispose();
        _pipelineWork.Dispose();
        _throttle?.Dispose();
    }
}
