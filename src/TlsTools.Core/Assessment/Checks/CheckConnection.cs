using System;
using System.IO;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using TlsTools.Net;
using TlsTools.Protocol;

namespace TlsTools.Assessment.Checks;

/// <summary>How a connection's read ended when no message came: the three ways a server can fail to answer.</summary>
public enum SilenceKind
{
    /// <summary>The server closed the connection cleanly (FIN).</summary>
    Closed,
    /// <summary>The server reset the connection (RST) or the socket failed.</summary>
    Reset,
    /// <summary>Nothing complete arrived before the connection's deadline.</summary>
    Timeout,
    /// <summary>Bytes arrived that are not TLS records (or break the record layer's bounds).</summary>
    Garbage,
}

/// <summary>One read's answer: a TLS message, or why there is none (never an exception: a check decides from this).</summary>
public sealed class CheckRead
{
    CheckRead(TlsMessage? message, SilenceKind? silence, string detail) { Message = message; Silence = silence; Detail = detail; }

    /// <summary>The message read; null when the server was silent, closed, reset or sent garbage.</summary>
    public TlsMessage? Message { get; }
    public SilenceKind? Silence { get; }
    /// <summary>"connection closed", "no answer within 2.0 s", "not TLS: ...".</summary>
    public string Detail { get; }

    public bool IsAlert => Message?.ContentType == TlsContentType.Alert;
    /// <summary>The alert, when the message is one with a complete body.</summary>
    public AlertMessage? Alert => IsAlert && Message!.Body.Length >= 2 ? AlertMessage.Parse(Message.Body) : null;
    public bool IsHandshake(TlsHandshakeType type) => Message?.ContentType == TlsContentType.Handshake && Message.HandshakeType == type;

    internal static CheckRead Of(TlsMessage message) =>
        new CheckRead(message, null, message.ContentType == TlsContentType.Alert ? AlertText(message) : message.HandshakeType?.ToString() ?? message.ContentType.ToString());

    static string AlertText(TlsMessage message) =>
        message.Body.Length >= 2 ? $"alert {Catalog.AlertCatalog.NameOf(message.Body[1])} ({message.Body[1]})" : "alert (truncated)";
    internal static CheckRead None(SilenceKind kind, string detail) => new CheckRead(null, kind, detail);

    public override string ToString() => Detail;
}

/// <summary>
/// One TCP connection a check makes (through the proxy and STARTTLS like every other connection), with a deadline
/// that disposes the socket when it passes: a stalling server can hold a check no longer than its share of
/// -TimeoutSec. Reads are bounded by the record reader's limits, so a hostile server cannot flood memory.
/// </summary>
public sealed class CheckConnection : IDisposable
{
    readonly Socket _socket;
    readonly NetworkStream _stream;
    readonly CancellationTokenSource _deadline;
    readonly CancellationTokenRegistration _onDeadline;
    readonly TimeSpan _timeout;
    /// <summary>A read the quiet wait gave up on; the next read continues it.</summary>
    Task<CheckRead>? _pending;

    internal CheckConnection(Socket socket, TimeSpan timeout, CancellationToken cancel)
    {
        _socket = socket;
        _timeout = timeout;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _deadline = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        _deadline.CancelAfter(timeout);
        _onDeadline = _deadline.Token.Register(() => { try { _socket.Dispose(); } catch (ObjectDisposedException) { } });
        Reader = new TlsRecordReader(_stream);
    }

    /// <summary>The record reader over the connection, for checks that read records rather than messages.</summary>
    public TlsRecordReader Reader { get; }
    /// <summary>Cancelled when the connection's deadline passes or the user presses Ctrl+C.</summary>
    public CancellationToken Token => _deadline.Token;

    /// <summary>Sends bytes; false when the server already closed or reset the connection.</summary>
    public async Task<bool> SendAsync(byte[] bytes)
    {
        try
        {
            await _stream.WriteAsync(bytes, 0, bytes.Length, _deadline.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is IOException || e is SocketException || e is ObjectDisposedException || e is OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>The next TLS message (handshake messages reassembled), or how the server failed to send one.</summary>
    public async Task<CheckRead> ReadMessageAsync()
    {
        var read = _pending ?? NextAsync();
        _pending = null;
        return await read.ConfigureAwait(false);
    }

    /// <summary>
    /// The next message if one comes within <paramref name="quiet"/> (capped by the connection's deadline); otherwise a
    /// Timeout read ("no answer within 3.0 s") while the connection stays open: the read goes on in the background and
    /// the next read returns what it gets, so no byte is lost. How a check tells "the server stayed silent" (a
    /// heartbeat discarded, a ChangeCipherSpec swallowed) from "the server answered".
    /// </summary>
    public async Task<CheckRead> ReadMessageAsync(TimeSpan quiet)
    {
        var read = _pending ?? NextAsync();
        _pending = null;
        var wait = Task.Delay(quiet, _deadline.Token);
        if (await Task.WhenAny(read, wait).ConfigureAwait(false) == read) return await read.ConfigureAwait(false);
        if (_deadline.IsCancellationRequested) return await read.ConfigureAwait(false);
        _pending = read;
        return CheckRead.None(SilenceKind.Timeout, $"no answer within {quiet.TotalSeconds:0.0} s");
    }

    async Task<CheckRead> NextAsync()
    {
        try
        {
            var message = await Reader.ReadMessageAsync(_deadline.Token).ConfigureAwait(false);
            return message == null ? CheckRead.None(SilenceKind.Closed, "connection closed") : CheckRead.Of(message);
        }
        catch (TlsParseException e)
        {
            return CheckRead.None(SilenceKind.Garbage, "not TLS: " + e.Message);
        }
        catch (Exception e) when (_deadline.IsCancellationRequested && (e is OperationCanceledException || e is ObjectDisposedException || e is IOException || e is SocketException))
        {
            return CheckRead.None(SilenceKind.Timeout, $"no answer within {_timeout.TotalSeconds:0.0} s");
        }
        catch (Exception e) when (e is IOException || e is SocketException || e is ObjectDisposedException)
        {
            return CheckRead.None(SilenceKind.Reset, "connection reset");
        }
    }

    /// <summary>
    /// Reads messages until <paramref name="stop"/> says so or the server stops sending (the last read is returned):
    /// the server's flight up to ServerHelloDone, say.
    /// </summary>
    public async Task<CheckRead> ReadUntilAsync(Func<CheckRead, bool> stop, int maxMessages = 16)
    {
        CheckRead read = CheckRead.None(SilenceKind.Closed, "nothing read");
        for (int i = 0; i < maxMessages; i++)
        {
            read = await ReadMessageAsync().ConfigureAwait(false);
            if (read.Message == null || stop(read)) return read;
        }
        return read;
    }

    public void Dispose()
    {
        _onDeadline.Dispose();
        _deadline.Dispose();
        _stream.Dispose();
    }
}
