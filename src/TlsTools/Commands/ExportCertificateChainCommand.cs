using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using TlsTools.Certificates;

namespace TlsTools.Commands;

/// <summary>
/// Writes the bundle a server should send for the chain piped in from Get-CertificateChain: leaf, then the
/// intermediates in path order (fetched ones included), no root unless asked.
/// </summary>
[Cmdlet(VerbsData.Export, "CertificateChain", SupportsShouldProcess = true)]
[OutputType(typeof(FileInfo))]
public sealed class ExportCertificateChainCommand : PSCmdlet
{
    readonly List<ChainReport> _chains = new List<ChainReport>();

    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    public ChainCertificate[] InputObject { get; set; } = Array.Empty<ChainCertificate>();

    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    [Parameter]
    public BundleFormat Format { get; set; } = BundleFormat.Pem;

    [Parameter]
    public SwitchParameter IncludeRoot { get; set; }

    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var row in InputObject)
        {
            if (row?.Chain == null)
            {
                WriteError(new ErrorRecord(new ArgumentException("The input has no chain; pipe the output of Get-CertificateChain itself (not a CSV import of it)."),
                    "InputWithoutChain", ErrorCategory.InvalidArgument, row));
                continue;
            }
            if (!_chains.Contains(row.Chain)) _chains.Add(row.Chain);
        }
    }

    protected override void EndProcessing()
    {
        if (_chains.Count == 0) return;
        if (_chains.Count > 1)
        {
            WriteError(new ErrorRecord(new InvalidOperationException(
                $"The input holds {_chains.Count} chains ({string.Join("; ", _chains.Select(c => c.Label))}); one file holds one chain. Export each chain on its own."),
                "MultipleChains", ErrorCategory.InvalidArgument, Path));
            return;
        }
        var chain = _chains[0];
        if (!chain.RepairedChainValid && !Force)
        {
            var problems = string.Join(" ", chain.Findings.Where(f => f.IsFatal && !f.FixedByRepair).Select(f => f.Message));
            WriteError(new ErrorRecord(new InvalidOperationException(
                $"The chain of {chain.Label} does not validate, so it is not exported: {problems} Use -Force to write it anyway."),
                "ChainNotValid", ErrorCategory.InvalidData, chain));
            return;
        }

        var file = GetUnresolvedProviderPathFromPSPath(Path);
        var bundle = chain.GetBundle(IncludeRoot);
        if (!ShouldProcess(file, $"Write {bundle.Count} certificate(s) as {Format}")) return;
        try
        {
            ChainBundleWriter.Write(file, bundle, Format);
        }
        catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
        {
            WriteError(new ErrorRecord(ex, "ExportFailed", ErrorCategory.WriteError, file));
            return;
        }
        WriteObject(new FileInfo(file));
    }
}
