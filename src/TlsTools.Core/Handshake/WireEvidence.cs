using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using TlsTools.Catalog;
using TlsTools.Protocol;

namespace TlsTools.Handshake;

/// <summary>The first thing the server sent that the protocol forbids: the audit check (and diagnosis rule) that found it, in TLS terms.</summary>
public sealed class ServerViolation
{
    public ServerViolation(string rule, string reason, long offset)
    {
        Rule = rule;
        Reason = reason;
        Offset = offset;
    }
    /// <summary>The check's name, which is also the diagnosis rule that reports it (RecordTooLong, UnofferedSuiteChosen, ...).</summary>
    public string Rule { get; }
    /// <summary>One sentence quoting the server's bytes, e.g. "The server chose cipher suite 0xC0FF, which the client did not offer".</summary>
    public string Reason { get; }
    /// <summary>Where in the server's byte stream the offending record starts.</summary>
    public long Offset { get; }
    public override string ToString() => $"{Rule}: {Reason}";
}

/// <summary>
/// What crossed the wire in one handshake attempt, typed: the ClientHello(s) sent, the server's records and plaintext
/// handshake messages, alerts with their sender, how TCP ended, and the first protocol violation. The managed and
/// platform engines fill it from their <see cref="WireTap"/>; a capture fills the same shape from its reassembled streams.
/// </summary>
public sealed class WireEvidence
{
    /// <summary>No recording: a fresh empty instance each time (the properties are settable, so none is shared).</summary>
    public static WireEvidence None => new WireEvidence();

    /// <summary>The ClientHellos this side sent, in order (a second one answers a HelloRetryRequest).</summary>
    public IReadOnlyList<ClientHello> ClientHellos { get; set; } = Array.Empty<ClientHello>();
    /// <summary>The server's bytes, record by record (bounded: what was kept of them).</summary>
    public RecordWalk ServerRecords { get; set; } = RecordWalk.Of(Array.Empty<byte>());
    /// <summary>The start of the server's bytes as kept (for quoting).</summary>
    public byte[] ServerBytes { get; set; } = Array.Empty<byte>();
    /// <summary>All the bytes the server sent, kept or not.</summary>
    public long BytesReceived { get; set; }
    /// <summary>Every byte the server sent is in <see cref="ServerBytes"/> (nothing cut at the keeping bound).</summary>
    public bool KeptAll => BytesReceived == ServerBytes.Length;
    /// <summary>The server ended TCP with a FIN.</summary>
    public bool ServerClosed { get; set; }
    /// <summary>The connection was reset (RST).</summary>
    public bool ServerReset { get; set; }
    /// <summary>The client stopped reading at its bound on a handshake's bytes (<see cref="WireTap.HandshakeReceiveBound"/>).</summary>
    public bool ClientBoundReached { get; set; }
    /// <summary>When the server's bytes arrived (the first reads of them).</summary>
    public IReadOnlyList<WireArrival> Arrivals { get; set; } = Array.Empty<WireArrival>();
    /// <summary>Plaintext alerts, either way: Received for the server's, not Received for the ones this side sent.</summary>
    public IReadOnlyList<AlertRecord> Alerts { get; set; } = Array.Empty<AlertRecord>();
    /// <summary>The first complete ServerHello that is not a HelloRetryRequest; null when none arrived or it did not parse.</summary>
    public ServerHello? ServerHello { get; set; }
    /// <summary>The first thing the server sent that the protocol forbids; null when its bytes break no rule the audit checks.</summary>
    public ServerViolation? Violation { get; set; }

    /// <summary>The last complete plaintext handshake message the server sent, as a sentence fragment: "its ServerHello (TLS 1.2, TLS_...)".</summary>
    public string? LastMessage
    {
        get
        {
            var last = ServerRecords.Messages.LastOrDefault(m => m.Complete);
            if (last == null) return null;
            if (last.Type == (byte)TlsHandshakeType.ServerHello && ServerHello != null)
                return $"its ServerHello ({ProtocolVersions.DisplayNameOfWire(ServerHello.VersionCode)}, {CipherSuiteCatalog.NameOf(ServerHello.CipherSuite)})";
            return "its " + MessageName(last.Type);
        }
    }

    /// <summary>The server's bytes in one phrase: "47 bytes in 1 record (handshake: ServerHello 42 of 65,535 bytes)".</summary>
    public string Summary
    {
        get
        {
            var records = ServerRecords.Records;
            var parts = new List<string>();
            var messages = ServerRecords.Messages.Take(6).Select(m => m.Complete
                ? MessageName(m.Type)
                : $"{MessageName(m.Type)} {Count(m.CarriedLength)} of {Count(m.ClaimedLength)} bytes").ToList();
            if (ServerRecords.Messages.Count > 6) messages.Add($"{ServerRecords.Messages.Count - 6} more");
            if (messages.Count > 0) parts.Add("handshake: " + string.Join(", ", messages));
            int other = records.Count(r => r.ContentType != (byte)TlsContentType.Handshake || r.Encrypted);
            if (other > 0) parts.Add($"{other} other record(s): " + string.Join(", ", records.Where(r => r.ContentType != (byte)TlsContentType.Handshake || r.Encrypted)
                .Select(r => ContentTypeName(r.ContentType) + (r.Encrypted ? " (encrypted)" : "")).Distinct().Take(4)));
            if (ServerRecords.NotARecordAt is int at) parts.Add($"bytes that are not a TLS record at offset {Count(at)} ({Hex(ServerBytes, at, 8)})");
            string what = $"{Count(BytesReceived)} bytes in {records.Count}{(KeptAll ? "" : "+")} record(s)";
            return parts.Count == 0 ? what : $"{what} ({string.Join("; ", parts)})";
        }
    }

    /// <summary>How TCP ended, as a phrase: "then closed the connection (TCP FIN)".</summary>
    public string Ending =>
        ServerReset ? "then the connection was reset (TCP RST)"
        : ServerClosed ? "then the server closed the connection (TCP FIN)"
        : ClientBoundReached ? $"and the client stopped reading at its {Count(WireTap.HandshakeReceiveBound / 1024)} KiB bound"
        : "and the connection was still open";

    static readonly Dictionary<byte, string> MessageNames = Enum.GetValues(typeof(TlsHandshakeType)).Cast<TlsHandshakeType>()
        .ToDictionary(t => (byte)t, t => t.ToString());

    /// <summary>"ServerHello", or "handshake message type 99" for a type this library does not name.</summary>
    public static string MessageName(byte type) =>
        MessageNames.TryGetValue(type, out var name) ? name : "handshake message type " + type.ToString(CultureInfo.InvariantCulture);

    /// <summary>"handshake (22)".</summary>
    public static string ContentTypeName(byte type) =>
        (Enum.IsDefined(typeof(TlsContentType), type) ? ToSnake(((TlsContentType)type).ToString()) : "content type") + $" ({type.ToString(CultureInfo.InvariantCulture)})";

    static string ToSnake(string name) =>
        string.Concat(name.Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    /// <summary>"65,535".</summary>
    public static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>Up to <paramref name="max"/> bytes from <paramref name="offset"/>, as "16 03 03 FF FF".</summary>
    public static string Hex(byte[] bytes, int offset, int max)
    {
        int n = Math.Max(0, Math.Min(max, bytes.Length - offset));
        return BitConverter.ToString(bytes, offset, n).Replace('-', ' ');
    }
}
