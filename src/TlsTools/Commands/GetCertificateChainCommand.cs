using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using TlsTools.Certificates;
using TlsTools.Diagnosis;
using TlsTools.Net;

namespace TlsTools.Commands;

/// <summary>
/// The chain as a server sends it, or as files hold it before they are installed: validated, every
/// problem named, one row per certificate.
/// </summary>
[Cmdlet(VerbsCommon.Get, "CertificateChain", DefaultParameterSetName = NetworkSet)]
[OutputType(typeof(ChainCertificate))]
public sealed class GetCertificateChainCommand : NetworkTargetCmdlet
{
    const string NetworkSet = "ComputerName";
    const string FileSet = "Path";

    // The common network parameters, re-declared (delegating to the base) only to scope them to the
    // network parameter set; in the Path set, -ComputerName (alias -HostName) is the name to check.
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = NetworkSet)]
    [Parameter(ParameterSetName = FileSet)]
    [Alias("HostName", "Host", "CN")]
    [ValidateNotNull]
    public new string[] ComputerName { get => base.ComputerName; set => base.ComputerName = value; }

    [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = NetworkSet)]
    public new int Port { get => base.Port; set => base.Port = value; }

    [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = NetworkSet)]
    [Alias("SNI")]
    public new string? ServerName { get => base.ServerName; set => base.ServerName = value; }

    [Parameter(ParameterSetName = NetworkSet)]
    public new SwitchParameter NoServerName { get => base.NoServerName; set => base.NoServerName = value; }

    [Parameter(ParameterSetName = NetworkSet)]
    public new SwitchParameter CompareServerName { get => base.CompareServerName; set => base.CompareServerName = value; }

    /// <summary>PEM, DER, PKCS#7 or PFX files; together they are one chain, leaf first.</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = FileSet)]
    [Alias("FullName", "PSPath")]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = Array.Empty<string>();

    // -Password is the base's, in both sets: the password of the -ClientCertificate file here, of the PFX files in the Path set.

    [Parameter(ParameterSetName = NetworkSet)]
    [ClientCertificateTransformation]
    public new object? ClientCertificate { get => base.ClientCertificate; set => base.ClientCertificate = value; }

    [Parameter]
    [ValidateRange(0, 3650)]
    public int WarningDays { get; set; } = 30;

    [Parameter]
    public SwitchParameter NoFetch { get; set; }

    [Parameter]
    public SwitchParameter CheckRevocation { get; set; }

    protected override string ProgressActivity => "Get-CertificateChain";

    protected override void ProcessRecord()
    {
        if (ParameterSetName == FileSet) InspectFiles();
        else base.ProcessRecord();
    }

    protected override void StartTarget(TargetEndpoint target, ConnectionOptions options, TrustStore trust)
    {
        var request = new ServedChainRequest
        {
            Target = target, Options = options, Trust = trust, WarningDays = WarningDays,
            FetchMissingIssuers = !NoFetch, CheckRevocation = CheckRevocation, Log = LogVerbose,
            ExpectedThumbprint = ExpectedThumbprint, CompareServerName = CompareServerName,
        };
        StartTarget(target.ToString(), async ct =>
        {
            var outcome = await ServedChainInspection.RunAsync(request, ct).ConfigureAwait(false);
            if (outcome.Succeeded)
            {
                foreach (var finding in outcome.Report.Findings.Where(f => f.Problem == ChainProblem.InterceptionSuspected))
                    OnPipelineThread(() => WriteWarning($"{target}: interception suspected: {finding.Message}"));
                EnqueueObjects(outcome.Report.Certificates);
            }
            else EnqueueError(NoChainError(target, outcome));
            return null;
        });
    }

    void InspectFiles()
    {
        if (!TryGetTrustStore(out var trust) || !ThumbprintIsUsable()) return;
        var paths = Path.Select(GetUnresolvedProviderPathFromPSPath).ToList();
        CertificateFileContent content;
        var password = PasswordChars();
        try
        {
            content = ChainFileReader.Read(paths, password);
        }
        catch (CertificateFileException ex)
        {
            WriteErrorInOrder(new ErrorRecord(ex, "InvalidCertificateFile", CertificateFileErrorCategories[ex.Error], ex.Path));
            return;
        }
        finally
        {
            if (password != null) Array.Clear(password, 0, password.Length);
        }

        var request = new ChainInspectionRequest
        {
            Certificates = content.Certificates,
            OrderIsMeaningful = content.OrderIsMeaningful,
            HostName = ComputerName?.FirstOrDefault(),
            Trust = trust,
            WarningDays = WarningDays,
            FetchMissingIssuers = !NoFetch,
            CheckRevocation = CheckRevocation,
            HttpTimeout = TimeSpan.FromSeconds(TimeoutSec),
            FilePaths = paths,
            Log = LogVerbose,
            ExpectedThumbprint = ExpectedThumbprint,
        };
        StartTarget(string.Join(", ", paths), async ct =>
        {
            // -TimeoutSec bounds the files' downloads (AIA, OCSP, CRL) together, as it bounds a server's target.
            request.Deadline = TargetDeadline.Start(request.HttpTimeout);
            EnqueueObjects((await ChainInspector.InspectAsync(request, ct).ConfigureAwait(false)).Certificates);
            return null;
        });
    }

    static readonly Dictionary<FailureCategory, ErrorCategory> NetworkErrorCategories = new Dictionary<FailureCategory, ErrorCategory>
    {
        [FailureCategory.DnsFailure] = ErrorCategory.ObjectNotFound,
        [FailureCategory.ConnectionRefused] = ErrorCategory.ConnectionError,
        [FailureCategory.NetworkUnreachable] = ErrorCategory.ConnectionError,
        [FailureCategory.ConnectTimeout] = ErrorCategory.OperationTimeout,
        [FailureCategory.ServerSilent] = ErrorCategory.OperationTimeout,
        [FailureCategory.HandshakeTimeout] = ErrorCategory.OperationTimeout,
        [FailureCategory.PathMtuStall] = ErrorCategory.OperationTimeout,
        [FailureCategory.ConnectionReset] = ErrorCategory.ConnectionError,
        [FailureCategory.MiddleboxBlocking] = ErrorCategory.ConnectionError,
        [FailureCategory.ProxyRefused] = ErrorCategory.PermissionDenied,
    };

    /// <summary>No certificate, no rows: the target's error says why (the category as Test-TlsHandshake names it) and what to do.</summary>
    static ErrorRecord NoChainError(TargetEndpoint target, ServedChainOutcome outcome)
    {
        var message = $"{target}: no certificate chain ({outcome.FailureCategory}): {outcome.FailureReason}";
        var category = NetworkErrorCategories.TryGetValue(outcome.FailureCategory, out var c) ? c : ErrorCategory.ProtocolError;
        return new ErrorRecord(new InvalidOperationException(message), "NoCertificateChain", category, target.ToString())
        {
            ErrorDetails = new ErrorDetails(message) { RecommendedAction = Remedies.For(outcome.FailureCategory) ?? "Run Test-TlsHandshake for the full diagnosis." },
        };
    }
}
