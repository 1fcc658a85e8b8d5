<#
.SYNOPSIS
    Starts a handful of local misconfigured servers, diagnoses each with Test-TlsHandshake, prints the verdicts.
.DESCRIPTION
    Called by `build.ps1 Demo`. Every server listens on 127.0.0.1 and is stopped at the end, even on failure.
#>
param([string] $ModulePath)

$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot 'TestHelpers/TestHelpers.psm1') -Force
$null = Import-TlsToolsModule -Path $ModulePath

$dir = Join-Path ([System.IO.Path]::GetTempPath()) "tlstools-demo-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
try {
    Write-Host 'Making a test PKI (root CA, intermediate, good and broken leaves) with openssl...'
    $pki = New-TestPki -Path $dir
    $root = $pki.RootCaPath

    # Scenario label -> port on 127.0.0.1.
    $scenarios = [ordered]@{}
    foreach ($s in 'Good', 'Expired', 'WrongHost', 'SelfSigned', 'LeafOnly', 'Tls10Only') {
        $scenarios[$s] = (Start-TlsScenarioServer -Pki $pki -Scenario $s).Port
    }
    $scenarios['ClosedPort'] = Get-ClosedPort
    $scenarios['Silent'] = (Start-RawListener -Mode Silent).Port
    $scenarios['Http'] = (Start-RawListener -Mode Http).Port
    Write-Host "Started $($scenarios.Count) local servers; diagnosing them with one Test-TlsHandshake call (concurrently):"
    Write-Host "    <targets> | Test-TlsHandshake -ServerName localhost -TrustedRootPath <test root CA> -TimeoutSec 3"
    Write-Host ''

    # One pipeline, so the targets run concurrently; results stream back in completion order.
    $byPort = @{}
    $scenarios.Values | ForEach-Object { "127.0.0.1:$_" } |
        Test-TlsHandshake -ServerName localhost -TrustedRootPath $root -TimeoutSec 3 |
        ForEach-Object { $byPort[$_.Port] = $_ }
    $rows = foreach ($label in $scenarios.Keys) {
        $byPort[$scenarios[$label]] | Add-Member -NotePropertyName Scenario -NotePropertyValue $label -PassThru
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
