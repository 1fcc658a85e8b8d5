<#
    TlsTools and another module that brings a different BouncyCastle.Cryptography live in one PowerShell 7 session,
    in either import order, and each works with its own BouncyCastle. The other module is built here: a one-cmdlet
    binary module on BouncyCastle.Cryptography 2.4.0. Every 2.x BouncyCastle has assembly version 2.0.0.0, so without
    the module's own load context the second one imported silently gets the first one's BouncyCastle, or fails to load.
    Each order runs in a fresh pwsh process: an assembly once loaded stays for the life of the process.
#>

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers/TestHelpers.psm1') -Force
    $ModuleFile = Get-TlsToolsModulePath   # imported only in the child processes below, one per import order
    $PwshDll = Join-Path $PSHOME 'pwsh.dll'

    # The BouncyCastle the module is built on (central package versions) and the other module's, which must differ.
    [xml] $packages = Get-Content -Raw (Join-Path $PSScriptRoot '../Directory.Packages.props')
    $OurVersion = $packages.Project.ItemGroup.PackageVersion | Where-Object Include -EQ 'BouncyCastle.Cryptography' | ForEach-Object Version
    $OtherVersion = '2.4.0'
    $OurVersion | Should -Not -BeNullOrEmpty
    $OurVersion | Should -Not -Be $OtherVersion -Because 'the other module must bring another BouncyCastle than ours'
    $Sha256OfAbc = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'   # FIPS 180-2 test vector

    $Work = Join-Path ([System.IO.Path]::GetTempPath()) "tlstools-alc-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
    $source = Join-Path $Work 'src'
    $OtherModuleDir = Join-Path $Work 'OtherBouncyCastle'
    New-Item -ItemType Directory -Path $source | Out-Null
    # Empty props files: nothing of a Directory.*.props above the temp folder (central versions, analyzers) applies.
    Set-Content (Join-Path $Work 'Directory.Build.props') '<Project />'
    Set-Content (Join-Path $Work 'Directory.Packages.props') '<Project />'
    Set-Content (Join-Path $source 'OtherBouncyCastle.csproj') @"
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>netstandard2.0</TargetFramework>
    <LangVersion>latest</LangVersion>
    <Nullable>enable</Nullable>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="PowerShellStandard.Library" Version="5.1.1" PrivateAssets="all" />
    <PackageReference Include="BouncyCastle.Cryptography" Version="$OtherVersion" />
  </ItemGroup>
</Project>
"@
    Set-Content (Join-Path $source 'GetOtherBouncyCastleCommand.cs') @'
using System;
using System.Management.Automation;
using System.Reflection;
using System.Text;
using Org.BouncyCastle.Crypto.Digests;

namespace OtherBouncyCastle;

/// <summary>Hashes "abc" with BouncyCastle and tells which BouncyCastle did it.</summary>
[Cmdlet(VerbsCommon.Get, "OtherBouncyCastle")]
public sealed class GetOtherBouncyCastleCommand : PSCmdlet
{
    protected override void EndProcessing()
    {
        var digest = new Sha256Digest();
        var input = Encoding.ASCII.GetBytes("abc");
        digest.BlockUpdate(input, 0, input.Length);
        var output = new byte[digest.GetDigestSize()];
        digest.DoFinal(output, 0);
        var result = new PSObject();
        result.Properties.Add(new PSNoteProperty("Sha256", BitConverter.ToString(output).Replace("-", "").ToLowerInvariant()));
        result.Properties.Add(new PSNoteProperty("BouncyCastle", typeof(Sha256Digest).Assembly));
        WriteObject(result);
    }
}
'@
    & dotnet publish (Join-Path $source 'OtherBouncyCastle.csproj') -c Release -o $OtherModuleDir --nologo -v quiet | Out-Host
    $LASTEXITCODE | Should -Be 0 -Because 'the other module must build'
    Remove-Item (Join-Path $OtherModuleDir 'System.Management.Automation.dll') -ErrorAction SilentlyContinue

    # What runs in each fresh process: each module imported and used at once, in the given order (so the first one's
    # BouncyCastle is loaded before the second module comes), then both used again; where each one's BouncyCastle
    # came from, and every error on the way, as one line of JSON.
    $Probe = Join-Path $Work 'Probe.ps1'
    Set-Content $Probe @'
