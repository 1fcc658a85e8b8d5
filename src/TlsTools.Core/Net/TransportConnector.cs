using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using TlsTools.Net.StartTls;

namespace TlsTools.Net;

/// <summary>Why a connection never became ready for the ClientHello. Diagnosis maps each to a FailureCategory.</summary>
public enum TransportError
{
    None,
    DnsFailure,
    Refused,
    Timeout,
    Unreachable,
    /// <summary>The proxy answered, but would not open the tunnel (HTTP status, SOCKS reply, authentication).</summary>
    ProxyRefused,
    /// <summary>The server speaks the plain protocol but would not switch to TLS (or does not speak it at all).</summary>
    StartTlsNotOffered,
    /// <summary>-Proxy or HTTPS_PROXY holds an address that cannot be used.</summary>
    InvalidProxy,
    Other,
}

/// <summary>A connection ready for the ClientHello, or why there is none, with what each step saw.</summary>
public sealed class TransportOutcome
{
    public TransportOutcome(TargetEndpoint reconnectTarget) { ReconnectTarget = reconnectTarget; }

    /// <summary>Connected and, where asked, tunnelled and switched to TLS; the caller owns it. Null on failure.</summary>
    public Socket? Socket { get; set; }
    /// <summary>The address TCP connected to: the server's, or the proxy's when there is one; null when none was tried.</summary>
    public IPAddress? Address { get; set; }
    public TimeSpan ResolveElapsed { get; set; }
    /// <summary>TCP connect plus any tunnel and STARTTLS dialogue.</summary>
    public TimeSpan ConnectElapsed { get; set; }
    public TransportError Error { get; set; }
    /// <summary>Why there is no connection; null when there is one.</summary>
    public string? Message { get; set; }
    /// <summary>The peer's own words for a refusal (status line, SMTP reply, SOCKS reply code); null when there was none.</summary>
    public string? Reply { get; set; }
    /// <summary>The proxy used, without credentials; null for a direct connection.</summary>
    public ProxyAddress? Proxy { get; set; }
    public StartTlsProtocol StartTls { get; set; }
    /// <summary>The first line the server sent in a text STARTTLS dialogue (SMTP, FTP, IMAP, POP3), which often names its software; null otherwise.</summary>
    public string? Greeting { get; set; }
    /// <summary>
    /// The target for more connections to the same server (probes): the address just connected when direct,
    /// so every probe meets the same server; the name when a proxy resolves it.
    /// </summary>
    public TargetEndpoint ReconnectTarget { get; set; }
    /// <summary>What happened, step by step (step name, sentence), for the transcript.</summary>
    public List<KeyValuePair<string, string>> Steps { get; } = new List<KeyValuePair<string, string>>();

    internal TransportOutcome Note(string step, string text)
    {
        Steps.Add(new KeyValuePair<string, string>(step, text));
        return this;
    }
}

/// <summary>
/// The one way every engine and probe gets a connection: resolve, TCP connect (to the proxy when there is
/// one), open the HTTP CONNECT or SOCKS5 tunnel, speak the STARTTLS dialogue; the socket it returns is
/// where the next byte written is the ClientHello. Nothing waits past the deadline.
/// </summary>
public static class TransportConnector
{
    static readonly (ConnectError Connect, TransportError Transport)[] ConnectErrors =
    {
        (ConnectError.Refused, TransportError.Refused),
        (ConnectError.Timeout, TransportError.Timeout),
        (ConnectError.Unreachable, TransportError.Unreachable),
        (ConnectError.Other, TransportError.Other),
    };

