using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using TlsTools.Catalog;
using TlsTools.Protocol;

namespace TlsTools.Probing;

/// <summary>
/// Get-TlsProtocolSupport: one connection per version, all in parallel. Each offers every suite the version
/// can negotiate (SSLv2: every cipher kind), so a refusal means the version, not a suite, is refused.
/// </summary>
public static class ProtocolSupportScanner
{
    public static async Task<ScanOutcome<ProtocolSupportResult>> ScanAsync(ScanRequest request, CancellationToken ct)
    {
        using (var session = await ScanSession.OpenAsync(request, ct).ConfigureAwait(false))
        {
            var versions = ProtocolVersions.Split(request.EffectiveProtocols);
            var rows = session.Failure != null || session.Probes is not ServerProbes probes
                ? versions.Select(v => Row(session, v, null, session.Failure)).ToList()
                : (await Task.WhenAll(versions.Select(v => ProbeAsync(session, probes, v, ct))).ConfigureAwait(false)).ToList();
            foreach (var row in rows) row.Connections = session.Connections;
            return new ScanOutcome<ProtocolSupportResult>(rows, session, rows.Any(r => r.Supported == true));
        }
    }

    private static async Task<ProtocolSupportResult> ProbeAsync(ScanSession session, ServerProbes probes, TlsProtocol version, CancellationToken ct)
    {
        if (version == TlsProtocol.Ssl2)
        {
            var outcome = await probes.OfferSsl2Async(ct).ConfigureAwait(false);
            var row = Row(session, version, SupportedFrom(outcome, outcome.Kind == HelloOutcomeKind.Ssl2ServerHello), outcome.Kind == HelloOutcomeKind.Ssl2ServerHello ? null : outcome.Detail);
            var first = outcome.Ssl2ServerHello?.CipherKinds.FirstOrDefault();
            if (first.HasValue) row.CipherSuite = Ssl2CipherKindCatalog.Find(first.Value)?.Name ?? "0x" + ((int)first.Value).ToString("X6");
            return row;
        }
        var answer = await probes.OfferSuitesAsync(version, ServerProbes.SuiteCandidates(version), ct).ConfigureAwait(false);
        var result = Row(session, version, SupportedFrom((HelloOutcome?)answer.Evidence, answer.Chosen.HasValue, answer.CleanRefusal), answer.Refusal);
        if (answer.Chosen.HasValue) result.CipherSuite = CipherSuiteCatalog.NameOf(answer.Chosen.Value);
        return result;
    }

    /// <summary>True when accepted; false for a clear no (alert, close, another version, not TLS); null when nothing could be learned.</summary>
    internal static bool? SupportedFrom(HelloOutcome? outcome, bool accepted, bool cleanRefusal = false)
    {
        if (accepted) return true;
        if (cleanRefusal || outcome != null && (outcome.IsRefusal || outcome.Kind == HelloOutcomeKind.NotTls)) return false;
        return null;
    }

    /// <summary>Every row carries its version's rating; a bad version the server accepts also says how to switch it off.</summary>
    internal static ProtocolSupportResult Row(ScanSession session, TlsProtocol version, bool? supported, string? reason)
    {
        var info = ProtocolVersions.Find(version);
        return new ProtocolSupportResult
        {
            ComputerName = session.Target.Host,
            Port = session.Target.Port,
            IPAddress = session.IPAddressText,
            ServerName = session.ServerName,
            Protocol = version,
            Supported = supported,
            Reason = supported == true ? null : reason,
            Rating = info?.Rating ?? CipherSuiteRating.Insecure,
            RatingReason = info?.RatingReason,
            Remedy = supported == true ? info?.Remedy : null,
        };
    }
}
