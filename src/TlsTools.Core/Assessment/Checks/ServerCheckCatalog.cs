using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using TlsTools.Catalog;

namespace TlsTools.Assessment.Checks;

/// <summary>One row of checks.tsv.</summary>
public sealed class ServerCheckDefinition
{
    internal ServerCheckDefinition(string name, string? cve, string group, string source, Func<ServerCheck> create)
    {
        Name = name;
        Cve = cve;
        Group = group;
        Source = source;
        Create = create;
    }

    public string Name { get; }
    public string? Cve { get; }
    public string Group { get; }
    public string Source { get; }
    internal Func<ServerCheck> Create { get; }

    public override string ToString() => Name;
}

/// <summary>The check table (Data/checks.tsv) joined with the classes that implement its rows.</summary>
public static class ServerCheckCatalog
{
    /// <summary>The implementation of every row, by name. A new check is a class, a row, and a line here.</summary>
    static readonly IReadOnlyDictionary<string, Func<ServerCheck>> Implementations = new Dictionary<string, Func<ServerCheck>>(StringComparer.OrdinalIgnoreCase)
    {
        ["Compression"] = () => new CompressionCheck(),
        ["SecureRenegotiation"] = () => new SecureRenegotiationCheck(),
        ["InsecureRenegotiation"] = () => new InsecureRenegotiationCheck(),
        ["ClientRenegotiation"] = () => new ClientRenegotiationCheck(),
        ["FallbackScsv"] = () => new FallbackScsvCheck(),
        ["Poodle"] = () => new PoodleCheck(),
        ["Drown"] = () => new DrownCheck(),
        ["Freak"] = () => new FreakCheck(),
        ["Logjam"] = () => new LogjamCheck(),
        ["Sweet32"] = () => new Sweet32Check(),
        ["Rc4"] = () => new Rc4Check(),
        ["Beast"] = () => new BeastCheck(),
        ["Lucky13"] = () => new Lucky13Check(),
        ["UnknownExtensionIntolerance"] = () => new UnknownExtensionIntoleranceCheck(),
        ["GreaseIntolerance"] = () => new GreaseIntoleranceCheck(),
        ["HelloSize256Intolerance"] = () => new HelloSize256IntoleranceCheck(),
        ["ManySuitesIntolerance"] = () => new ManySuitesIntoleranceCheck(),
        ["Tls13HelloIntolerance"] = () => new Tls13HelloIntoleranceCheck(),
        ["ExtendedMasterSecret"] = () => new ExtendedMasterSecretCheck(),
        ["Heartbleed"] = () => new HeartbleedCheck(),
        ["CcsInjection"] = () => new CcsInjectionCheck(),
    };

    static readonly Lazy<IReadOnlyList<ServerCheckDefinition>> Rows = new Lazy<IReadOnlyList<ServerCheckDefinition>>(Load);

    /// <summary>Every check, in the table's order.</summary>
    public static IReadOnlyList<ServerCheckDefinition> All => Rows.Value;

    /// <summary>The check of that name (any case); null when there is none.</summary>
    public static ServerCheckDefinition? Find(string name) => All.FirstOrDefault(d => string.Equals(d.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The checks to run: <paramref name="include"/> (all when null or empty) less <paramref name="exclude"/>, in the
    /// table's order. Wildcards (*, ?) match as -Check 'Heart*' does. Throws <see cref="ArgumentException"/> naming a
    /// name that matches no check.
    /// </summary>
    public static IReadOnlyList<ServerCheckDefinition> Select(IEnumerable<string>? include, IEnumerable<string>? exclude)
    {
        var included = include?.ToList() is { Count: > 0 } names ? Matching(names, "-Check") : All.ToList();
        var excluded = exclude?.ToList() is { Count: > 0 } skip ? Matching(skip, "-ExcludeCheck") : new List<ServerCheckDefinition>();
        return All.Where(d => included.Contains(d) && !excluded.Contains(d)).ToList();
    }

    static List<ServerCheckDefinition> Matching(List<string> patterns, string parameter)
    {
        var matched = new List<ServerCheckDefinition>();
        foreach (var pattern in patterns)
        {
            var hits = All.Where(d => WildcardMatch(pattern, d.Name)).ToList();
            if (hits.Count == 0)
                throw new ArgumentException($"{parameter}: there is no check '{pattern}'. The checks are: {string.Join(", ", All.Select(d => d.Name))}.");
            matched.AddRange(hits);
        }
        return matched;
    }

    /// <summary>Case-insensitive * and ? matching (PowerShell's WildcardPattern is not available in Core).</summary>
    internal static bool WildcardMatch(string pattern, string text)
    {
        var regex = "^" + System.Text.RegularExpressions.Regex.Escape(pattern).Replace("\\*", ".*").Replace("\\?", ".") + "$";
        return System.Text.RegularExpressions.Regex.IsMatch(text, regex, System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant);
    }

    static IReadOnlyList<ServerCheckDefinition> Load()
    {
        var rows = TsvTable.LoadResource("TlsTools.Assessment.Checks.Data.", "checks.tsv");
        var definitions = rows.Select(row =>
        {
            var name = row["Name"];
            if (!Implementations.TryGetValue(name, out var create))
                throw new InvalidDataException($"checks.tsv line {row["#line"]}: no class implements the check {name}.");
            return new ServerCheckDefinition(name, row["Cve"].Length == 0 ? null : row["Cve"], row["Group"], row["Source"], create);
        }).ToList();
        var duplicate = definitions.GroupBy(d => d.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate != null) throw new InvalidDataException($"checks.tsv names {duplicate.Key} twice.");
        var withoutRow = Implementations.Keys.Where(k => definitions.All(d => !string.Equals(d.Name, k, StringComparison.OrdinalIgnoreCase))).ToList();
        if (withoutRow.Count > 0) throw new InvalidDataException($"checks.tsv has no row for the checks [{string.Join(", ", withoutRow)}].");
        return definitions;
    }
}
