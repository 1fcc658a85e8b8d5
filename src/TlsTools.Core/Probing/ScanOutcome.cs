using System.Collections.Generic;
using TlsTools.Net;

namespace TlsTools.Probing;

/// <summary>A scanner's rows for one target, with what the follow-ups after the scan need to know.</summary>
public sealed class ScanOutcome<TRow>
{
    internal ScanOutcome(IReadOnlyList<TRow> rows, ScanSession session, bool anyAccepted)
    {
        Rows = rows;
        ProbedTarget = session.ProbedTarget;
        ResolveFailure = session.Failure;
        AnyAccepted = anyAccepted;
        ServedChain = session.Probes?.ServedChain;
        EveryAnswerWasTls = session.Probes?.EveryAnswerWasTls == true;
        Connections = session.Connections;
        Deadline = session.Deadline;
    }

    /// <summary>The target's deadline the scan ran under; the follow-ups take their time from what it has left.</summary>
    public TargetDeadline Deadline { get; }

    public IReadOnlyList<TRow> Rows { get; }
    /// <summary>The address the probes connected to (the first the name resolved to); null when resolution failed.</summary>
    public TargetEndpoint? ProbedTarget { get; }
    /// <summary>Why the name did not resolve; null when it did.</summary>
    public string? ResolveFailure { get; }
    /// <summary>At least one version (or suite) was accepted.</summary>
    public bool AnyAccepted { get; }
    /// <summary>
    /// Every probe got a ServerHello or an alert. Then a scan that found nothing has its answer (the server refuses
    /// what was asked, in its own words), and there is no network cause to look for.
    /// </summary>
    public bool EveryAnswerWasTls { get; }
    /// <summary>The certificate chain (DER, leaf first) a probe read in plaintext on the way; null when none did (a TLS 1.3-only server).</summary>
    public IReadOnlyList<byte[]>? ServedChain { get; }
    /// <summary>Connections the scan made.</summary>
    public int Connections { get; }
}
