using System;
using System.Collections.Generic;

namespace TlsTools.Protocol;

/// <summary>
/// Reads big-endian TLS fields from a byte range. Every read checks the remaining length first and throws
/// <see cref="TlsParseException"/> naming the field, so a parser over garbage never indexes out of range.
/// </summary>
internal sealed class ByteReader
{
    private readonly byte[] _buffer;
    private readonly int _end;
    private readonly string _context;

    public ByteReader(byte[]? buffer, string context) : this(buffer, 0, buffer?.Length ?? 0, context) { }

    public ByteReader(byte[]? buffer, int offset, int count, string context)
    {
        if (buffer == null) throw new TlsParseException($"{context}: no bytes.");
        if (offset < 0 || count < 0 || offset + count > buffer.Length) throw new ArgumentOutOfRangeException(nameof(count));
        _buffer = buffer;
        Position = offset;
        _end = offset + count;
        _context = context;
    }

    public int Position { get; private set; }
    public int Remaining => _end - Position;
    public bool AtEnd => Position == _end;

    public byte ReadByte(string field)
    {
        Need(1, field);
        return _buffer[Position++];
    }

    public ushort ReadUInt16(string field)
    {
        Need(2, field);
        var value = (ushort)((_buffer[Position] << 8) | _buffer[Position + 1]);
        Position += 2;
        return value;
    }

    public int ReadUInt24(string field)
    {
        Need(3, field);
        int value = (_buffer[Position] << 16) | (_buffer[Position + 1] << 8) | _buffer[Position + 2];
        Position += 3;
        return value;
    }

    public byte[] ReadBytes(int count, string field)
    {
        if (count < 0) throw Fail($"{field} has a negative length");
        Need(count, field);
        var bytes = new byte[count];
        Buffer.BlockCopy(_buffer, Position, bytes, 0, count);
        Position += count;
        return bytes;
    }

    public byte[] ReadVector8(string field) => ReadBytes(ReadByte(field + " length"), field);
    public byte[] ReadVector16(string field) => ReadBytes(ReadUInt16(field + " length"), field);

    /// <summary>A reader over the next <paramref name="count"/> bytes; this reader skips past them.</summary>
    public ByteReader Slice(int count, string field)
    {
        Need(count, field);
        var slice = new ByteReader(_buffer, Position, count, _context + "/" + field);
        Position += count;
        return slice;
    }

    public ByteReader SliceVector16(string field) => Slice(ReadUInt16(field + " length"), field);
    public ByteReader SliceVector8(string field) => Slice(ReadByte(field + " length"), field);

    /// <summary>All remaining bytes as a list of 16-bit values (cipher suites, groups, versions).</summary>
    public IReadOnlyList<ushort> ReadRemainingUInt16s(string field)
    {
        if (Remaining % 2 != 0) throw Fail($"{field} has an odd byte length {Remaining}");
        var values = new List<ushort>(Remaining / 2);
        while (!AtEnd) values.Add(ReadUInt16(field));
        return values;
    }

    public void ExpectEnd(string what)
    {
        if (!AtEnd) throw Fail($"{Remaining} unexpected bytes after {what}");
    }

    public TlsParseException Fail(string message) => new TlsParseException($"{_context}: {message}.");

    private void Need(int count, string field)
    {
        if (count > Remaining)
            throw Fail($"{field} needs {count} bytes but only {Remaining} remain");
    }
}
