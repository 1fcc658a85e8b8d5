using System;
using System.Collections.Generic;
using System.Diagnostics;

namespace TlsTools.Handshake;

/// <summary>Collects the steps of one attempt with their time offsets; also narrates them to a log callback.</summary>
public sealed class TranscriptRecorder
{
    readonly Stopwatch _clock;
    readonly List<TranscriptEntry> _entries = new List<TranscriptEntry>();
    readonly Action<string>? _log;
    readonly string _prefix;

    public TranscriptRecorder(Stopwatch clock, Action<string>? log, string prefix)
    {
        this._clock = clock;
        this._log = log;
        this._prefix = prefix;
    }

    public void Add(TranscriptDirection direction, string message, string summary)
    {
        var entry = new TranscriptEntry(_clock.Elapsed, direction, message, summary);
        lock (_entries) _entries.Add(entry);
        _log?.Invoke($"{_prefix}{entry}");
    }

    public void Note(string message, string summary) => Add(TranscriptDirection.Local, message, summary);

    public HandshakeTranscript Entries
    {
        get { lock (_entries) return new HandshakeTranscript(_entries.ToArray()); }
    }
}
