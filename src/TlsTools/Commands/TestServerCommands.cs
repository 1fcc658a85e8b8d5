using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Net;
using System.Net.Sockets;
using TlsTools.TestServers;

namespace TlsTools.Commands;

/// <summary>
/// Starts local servers that reproduce one misconfiguration each. Error ids are bare: PowerShell appends
/// the cmdlet's class name to them itself.
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "TlsTestServer")]
[OutputType(typeof(TestServer))]
public sealed class StartTlsTestServerCommand : PSCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(TestServerScenarioCompleter))]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Scenario { get; set; } = Array.Empty<string>();

    /// <summary>0 (the default) picks a free port.</summary>
    [Parameter]
    [ValidateRange(0, 65535)]
    public int Port { get; set; }

    [Parameter]
    [ValidateNotNull]
    public IPAddress BindAddress { get; set; } = IPAddress.Loopback;

    protected override void ProcessRecord()
    {
        foreach (var pattern in Scenario)
        {
            var names = ScenarioNames.Matching(pattern);
            if (names.Count == 0)
            {
                WriteError(new ErrorRecord(new ArgumentException($"There is no test server scenario '{pattern}'. Get-TlsTestServer -ListAvailable lists them."),
                    "ScenarioNotFound", ErrorCategory.ObjectNotFound, pattern));
                continue;
            }
            if (Port != 0 && names.Count > 1)
            {
                WriteError(new ErrorRecord(new ArgumentException($"-Port {Port} can serve one scenario, but '{pattern}' names {names.Count}. Leave -Port out to get free ports."),
                    "PortForSeveralScenarios", ErrorCategory.InvalidArgument, pattern));
                continue;
            }
            foreach (var name in names) Start(name);
        }
    }

    void Start(string name)
    {
        try
        {
            var server = TestServerHost.Start(name, BindAddress, Port);
            WriteVerbose($"{server.Scenario}: listening on {server.ComputerName}:{server.Port}; expect {server.ExpectedFailure} (rule {server.ExpectedRule}).");
            WriteObject(server);
        }
        catch (SocketException ex)
        {
            WriteError(new ErrorRecord(ex, "BindFailed", ErrorCategory.ResourceUnavailable, $"{BindAddress}:{Port}")
            {
                ErrorDetails = new ErrorDetails($"Cannot listen on {BindAddress} port {Port} for scenario {name}: {ex.Message}"),
            });
        }
    }
}

/// <summary>Lists the running test servers, or (-ListAvailable) every scenario there is.</summary>
[Cmdlet(VerbsCommon.Get, "TlsTestServer", DefaultParameterSetName = RunningSet)]
[OutputType(typeof(TestServer), ParameterSetName = new[] { RunningSet })]
[OutputType(typeof(TestServerScenario), ParameterSetName = new[] { ListAvailableSet })]
public sealed class GetTlsTestServerCommand : PSCmdlet
{
    const string RunningSet = "Running", ListAvailableSet = "ListAvailable";

    [Parameter(Position = 0)]
    [ArgumentCompleter(typeof(TestServerScenarioCompleter))]
    [SupportsWildcards]
    public string[]? Scenario { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = ListAvailableSet)]
    public SwitchParameter ListAvailable { get; set; }

    protected override void EndProcessing()
    {
        if (ListAvailable)
            WriteObject(TestServerHost.Scenarios.Where(s => Wanted(s.Scenario)), enumerateCollection: true);
        else
            WriteObject(TestServerHost.List().Where(s => Wanted(s.Scenario)), enumerateCollection: true);
    }

    bool Wanted(string scenario) => Scenario == null || Scenario.Any(p => ScenarioNames.Matches(p, scenario));
}

/// <summary>Stops the test servers it is piped, or all of them; their ports are free again when it returns.</summary>
[Cmdlet(VerbsLifecycle.Stop, "TlsTestServer", DefaultParameterSetName = InputObjectSet, SupportsShouldProcess = true)]
[OutputType(typeof(TestServer))]
public sealed class StopTlsTestServerCommand : PSCmdlet
{
    const string InputObjectSet = "InputObject", AllSet = "All";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
    [ValidateNotNull]
    public TestServer[] InputObject { get; set; } = Array.Empty<TestServer>();

    [Parameter(Mandatory = true, ParameterSetName = AllSet)]
    public SwitchParameter All { get; set; }

    /// <summary>Writes each stopped server to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var server in All ? TestServerHost.List() : InputObject)
        {
            if (!ShouldProcess($"{server.Scenario} on {server.ComputerName}:{server.Port}", "Stop")) continue;
            if (TestServerHost.Stop(server))   // already stopped: nothing to do, not an error
                WriteVerbose($"{server.Scenario}: stopped; port {server.Port} is free.");
            if (PassThru) WriteObject(server);
        }
    }
}

/// <summary>Scenario names for the -Scenario parameters, with wildcard matching.</summary>
static class ScenarioNames
{
    public static bool Matches(string pattern, string name) =>
        new WildcardPattern(pattern, WildcardOptions.IgnoreCase).IsMatch(name);

    public static IReadOnlyList<string> Matching(string pattern) =>
        TestServerHost.ScenarioNames.Where(n => Matches(pattern, n)).ToList();
}

/// <summary>Tab completion of -Scenario: every scenario name, with its description as the tooltip.</summary>
public sealed class TestServerScenarioCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var typed = (wordToComplete ?? "").Trim('\'', '"');
        return TestServerHost.Scenarios
            .Where(s => s.Scenario.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
            .Select(s => new CompletionResult(s.Scenario, s.Scenario, CompletionResultType.ParameterValue, s.Description));
    }
}

/// <summary>Removing the module stops every test server and deletes the run's root certificate file.</summary>
public sealed class TestServerCleanup : IModuleAssemblyCleanup
{
    public void OnRemove(PSModuleInfo psModuleInfo) => TestServerHost.Shutdown();
}
