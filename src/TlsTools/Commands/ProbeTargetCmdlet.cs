using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using TlsTools.Certificates;
using TlsTools.Diagnosis;
using TlsTools.Net;
using TlsTools.Probing;

namespace TlsTools.Commands;

/// <summary>
/// Base of the scanning cmdlets: -Protocol, a Core scan per target, its rows written in order, and every probe
/// connection shown as progress (probe count) and, under -Verbose, as narration.
/// </summary>
public abstract class ProbeTargetCmdlet<TResult> : NetworkTargetCmdlet where TResult : ITargetFindings
{

    [Parameter]
    [ValidateSet("Ssl2", "Ssl3", "Tls10", "Tls11", "Tls12", "Tls13")]
    public TlsProtocol[]? Protocol { get; set; }

    /// <summary>The Core scan of one target.</summary>
    protected abstract Task<ScanOutcome<TResult>> ScanAsync(ScanRequest request, CancellationToken ct);

    /// <summary>Lets a derived cmdlet add its own switches to the request.</summary>
    protected virtual void Complete(ScanRequest request) { }

    protected override void StartTarget(TargetEndpoint target, ConnectionOptions options, TrustStore trust)
    {
        string label = target.ToString();
        int progressId = NextProgressId();
        var request = new ScanRequest
        {
            Target = target,
            Options = options,
            Protocols = (Protocol ?? Array.Empty<TlsProtocol>()).Aggregate(TlsProtocol.None, (set, p) => set | p),
            Trust = trust,
            ExpectedThumbprint = ExpectedThumbprint,
            CompareServerName = CompareServerName,
            Log = LogVerbose,
            OnProbe = NarrateProbes(label, progressId),
        };
        Complete(request);
        StartTarget(label, async ct =>
        {
            var rows = await ScanFollowUp.CompleteAsync(request, await ScanAsync(request, ct).ConfigureAwait(false), ct).ConfigureAwait(false);
            CompleteProgress(progressId);
            OnPipelineThread(() =>
            {
                WarnAbout(label, rows.FirstOrDefault());
                foreach (var row in rows) WriteObject(row);
            });
            return null;
        });
    }

    /// <summary>Once per target, what a prompt user must not miss among the rows: nothing could be scanned, or the chain looks re-signed.</summary>
    void WarnAbout(string label, ITargetFindings findings)
    {
        if (findings == null) return;
        if (findings.FailureCategory != FailureCategory.None)
            WriteWarning($"{label}: {findings.FailureCategory}: {findings.FailureReason}");
        if (findings.InterceptionSuspected)
            WriteWarning($"{label}: interception suspected: {findings.InterceptionEvidence}");
    }
}
