using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using TlsTools.Catalog;
using TlsTools.Net;
using TlsTools.Protocol;

namespace TlsTools.Probing;

internal enum HelloOutcomeKind
{
    ServerHello,
    /// <summary>An SSLv2 SERVER-HELLO (answer to an SSLv2 CLIENT-HELLO).</summary>
    Ssl2ServerHello,
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
    private HelloOutcome(HelloOutcomeKind kind, string detail) { Kind = kind; Detail = detail; }

    public HelloOutcomeKind Kind { get; }
    /// <summary>Set exactly when <see cref="Kind"/> is ServerHello.</summary>
    public ServerHello? ServerHello { get; private set; }
    /// <summary>TLS 1.2 and earlier, (EC)DHE suites, when asked for: the server's key exchange parameters; null when not read.</summary>
    public ServerKeyExchange? KeyExchange { get; private set; }
    /// <summary>The Certificate message read on the way to the ServerKeyExchange (DER, leaf first); null when not read.</summary>
    public IReadOnlyList<byte[]>? Certificates { get; private set; }
    /// <summary>Set exactly when <see cref="Kind"/> is Ssl2ServerHello.</summary>
    public Ssl2ServerHello? Ssl2ServerHello { get; private set; }
    /// <summary>The alert record, when the answer was one (an SSLv2 probe's TLS alert is not parsed: null).</summary>
    public AlertMessage? Alert { get; private set; }
    /// <summary>Human wording of the outcome ("alert protocol_version (70)", "connection closed").</summary>
    public string Detail { get; }

    /// <summary>True for the answers a server gives when it refuses an offer: an alert, or closing the connection.</summary>
    public bool IsRefusal => Kind == HelloOutcomeKind.Alert || Kind == HelloOutcomeKind.Closed;

    /// <param name="note">Appended to the wording: what happened to the rest of the flight, when that is worth saying.</param>
    public static HelloOutcome Of(ServerHello hello, ServerKeyExchange? keyExchange = null, IReadOnlyList<byte[]>? certificates = null, string? note = null) =>
        new HelloOutcome(HelloOutcomeKind.ServerHello, Describe(hello) + note) { ServerHello = hello, KeyExchange = keyExchange, Certificates = certificates };
    public static HelloOutcome Of(Ssl2ServerHello hello) =>
        new HelloOutcome(HelloOutcomeKind.Ssl2ServerHello, $"SSLv2 SERVER-HELLO with {hello.CipherKinds.Count} cipher kinds") { Ssl2ServerHello = hello };
    public static HelloOutcome Of(AlertMessage alert) =>
        new HelloOutcome(HelloOutcomeKind.Alert, $"alert {AlertCatalog.NameOf(alert.Description)} ({alert.Description})") { Alert = alert };
    public static HelloOutcome Failed(HelloOutcomeKind kind, string detail) => new HelloOutcome(kind, detail);

    /// <summary>"ServerHello TLS 1.3 TLS_AES_128_GCM_SHA256": the wire codes named by the catalog.</summary>
    private static string Describe(ServerHello hello) =>
        $"{(hello.IsHelloRetryRequest ? "HelloRetryRequest" : "ServerHello")} {ProtocolVersions.DisplayNameOfWire(hello.VersionCode)} {CipherSuiteCatalog.NameOf(hello.CipherSuite)}";
}

/// <summary>
/// One connection: connect (through TransportConnector, so proxy and STARTTLS apply), send a ClientHello, read
/// the first message back (and, when asked, on to the ServerKeyExchange), close. Everything happens under one
/// deadline; on expiry the socket is disposed, which unblocks any pending connect or read.
/// </summary>
internal static class HelloExchange
{
    /// <summary>How long the rest of the flight may take after the ServerHello (at least; twice the ServerHello's wait when longer).</summary>
    private static readonly TimeSpan FlightWait = TimeSpan.FromSeconds(1);

    private static TimeSpan Longer(TimeSpan a, TimeSpan b) => a > b ? a : b;

    /// <summary>SSLv2 records with a 2-byte header hold at most 32767 bytes: the bound before allocating.</summary>
    private const int MaxSsl2Record = 0x7FFF;

    public static Task<HelloOutcome> RunAsync(TargetEndpoint target, ConnectionOptions options, byte[] clientHello, TimeSpan timeout, CancellationToken ct) =>
        RunAsync(target, options, clientHello, timeout, readKeyExchange: false, ct);

    /// <param name="readKeyExchange">Read on to the ServerKeyExchange of an (EC)DHE suite below TLS 1.3, for its group and DH size.</param>
    public static Task<HelloOutcome> RunAsync(TargetEndpoint target, ConnectionOptions options, byte[] clientHello, TimeSpan timeout, bool readKeyExchange, CancellationToken ct) =>
        ExchangeAsync(target, options, clientHello, timeout, ct, (stream, deadline) => ReadTlsAnswerAsync(stream, readKeyExchange, deadline));

