using TlsTools.Catalog;

namespace TlsTools.Diagnosis;

/// <summary>
/// What to change for each failure category. The wording lives in one table, Catalog/Data/failure-categories.tsv,
/// shared with Resolve-TlsError; where the evidence makes a sharper remedy possible, the diagnoser says it instead.
/// </summary>
public static class Remedies
{
    /// <summary>The catalog's remedy for the category; null when it has none.</summary>
    public static string? For(FailureCategory category) => FailureCategoryCatalog.RemedyFor(category);

    /// <summary>The remedy for a failure that ended with this alert: the alert's own when the alert table has one.</summary>
    public static string? ForAlert(FailureCategory category, byte alert) =>
        AlertCatalog.RemedyOf(alert) ?? For(category);
}
