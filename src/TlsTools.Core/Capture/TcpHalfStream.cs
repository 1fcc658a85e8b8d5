using System;
using System.Collections.Generic;

namespace TlsTools.Capture;

/// <summary>Receives one direction's bytes in order, as TCP reassembly releases them.</summary>
internal interface IStreamConsumer
{
    /// <summary>False once the consumer has seen all it needs: later bytes are counted, never buffered.</summary>
    bool WantsData { get; }
    void Consume(byte[] buffer, int offset, int count);
    /// <summary>Bytes are missing here (lost by the capture, or given up on): the consumer loses its place.</summary>
    void Gap();
}

/// <summary>
/// One direction of a TCP connection put back in order: retransmitted bytes are delivered once, segments
/// that arrive early wait until the hole before them fills. The wait is bounded: beyond
/// <see cref="MaxPendingBytes"/> the hole is declared a gap and the stream moves on.
/// </summary>
internal sealed class TcpHalfStream
{
    /// <summary>Early bytes kept per direction: more than a TLS handshake flight, far less than a window of bulk data.</summary>
    internal const int MaxPendingBytes = 256 * 1024;

    private struct Pending { public uint Sequence; public byte[] Data; }

    private readonly List<Pending> _pending = new List<Pending>();
    private bool _synchronised;
    private uint _next;

    /// <summary>Bytes buffered out of order right now (counted against the overall memory bound).</summary>
    public int PendingBytes { get; private set; }
    /// <summary>Payload bytes seen, retransmissions included once.</summary>
    public long Bytes { get; private set; }
    public bool SawSyn { get; private set; }
    public bool SawFin { get; private set; }
    public bool SawRst { get; private set; }

    public void Add(in TcpSegment s, byte[] frame, IStreamConsumer consumer)
    {
        uint sequence = s.Sequence;
        if (s.Has(TcpFlags.Rst)) SawRst = true;
        if (s.Has(TcpFlags.Syn))
        {
            SawSyn = true;
            _synchronised = true;
            _next = sequence + 1;
            sequence++;                          // TCP Fast Open data follows the SYN's own sequence number
        }
        else if (!_synchronised)
        {
            // The capture started mid-connection: take the first segment seen as the start of the stream.
            _synchronised = true;
            _next = sequence;
        }
        int length = s.PayloadLength;
        if (length > 0 || s.MissingBytes > 0) Accept(sequence, frame, s.PayloadOffset, length, s.MissingBytes, consumer);
        if (s.Has(TcpFlags.Fin)) SawFin = true;
    }

    /// <summary>Delivers whatever is still waiting behind a hole (the end of the capture or of the flow).</summary>
    public void Flush(IStreamConsumer consumer)
    {
        while (_pending.Count > 0) SkipToEarliestPending(consumer);
    }

    private void Accept(uint sequence, byte[] frame, int offset, int length, int missing, IStreamConsumer consumer)
    {
        int ahead = (int)(sequence - _next);       // signed: sequence numbers wrap at 2^32
        if (ahead <= 0)
        {
            int overlap = -ahead;
            if (overlap >= length + missing) return;   // a retransmission of bytes already delivered
            Bytes += Math.Max(0, length - overlap);
            Deliver(frame, offset + Math.Min(overlap, length), Math.Max(0, length - overlap), consumer);
            _next = sequence + (uint)(length + missing);
            if (missing > 0) consumer.Gap();
            DrainPending(consumer);
            return;
        }
        if (!consumer.WantsData)
        {
            // Nobody reads these bytes any more: move on without waiting for the hole, counting the
            // sequence space covered so that the hole's bytes, when they come late, are not counted twice.
            uint end = sequence + (uint)(length + missing);
            Bytes += (int)(end - _next) - missing;
            _next = end;
            return;
        }
        if (PendingBytes + length > MaxPendingBytes) SkipToEarliestPending(consumer);
        if (PendingBytes + length > MaxPendingBytes || missing > 0)
        {
            consumer.Gap();
            _next = sequence;
            Accept(sequence, frame, offset, length, missing, consumer);
            return;
        }
        var copy = new byte[length];
        Buffer.BlockCopy(frame, offset, copy, 0, length);
        _pending.Add(new Pending { Sequence = sequence, Data = copy });
        PendingBytes += length;
    }

    private void DrainPending(IStreamConsumer consumer)
    {
        for (int i = 0; i < _pending.Count;)
        {
            var p = _pending[i];
            int ahead = (int)(p.Sequence - _next);
            if (ahead > 0) { i++; continue; }
            RemovePendingAt(i);
            int overlap = -ahead;
            if (overlap < p.Data.Length)
            {
                Bytes += p.Data.Length - overlap;
                Deliver(p.Data, overlap, p.Data.Length - overlap, consumer);
                _next = p.Sequence + (uint)p.Data.Length;
            }
            i = 0;                                   // the new _next may release an earlier-listed segment
        }
    }

    /// <summary>Gives up on the hole before the earliest waiting segment and continues from there.</summary>
    private void SkipToEarliestPending(IStreamConsumer consumer)
    {
        if (_pending.Count == 0) return;
        int earliest = 0;
        for (int i = 1; i < _pending.Count; i++)
            if ((int)(_pending[i].Sequence - _pending[earliest].Sequence) < 0) earliest = i;
        consumer.Gap();
        _next = _pending[earliest].Sequence;
        DrainPending(consumer);
    }

    private void RemovePendingAt(int i)
    {
        PendingBytes -= _pending[i].Data.Length;
        _pending.RemoveAt(i);
    }

    private static void Deliver(byte[] buffer, int offset, int count, IStreamConsumer consumer)
    {
        if (count > 0 && consumer.WantsData) consumer.Consume(buffer, offset, count);
    }
}
