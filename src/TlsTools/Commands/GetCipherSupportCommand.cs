using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using TlsTools.Catalog;
using TlsTools.Probing;

namespace TlsTools.Commands;

/// <summary>Every cipher suite the server accepts, per version, in the server's order, rated; optionally its groups.</summary>
[Cmdlet(VerbsCommon.Get, "CipherSupport")]
[OutputType(typeof(CipherSupportResult))]
public sealed class GetCipherSupportCommand : ProbeTargetCmdlet<CipherSupportResult>
{
    ushort[]? _suiteCodes;

    [Parameter]
    public SwitchParameter IncludeGroups { get; set; }

    /// <summary>Test only these suites (IANA or OpenSSL names, or codes such as 0xC02F).</summary>
    [Parameter]
    [ArgumentCompleter(typeof(CipherSuiteCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? CipherSuite { get; set; }

    protected override string ProgressActivity => "Get-CipherSupport";

    protected override void BeginProcessing()
    {
        // A suite name that does not exist is a mistake in the command, not in one target: stop before connecting.
        if (CipherSuite != null)
            _suiteCodes = CipherSuite.Select(Resolve).ToArray();
        base.BeginProcessing();
    }

    ushort Resolve(string name)
    {
        var suite = CipherSuiteCatalog.Resolve(name);
        if (suite != null) return suite.Code;
        ThrowTerminatingError(new ErrorRecord(
            new PSArgumentException($"'{name}' is not a cipher suite of the IANA registry (IANA name, OpenSSL name or code such as 0xC02F)."),
            "UnknownCipherSuite", ErrorCategory.InvalidArgument, name));
        return 0;
    }

    protected override void Complete(ScanRequest request)
    {
        request.IncludeGroups = IncludeGroups;
        request.CipherSuites = _suiteCodes;
    }

    protected override Task<ScanOutcome<CipherSupportResult>> ScanAsync(ScanRequest request, CancellationToken ct) =>
        CipherSupportScanner.ScanAsync(request, ct);
}
