using System;
using System.IO;

namespace TlsTools.TestServers
{
    /// <summary>
    /// Gives a TLS engine bytes we already read (the ClientHello we parsed to decide how to serve) before the
    /// rest of the connection, so the engine sees the connection from its first byte.
    /// </summary>
    internal sealed class ReplayStream : Stream
    {
        readonly byte[] prefix;
        readonly Stream inner;
        int position;

        public ReplayStream(byte[] prefix, Stream inner)
        {
            this.prefix = prefix;
            this.inner = inner;
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (position >= prefix.Length) return inner.Read(buffer, offset, count);
            int n = Math.Min(count, prefix.Length - position);
            Buffer.BlockCopy(prefix, position, buffer, offset, n);
            position += n;
            return n;
        }

        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
        public override void Flush() => inner.Flush();
        public override bool CanRead => true;
        public override bool CanWrite => true;
        public override bool CanSeek => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }

    /// <summary>Remembers every byte read through it (bounded by what the record reader allows for one ClientHello).</summary>
    internal sealed class RecordingStream : Stream
    {
        readonly Stream inner;
        readonly MemoryStream captured = new MemoryStream();

        public RecordingStream(Stream inner) { this.inner = inner; }

        public byte[] Captured => captured.ToArray();

        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = inner.Read(buffer, offset, count);
            captured.Write(buffer, offset, n);
            return n;
        }

        public override async System.Threading.Tasks.Task<int> ReadAsync(byte[] buffer, int offset, int count, System.Threading.CancellationToken cancellationToken)
        {
            int n = await inner.ReadAsync(buffer, offset, count, cancellationToken).ConfigureAwait(false);
            captured.Write(buffer, offset, n);
            return n;
        }

        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
        public override void Flush() => inner.Flush();
        public override bool CanRead => true;
        public override bool CanWrite => true;
        public override bool CanSeek => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
