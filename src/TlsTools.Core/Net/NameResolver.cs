using System;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace TlsTools.Net;

public sealed class ResolveOutcome
{
    public IPAddress[] Addresses { get; set; } = Array.Empty<IPAddress>();
    public TimeSpan Elapsed { get; set; }
    /// <summary>Null when at least one address was found.</summary>
    public string? Error { get; set; }
    public bool TimedOut { get; set; }
}

/// <summary>Turns a host name into addresses, with a deadline.</summary>
public static class NameResolver
{
    /// <summary>
    /// Special-use names that never resolve (RFC 6761 §6.4 "invalid", RFC 2606): answered locally, so
    /// that no query for them ever leaves this machine.
    /// </summary>
    static readonly string[] NeverResolvingSuffixes = { ".invalid" };

    public static async Task<ResolveOutcome> ResolveAsync(TargetEndpoint target, TimeSpan timeout, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        if (target.IpLiteral is IPAddress literal)
            return new ResolveOutcome { Addresses = new[] { literal }, Elapsed = watch.Elapsed };

        string host = target.Host.TrimEnd('.');
        if (host.Equals("invalid", StringComparison.OrdinalIgnoreCase) ||
            NeverResolvingSuffixes.Any(s => host.EndsWith(s, StringComparison.OrdinalIgnoreCase)))
            return new ResolveOutcome { Elapsed = watch.Elapsed, Error = $"'{host}' is a reserved name that never resolves (RFC 6761)." };

        try
        {
            var lookup = Dns.GetHostAddressesAsync(host);
            var finished = await Task.WhenAny(lookup, Task.Delay(timeout, ct)).ConfigureAwait(false);
            ct.ThrowIfCancellationRequested();
            if (finished != lookup)
            {
                _ = lookup.ContinueWith(t => t.Exception, TaskScheduler.Default); // observe a late failure
                return new ResolveOutcome { Elapsed = watch.Elapsed, TimedOut = true, Error = $"No DNS answer for '{host}' within {timeout.TotalSeconds:0.#} s." };
            }
            var addresses = (await lookup.ConfigureAwait(false))
                .Where(a => a.AddressFamily == AddressFamily.InterNetwork || a.AddressFamily == AddressFamily.InterNetworkV6)
                .ToArray();
            if (addresses.Length == 0)
                return new ResolveOutcome { Elapsed = watch.Elapsed, Error = $"'{host}' has no A or AAAA record." };
            return new ResolveOutcome { Addresses = addresses, Elapsed = watch.Elapsed };
        }
        catch (SocketException ex)
        {
            string why = ex.SocketErrorCode == SocketError.HostNotFound ? "the name does not exist (NXDOMAIN)"
                : ex.SocketErrorCode == SocketError.TryAgain ? "the DNS server did not answer in time (SERVFAIL or timeout)"
                : ex.SocketErrorCode == SocketError.NoData ? "the name exists but has no address record"
                : ex.Message;
            return new ResolveOutcome { Elapsed = watch.Elapsed, Error = $"DNS lookup of '{host}' failed: {why}." };
        }
    }
}
