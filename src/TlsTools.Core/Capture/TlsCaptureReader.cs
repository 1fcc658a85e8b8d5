using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;

namespace TlsTools.Capture;

/// <summary>Limits and callbacks for one read.</summary>
public sealed class CaptureReadOptions
{
    /// <summary>Connections tracked at once; beyond it the longest-idle ones are reported and dropped.</summary>
    public int MaxConnections { get; set; } = 50_000;
    /// <summary>Bytes buffered across all connections (out-of-order segments, partial records).</summary>
    public long MaxBufferedBytes { get; set; } = 256L * 1024 * 1024;
    /// <summary>A connection silent this long (capture time) is reported and dropped.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(10);
    /// <summary>Called with the bytes read so far, about every <see cref="ProgressInterval"/> bytes.</summary>
    public Action<long>? Progress { get; set; }
    public long ProgressInterval { get; set; } = 4 * 1024 * 1024;
    /// <summary>Path reported in each result's Path property; null for none.</summary>
    public string? Path { get; set; }
    /// <summary>
    /// The roots a served chain is validated against when a client rejected it (to name the certificate's cause);
    /// null: the system's roots.
    /// </summary>
    public TlsTools.Certificates.TrustStore? Trust { get; set; }
}

/// <summary>Counts from one read, for -Verbose and for tests of the memory bound.</summary>
public sealed class CaptureStatistics
{
    /// <summary>The capture's format, once reading has begun; null before.</summary>
    public string? Format { get; internal set; }
    public long Frames { get; internal set; }
    public long TcpSegments { get; internal set; }
    public long Connections { get; internal set; }
    public long BytesRead { get; internal set; }
    /// <summary>The most bytes held for connections at any one time.</summary>
    public long PeakBufferedBytes { get; internal set; }
    public int PeakConnections { get; internal set; }
    /// <summary>Frames of a link type this reader does not decode (e.g. 802.11), by link type.</summary>
    public Dictionary<int, long> UnsupportedLinkTypes { get; } = new Dictionary<int, long>();
    /// <summary>Set when the file ended early or was corrupt; the results before it are still reported.</summary>
    public CaptureProblem? Problem { get; internal set; }
}

/// <summary>
/// Reads a pcap or pcapng stream and yields one <see cref="CapturedHandshake"/> per TCP connection that
/// carried TLS (or tried to), as soon as each connection ends: the file is streamed once, start to end,
/// and what is held at any moment is bounded per connection and overall.
/// </summary>
public sealed class TlsCaptureReader
{
    private readonly CaptureReadOptions _options;
    private readonly Dictionary<FlowKey, TlsConnection> _connections = new Dictionary<FlowKey, TlsConnection>();
    private readonly Queue<CapturedHandshake> _ready = new Queue<CapturedHandshake>();
    private DateTime _lastSweep;

    public TlsCaptureReader(CaptureReadOptions? options = null) => _options = options ?? new CaptureReadOptions();

    public CaptureStatistics Statistics { get; } = new CaptureStatistics();

