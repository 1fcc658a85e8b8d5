using System;
using System.Net.Sockets;
using System.Text;
using System.Threading.Tasks;
using TlsTools.Protocol;

namespace TlsTools.TestServers;

/// <summary>Shared steps of the responders that do not speak TLS.</summary>
internal static class RawSteps
{
    /// <summary>Waits for the client's first bytes (its ClientHello, usually); returns how many arrived (0: closed).</summary>
    public static async Task<int> ReadFirstBytesAsync(ScenarioConnection connection)
    {
        var buffer = new byte[4096];
        return await connection.Stream.ReadAsync(buffer, 0, buffer.Length, connection.Deadline).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads one whole ClientHello through the bounded record reader (reassembled across records); null when the client
    /// closed first or sent something else. Malformed bytes throw, which ends the connection (the listener catches).
    /// </summary>
    public static async Task<ClientHello?> ReadClientHelloAsync(ScenarioConnection connection)
    {
        var message = await new TlsRecordReader(connection.Stream).ReadMessageAsync(connection.Deadline).ConfigureAwait(false);
        return message?.HandshakeType == TlsHandshakeType.ClientHello ? ClientHello.Parse(message.Body) : null;
    }

    /// <summary>Reads and discards until the client closes or the deadline passes.</summary>
    public static async Task DrainAsync(ScenarioConnection connection)
    {
        var buffer = new byte[4096];
        while (await connection.Stream.ReadAsync(buffer, 0, buffer.Length, connection.Deadline).ConfigureAwait(false) > 0) { }
    }
}

/// <summary>A plain HTTP server: what a TLS client meets when it is pointed at an http:// port.</summary>
internal sealed class PlainHttpResponder : IConnectionHandler
{
    // What nginx answers to a TLS ClientHello on a plain-HTTP listener.
    const string Body = "<html><body>400 Bad Request: this port speaks plain HTTP</body></html>\n";
    static readonly byte[] Answer = Encoding.ASCII.GetBytes(
        "HTTP/1.1 400 Bad Request\r\nServer: TlsTools-TestServer\r\nContent-Type: text/html\r\n" +
        $"Content-Length: {Body.Length}\r\nConnection: close\r\n\r\n{Body}");

    public async Task HandleAsync(ScenarioConnection connection)
    {
        if (await RawSteps.ReadFirstBytesAsync(connection).ConfigureAwait(false) == 0) return;
        await connection.Stream.WriteAsync(Answer, 0, Answer.Length, connection.Deadline).ConfigureAwait(false);
        connection.Socket.Shutdown(SocketShutdown.Send);
    }
}

/// <summary>Accepts and never answers, until the client gives up or the connection deadline passes.</summary>
internal sealed class SilentResponder : IConnectionHandler
{
    public Task HandleAsync(ScenarioConnection connection) => RawSteps.DrainAsync(connection);
}

/// <summary>Reads the ClientHello, then aborts with a TCP RST (linger 0), the way DPI firewalls cut TLS.</summary>
internal sealed class ResetResponder : IConnectionHandler
{
    public async Task HandleAsync(ScenarioConnection connection)
    {
        if (await RawSteps.ReadFirstBytesAsync(connection).ConfigureAwait(false) == 0) return;
        connection.Socket.LingerState = new LingerOption(true, 0);
        connection.Socket.Close();
    }
}

/// <summary>
/// Reads the ClientHello, then sends a well-formed TLS 1.2 ServerHello record one byte every two seconds: a peer that
/// is never silent long enough for a read timeout, yet never finishes a record. Only an overall deadline ends it.
/// </summary>
internal sealed class DripFeedResponder : IConnectionHandler
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    // Record header (handshake, TLS 1.2, 42 bytes), ServerHello header (38 bytes), version 3,3, a fixed random, no
    // session id, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 (0xC02F), no compression: real bytes, only slow.
    static readonly byte[] ServerHello = Build();

    static byte[] Build()
    {
        var bytes = new byte[47];
        new byte[] { 0x16, 0x03, 0x03, 0x00, 0x2A, 0x02, 0x00, 0x00, 0x26, 0x03, 0x03 }.CopyTo(bytes, 0);
        for (int i = 0; i < 32; i++) bytes[11 + i] = (byte)(0xA0 + i);
        new byte[] { 0x00, 0xC0, 0x2F, 0x00 }.CopyTo(bytes, 43);
        return bytes;
    }

    public async Task HandleAsync(ScenarioConnection connection)
    {
        if (await RawSteps.ReadFirstBytesAsync(connection).ConfigureAwait(false) == 0) return;
        foreach (var b in ServerHello)
        {
            await connection.Stream.WriteAsync(new[] { b }, 0, 1, connection.Deadline).ConfigureAwait(false);
            await Task.Delay(Interval, connection.Deadline).ConfigureAwait(false);
        }
        await RawSteps.DrainAsync(connection).ConfigureAwait(false);
    }
}
