using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using TlsTools.Catalog;

namespace TlsTools.Assessment.Grading;

/// <summary>One row of grade-rules.tsv: a cap or warning of the rating guide.</summary>
public sealed class GradeRule
{
    internal GradeRule(string name, string cap, string source, string guide)
    {
        Name = name;
        Cap = cap;
        Source = source;
        Guide = guide;
    }

    /// <summary>The rule's name (Ssl2Supported, NoTls13): the key of its predicate.</summary>
    public string Name { get; }
    /// <summary>The best grade the rule leaves: F, T, M, C, B, A- or A.</summary>
    public string Cap { get; }
    /// <summary>The guide version or SSL Labs announcement the rule comes from.</summary>
    public string Source { get; }
    /// <summary>What the guide says, in one sentence.</summary>
    public string Guide { get; }

    public override string ToString() => $"{Cap} {Name}";
}

/// <summary>The rule table (Assessment/Grading/Data/grade-rules.tsv), read once and checked against the predicates.</summary>
public static class GradeRuleTable
{
    static readonly Lazy<IReadOnlyList<GradeRule>> Rows = new Lazy<IReadOnlyList<GradeRule>>(Load);

    /// <summary>Every rule, in the order the grade lists them.</summary>
    public static IReadOnlyList<GradeRule> All => Rows.Value;

    static IReadOnlyList<GradeRule> Load()
    {
        var rules = TsvTable.Load("grade-rules.tsv").Select(row =>
        {
            var rule = new GradeRule(row["Rule"], row["Cap"], row["Source"], row["Guide"]);
            if (!GradeScale.Letters.Contains(rule.Cap))
                throw new InvalidDataException($"grade-rules.tsv line {row["#line"]}: cap '{rule.Cap}' of {rule.Name} is not a grade.");
            return rule;
        }).ToList();
        // One home for each rule: a row and its predicate name each other, nothing more, nothing less.
        var names = rules.Select(r => r.Name).ToList();
        var duplicate = names.GroupBy(n => n).FirstOrDefault(g => g.Count() > 1);
        if (duplicate != null) throw new InvalidDataException($"grade-rules.tsv names {duplicate.Key} twice.");
        var withoutCheck = names.Except(GradeRuleChecks.ByRule.Keys).ToList();
        var withoutRow = GradeRuleChecks.ByRule.Keys.Except(names).ToList();
        if (withoutCheck.Count > 0 || withoutRow.Count > 0)
            throw new InvalidDataException($"grade-rules.tsv and GradeRuleChecks disagree: no predicate for [{string.Join(", ", withoutCheck)}], no row for [{string.Join(", ", withoutRow)}].");
        return rules;
    }
}
