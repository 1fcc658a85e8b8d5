using System;
using System.Text.RegularExpressions;

namespace TlsTools.Catalog;

/// <summary>Where a <see cref="TextPattern"/> matched, and the alert it captured, if any.</summary>
public sealed class TextMatch
{
    internal TextMatch(int index, string text, string? alertCapture)
    {
        Index = index;
        Text = text;
        AlertCapture = alertCapture;
    }

    public int Index { get; }
    /// <summary>The matched text.</summary>
    public string Text { get; }
    /// <summary>The alert number or name the pattern captured (groups 'alert' / 'alertname'), else null.</summary>
    public string? AlertCapture { get; }
}

/// <summary>
/// One pattern of the error-message table: a case-insensitive substring, or (prefix "re:") a regular expression.
/// Plain substrings are the common case and cost one IndexOf; regexes are compiled once, on first use of the table,
/// because a whole server log is matched against every row.
/// </summary>
public sealed class TextPattern
{
    private const string RegexPrefix = "re:";
    /// <summary>The compiled expression of a "re:" pattern; null for a plain substring, which is <see cref="Source"/> itself.</summary>
    private readonly Regex? _regex;

    public TextPattern(string source)
    {
        if (string.IsNullOrEmpty(source)) throw new ArgumentException("A pattern is required.", nameof(source));
        Source = source;
        if (source.StartsWith(RegexPrefix, StringComparison.Ordinal))
            _regex = new Regex(source.Substring(RegexPrefix.Length),
                RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled, TimeSpan.FromSeconds(1));
    }

    /// <summary>The pattern as the table writes it.</summary>
    public string Source { get; }

    /// <summary>The first match in <paramref name="text"/>, or null.</summary>
    public TextMatch? Match(string? text)
    {
        if (text is null || text.Length == 0) return null;
        if (_regex is null)
        {
            int at = text.IndexOf(Source, StringComparison.OrdinalIgnoreCase);
            return at < 0 ? null : new TextMatch(at, text.Substring(at, Source.Length), null);
        }
        var m = _regex.Match(text);
        if (!m.Success) return null;
        string? alert = m.Groups["alert"].Success ? m.Groups["alert"].Value
            : m.Groups["alertname"].Success ? m.Groups["alertname"].Value : null;
        return new TextMatch(m.Index, m.Value, alert);
    }

    public override string ToString() => Source;
}
