using System;
using System.IO;

namespace TlsTools.Capture;

/// <summary>
/// A stream of frames from a capture file. <see cref="Open"/> tells pcap from pcapng by the magic number,
/// never by the file name.
/// </summary>
public abstract class PacketSource
{
    /// <summary>A frame larger than this is treated as corruption (the largest snap lengths in use are 256 KiB).</summary>
    internal const int MaxFrameLength = 1 << 20;

    private readonly Stream _stream;
    private readonly byte[] _scratch = new byte[32];

    protected PacketSource(Stream stream, long bytesAlreadyRead)
    {
        _stream = stream;
        BytesRead = bytesAlreadyRead;
    }

    /// <summary>Bytes consumed from the file so far (for progress).</summary>
    public long BytesRead { get; private set; }

    /// <summary>Set when reading stopped before a clean end of file.</summary>
    public CaptureProblem? Problem { get; protected set; }

    /// <summary>"pcap (little-endian, microseconds)".</summary>
    public abstract string FormatName { get; }

    /// <summary>Fills <paramref name="frame"/> with the next frame; false at the end or at a problem.</summary>
    public abstract bool TryReadNext(CapturedFrame frame);

    /// <summary>Opens a capture: reads the magic number and returns the reader for that format.</summary>
    /// <exception cref="CaptureFormatException">Neither pcap nor pcapng.</exception>
    public static PacketSource Open(Stream stream)
    {
        var magic = new byte[4];
        int got = ReadFully(stream, magic, 0, 4);
        if (got < 4) throw new CaptureFormatException($"The file is {got} bytes long: too short to be a pcap or pcapng capture.");
        if (PcapNgReader.IsMagic(magic)) return new PcapNgReader(stream, magic);
        if (PcapReader.IsMagic(magic)) return new PcapReader(stream, magic);
        throw new CaptureFormatException(
            $"Not a pcap or pcapng capture: it starts {BitConverter.ToString(magic)} (pcap starts D4-C3-B2-A1 or A1-B2-C3-D4, pcapng 0A-0D-0D-0A). Convert other formats with editcap or etl2pcapng.");
    }

    /// <summary>Reads exactly <paramref name="count"/> bytes unless the file ends; returns how many were read.</summary>
    protected int Read(byte[] buffer, int offset, int count)
    {
        int got = ReadFully(_stream, buffer, offset, count);
        BytesRead += got;
        return got;
    }

    /// <summary>Reads into a small scratch buffer (headers).</summary>
    protected byte[] ReadHeader(int count, out int got)
    {
        got = Read(_scratch, 0, count);
        return _scratch;
    }

    /// <summary>A frame buffer at least <paramref name="length"/> long, grown only when needed.</summary>
    protected static byte[] Ensure(CapturedFrame frame, int length)
    {
        if (frame.Buffer.Length < length) frame.Buffer = new byte[Math.Max(length, 2048)];
        return frame.Buffer;
    }

    protected void Stop(bool truncated, long offset, string message) => Problem = new CaptureProblem(truncated, offset, message);

    private static int ReadFully(Stream stream, byte[] buffer, int offset, int count)
    {
        int total = 0;
        while (total < count)
        {
            int n = stream.Read(buffer, offset + total, count - total);
            if (n <= 0) break;
            total += n;
        }
        return total;
    }
}
