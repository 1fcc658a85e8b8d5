using System;
using System.Net.Sockets;
using System.Text;
using System.Threading.Tasks;

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
