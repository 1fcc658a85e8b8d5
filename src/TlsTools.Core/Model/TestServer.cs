using System;

namespace TlsTools;

/// <summary>
/// A running test server. ComputerName, Port, ServerName and TrustedRootPath bind by property name to every
/// network cmdlet, so <c>Start-TlsTestServer Expired | Test-TlsHandshake</c> just works.
/// </summary>
public sealed class TestServer
{
    /// <param name="listener">What serves the port; stopping the server disposes it (TestServers owns what it is).</param>
    internal TestServer(TestServerScenario scenario, string? serverName, string computerName, int port, string trustedRootPath, IDisposable listener)
    {
        Scenario = scenario.Scenario;
        ComputerName = computerName;
        Port = port;
        ServerName = serverName;
        TrustedRootPath = trustedRootPath;
        Description = scenario.Description;
        ExpectedFailure = scenario.ExpectedFailure;
        ExpectedRule = scenario.ExpectedRule;
        Listener = listener;
    }

    public string Scenario { get; }
    public string ComputerName { get; }
    public int Port { get; }
    /// <summary>The SNI name to use; null for the scenarios about clients that send none.</summary>
    public string? ServerName { get; }
    /// <summary>PEM file of the run's root CA: trust it and only the scenario's own fault remains.</summary>
    public string TrustedRootPath { get; }
    public string Description { get; }
    /// <summary>What Test-TlsHandshake reports for this server with default settings and -TrustedRootPath; None when it succeeds.</summary>
    public FailureCategory ExpectedFailure { get; }
    /// <summary>The DiagnosisRule Test-TlsHandshake reports for this server with the same settings: HandshakeTrusted when it succeeds.</summary>
    public string ExpectedRule { get; }

    internal IDisposable Listener { get; }

    public override string ToString() => $"{Scenario} {ComputerName}:{Port}";
}

/// <summary>A scenario Start-TlsTestServer can run (Get-TlsTestServer -ListAvailable).</summary>
public sealed class TestServerScenario
{
    internal TestServerScenario(string scenario, FailureCategory expectedFailure, string expectedRule, string description)
    {
        Scenario = scenario;
        ExpectedFailure = expectedFailure;
        ExpectedRule = expectedRule;
        Description = description;
    }

    public string Scenario { get; }
    public FailureCategory ExpectedFailure { get; }
    /// <summary>The DiagnosisRule Test-TlsHandshake reports (default settings, -TrustedRootPath of the run).</summary>
    public string ExpectedRule { get; }
    public string Description { get; }

    public override string ToString() => Scenario;
}
