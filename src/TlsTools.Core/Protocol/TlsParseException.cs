using System;

namespace TlsTools.Protocol;

/// <summary>Bytes that are not what the protocol says they must be: truncated, over-long or out of range.</summary>
public sealed class TlsParseException : Exception
{
    public TlsParseException(string message) : base(message) { }
    public TlsParseException(string message, Exception inner) : base(message, inner) { }
}
