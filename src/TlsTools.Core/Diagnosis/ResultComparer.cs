using System;
using System.Collections.Generic;
using System.Linq;

namespace TlsTools.Diagnosis;

/// <summary>
/// A result flattened to text, whatever produced it: a live object, Import-Clixml or Import-Csv. The cmdlet
/// flattens; the comparer needs nothing of PowerShell.
/// </summary>
public sealed class ResultRecord
{
    public ResultRecord(string computerName, int port, IReadOnlyDictionary<string, string> properties)
    {
        ComputerName = computerName;
        Port = port;
        Properties = properties;
    }

    public string ComputerName { get; }
    public int Port { get; }
    public IReadOnlyDictionary<string, string> Properties { get; }

    public string this[string name] => Properties.TryGetValue(name, out var value) ? value ?? "" : "";
    public bool Has(string name) => Properties.ContainsKey(name);
}

/// <summary>Which cmdlet made a result: each kind has its own aspects.</summary>
public enum ResultKind { Handshake, ProtocolSupport, CipherSupport }

/// <summary>
/// Compare-TlsResult: matches two result sets by ComputerName and Port and names what differs. What is
/// compared is a table of aspects per result kind; a set aspect (versions, suites) gathers every row of an
/// endpoint (Get-TlsProtocolSupport and Get-CipherSupport write one row per version or suite).
/// </summary>
public static class ResultComparer
{
    /// <summary>A property only that kind has, to recognise it in a CSV file as well as in a live object.</summary>
    static readonly (ResultKind Kind, string Marker)[] Kinds =
    {
        // Not FailureCategory: the scanners' rows carry it too.
        (ResultKind.Handshake, "HandshakeCompleted"),
        (ResultKind.ProtocolSupport, "Supported"),
        (ResultKind.CipherSupport, "Rating"),
    };

    public static ResultKind? KindOf(ResultRecord record) =>
        Kinds.Where(k => record.Has(k.Marker)).Select(k => (ResultKind?)k.Kind).FirstOrDefault();

    sealed class Aspect
    {
        public Aspect(ResultKind kind, string name, Func<IReadOnlyList<ResultRecord>, string> key)
        {
            Kind = kind;
            Name = name;
            Key = key;
        }

        public ResultKind Kind;
        public string Name;
        /// <summary>What is compared (for a certificate: the thumbprint when the results have one).</summary>
        public Func<IReadOnlyList<ResultRecord>, string> Key;
        /// <summary>What is shown; the key when null.</summary>
        public Func<IReadOnlyList<ResultRecord>, string>? Show;
        /// <summary>Set aspects describe their difference as what is only on each side; null for a single-valued aspect.</summary>
        public Func<IReadOnlyList<ResultRecord>, IReadOnlyCollection<string>>? Members;
    }

    static readonly Aspect[] Aspects =
    {
        Single(ResultKind.Handshake, "Outcome", "FailureCategory"),
        new Aspect(ResultKind.Handshake, "Certificate",
            rows => First(rows, "CertificateThumbprint").Length > 0 ? First(rows, "CertificateThumbprint") : Certificate(rows))
        {
            Show = Certificate,
        },
        Single(ResultKind.Handshake, "Protocol", "Protocol"),
        Single(ResultKind.Handshake, "CipherSuite", "CipherSuite"),
        Set(ResultKind.ProtocolSupport, "Versions", r => string.Equals(r["Supported"], "True", StringComparison.OrdinalIgnoreCase) ? r["Protocol"] : null),
        Set(ResultKind.CipherSupport, "Suites", r => r["CipherSuite"].Length > 0 ? $"{r["Protocol"]} {r["CipherSuite"]}" : null),
        // The scanners' per-target findings: a target scanned from one vantage point and blocked (or re-signed) from the other.
        Single(ResultKind.ProtocolSupport, "Outcome", "FailureCategory"),
        Single(ResultKind.CipherSupport, "Outcome", "FailureCategory"),
        Single(ResultKind.Handshake, "Interception", "InterceptionSuspected"),
        Single(ResultKind.ProtocolSupport, "Interception", "InterceptionSuspected"),
        Single(ResultKind.CipherSupport, "Interception", "InterceptionSuspected"),
    };

