using System;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;

namespace TlsTools.Net;

public enum ConnectError { None, Refused, Timeout, Unreachable, Other }

public sealed class ConnectOutcome
{
    /// <summary>The connected socket; null when none connected.</summary>
    public Socket? Socket { get; set; }
    /// <summary>The address last tried; null when there was no time to try any.</summary>
    public IPAddress? Address { get; set; }
    public TimeSpan Elapsed { get; set; }
    public ConnectError Error { get; set; }
    /// <summary>Why the connection failed; null when it connected.</summary>
    public string? Message { get; set; }
}

/// <summary>TCP connect with a deadline that cannot be exceeded (the socket is closed when it passes).</summary>
public static class TcpConnector
{
    /// <summary>Tries each address in turn, as clients do, until one connects or the deadline passes.</summary>
    /// <param name="maxSegmentSize">When above zero, the MSS this socket announces in its SYN (TCP_MAXSEG): the
    /// path-MTU follow-up asks the server for small segments. Zero leaves the OS default.</param>
    public static async Task<ConnectOutcome> ConnectAsync(IPAddress[] addresses, int port, TimeSpan timeout, CancellationToken ct, int maxSegmentSize = 0)
    {
        var watch = Stopwatch.StartNew();
        ConnectOutcome? last = null;
        foreach (var address in addresses)
        {
            var remaining = timeout - watch.Elapsed;
            if (remaining <= TimeSpan.Zero) break;
            last = await ConnectOneAsync(address, port, remaining, ct, maxSegmentSize).ConfigureAwait(false);
            if (last.Error == ConnectError.None || last.Error == ConnectError.Timeout) break;
        }
        last = last ?? new ConnectOutcome { Error = ConnectError.Timeout, Message = "No time left to connect." };
        last.Elapsed = watch.Elapsed;
        return last;
    }

    static async Task<ConnectOutcome> ConnectOneAsync(IPAddress address, int port, TimeSpan timeout, CancellationToken ct, int maxSegmentSize)
    {
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        if (maxSegmentSize > 0 && !TrySetMaxSegmentSize(socket, maxSegmentSize))
        {
            socket.Dispose();
            return new ConnectOutcome { Address = address, Error = ConnectError.Other, Message = "This OS does not let a socket choose its TCP maximum segment size." };
        }
        var endpoint = new IPEndPoint(address, port);
        var connect = Task.Factory.FromAsync(socket.BeginConnect, socket.EndConnect, endpoint, null);
        try
        {
            var finished = await Task.WhenAny(connect, Task.Delay(timeout, ct)).ConfigureAwait(false);
            if (finished != connect)
            {
                socket.Dispose();
                _ = connect.ContinueWith(t => t.Exception, TaskScheduler.Default);
                ct.ThrowIfCancellationRequested();
                return new ConnectOutcome
                {
                    Address = address, Error = ConnectError.Timeout,
                    Message = $"No answer to the TCP SYN from {Format(endpoint)} within {timeout.TotalSeconds:0.#} s: packets are dropped (firewall, security group or routing), or the host is down.",
                };
            }
            await connect.ConfigureAwait(false);
            return new ConnectOutcome { Socket = socket, Address = address };
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            var (error, text) = Describe(ex.SocketErrorCode, endpoint);
            return new ConnectOutcome { Address = address, Error = error, Message = text };
        }
        catch (ObjectDisposedException)
        {
            ct.ThrowIfCancellationRequested();
            throw;
        }
    }

    // TCP_MAXSEG is 2 at IPPROTO_TCP (6) on Linux and macOS. .NET's own SetSocketOption maps only the options it
    // knows (netstandard2.0 has no SetRawSocketOption), so the call goes to libc; Windows has no settable equivalent.
    const int IpProtoTcp = 6, TcpMaxSeg = 2;

    [DllImport("libc", SetLastError = true)]
    static extern int setsockopt(IntPtr socket, int level, int option, ref int value, int length);

    static bool TrySetMaxSegmentSize(Socket socket, int bytes)
    {
        if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) return false;
        try
        {
            return setsockopt(socket.Handle, IpProtoTcp, TcpMaxSeg, ref bytes, sizeof(int)) == 0;
        }
        catch (Exception ex) when (ex is DllNotFoundException || ex is EntryPointNotFoundException)
        {
            return false;
        }
    }

    static (ConnectError, string) Describe(SocketError code, IPEndPoint endpoint)
    {
        switch (code)
        {
            case SocketError.ConnectionRefused:
                return (ConnectError.Refused, $"{Format(endpoint)} actively refused the connection (TCP RST): nothing listens on port {endpoint.Port}, or a firewall rejects it.");
            case SocketError.TimedOut:
                return (ConnectError.Timeout, $"The TCP connection to {Format(endpoint)} timed out: packets are dropped (firewall or routing), or the host is down.");
            case SocketError.NetworkUnreachable:
            case SocketError.HostUnreachable:
            case SocketError.NetworkDown:
                return (ConnectError.Unreachable, $"{Format(endpoint)} is unreachable from this machine ({code}): no route to the network.");
            default:
                return (ConnectError.Other, $"Connecting to {Format(endpoint)} failed: {code}.");
        }
    }

    public static string Format(IPEndPoint endpoint) =>
        endpoint.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{endpoint.Address}]:{endpoint.Port}" : $"{endpoint.Address}:{endpoint.Port}";
}
