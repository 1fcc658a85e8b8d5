namespace TlsTools.TestServers;

/// <summary>The Model's result objects of a scenario and of a running server: TestServers knows both sides, the Model neither.</summary>
internal static class TestServerResults
{
    public static TestServerScenario ToScenario(this ScenarioDefinition scenario) =>
        new TestServerScenario(scenario.Name, scenario.ExpectedFailure, scenario.ExpectedRule, scenario.Description);

    public static TestServer ToServer(this ScenarioDefinition scenario, string computerName, ScenarioListener listener, string trustedRootPath) =>
        new TestServer(scenario.ToScenario(), scenario.ServerName, computerName, listener.Port, trustedRootPath, listener);
}
