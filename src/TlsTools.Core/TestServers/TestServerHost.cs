using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;

namespace TlsTools.TestServers;

/// <summary>
/// The running test servers of this process, and the PKI they share (made on the first start, removed by
/// <see cref="Shutdown"/>). What Start-/Get-/Stop-TlsTestServer call; thread-safe.
/// </summary>
public static class TestServerHost
{
    static readonly object Gate = new object();
    static readonly List<TestServer> Running = new List<TestServer>();
    static ScenarioPki? _pki;

    public static IReadOnlyList<TestServerScenario> Scenarios { get; } =
        ScenarioCatalog.All.Select(s => s.ToScenario()).ToList();

    public static IReadOnlyList<string> ScenarioNames { get; } = ScenarioCatalog.All.Select(s => s.Name).ToList();

    /// <summary>Starts one server for <paramref name="scenario"/>; port 0 picks a free one.</summary>
    /// <exception cref="ArgumentException">Unknown scenario.</exception>
    /// <exception cref="System.Net.Sockets.SocketException">The address or port cannot be bound.</exception>
    public static TestServer Start(string scenario, IPAddress bindAddress, int port)
    {
        var definition = ScenarioCatalog.Find(scenario)
            ?? throw new ArgumentException($"There is no test server scenario '{scenario}'. Scenarios: {string.Join(", ", ScenarioNames)}.", nameof(scenario));
        ScenarioPki shared;
        lock (Gate)
        {
            if (_pki == null)
            {
                _pki = ScenarioPki.Create();
                // The root file lives in the temp folder only while this process may still serve.
                AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
                AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
            }
            shared = _pki;
        }
        var listener = new ScenarioListener(bindAddress, port, definition.Serve(shared));
        var server = definition.ToServer(ConnectName(bindAddress), listener, shared.TrustedRootPath);
        lock (Gate) Running.Add(server);
        return server;
    }

    public static IReadOnlyList<TestServer> List()
    {
        lock (Gate) return Running.ToList();
    }

    /// <summary>Stops the server and releases its port; false when it was not running (already stopped).</summary>
    public static bool Stop(TestServer server)
    {
        lock (Gate)
            if (!Running.Remove(server)) return false;
        server.Listener.Dispose();
        return true;
    }

    public static IReadOnlyList<TestServer> StopAll()
    {
        var stopped = List();
        foreach (var server in stopped) Stop(server);
        return stopped;
    }

    /// <summary>Stops everything and deletes the PKI's root file: the module is being removed (or the process ends).</summary>
    public static void Shutdown()
    {
        StopAll();
        lock (Gate)
        {
            _pki?.Dispose();
            _pki = null;
        }
    }

    static void OnProcessExit(object sender, EventArgs e) => Shutdown();

    /// <summary>The address a client connects to: the bound one, or loopback for a wildcard bind.</summary>
    static string ConnectName(IPAddress bound) =>
        bound.Equals(IPAddress.Any) ? IPAddress.Loopback.ToString()
        : bound.Equals(IPAddress.IPv6Any) ? IPAddress.IPv6Loopback.ToString()
        : bound.ToString();
}
