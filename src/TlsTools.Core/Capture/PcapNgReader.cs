using System;
using System.Collections.Generic;
using System.IO;

namespace TlsTools.Capture;

/// <summary>
/// pcapng (draft-ietf-opsawg-pcapng): sections (SHB) in either byte order, several interfaces (IDB) each with
/// its own link type and timestamp resolution, and packets in Enhanced, Simple and obsolete Packet Blocks.
/// Other blocks (name resolution, statistics, custom) are skipped by their length.
/// </summary>
internal sealed class PcapNgReader : PacketSource
{
    private const uint SectionHeader = 0x0A0D0D0A, InterfaceDescription = 1, ObsoletePacket = 2, SimplePacket = 3, EnhancedPacket = 6;
    private const uint ByteOrderMagic = 0x1A2B3C4D;
    private const int OptionTimestampResolution = 9, OptionTimestampOffset = 14;
    /// <summary>Blocks larger than this are corruption: no packet is that large.</summary>
    private const int MaxBlockLength = PacketSource.MaxFrameLength + 4096;

    private sealed class Interface
    {
        public int LinkType;
        public double TicksPerUnit = 10;          // default resolution: microseconds
        public long OffsetSeconds;
    }

    private readonly List<Interface> _interfaces = new List<Interface>();
    private bool _little;
    private byte[]? _pendingMagic;                 // the first SHB's type, already read by Open
    private DateTime _lastTimestamp = PcapReader.UnixEpoch;
    private byte[] _block = new byte[4096];
    private readonly byte[] _head = new byte[8];

    public static bool IsMagic(byte[] m) => Endian.U32(m, 0, false) == SectionHeader;

    public PcapNgReader(Stream stream, byte[] magic) : base(stream, 4) => _pendingMagic = magic;

    public override string FormatName => $"pcapng ({(_little ? "little" : "big")}-endian, {_interfaces.Count} interface(s))";

    public override bool TryReadNext(CapturedFrame frame)
    {
        while (Problem == null)
        {
            long start = BytesRead - (_pendingMagic != null ? 4 : 0);
            if (!ReadBlock(start, out uint type, out int bodyLength)) return false;
            switch (type)
            {
                case SectionHeader: ReadSectionHeader(start, bodyLength); break;
                case InterfaceDescription: ReadInterface(bodyLength); break;
                case EnhancedPacket: if (ReadEnhanced(frame, start, bodyLength)) return true; break;
                case SimplePacket: if (ReadSimple(frame, start, bodyLength)) return true; break;
                case ObsoletePacket: if (ReadObsolete(frame, start, bodyLength)) return true; break;
            }
        }
        return false;
    }

    /// <summary>Reads one whole block into <see cref="_block"/>: type, body, and the trailing length check.</summary>
    private bool ReadBlock(long start, out uint type, out int bodyLength)
    {
        type = 0; bodyLength = 0;
        var head = _head;
        int got;
        if (_pendingMagic != null)
        {
            Buffer.BlockCopy(_pendingMagic, 0, head, 0, 4);
            _pendingMagic = null;
            got = 4 + Read(head, 4, 4);
        }
        else
        {
            got = Read(head, 0, 8);
            if (got == 0) return false;
        }
        if (got < 8) { Stop(true, start, $"The file ends inside a block header at byte {start}."); return false; }

        type = Endian.U32(head, 0, _little);
        if (Endian.U32(head, 0, false) == SectionHeader)
        {
            // The byte order of a section is read from its own header, before its length can be decoded.
            type = SectionHeader;
            var bom = ReadHeader(4, out got);
            if (got < 4) { Stop(true, start, $"The file ends inside a section header at byte {start}."); return false; }
            if (Endian.U32(bom, 0, true) == ByteOrderMagic) _little = true;
            else if (Endian.U32(bom, 0, false) == ByteOrderMagic) _little = false;
            else { Stop(false, start, $"Corrupt section header at byte {start}: bad byte-order magic."); return false; }
        }
        uint total = Endian.U32(head, 4, _little);
        int already = type == SectionHeader ? 12 : 8;
        if (total < already + 4 || total % 4 != 0 || total > MaxBlockLength)
        {
            Stop(false, start, $"Corrupt block at byte {start} (type {type}, length {total}); reading stopped there.");
            return false;
        }
        int rest = (int)total - already;          // body (after what was read) + trailing length
        if (_block.Length < rest) _block = new byte[Math.Max(rest, _block.Length * 2)];
        if (Read(_block, 0, rest) < rest) { Stop(true, start, $"The file ends inside a block at byte {start}."); return false; }
        if (Endian.U32(_block, rest - 4, _little) != total)
        {
            Stop(false, start, $"Corrupt block at byte {start}: its trailing length does not match ({total}).");
            return false;
        }
        bodyLength = rest - 4;
        return true;
    }

