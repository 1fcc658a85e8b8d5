using System.Linq;
using System.Threading.Tasks;
using TlsTools.Catalog;
using TlsTools.Protocol;

namespace TlsTools.Assessment.Checks;

/// <summary>
/// The opening both memory checks share: one ClientHello for a version below TLS 1.3, then the server's first flight
/// read up to ServerHelloDone. What the check sends next (a heartbeat, an early ChangeCipherSpec) goes in the same
/// connection, before any key exchange: the state in which the flawed servers misbehaved.
/// </summary>
public sealed class HelloFlight
{
    HelloFlight(CheckConnection? connection, ServerHello? serverHello, string? failure)
    {
        Connection = connection;
        ServerHello = serverHello;
        Failure = failure;
    }

    /// <summary>The open connection (the caller disposes it); null when it could not be opened.</summary>
    public CheckConnection? Connection { get; }
    public ServerHello? ServerHello { get; }
    /// <summary>Why there is no ServerHello and flight: an Inconclusive verdict's evidence. Null when both came.</summary>
    public string? Failure { get; }
    /// <summary>The flight ended with ServerHelloDone: the server now waits for the client's key exchange.</summary>
    public bool Complete => Failure == null;

    /// <summary>
    /// Connects, sends a <paramref name="version"/> ClientHello with the scan's accepted suites and
    /// <paramref name="extensions"/>, and reads the ServerHello and the rest of the flight (bounded message count).
    /// </summary>
    public static async Task<HelloFlight> OpenAsync(CheckContext context, TlsProtocol version, params TlsExtension[] extensions)
    {
        var options = new ClientHelloOptions
        {
            Versions = version,
            CipherSuites = context.AcceptedSuites(version).ToList(),
            ServerName = context.ServerName,
        };
        foreach (var extension in extensions) options.ExtraExtensions.Add(extension);
        var name = ProtocolVersions.DisplayName(version);
        var exchange = await HelloAnswer.SendAsync(context, options).ConfigureAwait(false);
        if (exchange.Connection is not CheckConnection connection) return new HelloFlight(null, null, exchange.ConnectFailure);
        if (exchange.ServerHello is not ServerHello serverHello) return new HelloFlight(connection, null, exchange.Failure($"a {name} ClientHello"));
        var last = await connection.ReadUntilAsync(r => r.IsHandshake(TlsHandshakeType.ServerHelloDone) || r.IsAlert).ConfigureAwait(false);
        return last.IsHandshake(TlsHandshakeType.ServerHelloDone)
            ? new HelloFlight(connection, serverHello, null)
            : new HelloFlight(connection, serverHello, $"the {name} ServerHello came, but its flight ended with {last.Detail} before ServerHelloDone");
    }
}
