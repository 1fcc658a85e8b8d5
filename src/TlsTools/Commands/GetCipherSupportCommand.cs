using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using TlsTools.Probing;

namespace TlsTools.Commands
{
    /// <summary>Every cipher suite the server accepts, per version, in the server's order, rated; optionally its groups.</summary>
    [Cmdlet(VerbsCommon.Get, "CipherSupport")]
    [OutputType(typeof(CipherSupportResult))]
    public sealed class GetCipherSupportCommand : ProbeTargetCmdlet<CipherSupportResult>
    {
        [Parameter]
        public SwitchParameter IncludeGroups { get; set; }

        protected override string ProgressActivity => "Get-CipherSupport";

        protected override void Complete(ScanRequest request) => request.IncludeGroups = IncludeGroups;

        protected override Task<IReadOnlyList<CipherSupportResult>> ScanAsync(ScanRequest request, CancellationToken ct) =>
            CipherSupportScanner.ScanAsync(request, ct);
    }
}
