using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Net.Sockets;

namespace TlsTools.Handshake;

/// <summary>
/// A pass-through stream between the TLS engine and the socket that remembers what the wire did:
/// how many bytes went each way, the first bytes the peer sent (to recognise a non-TLS peer), the start of
/// each direction (for the audit of the server's bytes), when each read arrived, whether the peer closed (FIN)
/// or reset (RST). Diagnosis reads these facts; the engine never sees a difference, except at the bound.
/// </summary>
public sealed class WireTap : Net.PassThroughStream
{
    const int PeekCapacity = 64;
    /// <summary>Enough for the plaintext first flight (ServerHello, a long chain, ServerKeyExchange); never more.</summary>
    public const int FlightCapacity = 64 * 1024;
    /// <summary>What the client sends before the server's flight: one or two ClientHellos (after a HelloRetryRequest).</summary>
    const int SentCapacity = 16 * 1024;
    /// <summary>Arrival times kept: enough to see where a flight stalled, bounded for a peer that drips bytes.</summary>
    const int ArrivalCapacity = 256;

    /// <summary>
    /// The most a server may send while the handshake runs. A real handshake (a long chain included) is a few
    /// tens of KiB; past this the tap ends the read as a closed stream would, so an endless server cannot keep the
    /// engine busy until the deadline, and <see cref="BoundReached"/> tells the diagnosis why it stopped.
    /// </summary>
    public const long HandshakeReceiveBound = 256 * 1024;

    readonly byte[] _firstBytes = new byte[PeekCapacity];
    readonly MemoryStream _flight = new MemoryStream();
    readonly MemoryStream _sent = new MemoryStream();
    readonly List<WireArrival> _arrivals = new List<WireArrival>();
    readonly Stopwatch _clock = Stopwatch.StartNew();

    public WireTap(Stream inner) : base(inner) { }

    public long BytesSent { get; private set; }
    public long BytesReceived { get; private set; }
    public bool PeerClosed { get; private set; }
    public bool PeerReset { get; private set; }
    /// <summary>The tap stopped reading at <see cref="HandshakeReceiveBound"/>.</summary>
    public bool BoundReached { get; private set; }
    /// <summary>Set when the handshake is over: from then on, reads are not bounded (application data may be long).</summary>
    public bool Unbounded { get; set; }
    /// <summary>
    /// Set before an application exchange after the handshake (Test-TlsServer's GET): bytes pass straight through,
    /// unrecorded and uncounted, since they are not handshake evidence; the exchange bounds its own reads.
    /// </summary>
    public bool PassThrough { get; set; }
    public int FirstByteCount { get; private set; }
    /// <summary>Up to 64 bytes: the start of what the peer sent.</summary>
    public byte[] FirstBytes
    {
        get
        {
            var copy = new byte[FirstByteCount];
            Array.Copy(_firstBytes, copy, FirstByteCount);
            return copy;
        }
    }

    /// <summary>The first 64 KiB the peer sent: the plaintext handshake flight of TLS 1.2 and earlier.</summary>
    public byte[] ReceivedFlight => _flight.ToArray();

    /// <summary>The first 16 KiB this side sent: its ClientHello(s), as they crossed the wire.</summary>
    public byte[] SentFlight => _sent.ToArray();

    /// <summary>When each read of the peer's bytes arrived, at most 256 of them.</summary>
    public IReadOnlyList<WireArrival> Arrivals => _arrivals.ToArray();

    /// <summary>What the tap recorded, audited: the typed evidence the diagnosis reads.</summary>
    public WireEvidence Examine() => WireAudit.Examine(new WireRecording
    {
        Sent = SentFlight,
        Received = ReceivedFlight,
        BytesReceived = BytesReceived,
        ServerClosed = PeerClosed,
        ServerReset = PeerReset,
        ClientBoundReached = BoundReached,
        Arrivals = Arrivals,
    });

    /// <summary>
    /// The server's first handshake header claims more than any message of its type can be (a 64 KiB ServerHello): the tap
    /// ended the reads at once rather than let the engine wait to the deadline for bytes that cannot make sense.
    /// </summary>
    public bool StoppedAtImpossibleLength { get; private set; }

