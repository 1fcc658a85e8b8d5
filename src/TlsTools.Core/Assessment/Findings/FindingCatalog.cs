using System;
using System.Collections.Generic;
using System.Linq;
using TlsTools.Catalog;

namespace TlsTools.Assessment.Findings;

/// <summary>One kind of finding, as Data/findings.tsv gives it.</summary>
public sealed class FindingDefinition
{
    internal FindingDefinition(string id, FindingSeverity severity, string fix, string title, string remedy, int order)
    {
        Id = id; Severity = severity; Fix = fix; Title = title; Remedy = remedy; Order = order;
    }

    public string Id { get; }
    public FindingSeverity Severity { get; }
    /// <summary>The section of the product templates with the lines that fix it; "None" when no configuration line does.</summary>
    public string Fix { get; }
    public string Title { get; }
    /// <summary>What to change, in words (resolved: a reference to another table is already looked up).</summary>
    public string Remedy { get; }
    /// <summary>The row's place in the table: findings of one severity are listed in this order.</summary>
    public int Order { get; }

    public override string ToString() => $"{Severity} {Id}";
}

/// <summary>
/// The finding catalog (Data/findings.tsv): Id, severity, title, remedy and the template section that fixes each.
/// A remedy said elsewhere is read from there: a protocol version's from <see cref="ProtocolVersions"/>, a
/// failure category's from <see cref="FailureCategoryCatalog"/>.
/// </summary>
public static class FindingCatalog
{
    public const string NoFix = "None";

    /// <summary>Where a Remedy of '=kind:name' is read from.</summary>
    private static readonly Dictionary<string, Func<string, string?>> RemedyHomes = new Dictionary<string, Func<string, string?>>
    {
        ["protocol"] = name => ProtocolVersions.Find((TlsProtocol)Enum.Parse(typeof(TlsProtocol), name))?.Remedy,
        ["category"] = name => FailureCategoryCatalog.RemedyFor((FailureCategory)Enum.Parse(typeof(FailureCategory), name)),
    };

    private static readonly Lazy<Dictionary<string, FindingDefinition>> Table = new Lazy<Dictionary<string, FindingDefinition>>(Load);

    public static IReadOnlyCollection<FindingDefinition> All => Table.Value.Values.OrderBy(d => d.Order).ToList();

    public static FindingDefinition Get(string id) =>
        Table.Value.TryGetValue(id, out var definition) ? definition
        : throw new KeyNotFoundException($"'{id}' is not in the finding catalog (findings.tsv).");

    public static bool Contains(string id) => Table.Value.ContainsKey(id);

    private static Dictionary<string, FindingDefinition> Load()
    {
        var rows = TsvTable.LoadResource(FindingData.ResourcePrefix, "findings.tsv");
        return rows.Select((row, i) => new FindingDefinition(
                row["Id"],
                (FindingSeverity)Enum.Parse(typeof(FindingSeverity), row["Severity"]),
                row["Fix"],
                row["Title"],
                ResolveRemedy(row["Remedy"], row["Id"]),
                i))
            .ToDictionary(d => d.Id, StringComparer.Ordinal);
    }

    private static string ResolveRemedy(string remedy, string id)
    {
        if (!remedy.StartsWith("=", StringComparison.Ordinal)) return remedy;
        var parts = remedy.Substring(1).Split(new[] { ':' }, 2);
        if (parts.Length != 2 || !RemedyHomes.TryGetValue(parts[0], out var home))
            throw new InvalidOperationException($"findings.tsv {id}: '{remedy}' names no known remedy table ({string.Join(", ", RemedyHomes.Keys)}).");
        return home(parts[1]) ?? throw new InvalidOperationException($"findings.tsv {id}: '{remedy}' has no remedy there.");
    }
}

/// <summary>Where the finding tables and templates are embedded.</summary>
internal static class FindingData
{
    public const string ResourcePrefix = "TlsTools.Assessment.Findings.Data.";
}
