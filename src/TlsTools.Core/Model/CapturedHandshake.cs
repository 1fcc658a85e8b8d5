using System;
using System.Collections.Generic;
using System.Security.Cryptography.X509Certificates;

namespace TlsTools;

/// <summary>How a captured TLS connection ended, as far as the capture shows.</summary>
public enum CaptureOutcome
{
    /// <summary>Both sides finished the handshake.</summary>
    Completed,
    /// <summary>A fatal alert, a reset or a close ended the handshake.</summary>
    Failed,
    /// <summary>The capture does not show the end of the handshake (it started late, ended early, or lost packets).</summary>
    Incomplete,
    /// <summary>The client sent a ClientHello and the server answered in another protocol.</summary>
    NotTls,
}

/// <summary>Which end of a captured connection did something (the EndedBy column).</summary>
public enum ConnectionSide
{
    /// <summary>Nobody: the capture shows no end.</summary>
    None,
    Client,
    Server,
}

/// <summary>What ended a captured connection first (the EndedWith column).</summary>
public enum ConnectionEnding
{
    /// <summary>A TCP FIN: an orderly close, without a TLS alert before it.</summary>
    Fin,
    /// <summary>A TCP RST: an abort.</summary>
    Rst,
    /// <summary>A fatal TLS alert or close_notify (in TLS 1.3 also the client's encrypted, alert-sized abort).</summary>
    Alert,
    /// <summary>Nothing: the capture (or the reader's idle limit) ended while the connection was open.</summary>
    CaptureEnd,
}

/// <summary>One step of a captured connection, as it crossed the wire: a handshake message, alert, FIN or RST.</summary>
public sealed class CapturedEvent
{
    public CapturedEvent(DateTime time, double offsetMs, ConnectionSide from, string what)
    { Time = time; OffsetMs = offsetMs; From = from; What = what; }

    public DateTime Time { get; }
    /// <summary>Milliseconds since the connection's first packet.</summary>
    public double OffsetMs { get; }
    public ConnectionSide From { get; }
    /// <summary>"ClientHello", "ChangeCipherSpec", "fatal unknown_ca (48)", "encrypted record (19 bytes)", "FIN", "RST".</summary>
    public string What { get; }

    /// <summary>"+3002.114 ms client FIN".</summary>
    public override string ToString() =>
        $"+{OffsetMs.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)} ms {From.ToString().ToLowerInvariant()} {What}";
}

/// <summary>A TLS alert seen in a capture, with its direction; named by the alert table when read (Capture's CapturedAlerts).</summary>
public sealed class CapturedAlert
{
    internal CapturedAlert(DateTime time, bool fromClient, byte level, byte description, bool isFatal, string name, string described)
    {
        Time = time; FromClient = fromClient; Level = level; Description = description;
        IsFatal = isFatal; Name = name; _described = described;
    }

    private readonly string _described;

    public DateTime Time { get; }
    public bool FromClient { get; }
    public byte Level { get; }
    public byte Description { get; }
    public bool IsFatal { get; }
    /// <summary>"unknown_ca".</summary>
    public string Name { get; }

    /// <summary>"client→server fatal unknown_ca (48)".</summary>
    public override string ToString() => $"{(FromClient ? "client→server" : "server→client")} {_described}";
}

