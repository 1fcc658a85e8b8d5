using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;

namespace TlsTools;

/// <summary>What a vulnerability or server-behaviour check concluded. Each verdict carries its evidence.</summary>
public enum CheckVerdict
{
    /// <summary>The flaw was seen on the wire.</summary>
    Vulnerable,
    /// <summary>The server was asked the check's question and answered as a server without the flaw does.</summary>
    NotVulnerable,
    /// <summary>The flaw needs something the server does not offer (compression below TLS 1.3, a DHE suite for Logjam); no connection is made for it.</summary>
    NotApplicable,
    /// <summary>The check could not decide (no answer, reset, garbage, no time left): never read as NotVulnerable.</summary>
    Inconclusive,
}

/// <summary>One check of Test-TlsServer (Heartbleed, Robot, SecureRenegotiation, ...), run against one server.</summary>
public sealed class ServerCheckResult
{
    /// <summary>The check's name in the check table (Assessment/Checks/Data/checks.tsv): what -Check and -ExcludeCheck take.</summary>
    public string Name { get; set; } = "";
    /// <summary>The CVE the check is about ("CVE-2014-0160"), several joined with ", "; null for behaviour checks.</summary>
    public string? Cve { get; set; }
    public CheckVerdict Verdict { get; set; }
    /// <summary>What crossed the wire that decided the verdict (or, Inconclusive, why nothing could).</summary>
    public string Evidence { get; set; } = "";
    /// <summary>What to change when Vulnerable; null otherwise.</summary>
    public string? Remedy { get; set; }
    /// <summary>TCP connections the check made.</summary>
    public int ConnectionCount { get; set; }
    public double DurationMs { get; set; }

    public override string ToString() => $"{Name}: {Verdict}";
}

/// <summary>
/// The checks run on one server. Its text form (what Export-Csv writes) names the ones that matter for a row in a
/// spreadsheet: "Vulnerable: Heartbleed, Robot; Inconclusive: Ticketbleed"; empty when every check passed.
/// </summary>
public sealed class ServerCheckResultList : ReadOnlyCollection<ServerCheckResult>
{
    public static readonly ServerCheckResultList Empty = new ServerCheckResultList(new ServerCheckResult[0]);
    public ServerCheckResultList(IList<ServerCheckResult> results) : base(results) { }

    /// <summary>The result of the check of that name; null when it did not run.</summary>
    public ServerCheckResult? this[string name] => this.FirstOrDefault(r => string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase));

    public override string ToString() =>
        string.Join("; ", new[] { CheckVerdict.Vulnerable, CheckVerdict.Inconclusive }
            .Select(v => (Verdict: v, Names: this.Where(r => r.Verdict == v).Select(r => r.Name).ToList()))
            .Where(g => g.Names.Count > 0)
            .Select(g => $"{g.Verdict}: {string.Join(", ", g.Names)}"));
}
