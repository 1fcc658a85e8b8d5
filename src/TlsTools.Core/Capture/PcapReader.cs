using System;
using System.IO;

namespace TlsTools.Capture;

/// <summary>
/// Classic libpcap files: either byte order (the writer's), microsecond or nanosecond timestamps
/// (magic a1b2c3d4 / a1b23c4d).
/// </summary>
internal sealed class PcapReader : PacketSource
{
    private const uint MicroMagic = 0xA1B2C3D4, NanoMagic = 0xA1B23C4D;
    private const int FileHeaderLength = 24, RecordHeaderLength = 16;

    private readonly bool _little;
    private readonly bool _nano;
    private readonly int _linkType;

    public static bool IsMagic(byte[] m)
    {
        uint be = Endian.U32(m, 0, false), le = Endian.U32(m, 0, true);
        return be == MicroMagic || be == NanoMagic || le == MicroMagic || le == NanoMagic;
    }

    public PcapReader(Stream stream, byte[] magic) : base(stream, 4)
    {
        _little = Endian.U32(magic, 0, true) == MicroMagic || Endian.U32(magic, 0, true) == NanoMagic;
        _nano = Endian.U32(magic, 0, _little) == NanoMagic;
        var header = ReadHeader(FileHeaderLength - 4, out int got);
        if (got < FileHeaderLength - 4) throw new CaptureFormatException("The pcap file ends inside its 24-byte file header.");
        // Offset 20 of the file header (16 here): the link type in the low 16 bits; the high bits carry FCS flags.
        _linkType = (int)(Endian.U32(header, 16, _little) & 0xFFFF);
    }

    public override string FormatName =>
        $"pcap ({(_little ? "little" : "big")}-endian, {(_nano ? "nanosecond" : "microsecond")} timestamps, link type {_linkType})";

    public override bool TryReadNext(CapturedFrame frame)
    {
        if (Problem != null) return false;
        long start = BytesRead;
        var h = ReadHeader(RecordHeaderLength, out int got);
        if (got == 0) return false;
        if (got < RecordHeaderLength)
        {
            Stop(true, start, $"The file ends inside a packet record header at byte {start}.");
            return false;
        }
        uint seconds = Endian.U32(h, 0, _little), fraction = Endian.U32(h, 4, _little);
        uint captured = Endian.U32(h, 8, _little);
        if (captured > MaxFrameLength || fraction >= (_nano ? 1_000_000_000u : 1_000_000u))
        {
            // A record header no writer produces: the file is corrupt here and there is no way to resynchronise.
            Stop(false, start, $"Corrupt packet record at byte {start} (captured length {captured}, fraction {fraction}); reading stopped there.");
            return false;
        }
        var buffer = Ensure(frame, (int)captured);
        if (Read(buffer, 0, (int)captured) < captured)
        {
            Stop(true, start, $"The file ends inside the packet record at byte {start}.");
            return false;
        }
        long ticks = _nano ? fraction / 100 : fraction * 10L;
        frame.TimestampUtc = DateTime.SpecifyKind(UnixEpoch.AddSeconds(seconds).AddTicks(ticks), DateTimeKind.Utc);
        frame.LinkType = _linkType;
        frame.Offset = 0;
        frame.Length = (int)captured;
        return true;
    }

    internal static readonly DateTime UnixEpoch = new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc);
}
