using System;

namespace TlsTools;

public enum TranscriptDirection { Local, Sent, Received }

/// <summary>One step of a connection attempt: what was sent or received, when, and what it said.</summary>
public sealed class TranscriptEntry
{
    public TranscriptEntry(TimeSpan offset, TranscriptDirection direction, string message, string summary)
    {
        Offset = offset;
        Direction = direction;
        Message = message;
        Summary = summary;
    }

    /// <summary>Milliseconds since the attempt started.</summary>
    public double OffsetMs => Math.Round(Offset.TotalMilliseconds, 1);
    public TimeSpan Offset { get; }
    public TranscriptDirection Direction { get; }
    /// <summary>ClientHello, ServerHello, Certificate, Alert, Connect, ...</summary>
    public string Message { get; }
    public string Summary { get; }

    public override string ToString()
    {
        string arrow = Direction == TranscriptDirection.Sent ? "->" : Direction == TranscriptDirection.Received ? "<-" : "..";
        return $"{OffsetMs,8:0.0} ms {arrow} {Message}: {Summary}";
    }
}
