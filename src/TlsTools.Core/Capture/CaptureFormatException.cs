using System;

namespace TlsTools.Capture;

/// <summary>The file is not a pcap or pcapng capture (its first bytes match neither format).</summary>
public sealed class CaptureFormatException : Exception
{
    public CaptureFormatException(string message) : base(message) { }
}

/// <summary>Why reading stopped before the end of the file, and where.</summary>
public sealed class CaptureProblem
{
    public CaptureProblem(bool truncated, long offset, string message)
    { Truncated = truncated; Offset = offset; Message = message; }

    /// <summary>True when the file simply ends inside a record (a capture still being written, or cut short).</summary>
    public bool Truncated { get; }
    /// <summary>Byte offset in the file where the bad or missing record starts.</summary>
    public long Offset { get; }
    public string Message { get; }
    public override string ToString() => Message;
}
