using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using TlsTools.Probing;

namespace TlsTools.Commands;

/// <summary>Which protocol versions, SSLv2 to TLS 1.3, the server accepts.</summary>
[Cmdlet(VerbsCommon.Get, "TlsProtocolSupport")]
[OutputType(typeof(ProtocolSupportResult))]
public sealed class GetTlsProtocolSupportCommand : ProbeTargetCmdlet<ProtocolSupportResult>
{
    protected override string ProgressActivity => "Get-TlsProtocolSupport";

    protected override Task<ScanOutcome<ProtocolSupportResult>> ScanAsync(ScanRequest request, CancellationToken ct) =>
        ProtocolSupportScanner.ScanAsync(request, ct);
}
