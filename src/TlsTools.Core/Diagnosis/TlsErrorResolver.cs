using System;
using System.Collections.Generic;
using System.Linq;
using TlsTools.Catalog;

namespace TlsTools.Diagnosis;

/// <summary>
/// Turns an alert, an error message, an exception or a server log line into a <see cref="TlsErrorExplanation"/>,
/// from the one error table (<see cref="TlsErrorCatalog"/>) and the one remedy table (<see cref="FailureCategoryCatalog"/>).
/// One text can name several causes ("NotTimeValid, PartialChain"): the *Causes methods return each, most important
/// first; the others return the first. Input that is not a recognised TLS error gives null or an empty list, so a caller
/// can skip and count it, or say so with <see cref="Unrecognized"/>.
/// </summary>
public static class TlsErrorResolver
{
    /// <summary>
    /// The order of causes when one text names several at the same rank: what makes the certificate unusable whatever
    /// else is fixed (revoked, expired, not yet valid) first, then the chain, then the name, then key strength, then the
    /// handshake parameters, then the transport; the categories that only say "an alert" or "unknown" last.
    /// A category not listed here (a newer one) goes after the listed ones, in enum order.
    /// </summary>
    private static readonly FailureCategory[] CausePrecedence =
    {
        FailureCategory.CertificateRevoked, FailureCategory.CertificateExpired, FailureCategory.CertificateNotYetValid,
        FailureCategory.IncompleteChain, FailureCategory.SelfSigned, FailureCategory.UntrustedRoot,
        FailureCategory.NameMismatch, FailureCategory.UnrecognizedName,
        FailureCategory.WeakSignature, FailureCategory.WeakCertificateKey, FailureCategory.WeakDhGroup,
        FailureCategory.ClientCertificateRequired, FailureCategory.ProtocolVersionMismatch, FailureCategory.NoSharedCipher,
        FailureCategory.NotTls, FailureCategory.DnsFailure, FailureCategory.ConnectionRefused, FailureCategory.ConnectTimeout,
        FailureCategory.NetworkUnreachable, FailureCategory.HandshakeTimeout, FailureCategory.ConnectionReset,
        FailureCategory.AlertReceived, FailureCategory.Unknown,
    };

    /// <summary>
    /// A message or a log line: its most important cause, or null when no row of the table matches
    /// (<see cref="ExplainCauses"/> gives them all).
    /// </summary>
    public static TlsErrorExplanation? ExplainText(string? text) => ExplainCauses(text).FirstOrDefault();

    /// <summary>
    /// Every distinct cause a message or a log line names, most important first; empty when no row of the table matches.
    /// A bare alert number or name ("40", "handshake_failure") is read as an alert; a line in a known server log
    /// format is split into its fields and its message explained. The order rule is <see cref="OrderCauses"/>.
    /// </summary>
    public static IReadOnlyList<TlsErrorExplanation> ExplainCauses(string? text)
    {
        if (text is null || string.IsNullOrWhiteSpace(text)) return Array.Empty<TlsErrorExplanation>();
        if (TlsErrorCatalog.TryFindAlert(text, out var alert) && alert != null) return new[] { FromAlert(alert, text) };
        var fields = ServerLogFormats.Parse(text);
        string message = fields?.Message ?? text.Trim();
        var causes = new List<TlsErrorExplanation>();
        foreach (var match in OrderCauses(TlsErrorCatalog.Matches(message)))
        {
            var result = FromMatch(match, message, fields?.ServerName);
            result.Line = text;
            if (fields != null)
            {
                result.Source = fields.Source;
                result.Timestamp = fields.Timestamp;
                result.ClientAddress = fields.ClientAddress;
                result.ServerName = fields.ServerName;
            }
            causes.Add(result);
        }
        return causes;
    }

    /// <summary>
    /// The result for a text that names no known TLS error: Category Unknown, and an explanation that says so and
    /// quotes the text, so that a message given on purpose never vanishes without a word.
    /// </summary>
    public static TlsErrorExplanation Unrecognized(string? text)
    {
        string shown = (text ?? "").Trim();
        return new TlsErrorExplanation
        {
            Source = "",
            Category = FailureCategory.Unknown,
            Message = shown,
            Explanation = $"No known TLS error matched the text '{shown}'. It may not be a TLS error, or it may come from a product whose messages the table does not hold yet.",
            Remedy = FailureCategoryCatalog.RemedyFor(FailureCategory.Unknown),
            NextCommand = FailureCategoryCatalog.NextCommandFor(FailureCategory.Unknown),
            Line = text ?? "",
        };
    }