    /// <summary>Sends an SSLv2 CLIENT-HELLO and reads an SSLv2 SERVER-HELLO, or classifies whatever came instead.</summary>
    public static Task<HelloOutcome> RunSsl2Async(TargetEndpoint target, ConnectionOptions options, byte[] clientHello, TimeSpan timeout, CancellationToken ct) =>
        ExchangeAsync(target, options, clientHello, timeout, ct, (stream, deadline) => ReadSsl2AnswerAsync(stream, deadline.Token));

    /// <summary>A direct connection to one address (no proxy, no STARTTLS).</summary>
    public static Task<HelloOutcome> RunAsync(IPEndPoint endpoint, byte[] clientHello, TimeSpan timeout, bool readKeyExchange, CancellationToken ct) =>
        RunAsync(Direct(endpoint), DirectOptions, clientHello, timeout, readKeyExchange, ct);

    public static Task<HelloOutcome> RunAsync(IPEndPoint endpoint, byte[] clientHello, TimeSpan timeout, CancellationToken ct) =>
        RunAsync(endpoint, clientHello, timeout, readKeyExchange: false, ct);

    public static Task<HelloOutcome> RunSsl2Async(IPEndPoint endpoint, byte[] clientHello, TimeSpan timeout, CancellationToken ct) =>
        RunSsl2Async(Direct(endpoint), DirectOptions, clientHello, timeout, ct);

    private static readonly ConnectionOptions DirectOptions = new ConnectionOptions { NoProxy = true };

    private static TargetEndpoint Direct(IPEndPoint endpoint) => new TargetEndpoint(endpoint.Address.ToString(), endpoint.Port, true);