    private void ReadSectionHeader(long start, int bodyLength)
    {
        // A new section starts a new interface numbering (its body after the magic: versions, section length, options).
        _interfaces.Clear();
        if (bodyLength >= 2 && Endian.U16(_block, 0, _little) != 1)
            Stop(false, start, $"Unsupported pcapng major version {Endian.U16(_block, 0, _little)} at byte {start}.");
    }

    private void ReadInterface(int bodyLength)
    {
        var iface = new Interface { LinkType = bodyLength >= 2 ? Endian.U16(_block, 0, _little) : 0 };
        // Options follow the 8 fixed bytes: code(2) length(2) value padded to 4, ending with code 0.
        int o = 8;
        while (o + 4 <= bodyLength)
        {
            int code = Endian.U16(_block, o, _little), length = Endian.U16(_block, o + 2, _little);
            if (code == 0 || o + 4 + length > bodyLength) break;
            if (code == OptionTimestampResolution && length >= 1) iface.TicksPerUnit = TicksPerUnit(_block[o + 4]);
            if (code == OptionTimestampOffset && length >= 8)
                iface.OffsetSeconds = _little
                    ? (long)(((ulong)Endian.U32(_block, o + 8, true) << 32) | Endian.U32(_block, o + 4, true))
                    : (long)(((ulong)Endian.U32(_block, o + 4, false) << 32) | Endian.U32(_block, o + 8, false));
            o += 4 + ((length + 3) & ~3);
        }
        _interfaces.Add(iface);
    }

    /// <summary>if_tsresol: high bit clear means 10^-n seconds per unit, set means 2^-n.</summary>
    private static double TicksPerUnit(byte resolution)
    {
        int n = resolution & 0x7F;
        double secondsPerUnit = (resolution & 0x80) == 0 ? Math.Pow(10, -n) : Math.Pow(2, -n);
        return secondsPerUnit * TimeSpan.TicksPerSecond;
    }

    private bool ReadEnhanced(CapturedFrame frame, long start, int bodyLength)
    {
        if (bodyLength < 20) return Corrupt(start, "Enhanced Packet Block shorter than its fixed fields");
        uint id = Endian.U32(_block, 0, _little);
        uint captured = Endian.U32(_block, 12, _little);
        if (captured > bodyLength - 20) return Corrupt(start, $"Enhanced Packet Block claims {captured} bytes in a {bodyLength}-byte body");
        if (id >= (uint)_interfaces.Count) return Corrupt(start, $"packet names interface {id}, but the section describes {_interfaces.Count}");
        ulong units = ((ulong)Endian.U32(_block, 4, _little) << 32) | Endian.U32(_block, 8, _little);
        return Deliver(frame, _interfaces[(int)id], units, 20, (int)captured);
    }

    private bool ReadObsolete(CapturedFrame frame, long start, int bodyLength)
    {
        if (bodyLength < 20) return Corrupt(start, "Packet Block shorter than its fixed fields");
        int id = Endian.U16(_block, 0, _little);
        uint captured = Endian.U32(_block, 12, _little);
        if (captured > bodyLength - 20 || id >= _interfaces.Count) return Corrupt(start, "Packet Block with a bad length or interface");
        ulong units = ((ulong)Endian.U32(_block, 4, _little) << 32) | Endian.U32(_block, 8, _little);
        return Deliver(frame, _interfaces[id], units, 20, (int)captured);
    }

    private bool ReadSimple(CapturedFrame frame, long start, int bodyLength)
    {
        // A Simple Packet Block belongs to interface 0 and carries no timestamp: it inherits the previous one.
        if (bodyLength < 4 || _interfaces.Count == 0) return Corrupt(start, "Simple Packet Block without an interface");
        int captured = (int)Math.Min(Endian.U32(_block, 0, _little), (uint)(bodyLength - 4));
        return Deliver(frame, _interfaces[0], null, 4, captured);
    }

    private bool Deliver(CapturedFrame frame, Interface iface, ulong? units, int offset, int length)
    {
        if (units.HasValue)
        {
            double ticks = units.Value * iface.TicksPerUnit;
            _lastTimestamp = ticks < (DateTime.MaxValue - PcapReader.UnixEpoch).Ticks
                ? PcapReader.UnixEpoch.AddTicks((long)ticks).AddSeconds(iface.OffsetSeconds)
                : _lastTimestamp;
        }
        // The block buffer is reused for the next block, so the frame takes its own copy of the packet bytes.
        var buffer = Ensure(frame, length);
        Buffer.BlockCopy(_block, offset, buffer, 0, length);
        frame.Offset = 0;
        frame.Length = length;
        frame.LinkType = iface.LinkType;
        frame.TimestampUtc = _lastTimestamp;
        return true;
    }

    private bool Corrupt(long start, string what)
    {
        Stop(false, start, $"Corrupt block at byte {start}: {what}; reading stopped there.");
        return false;
    }
}
