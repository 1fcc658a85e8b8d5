<#
.SYNOPSIS
    Starts every Start-TlsTestServer scenario, diagnoses each with Test-TlsHandshake (default settings, the
    run's root trusted), and prints a table in which each FailureCategory should equal its ExpectedFailure and each
    DiagnosisRule (the rule that decided) its ExpectedRule.
.DESCRIPTION
    Meant for `build.ps1 Demo`. Exits 1 when any scenario is diagnosed differently from what it reproduces.
    Every server listens on 127.0.0.1 and is stopped at the end, even on failure.
#>
param([string] $ModulePath)

$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot 'TestHelpers/TestHelpers.psm1') -Force
$null = Import-TlsToolsModule -Path $ModulePath

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
            ExpectedRule    = $server.ExpectedRule
            DiagnosisRule   = $result.DiagnosisRule
            Agrees          = $result.FailureCategory -eq $server.ExpectedFailure -and $result.DiagnosisRule -eq $server.ExpectedRule
            Protocol        = $result.Protocol
            CipherSuite     = $result.CipherSuite
            FailureReason   = $result.FailureReason
        }
    }
    $rows | Format-Table -Property Scenario, ExpectedFailure, FailureCategory, ExpectedRule, DiagnosisRule, Agrees, Protocol, CipherSuite |
        Out-String -Width 220 | Write-Host

    foreach ($row in $rows | Where-Object FailureReason) {
        Write-Host "[$($row.Scenario)] $($row.FailureReason)" -ForegroundColor $(if ($row.Agrees) { 'DarkGray' } else { 'Red' })
    }
    Write-Host ''

    # The same causes through the other network cmdlets: each row says what it checks and whether it holds.
    Write-Host 'The same diagnosis from the other network cmdlets (scanners and Get-CertificateChain):'
    $byName = @{}; foreach ($server in $servers) { $byName[$server.Scenario] = $server }
    $leafOf = { param($rows) $rows | Where-Object Position -EQ 0 }
    $checks = @(
        @{ Command = 'Interception | Get-TlsProtocolSupport'; Expected = 'InterceptionSuspected True'
           Run = { $r = $byName.Interception | Get-TlsProtocolSupport -WarningAction SilentlyContinue | Select-Object -First 1; "InterceptionSuspected $($r.InterceptionSuspected)" } }
        @{ Command = 'Good | Get-CipherSupport -ExpectedThumbprint <another>'; Expected = 'InterceptionSuspected True'
           Run = { $r = $byName.Good | Get-CipherSupport -ExpectedThumbprint ('AB' * 20) -WarningAction SilentlyContinue | Select-Object -First 1; "InterceptionSuspected $($r.InterceptionSuspected)" } }
        @{ Command = 'Interception | Get-CertificateChain'; Expected = 'leaf problem InterceptionSuspected'
           Run = { $leaf = & $leafOf ($byName.Interception | Get-CertificateChain -WarningAction SilentlyContinue); "leaf problem $(($leaf.ProblemList | Where-Object { $_ -eq 'InterceptionSuspected' }) -join '')" } }
        @{ Command = 'SniMismatch | Get-CertificateChain -ServerName <name> -NoServerName -CompareServerName'; Expected = 'leaf problem SniRouting'
           Run = { $leaf = & $leafOf ($byName.SniMismatch | Get-CertificateChain -ServerName snimismatch.tlstools.test -NoServerName -CompareServerName); "leaf problem $($leaf.Problems)" } }
        @{ Command = 'SniRequired | Get-CipherSupport -ServerName <name> -CompareServerName'; Expected = 'ServerNameBehavior Required'
           Run = { $r = $byName.SniRequired | Get-CipherSupport -ServerName snirequired.tlstools.test -Protocol Tls12, Tls13 -CompareServerName | Select-Object -First 1; "ServerNameBehavior $($r.ServerNameBehavior)" } }
        @{ Command = 'ResetAfterHello | Get-TlsProtocolSupport'; Expected = 'FailureCategory ConnectionReset'
           Run = { $r = $byName.ResetAfterHello | Get-TlsProtocolSupport -TimeoutSec 3 -WarningAction SilentlyContinue | Select-Object -First 1; "FailureCategory $($r.FailureCategory)" } }
        @{ Command = 'Silent | Get-CertificateChain'; Expected = 'error ServerSilent'
           Run = { $null = $byName.Silent | Get-CertificateChain -TimeoutSec 2 -ErrorVariable e -ErrorAction SilentlyContinue; "error $(if ("$e" -match 'no certificate chain \((\w+)\)') { $Matches[1] })" } }
    )
    $pathRows = foreach ($check in $checks) {
        $got = & $check.Run
        [pscustomobject]@{ Command = $check.Command; Expected = $check.Expected; Got = $got; Agrees = $got -eq $check.Expected }
    }
    $pathRows | Format-Table -AutoSize -Property Command, Expected, Got, Agrees | Out-String -Width 200 | Write-Host

    $wrong = @($rows | Where-Object { -not $_.Agrees }) + @($pathRows | Where-Object { -not $_.Agrees } | ForEach-Object { [pscustomobject]@{ Scenario = $_.Command } })
    if ($wrong.Count -eq 0) {
        Write-Host "All $($rows.Count) scenarios: FailureCategory equals ExpectedFailure and DiagnosisRule equals ExpectedRule; all $($pathRows.Count) checks through the other cmdlets agree." -ForegroundColor Green
    } else {
        Write-Host "$($wrong.Count) of $($rows.Count + $pathRows.Count) diagnosed differently: $($wrong.Scenario -join ', ')." -ForegroundColor Red
        exit 1
    }
} finally {
    Stop-TlsTestServer -All
}
