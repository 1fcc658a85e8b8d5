using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;

namespace TlsTools.Commands;

/// <summary>
/// Base of the network cmdlets: runs one task per target, up to ThrottleLimit at once, while the
/// pipeline thread alone writes (workers enqueue, the pipeline thread drains). Results (objects, errors,
/// warnings) come out in input order: each target's output waits in its slot until every earlier target's
/// has been written. Narration (verbose, progress) is written at once. Ctrl+C cancels every socket.
/// </summary>
public abstract class AsyncTargetCmdlet : PSCmdlet, IDisposable
{
    /// <summary>One target's results, held until the targets before it are written. Touched by the pipeline thread only.</summary>
    sealed class OutputSlot
    {
        public readonly List<Action> Writes = new List<Action>();
        public bool Done;
    }

    /// <summary>The slot of the target whose work is running on this logical thread (flows through awaits).</summary>
    static readonly AsyncLocal<OutputSlot?> CurrentSlot = new AsyncLocal<OutputSlot?>();

    readonly CancellationTokenSource _cancel = new CancellationTokenSource();
    readonly BlockingCollection<Action> _pipelineWork = new BlockingCollection<Action>();
    readonly Queue<OutputSlot> _inOrder = new Queue<OutputSlot>();
    SemaphoreSlim? _throttle;
    int _started, _finished;

    /// <summary>
    /// How many targets may be started but not yet written: a slow target holds back at most this many finished
    /// ones behind it (their results wait in memory), then starting pauses until it ends.
    /// </summary>
    int OrderWindow => Math.Max(64, Throttle * 4);

    /// <summary>How many targets run at once.</summary>
    protected abstract int Throttle { get; }

    /// <summary>Activity name for Write-Progress.</summary>
    protected abstract string ProgressActivity { get; }

    protected CancellationToken Cancellation => _cancel.Token;

    /// <summary>Starts work for one target; waits (while still writing finished results) when all slots are busy.</summary>
    protected void StartTarget(string label, Func<CancellationToken, Task<object?>> work)
    {
        if (_throttle == null) _throttle = new SemaphoreSlim(Math.Max(1, Throttle));
        while (_inOrder.Count >= OrderWindow) WaitForWork();
        while (!_throttle.Wait(50, _cancel.Token)) Drain();
        Interlocked.Increment(ref _started);
        var slot = new OutputSlot();
        _inOrder.Enqueue(slot);
        Task.Run(async () =>
        {
            CurrentSlot.Value = slot;
            try
            {
                var output = await work(_cancel.Token).ConfigureAwait(false);
                if (output != null) InOrder(slot, () => WriteObject(output));
            }
            catch (OperationCanceledException) when (_cancel.IsCancellationRequested)
            {
            }
            catch (Exception ex)
            {
                InOrder(slot, () => WriteError(new ErrorRecord(ex, "UnexpectedFailure", ErrorCategory.NotSpecified, label)));
            }
            finally
            {
                // The slot's completion is queued before the target counts as finished: EndProcessing stops waiting
                // once every target has finished and the queue is empty, so the other order could lose the results.
                _pipelineWork.Add(() =>
                {
                    slot.Done = true;
                    WriteFinishedSlots();
                    ReportProgress();
                });
                Interlocked.Increment(ref _finished);
                _throttle.Release();
            }
        });
        Drain();
    }

    /// <summary>Narration from a worker thread, written as verbose output by the pipeline thread at once.</summary>
    protected void LogVerbose(string message) => _pipelineWork.Add(() => WriteVerbose(message));

    /// <summary>Several results from a worker thread, each written as its own pipeline object, in input order.</summary>
    protected void EnqueueObjects(System.Collections.IEnumerable items) =>
        OnPipelineThread(() => { foreach (var item in items) WriteObject(item); });

    /// <summary>A target's results from its worker (several WriteObject calls, warnings), run by the pipeline thread in input order.</summary>
    protected void OnPipelineThread(Action action) => InOrder(CurrentSlot.Value, action);

    /// <summary>Narration from a worker (progress, verbose), run by the pipeline thread at once, ahead of held results.</summary>
    protected void Narrate(Action action) => _pipelineWork.Add(action);

    /// <summary>An error from a worker thread, written by the pipeline thread in input order.</summary>
    protected void EnqueueError(ErrorRecord record) => OnPipelineThread(() => WriteError(record));

    /// <summary>
    /// A result made on the pipeline thread (an invalid target's error): written now when nothing is held, else
    /// after the targets started before it.
    /// </summary>
    protected void WriteInOrder(Action write)
    {
        if (_inOrder.Count == 0)
        {
            write();
            return;
        }
        var slot = new OutputSlot { Done = true };
        slot.Writes.Add(write);
        _inOrder.Enqueue(slot);
    }

    /// <summary>A record's own error from the pipeline thread, in input order (see WriteInOrder).</summary>
    protected void WriteErrorInOrder(ErrorRecord record) => WriteInOrder(() => WriteError(record));

    void InOrder(OutputSlot? slot, Action write) =>
        _pipelineWork.Add(slot == null ? write : () => slot.Writes.Add(write));

    /// <summary>Writes the held results of the finished targets at the head of the input order.</summary>
    void WriteFinishedSlots()
    {
        while (_inOrder.Count > 0 && _inOrder.Peek().Done)
            foreach (var write in _inOrder.Dequeue().Writes) write();
    }

    /// <summary>Writes whatever workers have finished so far, without waiting.</summary>
    protected void Drain()
    {
        while (_pipelineWork.TryTake(out var action)) action();
    }

    void WaitForWork()
    {
        if (_pipelineWork.TryTake(out var action, 100, _cancel.Token)) action();
    }

    protected override void EndProcessing()
    {
        while (Volatile.Read(ref _finished) < Volatile.Read(ref _started) || _pipelineWork.Count > 0) WaitForWork();
        WriteFinishedSlots();
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
