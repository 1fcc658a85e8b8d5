namespace TlsTools.Net;

/// <summary>How a proxy tunnel or a STARTTLS switch went: open, or refused with the peer's own words.</summary>
public sealed class TunnelResult
{
    TunnelResult(bool opened, string reply, string? message) { Opened = opened; Reply = reply; Message = message; }

    public bool Opened { get; }
    /// <summary>What the peer answered (status line, reply code): the evidence.</summary>
    public string Reply { get; }
    /// <summary>The sentence that explains a refusal; null when opened.</summary>
    public string? Message { get; }

    public static TunnelResult Open(string reply) => new TunnelResult(true, reply, null);
    public static TunnelResult Refused(string reply, string message) => new TunnelResult(false, reply, message);
}
