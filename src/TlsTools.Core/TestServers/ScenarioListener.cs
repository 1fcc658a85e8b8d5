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

    readonly TcpListener _listener;
    readonly IConnectionHandler _handler;
    readonly CancellationTokenSource _stopping = new CancellationTokenSource();
    readonly ConcurrentDictionary<Socket, bool> _open = new ConcurrentDictionary<Socket, bool>();
    readonly Task _acceptLoop;

    public ScenarioListener(IPAddress address, int port, IConnectionHandler handler)
    {
        this._handler = handler;
        _listener = new TcpListener(address, port);
        // Exclusive: a second server on the same port must fail to start, not share the port silently.
        _listener.ExclusiveAddressUse = true;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    public int Port { get; }

    async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync().ConfigureAwait(false);
            }
            catch (Exception) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                continue;   // e.g. the client reset before accept completed
            }
            if (_open.Count >= MaxConnections)
            {
                socket.Dispose();
                continue;
            }
            _open[socket] = true;
            _ = Task.Run(() => ServeAsync(socket));
        }
    }

    async Task ServeAsync(Socket socket)
    {
        socket.NoDelay = true;
        using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token))
        using (deadline.Token.Register(() => socket.Dispose()))
        {
            deadline.CancelAfter(ConnectionDeadline);
            try
            {
                await _handler.HandleAsync(new ScenarioConnection(socket, deadline.Token)).ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Malformed hellos, resets, deadlines: this connection ends, the server goes on.
            }
            finally
            {
                socket.Dispose();
                _open.TryRemove(socket, out _);
            }
        }
    }

    public void Dispose()
    {
        if (_stopping.IsCancellationRequested) return;
        _stopping.Cancel();
        _listener.Stop();
        foreach (var socket in _open.Keys) socket.Dispose();
        // The loop ends at once when the listening socket closes; bounded wait so Stop never hangs.
        _acceptLoop.Wait(TimeSpan.FromSeconds(2));
    }
}
