using System;
using System.Collections.Generic;
using System.Linq;

namespace TlsTools.Catalog;

/// <summary>
/// The remedy and the follow-up command for each <see cref="FailureCategory"/>, from Data/failure-categories.tsv.
/// One wording per cause: Test-TlsHandshake's Remedy (through Diagnosis.Remedies) and Resolve-TlsError read it here.
/// </summary>
public static class FailureCategoryCatalog
{
    /// <summary>Stands for the server's name in <see cref="NextCommandFor"/> templates.</summary>
    public const string HostPlaceholder = "<host>";

    private sealed class Advice
    {
        public Advice(string remedy, string nextCommand) { Remedy = remedy; NextCommand = nextCommand; }
        public string Remedy { get; }
        public string NextCommand { get; }
    }

    private static readonly Lazy<Dictionary<FailureCategory, Advice>> Table = new Lazy<Dictionary<FailureCategory, Advice>>(Load);

    /// <summary>What to change for this category, or null for None.</summary>
    public static string? RemedyFor(FailureCategory category) =>
        Table.Value.TryGetValue(category, out var advice) ? advice.Remedy : null;

    /// <summary>The command of this module that checks the cause, with the host filled in when known.</summary>
    public static string? NextCommandFor(FailureCategory category, string? host = null)
    {
        if (!Table.Value.TryGetValue(category, out var advice)) return null;
        return string.IsNullOrEmpty(host) ? advice.NextCommand : advice.NextCommand.Replace(HostPlaceholder, host);
    }

    /// <summary>The categories the table covers (every value but None).</summary>
    public static IReadOnlyCollection<FailureCategory> Categories => Table.Value.Keys.ToList();

    private static Dictionary<FailureCategory, Advice> Load() =>
        TsvTable.Load("failure-categories.tsv").ToDictionary(
            row => (FailureCategory)Enum.Parse(typeof(FailureCategory), row["Category"]),
            row => new Advice(row["Remedy"], row["NextCommand"]));
}
