<#
.SYNOPSIS
    Runs the Pester tests in this (fresh) pwsh process against the built module. Called by build.ps1 Test.
#>
param(
    [Parameter(Mandatory)] [string] $PesterManifest,
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $ResultPath,
    [string[]] $Path = $PSScriptRoot
)
$ErrorActionPreference = 'Stop'
Import-Module $PesterManifest -Force
# Tests import the module from here, so they always test what Build produced.
$env:TLSTOOLS_MODULE_PATH = $ModulePath

# pwsh -File passes an array as one comma-joined string: split it back into paths.
$Path = @($Path | ForEach-Object { $_ -split ',' } | Where-Object { $_ })

$config = New-PesterConfiguration
$config.Run.Path = $Path
$config.Run.Exit = $true
$config.Output.Verbosity = 'Detailed'
$config.TestResult.Enabled = $true
$config.TestResult.OutputFormat = 'JUnitXml'
$config.TestResult.OutputPath = $ResultPath
# Run.Exit makes a failing test fail this process with a non-zero exit code.
Invoke-Pester -Configuration $config
