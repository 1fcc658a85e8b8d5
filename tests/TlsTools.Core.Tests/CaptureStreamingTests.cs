using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using TlsTools.Capture;
using Xunit;
using static TlsTools.Core.Tests.CaptureTestFiles;

namespace TlsTools.Core.Tests;

/// <summary>A gigabyte capture streams through in bounded memory.</summary>
public class CaptureStreamingTests
{
    /// <summary>
    /// A pcap stream made on the fly, never held whole: the real good.test TLS 1.3 handshake, then
    /// <paramref name="totalBytes"/> of 16 KiB application-data records from the server, every 64th pair of
    /// segments swapped, then the real close.
    /// </summary>
    sealed class SyntheticCapture : Stream
    {
        readonly IEnumerator<byte[]> _pieces;
        byte[] _current = new byte[0];
        int _offset;

        public SyntheticCapture(long totalBytes) => _pieces = Pieces(totalBytes).GetEnumerator();

        static IEnumerable<byte[]> Pieces(long totalBytes)
        {
            var file = Load(Scenarios);
            var frames = Frames(file).Where(f => Port(f, 34) == 42443 || Port(f, 36) == 42443).ToList();
            // The first connection to 42443 is good.test; it ends with the first FIN.
            int clientPort = Port(frames[0], 34);
            frames = frames.Where(f => Port(f, 34) == clientPort || Port(f, 36) == clientPort).ToList();
            int firstFin = frames.FindIndex(f => (f.Data[47] & 1) != 0);
            yield return file.Take(24).ToArray();
            foreach (var f in frames.Take(firstFin)) yield return Record(f.Data, f.Time);

            // Bulk: the server's last data segment as the template; its sequence continues from there.
            var template = frames.Take(firstFin).Last(f => Port(f, 34) == 42443 && PayloadLength(f.Data) > 0);
            uint seq = Seq(template.Data) + (uint)PayloadLength(template.Data);
            const int record = 16384 + 5 + 17;
            var header = template.Data.Take(66).ToArray();
            long sent = 0;
            var time = template.Time;
            var pending = new List<byte[]>();
            for (int n = 0; sent < totalBytes; n++, sent += record)
            {
                var frame = new byte[66 + record];
                Buffer.BlockCopy(header, 0, frame, 0, 66);
                int ipLength = 20 + 32 + record;
                frame[16] = (byte)(ipLength >> 8); frame[17] = (byte)ipLength;
                frame[38] = (byte)(seq >> 24); frame[39] = (byte)(seq >> 16); frame[40] = (byte)(seq >> 8); frame[41] = (byte)seq;
                frame[66] = 23; frame[67] = 3; frame[68] = 3; int fragment = record - 5; frame[69] = (byte)(fragment >> 8); frame[70] = (byte)fragment;
                seq += record;
                time = time.AddTicks(10);
                pending.Add(Record(frame, time));
                if (pending.Count == 2)
                {
                    if (n % 64 == 1) pending.Reverse();
                    foreach (var p in pending) yield return p;
                    pending.Clear();
                }
            }
            foreach (var p in pending) yield return p;
            foreach (var f in frames.Skip(firstFin))
            {
                var d = (byte[])f.Data.Clone();
                if (Port(f, 34) == 42443) { d[38] = (byte)(seq >> 24); d[39] = (byte)(seq >> 16); d[40] = (byte)(seq >> 8); d[41] = (byte)seq; }
                yield return Record(d, time);
            }
        }

        static int Port(Frame f, int at) => (f.Data[at] << 8) | f.Data[at + 1];
        static uint Seq(byte[] d) => (uint)((d[38] << 24) | (d[39] << 16) | (d[40] << 8) | d[41]);
        static int PayloadLength(byte[] d) => ((d[16] << 8) | d[17]) - 20 - (d[46] >> 4) * 4;

        static byte[] Record(byte[] data, DateTime time)
        {
            var since = time - new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc);
            var r = new byte[16 + data.Length];
            BitConverter.GetBytes((uint)(since.Ticks / TimeSpan.TicksPerSecond)).CopyTo(r, 0);
            BitConverter.GetBytes((uint)(since.Ticks % TimeSpan.TicksPerSecond / 10)).CopyTo(r, 4);
            BitConverter.GetBytes(data.Length).CopyTo(r, 8);
            BitConverter.GetBytes(data.Length).CopyTo(r, 12);
            Buffer.BlockCopy(data, 0, r, 16, data.Length);
            return r;
        }

        public override int Read(byte[] buffer, int offsetInBuffer, int count)
        {
            if (_offset == _current.Length)
            {
                if (!_pieces.MoveNext()) return 0;
                _current = _pieces.Current;
                _offset = 0;
            }
            int n = Math.Min(count, _current.Length - _offset);
            Buffer.BlockCopy(_current, _offset, buffer, offsetInBuffer, n);
            _offset += n;
            return n;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long o, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int o, int count) => throw new NotSupportedException();
    }

    [Fact]
    public void AGigabyteCaptureStreamsInBoundedMemory()
    {
        const long gigabyte = 1L << 30;
        long before = GC.GetTotalMemory(true);
        long peakManaged = 0;
        var options = new CaptureReadOptions { ProgressInterval = 64 << 20, Progress = _ => peakManaged = Math.Max(peakManaged, GC.GetTotalMemory(false)) };
        var reader = new TlsCaptureReader(options);
        var results = reader.Read(new SyntheticCapture(gigabyte)).ToList();

        Assert.True(reader.Statistics.BytesRead > gigabyte);
        var good = Assert.Single(results);
        Assert.Equal("good.test", good.ServerName);
        Assert.Equal(CaptureOutcome.Completed, good.Outcome);
        Assert.True(good.ServerBytes > gigabyte, $"server bytes {good.ServerBytes}");
        // What the reader holds for connections never grows with the file; the heap stays far below the file size.
        Assert.True(reader.Statistics.PeakBufferedBytes < 1 << 20, $"peak buffered {reader.Statistics.PeakBufferedBytes}");
        Assert.True(peakManaged - before < 256L << 20, $"managed heap grew by {(peakManaged - before) >> 20} MiB");
    }
}
