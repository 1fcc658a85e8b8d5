using System;
using System.IO;
using System.Net.Sockets;

namespace TlsTools.Handshake;

/// <summary>
/// A pass-through stream between the TLS engine and the socket that remembers what the wire did:
/// how many bytes went each way, the first bytes the peer sent (to recognise a non-TLS peer), whether
/// the peer closed (FIN) or reset (RST). Diagnosis reads these facts; the engine never sees a difference.
/// </summary>
public sealed class WireTap : Net.PassThroughStream
{
    const int PeekCapacity = 64;
    /// <summary>Enough for the plaintext first flight (ServerHello, a long chain, ServerKeyExchange); never more.</summary>
    const int FlightCapacity = 64 * 1024;
    readonly byte[] _firstBytes = new byte[PeekCapacity];
    readonly MemoryStream _flight = new MemoryStream();

    public WireTap(Stream inner) : base(inner) { }

    public long BytesSent { get; private set; }
    public long BytesReceived { get; private set; }
    public bool PeerClosed { get; private set; }
    public bool PeerReset { get; private set; }
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

    public override int Read(byte[] buffer, int offset, int count)
    {
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
        try
        {
            Inner.Write(buffer, offset, count);
        }
        catch (IOException ex) when (IsReset(ex))
        {
            PeerReset = true;
            throw;
        }
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