    private static async Task<HelloOutcome> ExchangeAsync(TargetEndpoint target, ConnectionOptions options, byte[] clientHello, TimeSpan timeout,
        CancellationToken ct, Func<Stream, ProbeDeadline, Task<HelloOutcome>> readAnswer)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var connected = await TransportConnector.ConnectAsync(target, options, timeout, ct).ConfigureAwait(false);
        if (connected.Error == TransportError.Timeout)
            return HelloOutcome.Failed(HelloOutcomeKind.Timeout, $"no answer within {timeout.TotalSeconds:0.#} s (connect)");
        if (connected.Error != TransportError.None || connected.Socket is not Socket socket)
            return HelloOutcome.Failed(HelloOutcomeKind.ConnectFailed, "connect failed: " + ShortReason(connected));
        var remaining = timeout - clock.Elapsed;
        using (socket)
        using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct))
        using (deadline.Token.Register(socket.Dispose))
        {
            if (remaining <= TimeSpan.Zero) return HelloOutcome.Failed(HelloOutcomeKind.Timeout, $"no answer within {timeout.TotalSeconds:0.#} s");
            var probeDeadline = new ProbeDeadline(deadline, remaining);
            try
            {
                await socket.SendAsync(new ArraySegment<byte>(clientHello), SocketFlags.None).ConfigureAwait(false);
                using (var stream = new NetworkStream(socket, ownsSocket: false))
                    return await readAnswer(stream, probeDeadline).ConfigureAwait(false);
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
    private static string? ShortReason(TransportOutcome connected) =>
        connected.Error == TransportError.Refused ? "ConnectionRefused"
        : connected.Error == TransportError.Unreachable ? "Unreachable"
        : connected.Message;

    private static async Task<HelloOutcome> ReadTlsAnswerAsync(Stream stream, bool readKeyExchange, ProbeDeadline deadline)
    {
        var reader = new TlsRecordReader(stream);
        var outcome = Classify(await reader.ReadMessageAsync(deadline.Token).ConfigureAwait(false));
        if (!readKeyExchange || outcome.Kind != HelloOutcomeKind.ServerHello || outcome.ServerHello is not ServerHello hello
            || !HasPlaintextFlight(hello))
            return outcome;
        // The rest of the flight left the server with the ServerHello. Where it does not follow (a path that loses
        // large segments), waiting the whole timeout would make every probe of the scan as slow as a dead server.
        var wait = Longer(FlightWait, TimeSpan.FromTicks(deadline.Elapsed.Ticks * 2));
        deadline.Shorten(wait);
        var flight = await ReadFlightAsync(reader, hello, deadline.Token).ConfigureAwait(false);
        var note = flight.Stalled && deadline.Token.IsCancellationRequested
            ? $"; the rest of the flight did not arrive within {wait.TotalSeconds:0.0} s"
            : null;
        return HelloOutcome.Of(hello, flight.KeyExchange, flight.Certificates, note);
    }

    /// <summary>Below TLS 1.3 the rest of the server's flight (Certificate, ServerKeyExchange, ServerHelloDone) is plaintext.</summary>
    private static bool HasPlaintextFlight(ServerHello hello) => hello.Version != TlsProtocol.Tls13 && !hello.IsHelloRetryRequest;

    /// <summary>
    /// The rest of the flight after the ServerHello (<see cref="ServerFlight"/>): the chain and the key exchange.
    /// Either is null when the flight ends, breaks, stalls or runs long first: the ServerHello already answered
    /// the probe's question, these are a bonus, so no failure here changes the outcome. Stalled: cut off by a
    /// reset or the deadline.
    /// </summary>
    private static async Task<(ServerKeyExchange? KeyExchange, IReadOnlyList<byte[]>? Certificates, bool Stalled)> ReadFlightAsync(TlsRecordReader reader,
        ServerHello hello, CancellationToken ct)
    {
        var flight = new ServerFlight(CipherSuiteCatalog.ServerKeyExchangeOf(hello.CipherSuite), hello.Version);
        try
        {
            await flight.ReadAsync(reader, wantCertificates: true, ct).ConfigureAwait(false);
        }
        catch (TlsParseException)
        {
            // Garbage after the ServerHello: it still answered the probe.
        }
        catch (Exception e) when (e is IOException || e is SocketException || e is ObjectDisposedException || e is OperationCanceledException)
        {
            return (flight.KeyExchange, flight.Certificates, true);
        }
        return (flight.KeyExchange, flight.Certificates, false);
    }

    private static HelloOutcome Classify(TlsMessage? message)
    {
        if (message == null) return HelloOutcome.Failed(HelloOutcomeKind.Closed, "connection closed");
        if (message.ContentType == TlsContentType.Alert) return HelloOutcome.Of(AlertMessage.Parse(message.Body));
        if (message.HandshakeType == TlsHandshakeType.ServerHello) return HelloOutcome.Of(ServerHello.Parse(message.Body));
        return HelloOutcome.Failed(HelloOutcomeKind.NotTls,
            $"expected ServerHello, got {message.ContentType} {message.HandshakeType}".TrimEnd());
    }

    /// <summary>
    /// An SSLv2 answer starts with a 2-byte header with the high bit set; a TLS server that does not speak SSLv2
    /// answers with a TLS alert record or closes. Both of those are refusals.
    /// </summary>
    private static async Task<HelloOutcome> ReadSsl2AnswerAsync(Stream stream, CancellationToken ct)
    {
        var header = new byte[3];
        int got = await ReadAtMostAsync(stream, header, 0, header.Length, ct).ConfigureAwait(false);
        if (got == 0) return HelloOutcome.Failed(HelloOutcomeKind.Closed, "connection closed");
        if (got < header.Length) throw new TlsParseException($"Stream ended inside the first record header ({got} bytes).");
        if (header[0] == (byte)TlsContentType.Alert)
            return HelloOutcome.Failed(HelloOutcomeKind.Alert, "TLS alert: the server does not speak SSLv2");
        if (!Ssl2ServerHello.LooksLike(header))
            throw new TlsParseException($"Not an SSLv2 SERVER-HELLO: starts {BitConverter.ToString(header)}.");

        int length = ((header[0] & 0x7F) << 8) | header[1];
        if (length > MaxSsl2Record) throw new TlsParseException($"SSLv2 record length {length} exceeds {MaxSsl2Record}.");
        var record = new byte[2 + length];
        Buffer.BlockCopy(header, 0, record, 0, header.Length);
        got = await ReadAtMostAsync(stream, record, header.Length, record.Length - header.Length, ct).ConfigureAwait(false);
        if (got < record.Length - header.Length) throw new TlsParseException("Stream ended inside the SSLv2 SERVER-HELLO.");
        return HelloOutcome.Of(Ssl2ServerHello.Parse(record));
    }

    private static async Task<int> ReadAtMostAsync(Stream stream, byte[] buffer, int offset, int count, CancellationToken ct)
    {
        int total = 0;
        while (total < count)
        {
            int n = await stream.ReadAsync(buffer, offset + total, count - total, ct).ConfigureAwait(false);
            if (n == 0) break;
            total += n;
        }
        return total;
    }
}

/// <summary>
/// The one deadline of a probe connection (on expiry the socket is disposed, which unblocks any read), which a
/// reader may bring forward, never push back.
/// </summary>
internal sealed class ProbeDeadline
{
    private readonly CancellationTokenSource _source;
    private readonly TimeSpan _limit;
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();

    public ProbeDeadline(CancellationTokenSource source, TimeSpan limit)
    {
        _source = source;
        _limit = limit;
        source.CancelAfter(limit);
    }

    public CancellationToken Token => _source.Token;
    /// <summary>Time since the deadline was set (the ClientHello was about to be sent).</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>Expire <paramref name="wait"/> from now, if that is sooner than the deadline.</summary>
    public void Shorten(TimeSpan wait)
    {
        if (Elapsed + wait < _limit) _source.CancelAfter(wait);
    }
}