    /// <param name="environment">Reads an environment variable (HTTPS_PROXY, NO_PROXY); null reads the process environment.</param>
    public static async Task<TransportOutcome> ConnectAsync(TargetEndpoint target, ConnectionOptions options, TimeSpan timeout,
        CancellationToken ct, Func<string, string?>? environment = null)
    {
        var clock = Stopwatch.StartNew();
        var outcome = new TransportOutcome(target);
        TimeSpan Remaining() => timeout - clock.Elapsed;

        ProxyChoice? proxy;
        try
        {
            proxy = ProxySelector.Choose(target, options, environment);
        }
        catch (ProxyFormatException ex)
        {
            return Fail(outcome, TransportError.InvalidProxy, ex.Message);
        }
        var hop = proxy?.Proxy.Endpoint ?? target;
        string hopName = proxy == null ? "" : $"the proxy {proxy.Proxy}: ";
        if (proxy != null)
        {
            outcome.Proxy = proxy.Proxy;
            outcome.Note("Proxy", $"through {proxy.Proxy} (from {proxy.Source})");
        }

        var resolved = await NameResolver.ResolveAsync(hop, timeout, ct).ConfigureAwait(false);
        outcome.ResolveElapsed = resolved.Elapsed;
        if (resolved.Error != null)
            return Fail(outcome.Note("Resolve", hopName + resolved.Error), TransportError.DnsFailure, Capitalize(hopName + resolved.Error));
        if (!hop.IsIpLiteral)
            outcome.Note("Resolve", $"{hop.Host} -> {string.Join(", ", resolved.Addresses.Select(a => a.ToString()))} ({Ms(resolved.Elapsed)} ms)");

        var connectClock = Stopwatch.StartNew();
        var connected = await TcpConnector.ConnectAsync(resolved.Addresses, hop.Port, Remaining(), ct, options.TcpMaxSegmentSize).ConfigureAwait(false);
        outcome.Address = connected.Address;
        outcome.ConnectElapsed = connected.Elapsed;
        if (connected.Error != ConnectError.None)
        {
            var error = ConnectErrors.First(e => e.Connect == connected.Error).Transport;
            return Fail(outcome.Note("Connect", hopName + connected.Message), error, Capitalize(hopName + connected.Message));
        }
        outcome.Note("Connect", $"TCP connected to {hopName}{TcpConnector.Format(new IPEndPoint(connected.Address, hop.Port))} in {Ms(connected.Elapsed)} ms");
        // Error None: TcpConnector hands over the connected socket and its address.
        var socket = connected.Socket!;
        if (proxy == null) outcome.ReconnectTarget = target.At(connected.Address!);

        bool handedOver = false;
        try
        {
            if (proxy != null && !await TunnelAsync(outcome, socket, proxy.Proxy, target, Remaining(), ct).ConfigureAwait(false))
                return outcome;
            outcome.StartTls = StartTlsNegotiator.Resolve(options.StartTls, target.Port);
            if (outcome.StartTls != StartTlsProtocol.None &&
                !await StartTlsAsync(outcome, socket, options.EffectiveServerName(target) ?? target.ResolvedFrom ?? target.Host, Remaining(), ct).ConfigureAwait(false))
                return outcome;
            outcome.ConnectElapsed = connectClock.Elapsed;
            outcome.Socket = socket;
            handedOver = true;
            return outcome;
        }
        finally
        {
            if (!handedOver) socket.Dispose();
        }
    }

    static async Task<bool> TunnelAsync(TransportOutcome outcome, Socket socket, ProxyAddress proxy, TargetEndpoint target, TimeSpan timeout, CancellationToken ct)
    {
        string what = proxy.Kind == ProxyKind.Socks5 ? "SOCKS5 CONNECT" : "HTTP CONNECT";
        var result = await PlainStepAsync(socket, timeout, ct, channel => proxy.Kind == ProxyKind.Socks5
            ? Socks5Tunnel.OpenAsync(channel, proxy, target, ct)
            : HttpConnectTunnel.OpenAsync(channel, proxy, target, ct)).ConfigureAwait(false);
        if (result.Outcome?.Opened == true)
        {
            outcome.Note("Proxy", $"{what} {target}: {result.Outcome.Reply}");
            return true;
        }
        string message = result.Outcome?.Message ?? (result.TimedOut
            ? $"The proxy {proxy} did not answer {what} {target} within {timeout.TotalSeconds:0.#} s (it may still be trying to reach the server)."
            : $"The proxy {proxy} closed the connection during {what} {target} ({result.Failure}){Received(result.Received)}.");
        outcome.Reply = result.Outcome?.Reply;
        outcome.Note("Proxy", message);
        Fail(outcome, result.TimedOut ? TransportError.Timeout : TransportError.ProxyRefused, message);
        return false;
    }

