using System;

namespace TlsTools.Capture;

/// <summary>
/// One link-layer frame as stored in the file. The reader reuses one instance and one buffer for every
/// frame (a gigabyte capture must not allocate per packet): whoever keeps bytes copies them.
/// </summary>
public sealed class CapturedFrame
{
    /// <summary>LINKTYPE_* value (tcpdump.org/linktypes.html) of the interface the frame came from.</summary>
    public int LinkType { get; internal set; }
    public DateTime TimestampUtc { get; internal set; }
    public byte[] Buffer { get; internal set; } = new byte[0];
    public int Offset { get; internal set; }
    /// <summary>Captured length (may be less than the length on the wire when the snap length cut it).</summary>
    public int Length { get; internal set; }
}

/// <summary>Little helpers for reading integers in either byte order.</summary>
internal static class Endian
{
    public static ushort U16(byte[] b, int o, bool little) =>
        little ? (ushort)(b[o] | (b[o + 1] << 8)) : (ushort)((b[o] << 8) | b[o + 1]);

    public static uint U32(byte[] b, int o, bool little) =>
        little ? (uint)(b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24))
               : (uint)((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]);

    public static ushort U16BE(byte[] b, int o) => (ushort)((b[o] << 8) | b[o + 1]);
    public static uint U32BE(byte[] b, int o) => U32(b, o, false);
}
