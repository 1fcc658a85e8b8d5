using System;
using System.Diagnostics;
using System.IO;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Org.BouncyCastle.Tls;

namespace TlsTools.Handshake;

/// <summary>
/// One handshake with BouncyCastle's TLS client over an already connected socket: the same behaviour on
/// every OS, every step recorded. Never waits past the deadline: when it passes, the socket is closed
/// under the engine, which unblocks any read.
/// </summary>
public static class ManagedHandshakeEngine
{
    /// <summary>How long to wait after our Finished for a TLS 1.3 server to reject the missing client certificate.</summary>
    static readonly TimeSpan PostHandshakeGrace = TimeSpan.FromMilliseconds(1500);

    /// <summary>How long to wait for the rest of a non-TLS peer's first line, to quote it.</summary>
    static readonly TimeSpan NotTlsQuoteWait = TimeSpan.FromMilliseconds(300);

    /// <summary>
    /// <see cref="Run"/> on a thread of its own. The engine blocks while it waits for the peer; dozens of targets
    /// blocking pool threads starve the pool (it grows by about two threads a second), and a handshake queued behind
    /// them spends its deadline waiting to start: a false ServerSilent.
    /// </summary>
    /// <param name="handshakeOver">
    /// Called when the handshake itself is over, before the profile's application exchange (if any) runs: what
    /// watches the handshake's progress (the early path follow-ups) must not take a slow application for a stalled path.
    /// </param>
    public static Task<HandshakeObservation> RunAsync(Socket socket, ClientProfile profile, string? serverName,
        TimeSpan timeout, CancellationToken cancel, TranscriptRecorder transcript, Action? handshakeOver = null) =>
        Task.Factory.StartNew(() => Run(socket, profile, serverName, timeout, cancel, transcript, handshakeOver),
            cancel, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    public static HandshakeObservation Run(Socket socket, ClientProfile profile, string? serverName,
        TimeSpan timeout, CancellationToken cancel, TranscriptRecorder transcript, Action? handshakeOver = null)
    {
        var observation = new HandshakeObservation
        {
            OfferedProtocols = profile.Protocols,
            OfferedSuites = profile.CipherSuites,
            ServerName = serverName,
        };
        var watch = Stopwatch.StartNew();
        using (var deadline = new CancellationTokenSource(timeout))
        using (var either = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancel))
        using (either.Token.Register(() => CloseQuietly(socket)))
        using (var tap = new WireTap(new NetworkStream(socket, ownsSocket: false)))
        {
            SetSocketTimeouts(socket, timeout);
            var client = new ManagedTlsClient(profile, observation, transcript, tap);
            var protocol = new TlsClientProtocol(tap);
            try
            {
                protocol.Connect(client);
                observation.HandshakeCompleted = true;
                bool verdictAfterFinished = observation.ClientCertificateRequested && observation.ServerProtocol == TlsProtocol.Tls13;
                // A certificate was sent and an exchange follows: the exchange's first read hears a rejection, so no
                // separate wait (a timed-out read would leave the connection failed for the exchange).
                bool exchangeHearsVerdict = verdictAfterFinished && observation.ClientCertificatePresented != null && profile.AfterHandshake != null;
                if (verdictAfterFinished && !exchangeHearsVerdict)
                    AwaitPostHandshakeVerdict(socket, protocol, observation, timeout - watch.Elapsed);
                if (observation.HandshakeCompleted && profile.AfterHandshake is { } exchange)
                {
                    handshakeOver?.Invoke();
                    var rejection = RunExchange(socket, protocol, exchange, timeout - watch.Elapsed, tap, deadline.Token);
                    if (exchangeHearsVerdict && rejection != null)
                    {
                        observation.HandshakeCompleted = false;
                        observation.Error = rejection;
                    }
                }
            }
            catch (Exception ex) when (ex is IOException || ex is TlsException || ex is SocketException || ex is ObjectDisposedException || ex is InvalidOperationException)
            {
                observation.Error = ex;
                observation.TimedOut = deadline.IsCancellationRequested || IsTimeout(ex);
                cancel.ThrowIfCancellationRequested();
                // Not TLS, or an SSLv2 header (high bit set): the engine read 5 bytes; read a little more to quote, and to audit.
                var first = tap.FirstBytes;
                if (!observation.TimedOut && (!Protocol.PeerProtocolIdentifier.LooksLikeTls(first) || (first.Length > 0 && (first[0] & 0x80) != 0)))
                {
                    SetSocketTimeouts(socket, NotTlsQuoteWait);
                    tap.ReadMoreOfGreeting(socket);
                }
            }
            finally
            {
                observation.Elapsed = watch.Elapsed;
                observation.BytesSent = tap.BytesSent;
                observation.BytesReceived = tap.BytesReceived;
                observation.FirstBytesReceived = tap.FirstBytes;
                observation.ReceivedFlight = tap.ReceivedFlight;
                observation.PeerClosed = tap.PeerClosed;
                observation.PeerReset = tap.PeerReset;
                observation.Wire = tap.Examine();
                tap.Unbounded = true;
                if (observation.HandshakeCompleted) TryClose(protocol);
            }
            if (observation.KeyExchangeGroup == null)
                observation.KeyExchangeGroup = KeyExchangeReader.GroupOf(observation);
        }
        return observation;
    }

