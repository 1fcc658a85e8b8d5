using System;
using System.Collections.Generic;
using System.Linq;
using TlsTools.Catalog;

namespace TlsTools.Diagnosis;

/// <summary>
/// Turns an alert, an error message, an exception or a server log line into a <see cref="TlsErrorExplanation"/>,
/// from the one error table (<see cref="TlsErrorCatalog"/>) and the one remedy table (<see cref="FailureCategoryCatalog"/>).
/// Every method returns null for input that is not a recognised TLS error, so a caller can skip and count it.
/// </summary>
public static class TlsErrorResolver
{
    /// <summary>
    /// A message or a log line. A bare alert number or name ("40", "handshake_failure") is read as an alert;
    /// a line in a known server log format is split into its fields and its message explained.
    /// </summary>
    public static TlsErrorExplanation? ExplainText(string? text)
    {
        if (text is null || string.IsNullOrWhiteSpace(text)) return null;
        if (TlsErrorCatalog.TryFindAlert(text, out var alert) && alert != null) return FromAlert(alert, text);
        var fields = ServerLogFormats.Parse(text);
        string message = fields?.Message ?? text.Trim();
        var match = TlsErrorCatalog.BestMatch(message);
        if (match == null) return null;
        var result = FromMatch(match, message, fields?.ServerName);
        result.Line = text;
        if (fields != null)
        {
            result.Source = fields.Source;
            result.Timestamp = fields.Timestamp;
            result.ClientAddress = fields.ClientAddress;
            result.ServerName = fields.ServerName;
        }
        return result;
    }

    /// <summary>
    /// Every line of a log file, numbered from 1, with its explanation or null for a line that is not a TLS error
    /// (so a caller can count what it skipped). Lines are read as they are explained: a large log is never held in memory.
    /// </summary>
    public static IEnumerable<(int LineNumber, TlsErrorExplanation? Explanation)> ExplainFile(string path)
    {
        int number = 0;
        foreach (var line in System.IO.File.ReadLines(path))
        {
            number++;
            var explanation = ExplainText(line);
            if (explanation != null)
            {
                explanation.LineNumber = number;
                explanation.Path = path;
            }
            yield return (number, explanation);
        }
    }

    /// <summary>An alert by number ("40", "0x28") or name in any spelling; null when no such alert is registered.</summary>
    public static TlsErrorExplanation? ExplainAlert(string numberOrName) =>
        TlsErrorCatalog.TryFindAlert(numberOrName, out var alert) && alert != null ? FromAlert(alert, numberOrName) : null;

    /// <summary>
    /// An exception and everything inside it (inner exceptions, AggregateException's list): the most specific
    /// text wins, and on a tie the innermost, because wrappers such as "see inner exception" say least.
    /// </summary>
    public static TlsErrorExplanation? ExplainException(Exception exception)
    {
        (TlsErrorMatch Match, string Text)? best = null;
        foreach (var e in Flatten(exception))
        {
            string text = $"{e.GetType().FullName}: {e.Message}";
            var match = TlsErrorCatalog.BestMatch(text);
            if (match != null && (best == null || match.Score.CompareTo(best.Value.Match.Score) >= 0))
                best = (match, text);
        }
        if (!(best is { } found)) return null;
        var result = FromMatch(found.Match, found.Text, null);
        result.Line = found.Text;
        return result;
    }

    private static IEnumerable<Exception> Flatten(Exception exception)
    {
        var pending = new Stack<Exception>();
        var seen = new HashSet<Exception>();
        if (exception != null) pending.Push(exception);
        while (pending.Count > 0)
        {
            var e = pending.Pop();
            if (!seen.Add(e)) continue;   // a cycle of inner exceptions must not loop forever
            yield return e;
            var inner = e is AggregateException aggregate ? aggregate.InnerExceptions.Reverse() : new[] { e.InnerException };
            foreach (var child in inner.Where(c => c != null)) pending.Push(child);
        }
    }

    private static TlsErrorExplanation FromAlert(KnownTlsError alert, string input)
    {
        byte code = alert.Alert ?? throw new ArgumentException("Not a tls-alert row of the error table.", nameof(alert));
        var category = alert.Category ?? FailureCategory.AlertReceived;
        return new TlsErrorExplanation
        {
            Source = alert.Source,
            Category = category,
            Message = input.Trim(),
            MatchedText = AlertCatalog.NameOf(code),
            Explanation = $"{AlertName(code)}: {alert.Explanation}",
            Remedy = alert.Remedy ?? FailureCategoryCatalog.RemedyFor(category),
            NextCommand = FailureCategoryCatalog.NextCommandFor(category),
            Reference = alert.Reference,
            Line = input,
        };
    }

    private static TlsErrorExplanation FromMatch(TlsErrorMatch match, string message, string? serverName)
    {
        var row = match.Row;
        var alert = match.AlertRow;
        var category = match.Category;
        string explanation = row.Explanation;
        if (row.CarriesAlert)
            explanation += alert?.Alert is byte code
                ? $" {AlertName(code)}: {alert.Explanation}"
                : $" '{match.Match.AlertCapture}' is not a registered TLS alert.";
        return new TlsErrorExplanation
        {
            Source = row.Source,
            Category = category,
            Message = message,
            MatchedText = match.Match.Text,
            Explanation = explanation,
            Remedy = row.Remedy ?? alert?.Remedy ?? FailureCategoryCatalog.RemedyFor(category),
            NextCommand = FailureCategoryCatalog.NextCommandFor(category, HostOf(serverName)),
            Reference = string.Join("; ", new[] { row.Reference, alert?.Reference }.Where(r => !string.IsNullOrEmpty(r)).Distinct()),
        };
    }

    private static string AlertName(byte code) => $"{AlertCatalog.NameOf(code)} ({code})";

    /// <summary>"www.example.org:443" -> "www.example.org"; a log's "_" or "-" placeholder is no name.</summary>
    private static string? HostOf(string? serverName)
    {
        if (serverName == null || serverName.Length == 0 || serverName == "_" || serverName == "-") return null;
        try { return Net.TargetParser.Parse(serverName, 443).Host; }
        catch (Net.TargetFormatException) { return null; }
    }
}
