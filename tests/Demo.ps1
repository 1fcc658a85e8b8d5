<#
.SYNOPSIS
    Starts a handful of local misconfigured servers, diagnoses each with Test-TlsHandshake, prints the verdicts.
.DESCRIPTION
    Called by `build.ps1 Demo`. Every server listens on 127.0.0.1 and is stopped at the end, even on failure.
#>
param([string] $ModulePath = (Join-Path $PSScriptRoot '../out/TlsTools/TlsTools.psd1'))

$ErrorActionPreference = 'Stop'
Import-Module $ModulePath -Force
Import-Module (Join-Path $PSScriptRoot 'TestHelpers/TlsTestServers.psm1') -Force

$dir = Join-Path ([System.IO.Path]::GetTempPath()) "tlstools-demo-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
try {
    Write-Host 'Making a test PKI (root CA, intermediate, good and broken leaves) with openssl...'
    $pki = New-TestPki -Path $dir
    $root = $pki.RootCaPath

    # Scenario label -> how to reach it.
    $scenarios = [ordered]@{}
    foreach ($s in 'Good', 'Expired', 'WrongHost', 'SelfSigned', 'LeafOnly', 'Tls10Only') {
        $server = Start-TlsScenarioServer -Pki $pki -Scenario $s
        $scenarios[$s] = @{ ComputerName = '127.0.0.1'; Port = $server.Port; ServerName = 'localhost' }
    }
    $scenarios['ClosedPort'] = @{ ComputerName = '127.0.0.1'; Port = (Get-ClosedPort) }
    $scenarios['Silent'] = @{ ComputerName = '127.0.0.1'; Port = (Start-RawListener -Mode Silent).Port }
    $scenarios['Http'] = @{ ComputerName = '127.0.0.1'; Port = (Start-RawListener -Mode Http).Port }
    Write-Host "Started $($scenarios.Count) local servers; diagnosing each with Test-TlsHandshake -TrustedRootPath <test root>..."
    Write-Host ''

    $rows = foreach ($label in $scenarios.Keys) {
        $target = $scenarios[$label]
        $result = Test-TlsHandshake @target -TrustedRootPath $root -TimeoutSec 3
        $result | Add-Member -NotePropertyName Scenario -NotePropertyValue $label -PassThru
    }

    $rows | Format-Table -AutoSize -Property Scenario, Succeeded, FailureCategory, Protocol, CipherSuite | Out-String -Width 200 | Write-Host
    foreach ($r in $rows) {
        Write-Host "[$($r.Scenario)] $($r.ComputerName):$($r.Port) -> $(if ($r.Succeeded) { 'OK' } else { $r.FailureCategory })" -ForegroundColor $(if ($r.Succeeded) { 'Green' } else { 'Yellow' })
        if ($r.FailureReason) { Write-Host "    Reason: $($r.FailureReason)" }
        if ($r.Remedy) { Write-Host "    Remedy: $($r.Remedy)" }
    }
} finally {
    Stop-AllTestServer
    if (Test-Path $dir) { Remove-Item -Recurse -Force $dir }
}
