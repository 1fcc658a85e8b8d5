using System;
using System.Collections.Generic;

namespace TlsTools.TestServers;

/// <summary>How a TLS scenario serves: versions, suites in server order, what it presents and what it insists on.</summary>
internal sealed class TlsServing
{
    public TlsProtocol Versions { get; set; }
    /// <summary>IANA codes in the server's preference order (it picks its own first choice the client offers).</summary>
    public IReadOnlyList<int> Suites { get; set; } = Array.Empty<int>();
    /// <summary>What the server presents (to every client, or to those without the SNI name below); every scenario names one.</summary>
    public Func<ScenarioPki, ServerCredential> Credential { get; set; } =
        _ => throw new InvalidOperationException("The TLS scenario names no credential to serve.");
    /// <summary>When set, a client whose SNI is <see cref="SniName"/> gets this instead (name-based virtual hosting).</summary>
    public Func<ScenarioPki, ServerCredential>? SniCredential { get; set; }
    public string? SniName { get; set; }
    /// <summary>No SNI: fatal unrecognized_name (112), as servers without a default site do.</summary>
    public bool RequireSni { get; set; }
    public bool RequireClientCertificate { get; set; }
    /// <summary>Finite-field DH prime size for DHE suites; 0 lets the server negotiate an RFC 7919 group.</summary>
    public int DhPrimeBits { get; set; }
    /// <summary>SSLv2 enabled beside TLS: an SSLv2 CLIENT-HELLO gets a SERVER-HELLO with these kinds (those the client offered), in this order.</summary>
    public IReadOnlyList<Protocol.Ssl2CipherKind>? Ssl2Kinds { get; set; }
    /// <summary>How long the server sits on the ClientHello before it answers.</summary>
    public TimeSpan HelloDelay { get; set; }
    /// <summary>An intolerant server's rule (<see cref="HelloIntolerance"/>): hello and its length in, what it does instead of serving.</summary>
    public Func<Protocol.ClientHello, int, Refusal>? Refuses { get; set; }
    /// <summary>
    /// A flaw no library has any more (Heartbleed, CCS injection), played on the wire for the hellos it takes; every
    /// other hello is served as the rest of the serving says.
    /// </summary>
    public IWireFlaw? Flaw { get; set; }
}

/// <summary>One row of the scenario table: what it reproduces, what a client must report, how it is served.</summary>
internal sealed class ScenarioDefinition
{
    public ScenarioDefinition(string name, FailureCategory expectedFailure, string expectedRule, string description,
        Func<ScenarioPki, IConnectionHandler> serve, string? serverName)
    {
        Name = name;
        ExpectedFailure = expectedFailure;
        ExpectedRule = expectedRule;
        Description = description;
        Serve = serve;
        ServerName = serverName;
    }

    public string Name { get; }
    /// <summary>What Test-TlsHandshake (default settings, -TrustedRootPath of the run) reports; None when it succeeds.</summary>
    public FailureCategory ExpectedFailure { get; }
    /// <summary>The diagnosis rule that decides it (Test-TlsHandshake's DiagnosisRule, same settings): HandshakeTrusted when it succeeds.</summary>
    public string ExpectedRule { get; }
    public string Description { get; }
    /// <summary>The SNI name a client should use; null when the scenario is about clients that send none.</summary>
    public string? ServerName { get; }
    /// <summary>Builds the connection handler (credentials are issued from the run's PKI when the server starts).</summary>
    public Func<ScenarioPki, IConnectionHandler> Serve { get; }
}