param([string] $TlsToolsManifest, [string] $OtherModule, [string] $Order)
$ErrorActionPreference = 'Stop'
$report = [ordered]@{ Errors = [System.Collections.Generic.List[string]]::new() }
function Get-BouncyCastleVersion([System.Reflection.Assembly] $Assembly) {
    $Assembly.GetCustomAttributes([System.Reflection.AssemblyInformationalVersionAttribute], $false)[0].InformationalVersion -replace '\+.*$'
}
function Get-ContextName([System.Reflection.Assembly] $Assembly) {
    $context = [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($Assembly)
    if ($context -eq [System.Runtime.Loader.AssemblyLoadContext]::Default) { 'Default' } else { $context.GetType().FullName }
}
function Use-TlsTools {
    $server = Start-TlsTestServer -Scenario Good
    try {
        $handshake = $server | Test-TlsHandshake -Engine Managed -TimeoutSec 10
        $report.Handshake = if ($handshake.Succeeded) { 'Succeeded' } else { "$($handshake.FailureCategory): $($handshake.FailureReason)" }
        # The BouncyCastle that Core binds to: the one Core's own load context hands out for the name.
        $core = $handshake.GetType().Assembly
        $coreContext = [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($core)
        $report.TlsToolsBouncyCastle = Get-BouncyCastleVersion $coreContext.LoadFromAssemblyName([System.Reflection.AssemblyName] 'BouncyCastle.Cryptography')
        $report.CoreContext = Get-ContextName $core
        $report.CmdletContext = Get-ContextName (Get-Command Test-TlsHandshake).ImplementingType.Assembly
        $report.FailureCategoryLiteral = "$([TlsTools.FailureCategory]::None)"
    } finally { $server | Stop-TlsTestServer }
}
function Use-Other {
    $other = Get-OtherBouncyCastle
    $report.OtherSha256 = $other.Sha256
    $report.OtherBouncyCastle = Get-BouncyCastleVersion $other.BouncyCastle
    $report.OtherContext = Get-ContextName $other.BouncyCastle
}
$names = $Order -split ','
foreach ($name in $names) {
    try {
        if ($name -eq 'TlsTools') { Import-Module $TlsToolsManifest; Use-TlsTools } else { Import-Module $OtherModule; Use-Other }
    } catch { $report.Errors.Add("$name (first use): $_") }
}
foreach ($name in $names) {
    try { if ($name -eq 'TlsTools') { Use-TlsTools } else { Use-Other } } catch { $report.Errors.Add("$name (both loaded): $_") }
}
$report.BouncyCastleCopies = @([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'BouncyCastle.Cryptography' }).Count
$report | ConvertTo-Json -Compress
'@

    function Invoke-Probe([string[]] $Order) {
        $otherModule = Join-Path $OtherModuleDir 'OtherBouncyCastle.dll'
        # -File passes strings only: the order goes as one comma-separated word.
        $out = & dotnet $PwshDll -NoProfile -NonInteractive -File $Probe -TlsToolsManifest $ModuleFile -OtherModule $otherModule -Order ($Order -join ',')
        $LASTEXITCODE | Should -Be 0 -Because "the probe process must run: $out"
        $json = @($out)[-1]
        Write-Host "    $($Order -join ' then '): $json"
        $json | ConvertFrom-Json
    }
}

AfterAll {
    if ($Work) { Remove-Item -Recurse -Force $Work -ErrorAction SilentlyContinue }
}

Describe 'TlsTools beside a module with another BouncyCastle (PowerShell 7)' {
    It 'imports and works with its own BouncyCastle when the other module is <Name>' -ForEach @(
        @{ Name = 'imported first'; Order = @('Other', 'TlsTools') }
        @{ Name = 'imported after it'; Order = @('TlsTools', 'Other') }
    ) {
        $r = Invoke-Probe $Order
        $r.Errors | Should -BeNullOrEmpty

        # Both work, each with its own BouncyCastle...
        $r.Handshake | Should -Be 'Succeeded' -Because 'the managed engine (BouncyCastle) handshakes with the BouncyCastle test server'
        $r.TlsToolsBouncyCastle | Should -Be $OurVersion
        $r.OtherSha256 | Should -Be $Sha256OfAbc
        $r.OtherBouncyCastle | Should -Be $OtherVersion
        # ...because ours is in the module's own load context, and the cmdlets and the other module's are PowerShell's.
        $r.CoreContext | Should -Be 'TlsTools.Loader.DependencyLoadContext' -Because 'Core and its BouncyCastle load into the module''s own context'
        $r.CmdletContext | Should -Be 'Default' -Because 'the cmdlets stay with PowerShell'
        $r.OtherContext | Should -Be 'Default'
        $r.FailureCategoryLiteral | Should -Be 'None' -Because '[TlsTools.*] type literals still resolve'
        $r.BouncyCastleCopies | Should -Be 2
    }
}
