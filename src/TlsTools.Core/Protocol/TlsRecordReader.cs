using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace TlsTools.Protocol;

/// <summary>One TLS record as it came off the wire.</summary>
public sealed class TlsRecord
{
    public TlsRecord(TlsContentType contentType, ushort version, byte[] fragment)
    { ContentType = contentType; Version = version; Fragment = fragment; }
    public TlsContentType ContentType { get; }
    public ushort Version { get; }
    public byte[] Fragment { get; }
}

/// <summary>
/// A protocol message: one whole handshake message (reassembled across records), or the fragment of any
/// other record (alert, change_cipher_spec, application data).
/// </summary>
public sealed class TlsMessage
{
    public TlsMessage(TlsContentType contentType, ushort recordVersion, TlsHandshakeType? handshakeType, byte[] body)
    { ContentType = contentType; RecordVersion = recordVersion; HandshakeType = handshakeType; Body = body; }
    public TlsContentType ContentType { get; }
    public ushort RecordVersion { get; }
    /// <summary>Set for handshake messages only.</summary>
    public TlsHandshakeType? HandshakeType { get; }
    /// <summary>Handshake: the body after the 4-byte header. Otherwise: the record fragment.</summary>
    public byte[] Body { get; }
}

/// <summary>
/// Reads TLS records from a stream and reassembles handshake messages. Every length is checked against
/// <see cref="TlsLimits"/> before a buffer is allocated, and every read honours cancellation, so a hostile
/// or silent peer can neither exhaust memory nor hold the reader forever.
/// </summary>
public sealed class TlsRecordReader
{
    private const int HeaderLength = 5;
    private readonly Stream _stream;
    private byte[] _pending = new byte[0];   // handshake bytes not yet returned as a message
    private ushort _pendingVersion;

    public TlsRecordReader(Stream stream) => _stream = stream ?? throw new ArgumentNullException(nameof(stream));

    /// <summary>Records read so far.</summary>
    public int RecordCount { get; private set; }

    /// <summary>The next record; null on a clean end of stream between records.</summary>
    public async Task<TlsRecord?> ReadRecordAsync(CancellationToken ct)
    {
        var header = new byte[HeaderLength];
        int got = await ReadAtMostAsync(header, ct).ConfigureAwait(false);
        if (got == 0) return null;
        if (got < HeaderLength) throw new TlsParseException($"Stream ended inside a record header ({got} of 5 bytes).");

        byte type = header[0];
        ushort version = (ushort)((header[1] << 8) | header[2]);
        int length = (header[3] << 8) | header[4];
        if (type < (byte)TlsContentType.ChangeCipherSpec || type > (byte)TlsContentType.Heartbeat || header[1] != 3)
            throw new TlsParseException($"Not a TLS record: starts {BitConverter.ToString(header)}.");
        if (length > TlsLimits.MaxRecordFragment)
            throw new TlsParseException($"Record length {length} exceeds the limit of {TlsLimits.MaxRecordFragment}.");

        var fragment = new byte[length];
        got = await ReadAtMostAsync(fragment, ct).ConfigureAwait(false);
        if (got < length) throw new TlsParseException($"Stream ended inside a record ({got} of {length} bytes).");
        RecordCount++;
        return new TlsRecord((TlsContentType)type, version, fragment);
    }

    /// <summary>The next message; null on a clean end of stream.</summary>
    public async Task<TlsMessage?> ReadMessageAsync(CancellationToken ct)
    {
        while (true)
        {
            var message = TakePendingHandshake();
            if (message != null) return message;

            var record = await ReadRecordAsync(ct).ConfigureAwait(false);
            if (record == null)
            {
                if (_pending.Length > 0) throw new TlsParseException("Stream ended inside a handshake message.");
                return null;
            }
            if (record.ContentType == TlsContentType.Handshake)
            {
                _pending = Concat(_pending, record.Fragment);
                _pendingVersion = record.Version;
                continue;
            }
            // RFC 8446 §5.1: handshake messages must not be interleaved with other record types.
            if (_pending.Length > 0) throw new TlsParseException($"A {record.ContentType} record interrupted a handshake message.");
            return new TlsMessage(record.ContentType, record.Version, null, record.Fragment);
        }
    }

    /// <summary>
    /// <see cref="ReadMessageAsync(CancellationToken)"/> with a deadline: throws <see cref="TimeoutException"/>
    /// when the peer sends nothing complete within <paramref name="timeout"/>.
    /// </summary>
    public async Task<TlsMessage?> ReadMessageAsync(TimeSpan timeout, CancellationToken ct)
    {
        using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct))
        {
            deadline.CancelAfter(timeout);
            try
            {
                return await ReadMessageAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new TimeoutException($"No complete TLS message within {timeout.TotalSeconds:0.#} s.");
            }
        }
    }

    private TlsMessage? TakePendingHandshake()
    {
        if (_pending.Length < 4) return null;
        int length = (_pending[1] << 16) | (_pending[2] << 8) | _pending[3];
        if (length > TlsLimits.MaxHandshakeMessage)
            throw new TlsParseException($"Handshake message length {length} exceeds the limit of {TlsLimits.MaxHandshakeMessage}.");
        if (_pending.Length < 4 + length) return null;

        var body = new byte[length];
        Buffer.BlockCopy(_pending, 4, body, 0, length);
        var type = (TlsHandshakeType)_pending[0];
        var rest = new byte[_pending.Length - 4 - length];
        Buffer.BlockCopy(_pending, 4 + length, rest, 0, rest.Length);
        _pending = rest;
        return new TlsMessage(TlsContentType.Handshake, _pendingVersion, type, body);
    }

    /// <summary>Fills <paramref name="buffer"/> unless the stream ends first; returns the bytes read.</summary>
    private async Task<int> ReadAtMostAsync(byte[] buffer, CancellationToken ct)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            ct.ThrowIfCancellationRequested();
            int n = await _stream.ReadAsync(buffer, total, buffer.Length - total, ct).ConfigureAwait(false);
            if (n == 0) break;
            total += n;
        }
        return total;
    }

    private static byte[] Concat(byte[] a, byte[] b)
    {
        var joined = new byte[a.Length + b.Length];
        Buffer.BlockCopy(a, 0, joined, 0, a.Length);
        Buffer.BlockCopy(b, 0, joined, a.Length, b.Length);
        return joined;
    }
}
