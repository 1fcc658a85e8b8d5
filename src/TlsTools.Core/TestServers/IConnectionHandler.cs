using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace TlsTools.TestServers;

/// <summary>One accepted connection: the socket, its stream, and the deadline the listener enforces.</summary>
internal sealed class ScenarioConnection
{
    public ScenarioConnection(Socket socket, CancellationToken deadline)
    {
        Socket = socket;
        Stream = new NetworkStream(socket, ownsSocket: false);
        Deadline = deadline;
    }

    public Socket Socket { get; }
    public NetworkStream Stream { get; }
    /// <summary>Cancelled when the connection's time is up or the server stops; the listener then closes the socket.</summary>
    public CancellationToken Deadline { get; }
}

/// <summary>
/// Serves one connection the way a scenario's server behaves. May throw anything: the listener swallows it,
/// closes the socket and keeps accepting, so a hostile client never takes a test server down.
/// </summary>
internal interface IConnectionHandler
{
    Task HandleAsync(ScenarioConnection connection);
}
