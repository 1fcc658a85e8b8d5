using System;
using System.IO;
using System.Threading;

namespace TlsTools.Handshake;

/// <summary>
/// Something said over a connection once its handshake is done, before it is closed: Test-TlsServer's GET of /
/// (HSTS, Server header) rides on the handshake it already makes rather than costing another one.
/// </summary>
public interface IApplicationExchange
{
    /// <summary>
    /// The most the exchange may take of its own, however much of the target's deadline is left: the engine closes
    /// the socket when it has passed, which unblocks a read from a server that trickles.
    /// </summary>
    TimeSpan TimeLimit { get; }

    /// <summary>
    /// Runs on the engine's thread over the decrypted stream. <paramref name="budget"/> is the smaller of
    /// <see cref="TimeLimit"/> and what is left of the deadline: the socket's read and write timeouts are set to it
    /// and the socket is closed when it has passed, after <paramref name="budgetSpent"/> is cancelled (so a read that
    /// fails then can be told from a server that broke off). Must not throw: it records its own outcome.
    /// </summary>
    void Run(Stream connection, TimeSpan budget, CancellationToken budgetSpent);

    /// <summary>The connection failed under the exchange (the deadline closed it, the server broke off): records why.</summary>
    void Failed(Exception error);

    /// <summary>The handshake used the whole deadline: the exchange did not run, and records why.</summary>
    void NoTimeLeft();
}
