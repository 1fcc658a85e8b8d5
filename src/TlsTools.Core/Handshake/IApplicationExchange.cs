using System;
using System.IO;

namespace TlsTools.Handshake;

/// <summary>
/// Something said over a connection once its handshake is done, before it is closed: Test-TlsServer's GET of /
/// (HSTS, Server header) rides on the handshake it already makes rather than costing another one.
/// </summary>
public interface IApplicationExchange
{
    /// <summary>
    /// Runs on the engine's thread over the decrypted stream. Must return within <paramref name="budget"/> (the
    /// socket's read and write timeouts are set to it) and must not throw: it records its own outcome.
    /// </summary>
    void Run(Stream connection, TimeSpan budget);

    /// <summary>The connection failed under the exchange (the deadline closed it, the server broke off): records why.</summary>
    void Failed(Exception error);

    /// <summary>The handshake used the whole deadline: the exchange did not run, and records why.</summary>
    void NoTimeLeft();
}
