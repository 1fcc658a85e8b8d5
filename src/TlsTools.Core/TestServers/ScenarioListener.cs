using System;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace TlsTools.TestServers;

/// <summary>
/// One listening socket for one scenario, accepting on a background task. Each connection gets a deadline
/// after which its socket is closed under the handler; any exception a client provokes ends that connection
/// only. Dispose stops accepting, closes every connection and releases the port.
/// </summary>
internal sealed class ScenarioListener : IDisposable
{
    /// <summary>Longer than any client timeout in the tests (Test-TlsHandshake defaults to 10 s), shorter than forever.</summary>
    public static readonly TimeSpan ConnectionDeadline = TimeSpan.FromSeconds(30);
    /// <summary>Connections served at once; more are closed at accept (a flood must not exhaust threads).</summary>
    const int MaxConnections = 128;

    readonly TcpListener listener;
    readonly IConnectionHandler handler;
    readonly CancellationTokenSource stopping = new CancellationTokenSource();
    readonly ConcurrentDictionary<Socket, bool> open = new ConcurrentDictionary<Socket, bool>();
    readonly Task acceptLoop;

    public ScenarioListener(IPAddress address, int port, IConnectionHandler handler)
    {
        this.handler = handler;
        listener = new TcpListener(address, port);
        // Exclusive: a second server on the same port must fail to start, not share the port silently.
        listener.ExclusiveAddressUse = true;
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        acceptLoop = Task.Run(AcceptLoopAsync);
    }

    public int Port { get; }

    async Task AcceptLoopAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptSocketAsync().ConfigureAwait(false);
            }
            catch (Exception) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                continue;   // e.g. the client reset before accept completed
            }
            if (open.Count >= MaxConnections)
            {
                socket.Dispose();
                continue;
            }
            open[socket] = true;
            _ = Task.Run(() => ServeAsync(socket));
        }
    }

    async Task ServeAsync(Socket socket)
    {
        socket.NoDelay = true;
        using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(stopping.Token))
        using (deadline.Token.Register(() => socket.Dispose()))
        {
            deadline.CancelAfter(ConnectionDeadline);
            try
            {
                await handler.HandleAsync(new ScenarioConnection(socket, deadline.Token)).ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Malformed hellos, resets, deadlines: this connection ends, the server goes on.
            }
            finally
            {
                socket.Dispose();
                open.TryRemove(socket, out _);
            }
        }
    }

    public void Dispose()
    {
        if (stopping.IsCancellationRequested) return;
        stopping.Cancel();
        listener.Stop();
        foreach (var socket in open.Keys) socket.Dispose();
        // The loop ends at once when the listening socket closes; bounded wait so Stop never hangs.
        acceptLoop.Wait(TimeSpan.FromSeconds(2));
    }
}
