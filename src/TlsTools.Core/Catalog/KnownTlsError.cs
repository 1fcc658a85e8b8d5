using System.Globalization;

namespace TlsTools.Catalog;

/// <summary>How much a row of the error table tells: among rows that match one text, the higher rank wins.</summary>
public enum MatchRank
{
    /// <summary>Says only that TLS failed ("curl: (35)", "SSL_do_handshake() failed"); any more specific row wins.</summary>
    Wrapper = 1,
    /// <summary>Names a cause.</summary>
    Cause = 2,
    /// <summary>Names a cause with more evidence (an alert number, a vendor code with the reason).</summary>
    Specific = 3,
}

/// <summary>
/// One row of Data/tls-error-messages.tsv: a message, code or alert some TLS stack writes, what it means, and its cause.
/// </summary>
public sealed class KnownTlsError
{
    internal KnownTlsError(int line, string source, TextPattern pattern, FailureCategory? category, MatchRank rank,
        byte? alert, string? reference, string explanation, string? remedy, string? sample)
    {
        Line = line;
        Source = source;
        Pattern = pattern;
        Category = category;
        Rank = rank;
        Alert = alert;
        Reference = reference;
        Explanation = explanation;
        Remedy = remedy;
        Sample = sample;
    }

    /// <summary>The line of the table file, for messages about the table itself.</summary>
    public int Line { get; }
    /// <summary>The tool that writes this text: openssl, curl, java, dotnet, schannel, python, go, browser, nginx, tls-alert, ...</summary>
    public string Source { get; }
    public TextPattern Pattern { get; }
    /// <summary>The cause; null for a row that carries an alert, whose cause is the alert's.</summary>
    public FailureCategory? Category { get; }
    public MatchRank Rank { get; }
    /// <summary>The TLS alert number of a tls-alert row.</summary>
    public byte? Alert { get; }
    public string? Reference { get; }
    public string Explanation { get; }
    /// <summary>A remedy particular to this message; null when the category's remedy applies.</summary>
    public string? Remedy { get; }
    /// <summary>A real text this row must win (the tests check it).</summary>
    public string? Sample { get; }

    /// <summary>True for a row whose cause is the alert its pattern captures.</summary>
    public bool CarriesAlert => Category == null;

    public override string ToString() =>
        $"{Source} '{Pattern}' ({(Category?.ToString() ?? "alert")}, line {Line.ToString(CultureInfo.InvariantCulture)})";
}
