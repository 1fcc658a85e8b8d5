using System;
using System.Collections.Generic;
using System.Linq;
using TlsTools.Catalog;

namespace TlsTools.Assessment.Findings;

/// <summary>Where a cause comes from: a grade cap's rule, a profile deviation's aspect, a chain problem.</summary>
public enum CauseSource
{
    Grade,
    Profile,
    Chain,
    /// <summary>A vulnerability or behaviour check (Assessment/Checks) that found the server Vulnerable.</summary>
    Check,
}

/// <summary>One row of Data/finding-causes.tsv: the finding a cause raises, unless one it lists already explains it.</summary>
public sealed class FindingCause
{
    internal FindingCause(CauseSource source, string cause, string finding, IReadOnlyList<string> explainedBy)
    {
        Source = source; Cause = cause; Finding = finding; ExplainedBy = explainedBy;
    }

    public CauseSource Source { get; }
    /// <summary>The rule (Tls10Supported), the aspect (Protocol) or the problem (IncompleteChain).</summary>
    public string Cause { get; }
    public string Finding { get; }
    public IReadOnlyList<string> ExplainedBy { get; }
}

/// <summary>The one mapping from cause to finding Id (Data/finding-causes.tsv).</summary>
public static class FindingCauses
{
    private static readonly Lazy<Dictionary<(CauseSource, string), FindingCause>> Table = new Lazy<Dictionary<(CauseSource, string), FindingCause>>(Load);

    public static IReadOnlyCollection<FindingCause> All => Table.Value.Values;

    /// <summary>The row for a cause; null when the table has none (a grade rule added without its finding).</summary>
    public static FindingCause? Find(CauseSource source, string cause) =>
        Table.Value.TryGetValue((source, cause), out var row) ? row : null;

    private static Dictionary<(CauseSource, string), FindingCause> Load()
    {
        var rows = TsvTable.LoadResource(FindingData.ResourcePrefix, "finding-causes.tsv").Select(row => new FindingCause(
            (CauseSource)Enum.Parse(typeof(CauseSource), row["Source"]),
            row["Cause"],
            row["Finding"],
            row["ExplainedBy"].Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries)));
        return rows.ToDictionary(r => (r.Source, r.Cause));
    }
}
