using System;
using System.Threading.Tasks;
using TlsTools.Protocol;

namespace TlsTools.Assessment.Checks;

/// <summary>
/// The opening most checks share: a fresh connection, one ClientHello, the server's first message, and that message
/// parsed when it is a ServerHello. Each step's failure is kept as evidence, so a check that needs a ServerHello says
/// <c>Inconclusive(exchange.Failure(asked))</c> and one that judges other answers (an alert, a reset) reads
/// <see cref="First"/>. Unlike the scanners' Probing.HelloExchange, the connection stays open for the check's next step
/// and is counted in the check's ConnectionCount; the caller disposes it (and with it the connection).
/// </summary>
public sealed class HelloAnswer : IDisposable
{
    HelloAnswer(CheckConnection? connection, string? connectFailure, CheckRead? first, ServerHello? serverHello, string? parseError)
    {
        Connection = connection;
        ConnectFailure = connectFailure;
        First = first;
        ServerHello = serverHello;
        ParseError = parseError;
    }

    /// <summary>The open connection, for what the check sends or reads next; null when none could be opened.</summary>
    public CheckConnection? Connection { get; }
    /// <summary>Why no connection was opened (connect failed, no time left); null when one was.</summary>
    public string? ConnectFailure { get; }
    /// <summary>The server's first answer; null only without a connection. A failed send reads as a reset.</summary>
    public CheckRead? First { get; }
    /// <summary>The parsed ServerHello; null when the first answer was something else or did not parse.</summary>
    public ServerHello? ServerHello { get; }
    /// <summary>Why the ServerHello that came does not parse; null otherwise.</summary>
    public string? ParseError { get; }
    /// <summary>The ClientHello could not be written: the server closed or reset the connection first.</summary>
    public bool SendFailed { get; private set; }

    /// <summary>
    /// Why there is no ServerHello, as an Inconclusive verdict's evidence: "<paramref name="asked"/> got alert
    /// handshake_failure (40), no ServerHello". <paramref name="asked"/> names what was sent ("a TLS 1.2 ClientHello
    /// offering ..."). Null when the ServerHello came and parsed.
    /// </summary>
    public string? Failure(string asked) =>
        ConnectFailure ?? (SendFailed ? SendFailure
            : ParseError != null ? $"{asked} got a ServerHello that does not parse: {ParseError}"
            : ServerHello == null ? $"{asked} got {First!.Detail}, no ServerHello"
            : null);

    const string SendFailure = "the connection closed before the ClientHello was sent";

    /// <summary>Connects (reads and writes bounded by <paramref name="wait"/>, capped by the time left), sends <paramref name="hello"/> and reads one message.</summary>
    public static async Task<HelloAnswer> SendAsync(CheckContext context, byte[] hello, TimeSpan? wait = null)
    {
        var connect = await context.ConnectAsync(wait).ConfigureAwait(false);
        if (connect.Connection is not CheckConnection connection) return new HelloAnswer(null, connect.Failure, null, null, null);
        if (!await connection.SendAsync(hello).ConfigureAwait(false))
            return new HelloAnswer(connection, null, CheckRead.None(SilenceKind.Reset, SendFailure), null, null) { SendFailed = true };
        var first = await connection.ReadMessageAsync().ConfigureAwait(false);
        if (!first.IsHandshake(TlsHandshakeType.ServerHello)) return new HelloAnswer(connection, null, first, null, null);
        try
        {
            return new HelloAnswer(connection, null, first, ServerHello.Parse(first.Message!.Body), null);
        }
        catch (TlsParseException e)
        {
            return new HelloAnswer(connection, null, first, null, e.Message);
        }
    }

    /// <summary>Builds the ClientHello from <paramref name="options"/>, then as <see cref="SendAsync(CheckContext, byte[], TimeSpan?)"/>.</summary>
    public static Task<HelloAnswer> SendAsync(CheckContext context, ClientHelloOptions options, TimeSpan? wait = null) =>
        SendAsync(context, ClientHelloBuilder.Build(options), wait);

    public void Dispose() => Connection?.Dispose();
}
