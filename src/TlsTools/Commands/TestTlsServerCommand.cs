using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using TlsTools.Assessment;
using TlsTools.Assessment.Checks;
using TlsTools.Assessment.Grading;
using TlsTools.Assessment.Profiles;
using TlsTools.Certificates;
using TlsTools.Net;

namespace TlsTools.Commands;

/// <summary>
/// One assessment per server: the SSL Labs grade (rating guide 2009r), Mozilla Server Side TLS compliance, and every
/// finding with the configuration that fixes it.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "TlsServer")]
[OutputType(typeof(ServerAssessment))]
[OutputType(typeof(bool))]
public sealed class TestTlsServerCommand : NetworkTargetCmdlet
{
    IReadOnlyList<ProfileConfiguration> _profiles = MozillaGuideline.BuiltIn.Configurations;
    IReadOnlyList<ServerCheckDefinition> _checks = Array.Empty<ServerCheckDefinition>();

    /// <summary>A built-in configuration (modern, intermediate) or a JSON file of the shape of Mozilla's guideline.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(ProfileNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Profile { get; set; }

    /// <summary>Make no GET of / (HSTS and the Server header are then not checked).</summary>
    [Parameter]
    public SwitchParameter NoHttp { get; set; }

    /// <summary>Run only these vulnerability and behaviour checks (wildcards allowed); all of them by default.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(ServerCheckNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Check { get; set; }

    /// <summary>Skip these checks (wildcards allowed). The grade names the rules they would have decided under NotChecked.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(ServerCheckNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? ExcludeCheck { get; set; }

    /// <summary>Write $true or $false per server instead of the assessment: the grade is at least -MinimumGrade, or (with -Profile) the server complies.</summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    [Parameter]
    [ValidateSet("A+", "A", "A-", "B", "C", "D", "E", "F")]
    public string MinimumGrade { get; set; } = "B";

    protected override string ProgressActivity => "Test-TlsServer";

    protected override void BeginProcessing()
    {
        // A profile that cannot be read is a mistake in the command, not in one target: stop before connecting.
        if (Profile != null) _profiles = LoadProfiles(Profile);
        try
        {
            _checks = ServerCheckCatalog.Select(Check, ExcludeCheck);
        }
        catch (ArgumentException ex)
        {
            ThrowTerminatingError(new ErrorRecord(ex, "InvalidCheck", ErrorCategory.InvalidArgument, Check ?? ExcludeCheck)
            {
                ErrorDetails = new ErrorDetails(ex.Message) { RecommendedAction = "Press Tab after -Check for the names, or see Get-Help about_TlsTools." },
            });
        }
        base.BeginProcessing();
    }

    IReadOnlyList<ProfileConfiguration> LoadProfiles(string profile)
    {
        var builtIn = MozillaGuideline.BuiltIn.Configurations.Where(c => string.Equals(c.Name, profile, StringComparison.OrdinalIgnoreCase)).ToList();
        if (builtIn.Count > 0) return builtIn;
        string path = GetUnresolvedProviderPathFromPSPath(profile);
        if (!File.Exists(path))
            ThrowTerminatingError(new ErrorRecord(new FileNotFoundException($"'{profile}' is neither a built-in profile ({string.Join(", ", MozillaGuideline.BuiltIn.Configurations.Select(c => c.Name))}) nor a file.", path),
                "ProfileNotFound", ErrorCategory.ObjectNotFound, profile));
        try
        {
            return MozillaGuideline.Load(path).Configurations;
        }
        catch (ProfileFormatException ex)
        {
            ThrowTerminatingError(new ErrorRecord(ex, "InvalidProfile", ErrorCategory.InvalidData, profile)
            {
                ErrorDetails = new ErrorDetails(ex.Message) { RecommendedAction = $"Fix the field {ex.Field}: the file must have the shape of {MozillaGuideline.BuiltIn.Source}." },
            });
            return Array.Empty<ProfileConfiguration>();
        }
    }

    protected override void StartTarget(TargetEndpoint target, ConnectionOptions options, TrustStore trust)
    {
        string label = target.ToString();
        int progressId = NextProgressId();
        var request = new ServerAssessmentRequest
        {
            Target = target,
            Options = options,
            Trust = trust,
            Profiles = _profiles,
            NoHttp = NoHttp,
            Checks = _checks,
            HttpUserAgent = "TlsTools/" + (MyInvocation.MyCommand.Module?.Version?.ToString() ?? "0"),
            ExpectedThumbprint = ExpectedThumbprint,
            CompareServerName = CompareServerName,
            Log = LogVerbose,
            OnProbe = NarrateProbes(label, progressId),
        };
        StartTarget(label, async ct =>
        {
            var assessment = await ServerAssessor.AssessAsync(request, ct).ConfigureAwait(false);
            CompleteProgress(progressId);
            OnPipelineThread(() =>
            {
                if (assessment.FailureCategory != FailureCategory.None)
                    WriteWarning($"{label}: not assessed: {assessment.FailureCategory}: {assessment.FailureReason}");
                WriteObject(Quiet ? (object)Passes(assessment) : assessment);
            });
            return null;
        });
    }

    /// <summary>-Quiet: with -Profile, compliance with every configuration checked; otherwise the grade against -MinimumGrade.</summary>
    bool Passes(ServerAssessment assessment) =>
        Profile != null
            ? assessment.Profiles.Count > 0 && assessment.Profiles.All(p => p.Compliant)
            : GradeScale.AtLeast(assessment.Grade, MinimumGrade);
}

/// <summary>Completes -Check and -ExcludeCheck with the check names, each with its CVE and group.</summary>
public sealed class ServerCheckNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        System.Management.Automation.Language.CommandAst commandAst, System.Collections.IDictionary fakeBoundParameters) =>
        ServerCheckCatalog.All
            .Where(c => c.Name.StartsWith((wordToComplete ?? "").Trim('\'', '"'), StringComparison.OrdinalIgnoreCase))
            .Select(c => new CompletionResult(c.Name, c.Name, CompletionResultType.ParameterValue, c.Cve == null ? c.Group : $"{c.Cve} ({c.Group})"));
}

/// <summary>Completes -Profile with the built-in configuration names.</summary>
public sealed class ProfileNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        System.Management.Automation.Language.CommandAst commandAst, System.Collections.IDictionary fakeBoundParameters) =>
        MozillaGuideline.BuiltIn.Configurations
            .Where(c => c.Name.StartsWith(wordToComplete ?? "", StringComparison.OrdinalIgnoreCase))
            .Select(c => new CompletionResult(c.Name, c.Name, CompletionResultType.ParameterValue, $"Mozilla Server Side TLS {c.Version} {c.Name}"));
}
