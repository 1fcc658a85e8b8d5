using System.Collections.Generic;
using System.Linq;
using TlsTools.Catalog;
using TlsTools.Protocol;

namespace TlsTools.Probing;

/// <summary>Turns what the probes found into result rows: one per (version, suite), oldest version first.</summary>
internal static class CipherSupportRows
{
    public static IReadOnlyList<CipherSupportResult> Build(ScanSession session, IReadOnlyList<VersionSuites> versions, GroupSupport? groups)
    {
        var rows = new List<CipherSupportResult>();
        foreach (var version in versions.OrderBy(v => v.Version))
            rows.AddRange(version.Ssl2 != null ? Ssl2Rows(session, version.Ssl2)
                : version.Suites != null ? SuiteRows(session, version.Version, version.Suites)
                : Enumerable.Empty<CipherSupportResult>());
        if (rows.Count == 0) rows.Add(Failure(session, NothingAccepted(versions)));

        foreach (var row in rows) row.Connections = session.Connections;
        if (groups == null) return rows;
        var groupNames = groups.Groups.Accepted.Select(NamedGroupCatalog.NameOf).ToList();
        foreach (var row in rows)
        {
            row.Groups = groupNames;
            row.SupportedGroups = string.Join(", ", groupNames);
            row.GroupOrder = groups.Groups.Order;
            row.GroupsProtocol = groups.Version;
        }
        return rows;
    }

    public static CipherSupportResult Failure(ScanSession session, string? problem)
    {
        var row = NewRow(session, TlsProtocol.None);
        row.Problem = problem;
        return row;
    }

    private static IEnumerable<CipherSupportResult> SuiteRows(ScanSession session, TlsProtocol version, PreferenceList list)
    {
        // A clean refusal ends every enumeration; anything else means the list may be short.
        string? problem = list.Complete ? null : "enumeration incomplete: " + list.Stop;
        if (session.Probes?.DheBreaks(version) == true) problem = problem == null ? ServerProbes.DheBreaksProblem : $"{ServerProbes.DheBreaksProblem} {problem}";
        for (int i = 0; i < list.Accepted.Count; i++)
        {
            ushort code = list.Accepted[i];
            var row = NewRow(session, version);
            Describe(row, code);
            row.SuiteOrder = list.Order;
            row.PreferenceOrder = list.Order == PreferenceSource.Server ? i + 1 : (int?)null;
            row.Problem = problem;
            if (list.Evidence.TryGetValue(code, out var evidence)) DescribeKeyExchange(row, evidence as HelloOutcome);
            yield return row;
        }
    }

    private static void Describe(CipherSupportResult row, ushort code)
    {
        row.Code = CodeFormat.Hex(code);
        if (!CipherSuiteCatalog.TryGet(code, out var suite)) { row.CipherSuite = CodeFormat.Unknown(code); return; }
        row.CipherSuite = suite.Name;
        row.OpenSslName = suite.OpenSslName;
        row.KeyExchange = suite.KeyExchange;
        row.Authentication = suite.Authentication;
        row.Encryption = suite.Encryption;
        row.Bits = suite.Bits;
        row.Mac = suite.Mac;
        row.Aead = suite.Aead;
        row.ForwardSecrecy = suite.ForwardSecrecy;
        row.Rating = suite.Rating;
        row.RatingReason = suite.RatingReason;
    }

    /// <summary>
    /// TLS 1.3: the key_share group of the ServerHello (or HelloRetryRequest). Before: the ServerKeyExchange.
    /// The row is then rated by its group too (<see cref="KeyExchangeStrength"/>, the rule Test-TlsHandshake uses):
    /// a Recommended DHE suite over a 1024-bit group is Weak, whatever the suite's name promises.
    /// </summary>
    private static void DescribeKeyExchange(CipherSupportResult row, HelloOutcome? outcome)
    {
        var group = outcome?.ServerHello?.SelectedGroup ?? outcome?.KeyExchange?.NamedGroup;
        RatingVerdict? verdict = null;
        if (group.HasValue)
        {
            row.KeyExchangeGroup = NamedGroupCatalog.NameOf(group.Value);
            row.DhBits = KeyExchangeStrength.FiniteFieldBits(group.Value);
            verdict = KeyExchangeStrength.RateGroup(group.Value);
        }
        else if (outcome?.KeyExchange?.DhPrimeBits > 0)
        {
            row.DhBits = outcome.KeyExchange.DhPrimeBits;
            row.KeyExchangeGroup = $"DH {row.DhBits}-bit";
            verdict = KeyExchangeStrength.RateDhGroup(outcome.KeyExchange.DhPrimeBits);
        }
        if (verdict == null || !RatingSeverity.IsWorse(verdict, row.Rating)) return;
        row.Rating = verdict.Rating;
        row.RatingReason = verdict.Reason;
    }

    private static IEnumerable<CipherSupportResult> Ssl2Rows(ScanSession session, HelloOutcome outcome)
    {
        var kinds = outcome.Ssl2ServerHello?.CipherKinds ?? new Ssl2CipherKind[0];
        foreach (var kind in kinds)
        {
            var info = Ssl2CipherKindCatalog.Find(kind);
            var row = NewRow(session, TlsProtocol.Ssl2);
            row.Code = "0x" + ((int)kind).ToString("X6");
            row.CipherSuite = info?.Name ?? row.Code + " (unknown)";
            row.OpenSslName = info?.OpenSslName;
            row.KeyExchange = "RSA";
            row.Authentication = "RSA";
            row.Encryption = info?.Encryption;
            row.Bits = info?.Bits;
            row.Mac = "MD5";
            row.Aead = false;
            row.ForwardSecrecy = false;
            row.Rating = CipherSuiteRating.Insecure;
            row.RatingReason = Ssl2CipherKindCatalog.RatingReason;
            // SSLv2 has no negotiation of order: the server lists what it shares and the client picks.
            row.SuiteOrder = PreferenceSource.Client;
            yield return row;
        }
    }

    /// <summary>"no version accepted: SSLv3: alert handshake_failure (40); TLS 1.0: connection closed; ..."</summary>
    private static string NothingAccepted(IReadOnlyList<VersionSuites> versions)
    {
        var reasons = versions.Select(v => v.Refusal).Where(r => r != null).Distinct().ToList();
        if (reasons.Count == 1) return "no version accepted: " + reasons[0];
        return "no version accepted: " + string.Join("; ", versions.Select(v => $"{ProtocolVersions.DisplayName(v.Version)}: {v.Refusal}"));
    }

    private static CipherSupportResult NewRow(ScanSession session, TlsProtocol version) => new CipherSupportResult
    {
        ComputerName = session.Target.Host,
        Port = session.Target.Port,
        IPAddress = session.IPAddressText,
        ServerName = session.ServerName,
        Protocol = version,
    };
}
