using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using TlsTools.Net;

namespace TlsTools.Assessment.Checks;

/// <summary>
/// What a check has to work with: the scan's evidence, the target and its connection options, the target's one
/// deadline (-TimeoutSec, shared with the scan), and connections that are counted for ConnectionCount.
/// </summary>
public sealed class CheckContext
{
    int _connections;

    public CheckContext(ServerEvidence evidence, ConnectionOptions options, TargetDeadline deadline, CancellationToken cancel)
    {
        Evidence = evidence;
        Options = options;
        Deadline = deadline;
        Cancel = cancel;
    }

    public ServerEvidence Evidence { get; }
    public TargetEndpoint Target => Evidence.Target;
    public ConnectionOptions Options { get; }
    /// <summary>The SNI to send (null for none), as every other connection to the target sends it.</summary>
    public string? ServerName => Evidence.ServerName;
    public TargetDeadline Deadline { get; }
    public CancellationToken Cancel { get; }
    /// <summary>TCP connections opened so far (including failed attempts: each one reached the server or tried to).</summary>
    public int Connections => Volatile.Read(ref _connections);
    /// <summary>Narration (-Verbose), on a worker thread; may be null.</summary>
    public Action<string>? Log { get; set; }

    /// <summary>The codes of the suites the scan saw accepted with <paramref name="version"/>, in the server's order.</summary>
    public IReadOnlyList<ushort> AcceptedSuites(TlsProtocol version) =>
        Evidence.Suites.Where(s => s.Protocol == version)
            .Select(s => Catalog.CipherSuiteCatalog.Find(s.CipherSuite)?.Code)
            .Where(c => c != null).Select(c => c!.Value).ToList();

    /// <summary>The newest accepted version below TLS 1.3 (SSLv3 to TLS 1.2); None when only TLS 1.3 (or nothing) is.</summary>
    public TlsProtocol BestLegacyVersion =>
        new[] { TlsProtocol.Tls12, TlsProtocol.Tls11, TlsProtocol.Tls10, TlsProtocol.Ssl3 }.FirstOrDefault(Evidence.Accepts);

    /// <summary>
    /// Opens one connection whose reads and writes end by <paramref name="timeout"/> (capped by the time left);
    /// null when it could not be opened (the reason in <paramref name="failure"/>'s place: see <see cref="ConnectResult"/>).
    /// </summary>
    public async Task<ConnectResult> ConnectAsync(TimeSpan? timeout = null)
    {
        var wait = Deadline.Cap(timeout ?? Deadline.Remaining);
        if (wait < TargetDeadline.MinimumStep) return ConnectResult.Failed("no time left within -TimeoutSec");
        Interlocked.Increment(ref _connections);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var transport = await TransportConnector.ConnectAsync(Target, Options, wait, Cancel).ConfigureAwait(false);
        if (transport.Error != TransportError.None || transport.Socket == null)
            return ConnectResult.Failed($"connect failed: {transport.Error}{(transport.Message == null ? "" : ": " + transport.Message)}");
        var left = wait - clock.Elapsed;
        if (left < TargetDeadline.MinimumStep)
        {
            transport.Socket.Dispose();
            return ConnectResult.Failed("no time left after connecting");
        }
        return ConnectResult.Open(new CheckConnection(transport.Socket, left, Cancel));
    }
}

/// <summary>A connection, or why there is none.</summary>
public sealed class ConnectResult
{
    ConnectResult(CheckConnection? connection, string? failure) { Connection = connection; Failure = failure; }

    public CheckConnection? Connection { get; }
    /// <summary>Why no connection was opened; null when one was.</summary>
    public string? Failure { get; }

    internal static ConnectResult Open(CheckConnection connection) => new ConnectResult(connection, null);
    internal static ConnectResult Failed(string why) => new ConnectResult(null, why);
}
