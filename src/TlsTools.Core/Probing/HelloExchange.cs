using System;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using TlsTools.Net;
using TlsTools.Protocol;

namespace TlsTools.Probing
{
    internal enum HelloOutcomeKind
    {
        ServerHello,
        Alert,
        /// <summary>The server closed or reset the connection without a word.</summary>
        Closed,
        /// <summary>Nothing (complete) arrived before the deadline.</summary>
        Timeout,
        ConnectFailed,
        /// <summary>Bytes arrived, but not a TLS ServerHello or alert.</summary>
        NotTls,
    }

    /// <summary>What one connection's first answer to a ClientHello was.</summary>
    internal sealed class HelloOutcome
    {
        private HelloOutcome(HelloOutcomeKind kind, string detail, ServerHello serverHello = null, AlertMessage alert = null)
        { Kind = kind; Detail = detail; ServerHello = serverHello; Alert = alert; }

        public HelloOutcomeKind Kind { get; }
        public ServerHello ServerHello { get; }
        public AlertMessage Alert { get; }
        /// <summary>Human wording of the outcome ("alert protocol_version (70)", "connection closed").</summary>
        public string Detail { get; }

        public static HelloOutcome Of(ServerHello hello) => new HelloOutcome(HelloOutcomeKind.ServerHello, hello.ToString(), serverHello: hello);
        public static HelloOutcome Of(AlertMessage alert) =>
            new HelloOutcome(HelloOutcomeKind.Alert, $"alert {alert.Name} ({alert.Description})", alert: alert);
        public static HelloOutcome Failed(HelloOutcomeKind kind, string detail) => new HelloOutcome(kind, detail);
    }

    /// <summary>
    /// One connection: connect (through TransportConnector: proxy and STARTTLS included), send a ClientHello, read the first message back, close. Everything happens under
    /// one deadline; on expiry the socket is disposed, which unblocks any pending connect or read.
    /// </summary>
    internal static class HelloExchange
    {
        public static async Task<HelloOutcome> RunAsync(TargetEndpoint target, ConnectionOptions options, byte[] clientHello, TimeSpan timeout, CancellationToken ct)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var connected = await TransportConnector.ConnectAsync(target, options, timeout, ct).ConfigureAwait(false);
            if (connected.Error == TransportError.Timeout)
                return HelloOutcome.Failed(HelloOutcomeKind.Timeout, $"no answer within {timeout.TotalSeconds:0.#} s (connect)");
            if (connected.Error != TransportError.None)
                return HelloOutcome.Failed(HelloOutcomeKind.ConnectFailed, "connect failed: " + ShortReason(connected));
            var socket = connected.Socket;
            var remaining = timeout - clock.Elapsed;
            using (socket)
            using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct))
            using (deadline.Token.Register(socket.Dispose))
            {
                if (remaining <= TimeSpan.Zero) return HelloOutcome.Failed(HelloOutcomeKind.Timeout, $"no answer within {timeout.TotalSeconds:0.#} s");
                deadline.CancelAfter(remaining);
                try
                {
                    await socket.SendAsync(new ArraySegment<byte>(clientHello), SocketFlags.None).ConfigureAwait(false);
                    using (var stream = new NetworkStream(socket, ownsSocket: false))
                        return Classify(await new TlsRecordReader(stream).ReadMessageAsync(deadline.Token).ConfigureAwait(false));
                }
                catch (Exception e) when (ct.IsCancellationRequested && !(e is OperationCanceledException))
                {
                    // The caller cancelled: the disposed socket surfaces as some I/O error; report it as what it is.
                    throw new OperationCanceledException(ct);
                }
                catch (Exception e) when (deadline.IsCancellationRequested && !ct.IsCancellationRequested
                                          && (e is OperationCanceledException || e is ObjectDisposedException || e is SocketException || e is IOException))
                {
                    return HelloOutcome.Failed(HelloOutcomeKind.Timeout, $"no answer within {timeout.TotalSeconds:0.#} s");
                }
                catch (Exception e) when (e is IOException || e is SocketException)
                {
                    return HelloOutcome.Failed(HelloOutcomeKind.Closed, "connection reset");
                }
                catch (TlsParseException e)
                {
                    return HelloOutcome.Failed(HelloOutcomeKind.NotTls, "not a TLS answer: " + e.Message);
                }
            }
        }

        /// <summary>TCP failures by their socket name (the rejection column stays short); proxy and STARTTLS refusals in full.</summary>
        private static string ShortReason(TransportOutcome connected) =>
            connected.Error == TransportError.Refused ? "ConnectionRefused"
            : connected.Error == TransportError.Unreachable ? "Unreachable"
            : connected.Message;

        private static HelloOutcome Classify(TlsMessage message)
        {
            if (message == null) return HelloOutcome.Failed(HelloOutcomeKind.Closed, "connection closed");
            if (message.ContentType == TlsContentType.Alert) return HelloOutcome.Of(AlertMessage.Parse(message.Body));
            if (message.HandshakeType == TlsHandshakeType.ServerHello) return HelloOutcome.Of(ServerHello.Parse(message.Body));
            return HelloOutcome.Failed(HelloOutcomeKind.NotTls,
                $"expected ServerHello, got {message.ContentType} {message.HandshakeType}".TrimEnd());
        }
    }
}
