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
                if (observation.ClientCertificateRequested && observation.ServerProtocol == TlsProtocol.Tls13)
                    AwaitPostHandshakeVerdict(socket, protocol, observation, timeout - watch.Elapsed);
                if (observation.HandshakeCompleted && profile.AfterHandshake is { } exchange)
                {
                    handshakeOver?.Invoke();
                    RunExchange(socket, protocol, exchange, timeout - watch.Elapsed, tap, deadline.Token);
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
    /// The application exchange after the handshake, within its own limit and what is left of the deadline; the
    /// socket is closed when that has passed (a server that trickles a byte at a time defeats the read timeout).
    /// The wire tap stops recording first: the application's bytes are not handshake evidence, and its bounds are
    /// the exchange's own.
    /// </summary>
    static void RunExchange(Socket socket, TlsClientProtocol protocol, IApplicationExchange exchange, TimeSpan remaining, WireTap tap, CancellationToken deadline)
    {
        if (remaining <= TimeSpan.Zero) { exchange.NoTimeLeft(); return; }
        var budget = remaining < exchange.TimeLimit ? remaining : exchange.TimeLimit;
        tap.PassThrough = true;
        SetSocketTimeouts(socket, budget);
        // Whichever passes first, the exchange's limit or the target's deadline, is cancelled before the socket closes.
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(deadline);
        limit.CancelAfter(budget);
        using var closeAtLimit = limit.Token.Register(() => CloseQuietly(socket));
        try
        {
            exchange.Run(protocol.Stream, budget, limit.Token);
        }
        catch (Exception ex) when (ex is IOException || ex is TlsException || ex is SocketException || ex is ObjectDisposedException)
        {
            // The deadline closed the socket under it, or the server broke off: the handshake's evidence stands.
            exchange.Failed(ex);
        }
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