    static async Task<bool> StartTlsAsync(TransportOutcome outcome, Socket socket, string serverName, TimeSpan timeout, CancellationToken ct)
    {
        var protocol = outcome.StartTls;
        var result = await PlainStepAsync(socket, timeout, ct,
            channel => StartTlsNegotiator.NegotiateAsync(protocol, channel, serverName, ct)).ConfigureAwait(false);
        outcome.Greeting = TextGreetings.Contains(protocol) ? FirstLine(result.Received) : null;
        if (result.Outcome?.Opened == true)
        {
            outcome.Note("StartTls", $"{protocol}: {PlainChannel.Quote(result.Outcome.Reply)}");
            return true;
        }
        string message = result.Outcome?.Message ?? (result.TimedOut
            ? $"{protocol} STARTTLS not offered: the server did not finish the {protocol} dialogue within {timeout.TotalSeconds:0.#} s{Received(result.Received)} (a port that expects TLS at once stays silent: leave out -StartTls)."
            : $"{protocol} STARTTLS not offered: the server ended the connection during the {protocol} dialogue ({result.Failure}){Received(result.Received)}.");
        outcome.Reply = result.Outcome?.Reply ?? PlainChannel.Quote(result.Received);
        outcome.Note("StartTls", message);
        Fail(outcome, TransportError.StartTlsNotOffered, message);
        return false;
    }

    /// <summary>The dialogues whose first line is a greeting in words (binary and XML ones have none to quote).</summary>
    static readonly HashSet<StartTlsProtocol> TextGreetings = new HashSet<StartTlsProtocol>
    {
        StartTlsProtocol.Smtp, StartTlsProtocol.Ftp, StartTlsProtocol.Imap, StartTlsProtocol.Pop3,
    };

    static string? FirstLine(string? received)
    {
        if (string.IsNullOrEmpty(received)) return null;
        int end = received!.IndexOfAny(new[] { '\r', '\n' });
        var line = (end < 0 ? received : received.Substring(0, end)).Trim();
        return line.Length == 0 ? null : line;
    }

    sealed class PlainStepResult
    {
        public TunnelResult? Outcome;
        public bool TimedOut;
        public string? Failure;
        public string? Received;
    }

    /// <summary>Runs one plain-text dialogue under its own deadline; the socket is closed under it when the deadline passes.</summary>
    static async Task<PlainStepResult> PlainStepAsync(Socket socket, TimeSpan timeout, CancellationToken ct, Func<PlainChannel, Task<TunnelResult>> step)
    {
        var result = new PlainStepResult();
        if (timeout <= TimeSpan.Zero) return new PlainStepResult { TimedOut = true };
        using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct))
        using (deadline.Token.Register(() => socket.Dispose()))
        using (var stream = new NetworkStream(socket, ownsSocket: false))
        {
            deadline.CancelAfter(timeout);
            var channel = new PlainChannel(stream);
            try
            {
                result.Outcome = await step(channel).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException || ex is SocketException || ex is ObjectDisposedException || ex is OperationCanceledException)
            {
                ct.ThrowIfCancellationRequested();
                result.TimedOut = deadline.IsCancellationRequested;
                result.Failure = ex is PlainProtocolException ? ex.Message : IsReset(ex) ? "TCP reset" : ex.Message;
            }
            result.Received = channel.Received.ToString();
        }
        return result;
    }

    static bool IsReset(Exception ex)
    {
        for (var e = ex; e != null; e = e.InnerException)
            if (e is SocketException se && (se.SocketErrorCode == SocketError.ConnectionReset || se.SocketErrorCode == SocketError.ConnectionAborted))
                return true;
        return false;
    }

    static string Received(string? text) =>
        string.IsNullOrWhiteSpace(text) ? ", having sent nothing" : $", after \"{PlainChannel.Quote(text)}\"";

    static TransportOutcome Fail(TransportOutcome outcome, TransportError error, string message)
    {
        outcome.Error = error;
        outcome.Message = message;
        return outcome;
    }

    static string Capitalize(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s.Substring(1);

    static double Ms(TimeSpan t) => Math.Round(t.TotalMilliseconds, 1);
}
