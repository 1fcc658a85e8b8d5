using System;
using System.Net;

namespace TlsTools.Capture;

/// <summary>An IPv4 or IPv6 address as two 64-bit halves (IPv4 as ::ffff:a.b.c.d): cheap to hash and compare.</summary>
internal readonly struct AddressKey : IEquatable<AddressKey>
{
    public AddressKey(ulong high, ulong low) { High = high; Low = low; }
    public ulong High { get; }
    public ulong Low { get; }

    public static AddressKey FromIPv4(byte[] b, int o) => new AddressKey(0, 0xFFFF00000000UL | Endian.U32BE(b, o));

    public static AddressKey FromIPv6(byte[] b, int o) =>
        new AddressKey(((ulong)Endian.U32BE(b, o) << 32) | Endian.U32BE(b, o + 4), ((ulong)Endian.U32BE(b, o + 8) << 32) | Endian.U32BE(b, o + 12));

    public bool IsIPv4 => High == 0 && (Low >> 32) == 0xFFFF;

    public IPAddress ToIPAddress()
    {
        if (IsIPv4) return new IPAddress(new[] { (byte)(Low >> 24), (byte)(Low >> 16), (byte)(Low >> 8), (byte)Low });
        var bytes = new byte[16];
        for (int i = 0; i < 8; i++) { bytes[i] = (byte)(High >> (56 - 8 * i)); bytes[8 + i] = (byte)(Low >> (56 - 8 * i)); }
        return new IPAddress(bytes);
    }

    public int CompareTo(AddressKey other) => High != other.High ? High.CompareTo(other.High) : Low.CompareTo(other.Low);
    public bool Equals(AddressKey other) => High == other.High && Low == other.Low;
    public override bool Equals(object obj) => obj is AddressKey k && Equals(k);
    public override int GetHashCode() => (High ^ (Low * 0x9E3779B97F4A7C15UL)).GetHashCode();
}

/// <summary>One TCP connection regardless of direction: the lower endpoint first.</summary>
internal readonly struct FlowKey : IEquatable<FlowKey>
{
    public FlowKey(AddressKey a, ushort aPort, AddressKey b, ushort bPort)
    {
        bool swap = a.CompareTo(b) > 0 || (a.Equals(b) && aPort > bPort);
        LowAddress = swap ? b : a; LowPort = swap ? bPort : aPort;
        HighAddress = swap ? a : b; HighPort = swap ? aPort : bPort;
    }
    public AddressKey LowAddress { get; }
    public ushort LowPort { get; }
    public AddressKey HighAddress { get; }
    public ushort HighPort { get; }

    /// <summary>0 when the segment goes from the low endpoint to the high one, 1 for the other way.</summary>
    public int DirectionOf(AddressKey source, ushort sourcePort) => source.Equals(LowAddress) && sourcePort == LowPort ? 0 : 1;

    public bool Equals(FlowKey o) => LowPort == o.LowPort && HighPort == o.HighPort && LowAddress.Equals(o.LowAddress) && HighAddress.Equals(o.HighAddress);
    public override bool Equals(object obj) => obj is FlowKey k && Equals(k);
    public override int GetHashCode() => unchecked(LowAddress.GetHashCode() * 31 + HighAddress.GetHashCode() * 17 + (LowPort << 16 | HighPort));
}

[Flags]
internal enum TcpFlags : byte { Fin = 1, Syn = 2, Rst = 4, Psh = 8, Ack = 16 }

/// <summary>A decoded TCP segment; its payload stays in the frame buffer.</summary>
internal struct TcpSegment
{
    public AddressKey Source, Destination;
    public ushort SourcePort, DestinationPort;
    public uint Sequence;
    public TcpFlags Flags;
    public int PayloadOffset, PayloadLength;
    /// <summary>Payload bytes the snap length cut off: the stream has a hole after this segment's bytes.</summary>
    public int MissingBytes;

    public bool Has(TcpFlags flag) => (Flags & flag) != 0;
}

/// <summary>IPv4/IPv6 and TCP headers. Anything else (UDP, ICMP, non-first fragments) is not a segment.</summary>
internal static class TcpDecoder
{
    private const byte Tcp = 6;
    /// <summary>IPv6 extension headers that may precede TCP; each starts with next-header and a length.</summary>
    private const byte HopByHop = 0, Routing = 43, Fragment = 44, AuthHeader = 51, DestinationOptions = 60;

    public static bool TryDecode(byte[] b, int ip, int end, out TcpSegment segment)
    {
        segment = default;
        return (b[ip] >> 4) == 4 ? TryIPv4(b, ip, end, ref segment) : TryIPv6(b, ip, end, ref segment);
    }

    private static bool TryIPv4(byte[] b, int ip, int end, ref TcpSegment s)
    {
        int headerLength = (b[ip] & 0x0F) * 4;
        if (headerLength < 20 || ip + headerLength > end || b[ip + 9] != Tcp) return false;
        // Fragments other than a whole datagram carry no usable TCP header or a partial payload: skipped.
        ushort fragment = Endian.U16BE(b, ip + 6);
        if ((fragment & 0x3FFF) != 0) return false;
        int total = Endian.U16BE(b, ip + 2);
        if (total < headerLength) return false;
        s.Source = AddressKey.FromIPv4(b, ip + 12);
        s.Destination = AddressKey.FromIPv4(b, ip + 16);
        // The IP length, not the frame length, ends the packet: Ethernet pads short frames with zeros.
        return TryTcp(b, ip + headerLength, ip + total, end, ref s);
    }

    private static bool TryIPv6(byte[] b, int ip, int end, ref TcpSegment s)
    {
        if (ip + 40 > end) return false;
        int payloadEnd = ip + 40 + Endian.U16BE(b, ip + 4);
        byte next = b[ip + 6];
        int at = ip + 40;
        for (int hops = 0; next != Tcp; hops++)
        {
            if (hops > 8 || at + 8 > end) return false;
            switch (next)
            {
                case HopByHop: case Routing: case DestinationOptions:
                    next = b[at]; at += (b[at + 1] + 1) * 8; break;
                case AuthHeader:
                    next = b[at]; at += (b[at + 1] + 2) * 4; break;
                case Fragment:
                    if ((Endian.U16BE(b, at + 2) & 0xFFF9) != 0) return false;   // offset or more-fragments set
                    next = b[at]; at += 8; break;
                default:
                    return false;
            }
        }
        s.Source = AddressKey.FromIPv6(b, ip + 8);
        s.Destination = AddressKey.FromIPv6(b, ip + 24);
        return TryTcp(b, at, payloadEnd, end, ref s);
    }

    private static bool TryTcp(byte[] b, int tcp, int packetEnd, int frameEnd, ref TcpSegment s)
    {
        if (tcp + 20 > frameEnd || tcp + 20 > packetEnd) return false;
        int headerLength = (b[tcp + 12] >> 4) * 4;
        if (headerLength < 20 || tcp + headerLength > frameEnd) return false;
        s.SourcePort = Endian.U16BE(b, tcp);
        s.DestinationPort = Endian.U16BE(b, tcp + 2);
        s.Sequence = Endian.U32BE(b, tcp + 4);
        s.Flags = (TcpFlags)(b[tcp + 13] & 0x1F);
        s.PayloadOffset = tcp + headerLength;
        int wire = Math.Max(0, packetEnd - s.PayloadOffset);
        s.PayloadLength = Math.Max(0, Math.Min(packetEnd, frameEnd) - s.PayloadOffset);
        s.MissingBytes = wire - s.PayloadLength;
        return true;
    }
}
