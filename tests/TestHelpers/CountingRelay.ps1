<#
    A TCP relay on 127.0.0.1 that counts the connections made through it: the benchmarks put one in front of a
    server so every tool's connections are counted the same way, whatever the tool reports about itself.
#>

if (-not ('CountingRelay' -as [type])) {
    Add-Type -TypeDefinition @'
using System; using System.Net; using System.Net.Sockets; using System.Threading; using System.Threading.Tasks;
public sealed class CountingRelay : IDisposable {
    readonly TcpListener _listener = new TcpListener(IPAddress.Loopback, 0); readonly int _backend; int _count; int _open;
    public CountingRelay(int backendPort) { _backend = backendPort; _listener.Start(); Task.Run(AcceptLoop); }
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
    public int Count => Volatile.Read(ref _count);
    // Connections accepted and not yet closed, plus any still waiting in the backlog: 0 once a tool that exited is counted.
    public int Open => Volatile.Read(ref _open) + (_listener.Pending() ? 1 : 0);
    public void Reset() => Interlocked.Exchange(ref _count, 0);
    async Task AcceptLoop() {
        while (true) {
            TcpClient client; try { client = await _listener.AcceptTcpClientAsync(); } catch (Exception) { return; }
            Interlocked.Increment(ref _count); Interlocked.Increment(ref _open);
            _ = Task.Run(async () => {
                using (client) using (var server = new TcpClient()) {
                    try {
                        client.NoDelay = true; server.NoDelay = true;
                        await server.ConnectAsync(IPAddress.Loopback, _backend);
                        var a = client.GetStream().CopyToAsync(server.GetStream()); var b = server.GetStream().CopyToAsync(client.GetStream());
                        await Task.WhenAny(a, b);
                    } catch (Exception) { }
                }
                Interlocked.Decrement(ref _open);
            });
        }
    }
    public void Dispose() => _listener.Stop();
}
'@
}

function New-CountingRelay {
    <# .SYNOPSIS A CountingRelay on a free 127.0.0.1 port forwarding to 127.0.0.1:-BackendPort (Port, Count, Open, Reset(), Dispose()). #>
    param([Parameter(Mandatory)] [int] $BackendPort)
    [CountingRelay]::new($BackendPort)
}

function Wait-RelayIdle {
    <# .SYNOPSIS Waits (at most -TimeoutSec) until every connection through the relay is closed, so its Count is final; returns the count. #>
    param([Parameter(Mandatory)] $Relay, [int] $TimeoutSec = 10)
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSec)
    while ($Relay.Open -gt 0 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
    $Relay.Count
}
