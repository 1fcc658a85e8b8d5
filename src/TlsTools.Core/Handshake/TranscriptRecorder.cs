using System;
using System.Collections.Generic;
using System.Diagnostics;

namespace TlsTools.Handshake;

/// <summary>Collects the steps of one attempt with their time offsets; also narrates them to a log callback.</summary>
public sealed class TranscriptRecorder
{
    readonly Stopwatch clock;
    readonly List<TranscriptEntry> entries = new List<TranscriptEntry>();
    readonly Action<string> log;
    readonly string prefix;

    public TranscriptRecorder(Stopwatch clock, Action<string> log, string prefix)
    {
        this.clock = clock;
        this.log = log;
        this.prefix = prefix;
    }

    public void Add(TranscriptDirection direction, string message, string summary)
    {
        var entry = new TranscriptEntry(clock.Elapsed, direction, message, summary);
        lock (entries) entries.Add(entry);
        log?.Invoke($"{prefix}{entry}");
    }

    public void Note(string message, string summary) => Add(TranscriptDirection.Local, message, summary);

    public HandshakeTranscript Entries
    {
        get { lock (entries) return new HandshakeTranscript(entries.ToArray()); }
    }
}