    public override int Read(byte[] buffer, int offset, int count)
    {
        if (PassThrough) return Inner.Read(buffer, offset, count);
        if (!Unbounded && BytesReceived >= HandshakeReceiveBound)
        {
            BoundReached = true;
            return 0;
        }
        if (!Unbounded && FirstMessageImpossible())
        {
            StoppedAtImpossibleLength = true;
            return 0;
        }
        if (!Unbounded) count = (int)Math.Min(count, HandshakeReceiveBound - BytesReceived);
        int n;
        try
        {
            n = Inner.Read(buffer, offset, count);
        }
        catch (IOException ex) when (IsReset(ex))
        {
            PeerReset = true;
            throw;
        }
        Record(buffer, offset, n);
        return n;
    }

    /// <summary>The first record is a handshake record whose first message header claims beyond its type's bound (<see cref="WireAudit.IsImpossibleLength"/>).</summary>
    bool FirstMessageImpossible()
    {
        if (FirstByteCount < 9 || _firstBytes[0] != 22) return false;
        int claimed = (_firstBytes[6] << 16) | (_firstBytes[7] << 8) | _firstBytes[8];
        return WireAudit.IsImpossibleLength(_firstBytes[5], claimed);
    }

    void Record(byte[] buffer, int offset, int n)
    {
        if (n == 0) PeerClosed = true;
        if (n > 0 && FirstByteCount < PeekCapacity)
        {
            int keep = Math.Min(n, PeekCapacity - FirstByteCount);
            Array.Copy(buffer, offset, _firstBytes, FirstByteCount, keep);
            FirstByteCount += keep;
        }
        if (n > 0 && _flight.Length < FlightCapacity)
            _flight.Write(buffer, offset, (int)Math.Min(n, FlightCapacity - _flight.Length));
        if (n > 0 && _arrivals.Count < ArrivalCapacity)
            _arrivals.Add(new WireArrival(BytesReceived, n, _clock.Elapsed));
        BytesReceived += n;
    }

    /// <summary>
    /// Reads a little more of what a non-TLS peer sent (the engine stopped after a 5-byte record header),
    /// so the diagnosis can quote its status line. Bounded by the peek buffer; errors end it quietly.
    /// </summary>
    public void ReadMoreOfGreeting(Socket socket)
    {
        // Straight from the socket: the TLS engine has already closed this stream on its fatal error.
        var buffer = new byte[PeekCapacity];
        try
        {
            while (FirstByteCount < PeekCapacity && !PeerClosed && !PeerReset)
                Record(buffer, 0, socket.Receive(buffer, 0, PeekCapacity - FirstByteCount, SocketFlags.None));
        }
        catch (Exception ex) when (ex is ObjectDisposedException || ex is SocketException) { }
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        if (PassThrough) { Inner.Write(buffer, offset, count); return; }
        try
        {
            Inner.Write(buffer, offset, count);
        }
        catch (IOException ex) when (IsReset(ex))
        {
            PeerReset = true;
            throw;
        }
        if (_sent.Length < SentCapacity)
            _sent.Write(buffer, offset, (int)Math.Min(count, SentCapacity - _sent.Length));
        BytesSent += count;
    }

    static bool IsReset(IOException ex) =>
        ex.InnerException is SocketException se &&
        (se.SocketErrorCode == SocketError.ConnectionReset || se.SocketErrorCode == SocketError.ConnectionAborted);

    protected override void Dispose(bool disposing)
    {
        if (disposing) Inner.Dispose();
        base.Dispose(disposing);
    }
}

/// <summary>One read of the peer's bytes: where in its stream it starts, how many bytes, when (since the tap began).</summary>
public readonly struct WireArrival
{
    public WireArrival(long offset, int count, TimeSpan at) { Offset = offset; Count = count; At = at; }
    public long Offset { get; }
    public int Count { get; }
    public TimeSpan At { get; }
}
