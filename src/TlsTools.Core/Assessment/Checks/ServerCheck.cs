using System.Threading.Tasks;

namespace TlsTools.Assessment.Checks;

/// <summary>
/// One vulnerability or server-behaviour check. A check is a small class: it reads the evidence the scan gathered
/// (which versions and suites are accepted) to decide whether it applies, asks the server its question over as few
/// connections as it needs (<see cref="CheckContext.ConnectAsync"/>), and returns one verdict with the evidence.
/// What it is called, its CVE, what it raises and what to change are data (Data/checks.tsv), not code.
/// </summary>
public abstract class ServerCheck
{
    /// <summary>The row of checks.tsv this class implements.</summary>
    public abstract string Name { get; }

    /// <summary>
    /// Runs the check. Never throws for anything the server does: a reset, a stall or garbage is Inconclusive with
    /// the evidence (an unexpected exception is caught by the runner and reported the same way).
    /// </summary>
    public abstract Task<CheckOutcome> RunAsync(CheckContext context);
}

/// <summary>A check's verdict and the evidence for it; the runner adds the name, CVE, remedy, connections and time.</summary>
public sealed class CheckOutcome
{
    CheckOutcome(CheckVerdict verdict, string evidence) { Verdict = verdict; Evidence = evidence; }

    public CheckVerdict Verdict { get; }
    public string Evidence { get; }

    public static CheckOutcome Vulnerable(string evidence) => new CheckOutcome(CheckVerdict.Vulnerable, evidence);
    public static CheckOutcome NotVulnerable(string evidence) => new CheckOutcome(CheckVerdict.NotVulnerable, evidence);
    public static CheckOutcome NotApplicable(string why) => new CheckOutcome(CheckVerdict.NotApplicable, why);
    public static CheckOutcome Inconclusive(string why) => new CheckOutcome(CheckVerdict.Inconclusive, why);

    public override string ToString() => $"{Verdict}: {Evidence}";
}