    /// <summary>Opens a file and reads it (see <see cref="Read(Stream, CancellationToken)"/>).</summary>
    public static IEnumerable<CapturedHandshake> ReadFile(string path, CaptureReadOptions? options, out CaptureStatistics statistics, CancellationToken cancel = default)
    {
        options = options ?? new CaptureReadOptions();
        options.Path = options.Path ?? path;
        var reader = new TlsCaptureReader(options);
        statistics = reader.Statistics;
        return reader.ReadOwned(() => new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 20, FileOptions.SequentialScan), cancel);
    }

    private IEnumerable<CapturedHandshake> ReadOwned(Func<Stream> open, CancellationToken cancel)
    {
        using (var stream = open())
            foreach (var result in Read(stream, cancel)) yield return result;
    }

    /// <summary>
    /// The results, lazily: each connection as it ends (RST, both FINs, idle, or the end of the file).
    /// Throws <see cref="CaptureFormatException"/> (on the first MoveNext) when the stream is not a capture.
    /// </summary>
    public IEnumerable<CapturedHandshake> Read(Stream stream, CancellationToken cancel = default)
    {
        var source = PacketSource.Open(stream);
        Statistics.Format = source.FormatName;
        var frame = new CapturedFrame();
        long nextProgress = _options.ProgressInterval;
        while (source.TryReadNext(frame))
        {
            cancel.ThrowIfCancellationRequested();
            Statistics.Frames++;
            Process(frame);
            while (_ready.Count > 0) yield return _ready.Dequeue();
            if (source.BytesRead >= nextProgress)
            {
                Statistics.BytesRead = source.BytesRead;
                _options.Progress?.Invoke(source.BytesRead);
                nextProgress = source.BytesRead + _options.ProgressInterval;
            }
        }
        Statistics.BytesRead = source.BytesRead;
        Statistics.Problem = source.Problem;
        Statistics.Format = source.FormatName;
        _options.Progress?.Invoke(source.BytesRead);
        // What is still open at the end: oldest first, so the output reads in time order.
        foreach (var c in _connections.Values.OrderBy(c => c.FirstSeen).ToList()) Finish(c, captureEnded: true);
        _connections.Clear();
        while (_ready.Count > 0) yield return _ready.Dequeue();
    }

    private void Process(CapturedFrame frame)
    {
        int ip = LinkLayer.FindIp(frame.LinkType, frame.Buffer, frame.Offset, frame.Length);
        if (ip < 0)
        {
            if (!LinkLayer.IsSupported(frame.LinkType))
                Statistics.UnsupportedLinkTypes[frame.LinkType] = Statistics.UnsupportedLinkTypes.TryGetValue(frame.LinkType, out var n) ? n + 1 : 1;
            return;
        }
        if (!TcpDecoder.TryDecode(frame.Buffer, ip, frame.Offset + frame.Length, out var segment)) return;
        Statistics.TcpSegments++;

        var key = new FlowKey(segment.Source, segment.SourcePort, segment.Destination, segment.DestinationPort);
        bool opening = segment.Has(TcpFlags.Syn) && !segment.Has(TcpFlags.Ack);
        if (_connections.TryGetValue(key, out var c) && opening && (c.Streams[0].SawFin || c.Streams[1].SawFin || c.Streams[0].SawRst || c.Streams[1].SawRst))
        {
            // The port pair is reused for a new connection (after TIME_WAIT): the old one is over.
            Finish(c, captureEnded: false);
            c = null;
        }
        if (c == null)
        {
            // A bare ACK, FIN or RST of a connection not seen before starts nothing.
            if (!opening && segment.PayloadLength == 0) return;
            c = new TlsConnection(key, frame.TimestampUtc);
            _connections[key] = c;
            Statistics.Connections++;
            Statistics.PeakConnections = Math.Max(Statistics.PeakConnections, _connections.Count);
        }

        int direction = key.DirectionOf(segment.Source, segment.SourcePort);
        if (opening && c.ClientDirection < 0) c.ClientDirection = direction;
        c.Now = frame.TimestampUtc;
        c.LastSeen = frame.TimestampUtc;
        int before = c.BufferedBytes;
        long bytesBefore = c.Streams[direction].Bytes;
        c.Streams[direction].Add(segment, frame.Buffer, c.Scanners[direction]);
        _buffered += c.BufferedBytes - before;
        // Direction and time of what ended it: the payload first (an alert in the same segment comes before its FIN).
        if (c.Streams[direction].Bytes > bytesBefore) c.OnData(direction);
        if (segment.Has(TcpFlags.Rst)) c.OnTcpEnd(direction, reset: true);
        else if (segment.Has(TcpFlags.Fin)) c.OnTcpEnd(direction, reset: false);

        if (c.Streams[direction].SawRst || (c.Streams[0].SawFin && c.Streams[1].SawFin)) Finish(c, captureEnded: false);
        else if (c.NotTls[0] && c.NotTls[1]) Drop(c);   // both sides speak something else: nothing to report

        Statistics.PeakBufferedBytes = Math.Max(Statistics.PeakBufferedBytes, _buffered);
        if (_buffered > _options.MaxBufferedBytes || _connections.Count > _options.MaxConnections || frame.TimestampUtc - _lastSweep > TimeSpan.FromMinutes(1))
            Sweep(frame.TimestampUtc);
    }

    private long _buffered;

    /// <summary>
    /// Reports idle connections, then (while over a bound) the longest-idle ones: bounded memory wins over
    /// completeness, and a connection reported early says Incomplete rather than being lost.
    /// </summary>
    private void Sweep(DateTime now)
    {
        _lastSweep = now;
        foreach (var idle in _connections.Values.Where(c => now - c.LastSeen > _options.IdleTimeout).ToList()) Finish(idle, captureEnded: true);
        if (_buffered <= _options.MaxBufferedBytes && _connections.Count <= _options.MaxConnections) return;
        foreach (var c in _connections.Values.OrderBy(c => c.LastSeen).ToList())
        {
            if (_buffered <= _options.MaxBufferedBytes * 3 / 4 && _connections.Count <= _options.MaxConnections * 3 / 4) break;
            Finish(c, captureEnded: true);
        }
    }

    private void Finish(TlsConnection c, bool captureEnded)
    {
        long held = c.BufferedBytes;
        for (int d = 0; d < 2; d++) c.Streams[d].Flush(c.Scanners[d]);
        if (c.IsTlsConnection) _ready.Enqueue(CapturedHandshakeBuilder.Build(c, captureEnded, _options.Path, _options.Trust));
        _buffered -= held;
        _connections.Remove(c.Key);
    }

    private void Drop(TlsConnection c)
    {
        _buffered -= c.BufferedBytes;
        _connections.Remove(c.Key);
    }
}