    /// <summary>
    /// The causes among the rows that matched one text (or the texts of one exception), most important first:
    /// a row of rank Wrapper counts only when nothing more specific matched; each category appears once, from its
    /// best-scoring row; then higher Rank first, then <see cref="CausePrecedence"/>, then the earlier position in the text.
    /// </summary>
    private static IEnumerable<TlsErrorMatch> OrderCauses(IEnumerable<TlsErrorMatch> matches)
    {
        var all = matches.ToList();
        if (all.Any(m => m.Row.Rank > MatchRank.Wrapper)) all.RemoveAll(m => m.Row.Rank == MatchRank.Wrapper);
        // A match inside the text of a higher-ranked match is part of that evidence, not a cause of its own:
        // "certificate has expired" inside Go's "x509: certificate has expired or is not yet valid: current time ... is before".
        all.RemoveAll(m => all.Any(n => n.Row.Rank > m.Row.Rank && Contains(n.Match, m.Match)));
        return all
            .GroupBy(m => m.Category)
            .Select(g => g.OrderByDescending(m => m.Score).ThenBy(m => m.Match.Index).First())
            .OrderByDescending(m => m.Row.Rank)
            .ThenBy(m => PrecedenceOf(m.Category))
            .ThenBy(m => m.Match.Index);
    }

    private static bool Contains(TextMatch outer, TextMatch inner) =>
        inner.Index >= outer.Index && inner.Index + inner.Text.Length <= outer.Index + outer.Text.Length;

    private static int PrecedenceOf(FailureCategory category)
    {
        int i = Array.IndexOf(CausePrecedence, category);
        return i >= 0 ? i : CausePrecedence.Length + (int)category;
    }

    /// <summary>
    /// Every line of a log file, numbered from 1, with its causes, empty for a line that is not a TLS error
    /// (so a caller can count what it skipped). Lines are read as they are explained: a large log is never held in memory.
    /// </summary>
    public static IEnumerable<(int LineNumber, IReadOnlyList<TlsErrorExplanation> Causes)> ExplainFile(string path)
    {
        int number = 0;
        foreach (var line in System.IO.File.ReadLines(path))
        {
            number++;
            var causes = ExplainCauses(line);
            foreach (var explanation in causes)
            {
                explanation.LineNumber = number;
                explanation.Path = path;
            }
            yield return (number, causes);
        }
    }

    /// <summary>An alert by number ("40", "0x28") or name in any spelling; null when no such alert is registered.</summary>
    public static TlsErrorExplanation? ExplainAlert(string numberOrName) =>
        TlsErrorCatalog.TryFindAlert(numberOrName, out var alert) && alert != null ? FromAlert(alert, numberOrName) : null;

    /// <summary>An exception's most important cause, or null (<see cref="ExplainExceptionCauses"/> gives them all).</summary>
    public static TlsErrorExplanation? ExplainException(Exception exception) => ExplainExceptionCauses(exception).FirstOrDefault();

    /// <summary>
    /// Every cause an exception and everything inside it (inner exceptions, AggregateException's list) names, most
    /// important first, by the same rule as a text. Each cause quotes the exception whose text named it; on a tie
    /// between texts the innermost, because wrappers such as "see inner exception" say least.
    /// </summary>
    public static IReadOnlyList<TlsErrorExplanation> ExplainExceptionCauses(Exception exception)
    {
        var matches = new List<(TlsErrorMatch Match, string Text)>();
        foreach (var e in Flatten(exception))
        {
            string text = $"{e.GetType().FullName}: {e.Message}";
            foreach (var match in TlsErrorCatalog.Matches(text)) matches.Add((match, text));
        }
        // Innermost first, so that on equal score the inner exception's text is the one quoted.
        matches.Reverse();
        var textOf = new Dictionary<TlsErrorMatch, string>();
        foreach (var (match, text) in matches) textOf[match] = text;
        var causes = new List<TlsErrorExplanation>();
        foreach (var match in OrderCauses(matches.Select(m => m.Match)))
        {
            var result = FromMatch(match, textOf[match], null);
            result.Line = textOf[match];
            causes.Add(result);
        }
        return causes;
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
