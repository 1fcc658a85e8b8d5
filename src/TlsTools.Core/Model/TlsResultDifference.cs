namespace TlsTools;

/// <summary>One aspect of one endpoint compared between two result sets (Compare-TlsResult).</summary>
public sealed class TlsResultDifference
{
    public string ComputerName { get; set; } = "";
    public int Port { get; set; }
    /// <summary>What was compared: Target, Outcome, Certificate, Protocol, CipherSuite, Versions, Suites, Interception.</summary>
    public string Aspect { get; set; } = "";
    public bool Differs { get; set; }
    public string ReferenceValue { get; set; } = "";
    public string DifferenceValue { get; set; } = "";
    /// <summary>The difference in one sentence.</summary>
    public string Description { get; set; } = "";

    public override string ToString() => $"{ComputerName}:{Port} {Aspect}: {Description}";
}
