using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Diagnostics.CodeAnalysis;

namespace TlsTools.Catalog;

/// <summary>A row of the error table that matched a text, with the alert row it points to when it carries an alert.</summary>
public sealed class TlsErrorMatch
{
    internal TlsErrorMatch(KnownTlsError row, TextMatch match, KnownTlsError? alertRow)
    {
        Row = row;
        Match = match;
        AlertRow = alertRow;
    }

    public KnownTlsError Row { get; }
    public TextMatch Match { get; }
    /// <summary>For a row that carries an alert: the tls-alert row of the captured alert (null if the alert is not registered).</summary>
    public KnownTlsError? AlertRow { get; }

    /// <summary>The cause: the row's own, or the carried alert's, or AlertReceived for an unregistered alert.</summary>
    public FailureCategory Category => Row.Category ?? AlertRow?.Category ?? FailureCategory.AlertReceived;

    /// <summary>Orders matches of one text: higher rank first, then the longer matched text (the more specific pattern).</summary>
    internal (int Rank, int Length) Score => ((int)Row.Rank, Match.Text.Length);
}

/// <summary>
/// The one table of TLS error messages and codes (Data/tls-error-messages.tsv), loaded at first use, followed by one
/// tls-alert row per alert of the alert table (<see cref="AlertCatalog"/>, Data/tls-alerts.tsv): an alert's name in a
/// text resolves to that alert's undirected cause. Resolve-TlsError explains texts with it.
/// </summary>
public static class TlsErrorCatalog
{
    private const string AlertSource = "tls-alert";
    private const string CarriesAlertCategory = "alert";

    private static readonly Lazy<List<KnownTlsError>> Rows = new Lazy<List<KnownTlsError>>(Load);
    private static readonly Lazy<Dictionary<byte, KnownTlsError>> AlertsByCode =
        new Lazy<Dictionary<byte, KnownTlsError>>(IndexAlerts);
    private static readonly Lazy<Dictionary<string, KnownTlsError>> AlertsByName =
        new Lazy<Dictionary<string, KnownTlsError>>(() => AlertsByCode.Value.ToDictionary(p => NameKey(AlertCatalog.NameOf(p.Key)), p => p.Value));

    public static IReadOnlyList<KnownTlsError> All => Rows.Value;

    /// <summary>The row that best explains <paramref name="text"/>, or null when no row matches.</summary>
    public static TlsErrorMatch? BestMatch(string? text)
    {
        TlsErrorMatch? best = null;
        foreach (var match in Matches(text))
            if (best == null || match.Score.CompareTo(best.Score) > 0) best = match;   // ties: the earlier row
        return best;
    }

    /// <summary>Every row that matches <paramref name="text"/>, in table order.</summary>
    public static IEnumerable<TlsErrorMatch> Matches(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) yield break;
        foreach (var row in Rows.Value)
        {
            var m = row.Pattern.Match(text);
            if (m == null) continue;
            KnownTlsError? alertRow = null;
            if (row.CarriesAlert && m.AlertCapture != null) TryFindAlert(m.AlertCapture, out alertRow);
            yield return new TlsErrorMatch(row, m, alertRow);
        }
    }

    /// <summary>The tls-alert row of an alert number, or null for an unregistered number.</summary>
    public static KnownTlsError? ForAlert(byte code) => AlertsByCode.Value.TryGetValue(code, out var row) ? row : null;

    /// <summary>
    /// Finds an alert by number ("40", "0x28") or by name in any spelling a TLS stack uses:
    /// handshake_failure, "handshake failure", HANDSHAKE_FAILURE, HandshakeFailure.
    /// </summary>
    public static bool TryFindAlert(string? numberOrName, [NotNullWhen(true)] out KnownTlsError? row)
    {
        row = null;
        if (numberOrName is null || string.IsNullOrWhiteSpace(numberOrName)) return false;
        var text = numberOrName.Trim();
        if (TryParseAlertNumber(text, out var code)) return (row = ForAlert(code)) != null;
        return AlertsByName.Value.TryGetValue(NameKey(text), out row);
    }

    private static bool TryParseAlertNumber(string text, out byte code)
    {
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            return byte.TryParse(text.Substring(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out code);
        return byte.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out code);
    }

    /// <summary>handshake_failure, "Handshake Failure" and HandshakeFailure all give "handshakefailure".</summary>
    private static string NameKey(string name) =>
        new string(name.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray());

    private static List<KnownTlsError> Load()
    {
        // The alerts first: on a tie between rows the earlier wins, and a bare alert name is read as that alert.
        var rows = AlertCatalog.All.Select(AlertRow).ToList();
        foreach (var f in TsvTable.Load("tls-error-messages.tsv"))
        {
            int line = int.Parse(f["#line"], CultureInfo.InvariantCulture);
            try
            {
                FailureCategory? category = f["Category"] == CarriesAlertCategory
                    ? (FailureCategory?)null
                    : (FailureCategory)Enum.Parse(typeof(FailureCategory), f["Category"]);
                byte? alert = f["Alert"].Length == 0 ? (byte?)null : byte.Parse(f["Alert"], CultureInfo.InvariantCulture);
                if (f["Source"] == AlertSource || alert != null) throw new FormatException("alerts come from tls-alerts.tsv, the one alert table");
                rows.Add(new KnownTlsError(line, f["Source"], new TextPattern(f["Pattern"]), category,
                    (MatchRank)int.Parse(f["Rank"], CultureInfo.InvariantCulture), alert,
                    NullIfEmpty(f["Reference"]), f["Explanation"], NullIfEmpty(f["Remedy"]), NullIfEmpty(f["Sample"])));
            }
            catch (Exception e) when (e is FormatException || e is ArgumentException || e is OverflowException)
            {
                throw new FormatException($"tls-error-messages.tsv line {line}: {e.Message}", e);
            }
        }
        return rows;
    }

    /// <summary>
    /// The row of one alert: its name as a word, its undirected cause. Rank Wrapper, because a bare alert name says least:
    /// a product's message that carries the alert ("SSL alert number 40") or names a cause outranks it.
    /// </summary>
    private static KnownTlsError AlertRow(AlertInfo alert) =>
        new KnownTlsError(alert.Line, AlertSource, new TextPattern($@"re:\b{alert.Name}\b"), alert.Category, MatchRank.Wrapper, alert.Code,
            $"alert {alert.Code.ToString(CultureInfo.InvariantCulture)} {alert.Name}; {alert.Reference}", alert.Explanation, alert.Remedy, alert.Name);

    private static Dictionary<byte, KnownTlsError> IndexAlerts()
    {
        var byCode = new Dictionary<byte, KnownTlsError>();
        foreach (var row in Rows.Value)
            if (row.Alert is byte code) byCode.Add(code, row);
        return byCode;
    }

    private static string? NullIfEmpty(string s) => string.IsNullOrEmpty(s) ? null : s;
}