/// <summary>
/// One TCP connection in a capture that carried TLS or tried to: what the client offered, what the server
/// chose, how it ended and why. Scalar properties first (what Export-Csv writes), rich objects after.
/// </summary>
public sealed class CapturedHandshake
{
    /// <summary>Time of the connection's first packet (UTC).</summary>
    public DateTime Time { get; set; }
    public string ClientAddress { get; set; } = "";
    public int ClientPort { get; set; }
    public string ServerAddress { get; set; } = "";
    public int ServerPort { get; set; }
    /// <summary>SNI host name from the ClientHello, or null.</summary>
    public string? ServerName { get; set; }
    public CaptureOutcome Outcome { get; set; }
    public FailureCategory FailureCategory { get; set; }
    /// <summary>The evidence in one sentence; null for a completed handshake.</summary>
    public string? FailureReason { get; set; }
    /// <summary>What to change, and where; null when there is nothing to change.</summary>
    public string? Remedy { get; set; }
    /// <summary>The name of the diagnosis rule that decided FailureCategory.</summary>
    public string? DiagnosisRule { get; set; }
    /// <summary>Versions the client offered, newest first as it listed them ("TLS 1.3, TLS 1.2"); null without a ClientHello.</summary>
    public string? ClientVersions { get; set; }
    /// <summary>Cipher suites offered, IANA names in the client's order, joined with ", "; null without a ClientHello.</summary>
    public string? ClientCipherSuites { get; set; }
    /// <summary>ALPN protocols offered, joined with ", "; null when none.</summary>
    public string? Alpn { get; set; }
    /// <summary>JA3 fingerprint (MD5) of the ClientHello; null without one.</summary>
    public string? Ja3 { get; set; }
    /// <summary>JA4 fingerprint of the ClientHello; null without one.</summary>
    public string? Ja4 { get; set; }
    /// <summary>Version the server chose (its ServerHello), or null.</summary>
    public TlsProtocol? ServerVersion { get; set; }
    /// <summary>IANA name of the suite the server chose, or null.</summary>
    public string? CipherSuite { get; set; }
    /// <summary>The group of the key exchange, or null when the capture does not show it.</summary>
    public string? KeyExchangeGroup { get; set; }
    /// <summary>ALPN protocol the server selected, or null.</summary>
    public string? SelectedAlpn { get; set; }
    /// <summary>Leaf certificate as served (in clear only up to TLS 1.2); null when the capture shows none.</summary>
    public string? CertificateSubject { get; set; }
    public string? CertificateIssuer { get; set; }
    public DateTime? CertificateNotAfter { get; set; }
    /// <summary>SHA-256 of the leaf, upper-case hex: the CertificateThumbprint of every other result.</summary>
    public string? CertificateThumbprint { get; set; }
    /// <summary>Alerts in order, joined with "; " ("server→client fatal protocol_version (70)"); null when there were none.</summary>
    public string? Alerts { get; set; }
    /// <summary>Who ended the connection first (its FIN, RST or alert came before the other side's); None when the capture shows no end.</summary>
    public ConnectionSide EndedBy { get; set; }
    /// <summary>What ended it first: Fin, Rst, Alert, or CaptureEnd when the capture stopped with the connection open.</summary>
    public ConnectionEnding EndedWith { get; set; }
    /// <summary>The last handshake message before that end ("ServerHello", "ServerHelloDone"); "Finished" for a completed handshake; null when none was seen.</summary>
    public string? EndedAfter { get; set; }
    /// <summary>When the client ended the connection with a FIN or RST while the server owed the answer: how long it had waited without a server byte; null otherwise.</summary>
    public double? ServerSilenceMs { get; set; }
    /// <summary>TCP payload bytes each way.</summary>
    public long ClientBytes { get; set; }
    public long ServerBytes { get; set; }
    /// <summary>First packet to last packet of the connection in the capture.</summary>
    public double DurationMs { get; set; }
    /// <summary>The JA3 input string, for comparing with other tools; null without a ClientHello.</summary>
    public string? Ja3Text { get; set; }
    /// <summary>The capture file this connection came from; null when read from a stream without one.</summary>
    public string? Path { get; set; }

    public IReadOnlyList<ushort> ClientCipherSuiteCodes { get; set; } = Array.Empty<ushort>();
    public IReadOnlyList<CapturedAlert> AlertList { get; set; } = Array.Empty<CapturedAlert>();
    /// <summary>The leaf as served; null when the capture shows none.</summary>
    public X509Certificate2? Certificate { get; set; }
    public IReadOnlyList<X509Certificate2> ServedChain { get; set; } = Array.Empty<X509Certificate2>();
    /// <summary>What crossed the wire, in order, with who sent it and when (the first steps, bounded).</summary>
    public IReadOnlyList<CapturedEvent> Timeline { get; set; } = Array.Empty<CapturedEvent>();

    public override string ToString() =>
        $"{ClientAddress}:{ClientPort} -> {ServerAddress}:{ServerPort} {ServerName} {Outcome} {(FailureCategory == FailureCategory.None ? "" : FailureCategory.ToString())}".TrimEnd();
}