    /// <summary>
    /// In TLS 1.3 the client finishes before the server has judged its (empty) certificate; a server that
    /// requires one says so with an alert right after. Read briefly so that verdict is not missed.
    /// </summary>
    static void AwaitPostHandshakeVerdict(Socket socket, TlsClientProtocol protocol, HandshakeObservation observation, TimeSpan remaining)
    {
        var wait = remaining < PostHandshakeGrace ? remaining : PostHandshakeGrace;
        if (wait <= TimeSpan.Zero) return;
        // Silence for the whole grace is acceptance; polling first leaves the TLS connection untouched for what follows.
        try
        {
            if (!socket.Poll((int)Math.Min(int.MaxValue, wait.TotalMilliseconds * 1000), SelectMode.SelectRead)) return;
            if (!LooksLikeAlertRecord(socket)) return;
        }
        catch (Exception ex) when (ex is SocketException || ex is ObjectDisposedException)
        {
            return;
        }
        SetSocketTimeouts(socket, wait);
        try
        {
            // Only a fatal alert matters here: data or a clean close both mean the server accepted us.
            var buffer = new byte[1024];
            _ = protocol.Stream.Read(buffer, 0, buffer.Length);
        }
        catch (TlsFatalAlertReceived ex)
        {
            observation.HandshakeCompleted = false;
            observation.Error = ex;
        }
        catch (Exception ex) when (ex is IOException || ex is TlsException || ex is SocketException)
        {
            // Silence or a close: the server accepted the connection without a certificate.
        }
    }

    /// <summary>
    /// Whether the next record waiting on the socket (peeked, not consumed) can be an alert: a plaintext alert, or an
    /// encrypted TLS 1.3 record of an alert's size (RFC 8446 5.2: 2 alert bytes, the inner content type and a 16-byte
    /// AEAD tag; a little room for padding). A server that accepted the client sends NewSessionTicket records first,
    /// which are larger; reading those through the TLS stack would block for application data and spoil the
    /// connection for the exchange that follows.
    /// </summary>
    static bool LooksLikeAlertRecord(Socket socket)
    {
        var header = new byte[5];
        int got = socket.Receive(header, 0, header.Length, SocketFlags.Peek);
        if (got < header.Length) return true;   // a close or a short read: let the TLS stack say what it is
        int length = (header[3] << 8) | header[4];
        return header[0] == 21 || (header[0] == 23 && length <= EncryptedAlertMaxLength);
    }

    /// <summary>2 alert bytes + 1 content type + 16 tag = 19; up to 32 allows a server's small padding.</summary>
    const int EncryptedAlertMaxLength = 32;

    /// <summary>
    /// The application exchange after the handshake, within its own limit and what is left of the deadline; the
    /// socket is closed when that has passed (a server that trickles a byte at a time defeats the read timeout).
    /// The wire tap stops recording first: the application's bytes are not handshake evidence, and its bounds are
    /// the exchange's own.
    /// </summary>
    /// <returns>The fatal alert the server sent during the exchange (a client certificate refused after Finished); null otherwise.</returns>
    static TlsFatalAlertReceived? RunExchange(Socket socket, TlsClientProtocol protocol, IApplicationExchange exchange, TimeSpan remaining, WireTap tap, CancellationToken deadline)
    {
        if (remaining <= TimeSpan.Zero) { exchange.NoTimeLeft(); return null; }
        var budget = remaining < exchange.TimeLimit ? remaining : exchange.TimeLimit;
        tap.PassThrough = true;
        SetSocketTimeouts(socket, budget);
        // Whichever passes first, the exchange's limit or the target's deadline, is cancelled before the socket closes.
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(deadline);
        limit.CancelAfter(budget);
        using var closeAtLimit = limit.Token.Register(() => CloseQuietly(socket));
        var watched = new FatalAlertWatch(protocol.Stream);
        try
        {
            exchange.Run(watched, budget, limit.Token);
        }
        catch (Exception ex) when (ex is IOException || ex is TlsException || ex is SocketException || ex is ObjectDisposedException)
        {
            // The deadline closed the socket under it, or the server broke off: the handshake's evidence stands.
            exchange.Failed(ex);
        }
        return watched.Alert;
    }

    /// <summary>The TLS stream as the exchange sees it, remembering a fatal alert from the server even when the exchange handles the error itself.</summary>
    sealed class FatalAlertWatch : Stream
    {
        readonly Stream _inner;
        public FatalAlertWatch(Stream inner) { _inner = inner; }
        public TlsFatalAlertReceived? Alert { get; private set; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            try { return _inner.Read(buffer, offset, count); }
            catch (TlsFatalAlertReceived alert) { Alert = alert; throw; }
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            try { _inner.Write(buffer, offset, count); }
            catch (TlsFatalAlertReceived alert) { Alert = alert; throw; }
        }

        public override void Flush() => _inner.Flush();
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }

    static void SetSocketTimeouts(Socket socket, TimeSpan timeout)
    {
        int ms = (int)Math.Max(1, Math.Min(int.MaxValue, timeout.TotalMilliseconds));
        try
        {
            socket.ReceiveTimeout = ms;
            socket.SendTimeout = ms;
        }
        catch (ObjectDisposedException) { }
    }

    static bool IsTimeout(Exception ex)
    {
        for (var e = ex; e != null; e = e.InnerException)
            if (e is SocketException se && (se.SocketErrorCode == SocketError.TimedOut || se.SocketErrorCode == SocketError.WouldBlock))
                return true;
        return false;
    }

    static void TryClose(TlsClientProtocol protocol)
    {
        try { protocol.Close(); } catch (Exception ex) when (ex is IOException || ex is TlsException || ex is ObjectDisposedException) { }
    }

    static void CloseQuietly(Socket socket)
    {
        try { socket.Dispose(); } catch (ObjectDisposedException) { }
    }
}