    public static IReadOnlyList<TlsResultDifference> Compare(IEnumerable<ResultRecord> reference, IEnumerable<ResultRecord> difference, bool includeEqual)
    {
        var left = ByEndpoint(reference);
        var right = ByEndpoint(difference);
        var output = new List<TlsResultDifference>();
        foreach (var key in left.Keys.Union(right.Keys).OrderBy(k => k.Host, StringComparer.OrdinalIgnoreCase).ThenBy(k => k.Port))
        {
            // The key comes from one side or the other: an endpoint missing on one side is on the other.
            if (!left.TryGetValue(key, out var a))
            {
                output.Add(OneSided(right[key], inReference: false));
                continue;
            }
            if (!right.TryGetValue(key, out var b))
            {
                output.Add(OneSided(a, inReference: true));
                continue;
            }
            foreach (var aspect in Aspects)
            {
                var rowsA = a.Where(r => KindOf(r) == aspect.Kind).ToList();
                var rowsB = b.Where(r => KindOf(r) == aspect.Kind).ToList();
                if (rowsA.Count == 0 || rowsB.Count == 0) continue;
                var row = CompareAspect(aspect, rowsA, rowsB);
                if (row.Differs || includeEqual) output.Add(row);
            }
        }
        return output;
    }

    static TlsResultDifference CompareAspect(Aspect aspect, IReadOnlyList<ResultRecord> a, IReadOnlyList<ResultRecord> b)
    {
        var show = aspect.Show ?? aspect.Key;
        var row = new TlsResultDifference
        {
            ComputerName = a[0].ComputerName,
            Port = a[0].Port,
            Aspect = aspect.Name,
            ReferenceValue = show(a),
            DifferenceValue = show(b),
            Differs = !string.Equals(aspect.Key(a), aspect.Key(b), StringComparison.OrdinalIgnoreCase),
        };
        row.Description = !row.Differs ? $"{aspect.Name}: the same ({Or(row.ReferenceValue)})."
            : aspect.Members != null ? SetDescription(aspect.Name, aspect.Members(a), aspect.Members(b))
            : $"{aspect.Name}: {Or(row.ReferenceValue)} in the reference set, {Or(row.DifferenceValue)} in the difference set.";
        return row;
    }

    static string SetDescription(string name, IReadOnlyCollection<string> a, IReadOnlyCollection<string> b)
    {
        var onlyA = a.Except(b, StringComparer.OrdinalIgnoreCase).ToList();
        var onlyB = b.Except(a, StringComparer.OrdinalIgnoreCase).ToList();
        var parts = new List<string>();
        if (onlyA.Count > 0) parts.Add($"only in the reference set: {string.Join(", ", onlyA)}");
        if (onlyB.Count > 0) parts.Add($"only in the difference set: {string.Join(", ", onlyB)}");
        return $"{name}: {string.Join("; ", parts)}.";
    }

    static TlsResultDifference OneSided(IReadOnlyList<ResultRecord> rows, bool inReference) => new TlsResultDifference
    {
        ComputerName = rows[0].ComputerName,
        Port = rows[0].Port,
        Aspect = "Target",
        Differs = true,
        ReferenceValue = inReference ? "present" : "",
        DifferenceValue = inReference ? "" : "present",
        Description = $"Only in the {(inReference ? "reference" : "difference")} set.",
    };

    static Dictionary<(string Host, int Port), List<ResultRecord>> ByEndpoint(IEnumerable<ResultRecord> records) =>
        records.GroupBy(r => (Host: (r.ComputerName ?? "").TrimEnd('.').ToLowerInvariant(), r.Port))
            .ToDictionary(g => g.Key, g => g.ToList());

    static Aspect Single(ResultKind kind, string name, string property) =>
        new Aspect(kind, name, rows => First(rows, property));

    /// <param name="member">A row's member of the set, or null when the row adds none.</param>
    static Aspect Set(ResultKind kind, string name, Func<ResultRecord, string?> member)
    {
        IReadOnlyCollection<string> Members(IReadOnlyList<ResultRecord> rows) =>
            rows.Select(member).OfType<string>().Where(m => m.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).OrderBy(m => m, StringComparer.Ordinal).ToList();
        return new Aspect(kind, name, rows => string.Join(", ", Members(rows))) { Members = Members };
    }

    static string First(IReadOnlyList<ResultRecord> rows, string property) => rows[0][property];

    static string Certificate(IReadOnlyList<ResultRecord> rows)
    {
        string subject = First(rows, "CertificateSubject"), issuer = First(rows, "CertificateIssuer"), thumbprint = First(rows, "CertificateThumbprint");
        if (subject.Length == 0) return "";
        return $"{subject} (issuer {issuer}" + (thumbprint.Length > 0 ? $", {thumbprint})" : ")");
    }

    static string Or(string value) => string.IsNullOrEmpty(value) ? "none" : value;
}
