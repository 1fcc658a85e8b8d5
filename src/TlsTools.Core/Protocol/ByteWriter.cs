using System;
using System.Collections.Generic;
using System.IO;

namespace TlsTools.Protocol;

/// <summary>Writes big-endian TLS fields; length-prefixed blocks are back-filled when they close.</summary>
internal sealed class ByteWriter
{
    private readonly MemoryStream _stream = new MemoryStream();
    private readonly Stack<(long start, int prefixBytes)> _open = new Stack<(long, int)>();

    public int Length => (int)_stream.Length;

    public ByteWriter Byte(int value) { _stream.WriteByte((byte)value); return this; }

    public ByteWriter UInt16(int value) { Byte(value >> 8); Byte(value); return this; }

    public ByteWriter UInt24(int value) { Byte(value >> 16); Byte(value >> 8); Byte(value); return this; }

    public ByteWriter Bytes(byte[] bytes) { _stream.Write(bytes, 0, bytes.Length); return this; }

    /// <summary>Starts a block whose length (in <paramref name="prefixBytes"/> bytes) is written by <see cref="End"/>.</summary>
    public ByteWriter Begin(int prefixBytes)
    {
        _open.Push((_stream.Position, prefixBytes));
        for (int i = 0; i < prefixBytes; i++) _stream.WriteByte(0);
        return this;
    }

    public ByteWriter End()
    {
        var (start, prefixBytes) = _open.Pop();
        long length = _stream.Position - start - prefixBytes;
        if (length >= 1L << (8 * prefixBytes))
            throw new InvalidOperationException($"Block of {length} bytes does not fit a {prefixBytes}-byte length.");
        var end = _stream.Position;
        _stream.Position = start;
        for (int i = prefixBytes - 1; i >= 0; i--) _stream.WriteByte((byte)(length >> (8 * i)));
        _stream.Position = end;
        return this;
    }

    public byte[] ToArray()
    {
        if (_open.Count != 0) throw new InvalidOperationException("A length-prefixed block was left open.");
        return _stream.ToArray();
    }
}
