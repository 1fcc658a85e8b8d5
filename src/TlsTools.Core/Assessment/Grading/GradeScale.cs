using System;
using System.Collections.Generic;

namespace TlsTools.Assessment.Grading;

/// <summary>The letters in order, best first, so that "at least B" is a comparison.</summary>
public static class GradeScale
{
    /// <summary>T (not trusted) and M (name mismatch) rank below F: a client refuses the server whatever its configuration.</summary>
    public static readonly IReadOnlyList<string> Letters = new[] { "A+", "A", "A-", "B", "C", "D", "E", "F", "T", "M" };

    /// <summary>The letters -MinimumGrade accepts.</summary>
    public static readonly IReadOnlyList<string> Minimums = new[] { "A+", "A", "A-", "B", "C", "D", "E", "F" };

    public static int Rank(string grade)
    {
        for (int i = 0; i < Letters.Count; i++)
            if (string.Equals(Letters[i], grade, StringComparison.OrdinalIgnoreCase)) return i;
        throw new ArgumentException($"'{grade}' is not a grade: give one of {string.Join(", ", Letters)}.", nameof(grade));
    }

    /// <summary>True when <paramref name="grade"/> is <paramref name="minimum"/> or better; a null grade (not assessed) never is.</summary>
    public static bool AtLeast(string? grade, string minimum) =>
        grade != null && Rank(grade) <= Math.Min(Rank(minimum), Letters.Count - 3);
}
