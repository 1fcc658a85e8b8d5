using System;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using TlsTools;
using TlsTools.Probing;
using TlsTools.Protocol;
using Xunit;

namespace TlsTools.Core.Tests;

public class ProbingSchedulerTests
{
    private static byte[] Hello() => ClientHelloBuilder.Build(new ClientHelloOptions { Versions = TlsProtocol.Tls12 });

    [Fact]
    public async Task NeverHasMoreThanTheLimitOpen_AndCountsEveryConnection()
    {
        // A listener that accepts and never answers: each probe holds its connection until its deadline.
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int open = 0, maxOpen = 0;
        using (var stop = new CancellationTokenSource())
        {
            var acceptLoop = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    TcpClient client;
                    try { client = await listener.AcceptTcpClientAsync(); } catch (Exception) { return; }
                    int now = Interlocked.Increment(ref open);
                    lock (listener) maxOpen = Math.Max(maxOpen, now);
                    _ = Task.Run(async () =>
                    {
                        var buffer = new byte[4096];
                        try { while (await client.GetStream().ReadAsync(buffer, 0, buffer.Length) > 0) { } } catch (Exception) { }
                        Interlocked.Decrement(ref open);
                        client.Dispose();
                    });
                }
            });

            using (var scheduler = new ProbeScheduler((IPEndPoint)listener.LocalEndpoint, 2, TimeSpan.FromMilliseconds(300)))
            {
                var outcomes = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => scheduler.SendAsync(Hello(), "test", false, CancellationToken.None)));

                // The peer never answers, so only the 300 ms deadline can end a probe: every one ended as Timeout.
                Assert.All(outcomes, o => Assert.Equal(HelloOutcomeKind.Timeout, o.Kind));
                Assert.Equal(6, scheduler.Connections);
                // The scheduler's own count is exact. The server sees each close only when its read loop (on the thread
                // pool) gets to it, which on a loaded machine can be after the next wave has connected: its count may
                // overlap by up to one wave (4), never reach all six that a scheduler without a limit would open.
                Assert.Equal(2, scheduler.MaxInFlight);
                Assert.True(maxOpen <= 4, $"{maxOpen} connections were open at once at the server");
                // Six connections, never more than two in flight: three waves, each ended by its deadline. How long that
                // takes is a benchmark's question (build.ps1 Bench), not this test's.
            }
            stop.Cancel();
            listener.Stop();
            await acceptLoop;
        }
    }

    [Fact]
    public async Task EndlessRecords_AreCutOffByTheDeadline()
    {
        // A peer that streams handshake fragments forever: bounded by the message limit or the deadline, never memory.
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var serve = Task.Run(async () =>
        {
            using (var client = await listener.AcceptTcpClientAsync())
            {
                var record = new byte[] { 22, 3, 3, 0x40, 0x00 }.Concat(new byte[] { 2, 0xFF, 0xFF, 0xFF }).Concat(new byte[0x4000 - 4]).ToArray();
                try { for (int i = 0; i < 100000; i++) await client.GetStream().WriteAsync(record, 0, record.Length); } catch (Exception) { }
            }
        });
        using (var scheduler = new ProbeScheduler((IPEndPoint)listener.LocalEndpoint, 1, TimeSpan.FromSeconds(5)))
        {
            var outcome = await scheduler.SendAsync(Hello(), "endless", true, CancellationToken.None);
            Assert.Equal(HelloOutcomeKind.NotTls, outcome.Kind);
            Assert.Contains("exceeds the limit", outcome.Detail);
        }
        listener.Stop();
        await serve;
    }
}
