using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using TlsTools.Capture;

namespace TlsTools.Core.Tests;

/// <summary>
/// The real loopback captures under Data/ (recorded with tcpdump against openssl s_server and small
/// misbehaving listeners), and rewrites of their frames into the other link types and file layouts.
/// </summary>
internal static class CaptureTestFiles
{
    public const string Scenarios = "loopback-scenarios.pcap";         // Ethernet, microseconds, little-endian
    public const string Sll2Nano = "loopback-sll2-nano.pcap";          // tcpdump -i any, nanoseconds
    public const string TwoInterfaces = "loopback-two-interfaces.pcapng"; // mergecap of an Ethernet and an SLL2 capture
    public const string Endings = "loopback-endings.pcap";             // tests/TestData/Record-EndingsCapture.ps1: who ended each connection

    public sealed class Frame
    {
        public DateTime Time;
        public int LinkType;
        public required byte[] Data;
    }

    public static byte[] Load(string name) => File.ReadAllBytes(Path.Combine(ProtocolTestData.DataDirectory(), name));

    public static List<CapturedHandshake> Read(byte[] file, out CaptureStatistics statistics)
    {
        var reader = new TlsCaptureReader();
        statistics = reader.Statistics;
        return reader.Read(new MemoryStream(file)).ToList();
    }

    public static List<CapturedHandshake> Read(byte[] file) => Read(file, out _);

    public static List<Frame> Frames(byte[] file)
    {
        var source = PacketSource.Open(new MemoryStream(file));
        var frame = new CapturedFrame();
        var frames = new List<Frame>();
        while (source.TryReadNext(frame))
            frames.Add(new Frame { Time = frame.TimestampUtc, LinkType = frame.LinkType, Data = frame.Buffer.Skip(frame.Offset).Take(frame.Length).ToArray() });
        return frames;
    }

