using System;
using System.IO;

namespace TlsTools.TestServers;

/// <summary>
/// Gives a TLS engine bytes we already read (the ClientHello we parsed to decide how to serve) before the
/// rest of the connection, so the engine sees the connection from its first byte.
/// </summary>
internal sealed class ReplayStream : Net.PassThroughStream
{
    readonly byte[] _prefix;
    int _position;

    public ReplayStream(byte[] prefix, Stream inner) : base(inner)
    {
        this._prefix = prefix;
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        if (_position >= _prefix.Length) return Inner.Read(buffer, offset, count);
        int n = Math.Min(count, _prefix.Length - _position);
        Buffer.BlockCopy(_prefix, _position, buffer, offset, n);
        _position += n;
        return n;
    }

}

/// <summary>Remembers every byte read through it (bounded by what the record reader allows for one ClientHello).</summary>
internal sealed class RecordingStream : Net.PassThroughStream
{
    readonly MemoryStream _captured = new MemoryStream();

    public RecordingStream(Stream inner) : base(inner) { }

    public byte[] Captured => _captured.ToArray();

    public override int Read(byte[] buffer, int offset, int count)
    {
        int n = Inner.Read(buffer, offset, count);
        _captured.Write(buffer, offset, n);
        return n;
    }

    public override async System.Threading.Tasks.Task<int> ReadAsync(byte[] buffer, int offset, int count, System.Threading.CancellationToken cancellationToken)
    {
        int n = await Inner.ReadAsync(buffer, offset, count, cancellationToken).ConfigureAwait(false);
        _captured.Write(buffer, offset, n);
        return n;
    }

}
