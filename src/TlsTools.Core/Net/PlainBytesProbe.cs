using System;
using System.Diagnostics;
using System.IO;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace TlsTools.Net;

/// <summary>How the path treated a connection that carried plain bytes instead of a ClientHello.</summary>
public enum PlainBytesReaction
{
    /// <summary>No connection (refused, dropped, proxy refusal): the probe says nothing about content.</summary>
    NotConnected,
    /// <summary>The peer sent bytes back.</summary>
    Answered,
    /// <summary>The peer closed with FIN: an orderly refusal by the server, not a middlebox's reset.</summary>
    Closed,
    /// <summary>Reset (RST) before or instead of an answer, as the ClientHello was.</summary>
    Reset,
    /// <summary>Connected, but nothing came back before the deadline.</summary>
    Silent,
}

public sealed class PlainBytesOutcome
{
    public PlainBytesReaction Reaction { get; set; }
    public int BytesReceived { get; set; }
    /// <summary>What came back, printable characters only (bounded), for the evidence sentence.</summary>
    public string Excerpt { get; set; } = "";
    public TimeSpan Elapsed { get; set; }
    /// <summary>For <see cref="PlainBytesReaction.NotConnected"/>: why.</summary>
    public string? ConnectMessage { get; set; }

    /// <summary>True when plain TCP to the port works: something that is not TLS got through and was handled by a peer.</summary>
    public bool PathCarriesPlainBytes => Reaction == PlainBytesReaction.Answered || Reaction == PlainBytesReaction.Closed;
}

/// <summary>
/// The firewall follow-up: one connection to the same port (through the same proxy and STARTTLS dialogue)
/// that sends a plain HTTP HEAD line instead of a ClientHello. If that is answered or closed normally while
/// the ClientHello was reset or swallowed, the path judges by content: a DPI box, IPS or SNI filter.
/// The HEAD line is what TLS servers recognise at once ("http request") and answer or close promptly.
/// </summary>
public static class PlainBytesProbe
{
    public static readonly byte[] Payload = Encoding.ASCII.GetBytes("HEAD / HTTP/1.0\r\n\r\n");
    const int MaxExcerptBytes = 512;

    public static async Task<PlainBytesOutcome> RunAsync(TargetEndpoint target, ConnectionOptions options, TimeSpan timeout, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var connected = await TransportConnector.ConnectAsync(target, options, timeout, ct).ConfigureAwait(false);
        if (connected.Error != TransportError.None || connected.Socket is not Socket socket)
            return new PlainBytesOutcome { Reaction = PlainBytesReaction.NotConnected, ConnectMessage = connected.Message, Elapsed = clock.Elapsed };

        using (socket)
        {
            var outcome = await ExchangeAsync(socket, timeout - clock.Elapsed, ct).ConfigureAwait(false);
            outcome.Elapsed = clock.Elapsed;
            return outcome;
        }
    }

    static async Task<PlainBytesOutcome> ExchangeAsync(Socket socket, TimeSpan timeout, CancellationToken ct)
    {
        var received = new MemoryStream();
        using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct))
        using (deadline.Token.Register(() => socket.Dispose()))
        using (var stream = new NetworkStream(socket, ownsSocket: false))
        {
            deadline.CancelAfter(timeout > TimeSpan.Zero ? timeout : TimeSpan.FromMilliseconds(1));
            try
            {
                await stream.WriteAsync(Payload, 0, Payload.Length, deadline.Token).ConfigureAwait(false);
                var buffer = new byte[MaxExcerptBytes];
                while (received.Length < MaxExcerptBytes)
                {
                    int n = await stream.ReadAsync(buffer, 0, (int)(MaxExcerptBytes - received.Length), deadline.Token).ConfigureAwait(false);
                    if (n == 0) break;
                    received.Write(buffer, 0, n);
                }
                return Outcome(received.Length > 0 ? PlainBytesReaction.Answered : PlainBytesReaction.Closed, received);
            }
            catch (Exception ex) when (ex is IOException || ex is SocketException || ex is ObjectDisposedException || ex is OperationCanceledException)
            {
                ct.ThrowIfCancellationRequested();
                if (received.Length > 0) return Outcome(PlainBytesReaction.Answered, received);
                return Outcome(deadline.IsCancellationRequested ? PlainBytesReaction.Silent : PlainBytesReaction.Reset, received);
            }
        }
    }

    static PlainBytesOutcome Outcome(PlainBytesReaction reaction, MemoryStream received)
    {
        var bytes = received.ToArray();
        return new PlainBytesOutcome { Reaction = reaction, BytesReceived = bytes.Length, Excerpt = Printable(bytes) };
    }

    /// <summary>The answer as evidence: text stays text, a binary answer (a TLS alert) shows as hex.</summary>
    static string Printable(byte[] bytes)
    {
        if (bytes.Length == 0) return "";
        int printable = 0;
        foreach (var b in bytes) if (b >= 0x20 && b < 0x7F || b == '\r' || b == '\n') printable++;
        if (printable * 10 < bytes.Length * 9)
            return BitConverter.ToString(bytes, 0, Math.Min(bytes.Length, 16)).Replace('-', ' ') + (bytes.Length > 16 ? " ..." : "");
        return PlainChannel.Quote(Encoding.ASCII.GetString(bytes), 120);
    }
}
