using System;
using System.Collections.Generic;
using System.Diagnostics;

namespace TlsTools.Net;

/// <summary>
/// The one deadline of one target: -TimeoutSec bounds everything done for it (resolve, connect, handshake, probes,
/// follow-ups, AIA and OCSP fetches). Created when the target starts; every step asks it how long it may wait
/// instead of taking a fresh -TimeoutSec, so the steps together never outlast the budget. A follow-up with no time
/// left does not start and is recorded here, so the result can say what was not checked.
/// </summary>
public sealed class TargetDeadline
{
    /// <summary>Less than this is no time to connect and hear an answer: a follow-up given less is skipped, not started.</summary>
    public static readonly TimeSpan MinimumStep = TimeSpan.FromMilliseconds(250);

    readonly Stopwatch _clock;
    readonly List<string> _skipped = new List<string>();

    TargetDeadline(TimeSpan budget)
    {
        Budget = budget;
        _clock = Stopwatch.StartNew();
    }

    /// <summary>Starts the clock of one target now.</summary>
    public static TargetDeadline Start(TimeSpan budget) => new TargetDeadline(budget);

    /// <summary>-TimeoutSec: the whole target's time.</summary>
    public TimeSpan Budget { get; }
    public TimeSpan Elapsed => _clock.Elapsed;
    /// <summary>Time left before the deadline; zero once it passed.</summary>
    public TimeSpan Remaining
    {
        get
        {
            var left = Budget - _clock.Elapsed;
            return left > TimeSpan.Zero ? left : TimeSpan.Zero;
        }
    }

    /// <summary>The clock the target's transcript is stamped with, so its offsets are the budget's.</summary>
    public Stopwatch Clock => _clock;

    /// <summary>What a step that would like <paramref name="wanted"/> may wait: no more than the time left.</summary>
    public TimeSpan Cap(TimeSpan wanted) => wanted < Remaining ? wanted : Remaining;

    /// <summary>Enough time left to start one more step (connect and hear an answer).</summary>
    public bool HasTimeForStep => Remaining >= MinimumStep;

    /// <summary>Records a follow-up that did not run for lack of time; returns the sentence that says so.</summary>
    public string Skip(string what)
    {
        lock (_skipped)
            if (!_skipped.Contains(what)) _skipped.Add(what);
        return NotCheckedSentence(new[] { what });
    }

    /// <summary>The follow-ups skipped so far, in the order they were skipped.</summary>
    public IReadOnlyList<string> Skipped
    {
        get { lock (_skipped) return _skipped.ToArray(); }
    }

    /// <summary>"Not checked: ... (no time left within -TimeoutSec 3)." for what was skipped; null when nothing was.</summary>
    public string? NotChecked
    {
        get
        {
            var skipped = Skipped;
            return skipped.Count == 0 ? null : NotCheckedSentence(skipped);
        }
    }

    string NotCheckedSentence(IEnumerable<string> what) =>
        $"Not checked: {string.Join("; ", what)} (no time left within -TimeoutSec {Budget.TotalSeconds:0.###}).";

    /// <summary>Appends the not-checked sentence to a reason (a reason of its own when there was none).</summary>
    public string? WithNotChecked(string? reason)
    {
        var note = NotChecked;
        if (note == null) return reason;
        return string.IsNullOrEmpty(reason) ? note : $"{reason} {note}";
    }

    /// <summary>Elapsed and budget in one phrase for the transcript: "2.04 s of 3 s".</summary>
    public string Accounting => $"{Elapsed.TotalSeconds:0.00} s of {Budget.TotalSeconds:0.###} s";
}
