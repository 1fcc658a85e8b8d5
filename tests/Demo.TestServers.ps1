<#
.SYNOPSIS
    Starts every Start-TlsTestServer scenario, diagnoses each with Test-TlsHandshake (default settings, the
    run's root trusted), and prints a table in which each FailureCategory should equal its ExpectedFailure.
.DESCRIPTION
    Meant for `build.ps1 Demo`. Exits 1 when any scenario is diagnosed differently from what it reproduces.
    Every server listens on 127.0.0.1 and is stopped at the end, even on failure.
#>
param([string] $ModulePath = (Join-Path $PSScriptRoot '../out/TlsTools/TlsTools.psd1'))

$ErrorActionPreference = 'Stop'
Import-Module (Resolve-Path $ModulePath).ProviderPath -Force

try {
    $clock = [System.Diagnostics.Stopwatch]::StartNew()
    $servers = @(Start-TlsTestServer -Scenario *)
    Write-Host "Started $($servers.Count) test servers on 127.0.0.1 (fresh in-memory PKI included) in $($clock.ElapsedMilliseconds) ms."
    Write-Host 'Diagnosing them all with one concurrent Test-TlsHandshake call (default settings, the test root trusted):'
    Write-Host '    Start-TlsTestServer -Scenario * | Test-TlsHandshake'
    Write-Host ''

    # The server objects bind by property name: ComputerName, Port, ServerName, TrustedRootPath.
    $byPort = @{}
    $servers | Test-TlsHandshake | ForEach-Object { $byPort[$_.Port] = $_ }

    $rows = foreach ($server in $servers) {
        $result = $byPort[$server.Port]
        [pscustomobject]@{
            Scenario        = $server.Scenario
            ExpectedFailure = $server.ExpectedFailure
            FailureCategory = $result.FailureCategory
            Agrees          = $result.FailureCategory -eq $server.ExpectedFailure
            Protocol        = $result.Protocol
            CipherSuite     = $result.CipherSuite
            FailureReason   = $result.FailureReason
        }
    }
    $rows | Format-Table -Property Scenario, ExpectedFailure, FailureCategory, Agrees, Protocol, CipherSuite |
        Out-String -Width 160 | Write-Host

    foreach ($row in $rows | Where-Object FailureReason) {
        Write-Host "[$($row.Scenario)] $($row.FailureReason)" -ForegroundColor $(if ($row.Agrees) { 'DarkGray' } else { 'Red' })
    }
    Write-Host ''
    $wrong = @($rows | Where-Object { -not $_.Agrees })
    if ($wrong.Count -eq 0) {
        Write-Host "All $($rows.Count) scenarios: FailureCategory equals ExpectedFailure." -ForegroundColor Green
    } else {
        Write-Host "$($wrong.Count) of $($rows.Count) scenarios diagnosed differently: $($wrong.Scenario -join ', ')." -ForegroundColor Red
        exit 1
    }
} finally {
    Stop-TlsTestServer -All
}
