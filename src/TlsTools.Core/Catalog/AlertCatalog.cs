using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Diagnostics.CodeAnalysis;
using TlsTools.Protocol;

namespace TlsTools.Catalog;

/// <summary>One TLS alert description: a row of Data/tls-alerts.tsv.</summary>
public sealed class AlertInfo
{
    /// <summary>The About of the alerts that concern a certificate.</summary>
    internal const string AboutCertificate = "certificate";

    internal AlertInfo(int line, byte code, string name, string reference, string about, FailureCategory category,
        FailureCategory? clientSends, FailureCategory? serverSends, string meaning, string? clientCause, string? serverCause, string? remedy)
    {
        Line = line; Code = code; Name = name; Reference = reference; About = about; Category = category;
        ClientSends = clientSends; ServerSends = serverSends;
        Meaning = meaning; ClientCause = clientCause; ServerCause = serverCause; Remedy = remedy;
    }

    /// <summary>The line of tls-alerts.tsv, for messages about the table itself.</summary>
    internal int Line { get; }
    public byte Code { get; }
    /// <summary>RFC name: handshake_failure.</summary>
    public string Name { get; }
    /// <summary>The RFC section that defines it: "RFC 8446 §6.2".</summary>
    public string Reference { get; }
    /// <summary>What it is about: certificate, negotiation, message, record, connection, extension, name, psk, application.</summary>
    public string About { get; }
    /// <summary>The cause when who sent it is not known (a bare alert name, another program's log line).</summary>
    public FailureCategory Category { get; }
    /// <summary>The cause when the client sends it; null when it is <see cref="Category"/>.</summary>
    public FailureCategory? ClientSends { get; }
    /// <summary>The cause when the server sends it; null when it is <see cref="Category"/>.</summary>
    public FailureCategory? ServerSends { get; }
    /// <summary>What it means, in plain English, whoever sent it.</summary>
    public string Meaning { get; }
    /// <summary>What it means coming from the client; null when clients do not send it for a cause of their own.</summary>
    public string? ClientCause { get; }
    /// <summary>What it means coming from the server; null when servers do not send it for a cause of their own.</summary>
    public string? ServerCause { get; }
    /// <summary>A remedy particular to this alert; null when the category's remedy applies.</summary>
    public string? Remedy { get; }

    public bool ConcernsCertificate => About == AboutCertificate;

    /// <summary>The cause when the client (true) or the server (false) sent it.</summary>
    public FailureCategory CategoryWhenSentBy(bool client) => (client ? ClientSends : ServerSends) ?? Category;

    /// <summary>The meaning, then what it means from each side that sends it for a cause of its own (each names its side).</summary>
    public string Explanation => string.Join(" ", new[] { Meaning, ClientCause, ServerCause }.Where(s => s != null));

    public override string ToString() => $"{Name} ({Code.ToString(CultureInfo.InvariantCulture)})";
}

/// <summary>
/// The one table of TLS alerts (Data/tls-alerts.tsv, from the IANA TLS Alerts registry and the RFCs it cites), loaded at
/// first use. Names for every alert the code shows, the tls-alert rows of <see cref="TlsErrorCatalog"/>, alert remedies,
/// and the cause of an alert by who sent it all come from here.
/// </summary>
public static class AlertCatalog
{
    public const byte LevelWarning = TlsAlertLevel.Warning;
    public const byte LevelFatal = TlsAlertLevel.Fatal;

    private static readonly Lazy<List<AlertInfo>> Alerts = new Lazy<List<AlertInfo>>(Load);
    private static readonly Lazy<Dictionary<byte, AlertInfo>> ByCode = new Lazy<Dictionary<byte, AlertInfo>>(() => Alerts.Value.ToDictionary(a => a.Code));

    public static IReadOnlyList<AlertInfo> All => Alerts.Value;

    public static bool TryGet(byte description, [MaybeNullWhen(false)] out AlertInfo alert) => ByCode.Value.TryGetValue(description, out alert);

    /// <summary>"handshake_failure", or "unknown_alert_N".</summary>
    public static string NameOf(byte description) =>
        TryGet(description, out var alert) ? alert.Name : "unknown_alert_" + description.ToString(CultureInfo.InvariantCulture);

    /// <summary>The plain-English meaning, or null for an unregistered code.</summary>
    public static string? MeaningOf(byte description) => TryGet(description, out var alert) ? alert.Meaning : null;

    /// <summary>The remedy particular to an alert, or null when its category's remedy is the one to give.</summary>
    public static string? RemedyOf(byte description) => TryGet(description, out var alert) ? alert.Remedy : null;

    /// <summary>
    /// The cause when a client sends this alert about the server's certificate (what a capture of a browser or openssl
    /// shows when it refuses the certificate); null when the alert is no such refusal.
    /// </summary>
    public static FailureCategory? ClientRefusalOfServerCertificate(byte description) =>
        TryGet(description, out var alert) && alert.ConcernsCertificate ? alert.ClientSends : null;

    /// <summary>"fatal handshake_failure (40)".</summary>
    public static string Describe(byte level, byte description) =>
        $"{TlsAlertLevel.NameOf(level)} {NameOf(description)} ({description.ToString(CultureInfo.InvariantCulture)})";

    private static List<AlertInfo> Load()
    {
        var alerts = new List<AlertInfo>();
        foreach (var f in TsvTable.Load("tls-alerts.tsv"))
        {
            try
            {
                alerts.Add(new AlertInfo(int.Parse(f["#line"], CultureInfo.InvariantCulture), byte.Parse(f["Code"], CultureInfo.InvariantCulture), f["Name"], f["Reference"], f["About"],
                    ParseCategory(f["Category"]), ParseOptionalCategory(f["ClientSends"]), ParseOptionalCategory(f["ServerSends"]),
                    f["Meaning"], NullIfEmpty(f["ClientCause"]), NullIfEmpty(f["ServerCause"]), NullIfEmpty(f["Remedy"])));
            }
            catch (Exception e) when (e is FormatException || e is ArgumentException || e is OverflowException)
            {
                throw new FormatException($"tls-alerts.tsv line {f["#line"]}: {e.Message}", e);
            }
        }
        return alerts;
    }

    private static FailureCategory ParseCategory(string text) => (FailureCategory)Enum.Parse(typeof(FailureCategory), text);

    private static FailureCategory? ParseOptionalCategory(string text) => text.Length == 0 ? (FailureCategory?)null : ParseCategory(text);

    private static string? NullIfEmpty(string s) => s.Length == 0 ? null : s;
}