    /// <summary>A classic pcap file of these frames, in the byte order and resolution asked for.</summary>
    public static byte[] WritePcap(IEnumerable<Frame> frames, int linkType, bool bigEndian = false, bool nano = false)
    {
        var output = new MemoryStream();
        void U32(uint v) { var b = BitConverter.GetBytes(v); if (bigEndian == BitConverter.IsLittleEndian) Array.Reverse(b); output.Write(b, 0, 4); }
        void U16(ushort v) { var b = BitConverter.GetBytes(v); if (bigEndian == BitConverter.IsLittleEndian) Array.Reverse(b); output.Write(b, 0, 2); }
        U32(nano ? 0xA1B23C4D : 0xA1B2C3D4); U16(2); U16(4); U32(0); U32(0); U32(262144); U32((uint)linkType);
        foreach (var f in frames)
        {
            var since = f.Time - new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc);
            long seconds = since.Ticks / TimeSpan.TicksPerSecond, ticks = since.Ticks % TimeSpan.TicksPerSecond;
            U32((uint)seconds); U32((uint)(nano ? ticks * 100 : ticks / 10));
            U32((uint)f.Data.Length); U32((uint)f.Data.Length);
            output.Write(f.Data, 0, f.Data.Length);
        }
        return output.ToArray();
    }

    static bool IsIPv6(byte[] ethernet) => ethernet[12] == 0x86 && ethernet[13] == 0xDD;

    public static IEnumerable<Frame> ToRaw(IEnumerable<Frame> ethernet) =>
        ethernet.Select(f => new Frame { Time = f.Time, Data = f.Data.Skip(14).ToArray() });

    /// <summary>BSD NULL: a 4-byte address family in the capturing host's (here little-endian) order.</summary>
    public static IEnumerable<Frame> ToNull(IEnumerable<Frame> ethernet) =>
        ethernet.Select(f => new Frame { Time = f.Time, Data = BitConverter.GetBytes(IsIPv6(f.Data) ? 30 : 2).Concat(f.Data.Skip(14)).ToArray() });

    /// <summary>Linux cooked v1: packet type, ARPHRD, address length, 8 address bytes, protocol.</summary>
    public static IEnumerable<Frame> ToSll(IEnumerable<Frame> ethernet) =>
        ethernet.Select(f => new Frame
        {
            Time = f.Time,
            Data = new byte[] { 0, 0, 0, 1, 0, 6, 0, 0, 0, 0, 0, 0, 0, 0, f.Data[12], f.Data[13] }.Concat(f.Data.Skip(14)).ToArray(),
        });

    /// <summary>Two 802.1Q/802.1ad tags (QinQ) between the MAC addresses and the real EtherType.</summary>
    public static IEnumerable<Frame> WithVlanTags(IEnumerable<Frame> ethernet) =>
        ethernet.Select(f => new Frame
        {
            Time = f.Time,
            Data = f.Data.Take(12).Concat(new byte[] { 0x88, 0xA8, 0x00, 0x0A, 0x81, 0x00, 0x00, 0x64 }).Concat(f.Data.Skip(12)).ToArray(),
        });

    /// <summary>
    /// Cuts every TCP payload into <paramref name="size"/>-byte segments, then sends them out of order
    /// (each pair swapped) with every third one sent again (a retransmission): reassembly must undo it all.
    /// </summary>
    public static IEnumerable<Frame> Resegment(IEnumerable<Frame> ethernet, int size)
    {
        foreach (var f in ethernet)
        {
            var d = f.Data;
            bool v6 = IsIPv6(d);
            int ip = 14, ipHeader = v6 ? 40 : (d[ip] & 0x0F) * 4, tcp = ip + ipHeader;
            int tcpHeader = (d[tcp + 12] >> 4) * 4;
            int ipEnd = v6 ? ip + 40 + ((d[ip + 4] << 8) | d[ip + 5]) : ip + ((d[ip + 2] << 8) | d[ip + 3]);
            int payload = ipEnd - tcp - tcpHeader;
            if (payload <= size) { yield return f; continue; }

            uint seq = (uint)((d[tcp + 4] << 24) | (d[tcp + 5] << 16) | (d[tcp + 6] << 8) | d[tcp + 7]);
            var pieces = new List<Frame>();
            for (int at = 0; at < payload; at += size)
            {
                int n = Math.Min(size, payload - at);
                var piece = d.Take(tcp + tcpHeader).Concat(d.Skip(tcp + tcpHeader + at).Take(n)).ToArray();
                // A FIN belongs to the last byte only.
                if (at + n < payload) piece[tcp + 13] &= 0xFE;
                uint s = seq + (uint)at;
                piece[tcp + 4] = (byte)(s >> 24); piece[tcp + 5] = (byte)(s >> 16); piece[tcp + 6] = (byte)(s >> 8); piece[tcp + 7] = (byte)s;
                int length = v6 ? tcpHeader + n : ipHeader + tcpHeader + n;
                int lengthAt = v6 ? ip + 4 : ip + 2;
                piece[lengthAt] = (byte)(length >> 8); piece[lengthAt + 1] = (byte)length;
                pieces.Add(new Frame { Time = f.Time, Data = piece });
            }
            for (int i = 0; i < pieces.Count; i += 2)
            {
                if (i + 1 < pieces.Count) yield return pieces[i + 1];
                yield return pieces[i];
                if (i % 3 == 0) yield return pieces[i];
            }
        }
    }

    /// <summary>What must stay the same however the capture is stored: one line per connection, sorted.</summary>
    public static List<string> Signatures(IEnumerable<CapturedHandshake> results) =>
        results.Select(r => $"{r.ServerAddress}:{r.ServerPort} {r.ServerName} {r.Outcome} {r.FailureCategory} {r.ServerVersion} {r.CipherSuite} {r.Ja4} {r.Alerts} c{r.ClientBytes} s{r.ServerBytes}")
            .OrderBy(s => s, StringComparer.Ordinal).ToList();
}
