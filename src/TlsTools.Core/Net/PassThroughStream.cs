using System;
using System.IO;

namespace TlsTools.Net;

/// <summary>
/// A forward-only stream over another one: reads and writes go to the inner stream unless a subclass
/// watches or rewrites them. The seeking members every such wrapper must refuse live here once.
/// </summary>
public abstract class PassThroughStream : Stream
{
    protected PassThroughStream(Stream inner) { Inner = inner ?? throw new ArgumentNullException(nameof(inner)); }

    protected Stream Inner { get; }

    public override int Read(byte[] buffer, int offset, int count) => Inner.Read(buffer, offset, count);
    public override void Write(byte[] buffer, int offset, int count) => Inner.Write(buffer, offset, count);
    public override void Flush() => Inner.Flush();
    public override bool CanRead => true;
    public override bool CanWrite => true;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
