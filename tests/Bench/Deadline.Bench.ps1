<#
.SYNOPSIS
    Benchmark of -TimeoutSec (build.ps1 Bench): every network cmdlet against a silent server (-TimeoutSec 2 and 5)
    and a server that drips one byte every 2 s (-TimeoutSec 3), each timed from the call to its last output.
.DESCRIPTION
    -TimeoutSec bounds the whole target, follow-ups included: each call must return within TimeoutSec + 1 s.
    Prints measured time against that bound for each row and exits 1 when any call overruns it (a wall-clock check
    lives here, never in a test). The servers are the module's Silent and DripFeed scenarios on 127.0.0.1.

    Run directly:  dotnet pwsh -File tests/Bench/Deadline.Bench.ps1 -ModulePath out/TlsTools/TlsTools.psd1
#>
[CmdletBinding()]
param([string] $ModulePath)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot '../TestHelpers/TestHelpers.psm1') -Force
$null = Import-TlsToolsModule -Path $ModulePath

$servers = @{}
Start-TlsTestServer -Scenario Silent, DripFeed | ForEach-Object { $servers[$_.Scenario] = $_ }
try {
    $cases = @(
        @{ Scenario = 'Silent'; TimeoutSec = 2 }
        @{ Scenario = 'Silent'; TimeoutSec = 5 }
        @{ Scenario = 'DripFeed'; TimeoutSec = 3 }
    )
    # Each cmdlet as a user calls it, plus Test-TlsHandshake with every follow-up it has (both engines, the SNI comparison).
    $cmdlets = @(
        @{ Name = 'Test-TlsHandshake'; Extra = @{} }
        @{ Name = 'Test-TlsHandshake'; Extra = @{ Engine = 'Both'; CompareServerName = $true }; Label = 'Test-TlsHandshake -Engine Both -CompareServerName' }
        @{ Name = 'Get-TlsProtocolSupport'; Extra = @{} }
        @{ Name = 'Get-CipherSupport'; Extra = @{} }
        @{ Name = 'Get-CertificateChain'; Extra = @{} }
    )
    # Warm-up: the first call in a session pays for JIT; the bound is about the deadline, not start-up.
    $null = Test-TlsHandshake $servers.Silent.ComputerName -Port $servers.Silent.Port -TimeoutSec 1

    $rows = foreach ($case in $cases) {
        $server = $servers[$case.Scenario]
        foreach ($call in $cmdlets) {
            $cmdlet = $call.Name
            $arguments = @{ ComputerName = $server.ComputerName; Port = $server.Port; ServerName = $server.ServerName; TimeoutSec = $case.TimeoutSec; NoProxy = $true } + $call.Extra
            $watch = [Diagnostics.Stopwatch]::StartNew()
            $out = @(& $cmdlet @arguments -ErrorAction SilentlyContinue -WarningAction SilentlyContinue -ErrorVariable errors)
            $watch.Stop()
            $first = $out | Select-Object -First 1
            $category = if ($first -and $first.PSObject.Properties['FailureCategory']) { $first.FailureCategory } elseif ("$errors" -match 'no certificate chain \((\w+)\)') { $Matches[1] } else { '' }
            $bound = $case.TimeoutSec + 1
            [pscustomobject]@{
                Server     = $case.Scenario
                Cmdlet     = if ($call.Label) { $call.Label } else { $cmdlet }
                TimeoutSec = $case.TimeoutSec
                MeasuredS  = [Math]::Round($watch.Elapsed.TotalSeconds, 2)
                BoundS     = $bound
                Within     = $watch.Elapsed.TotalSeconds -le $bound
                Rows       = $out.Count
                Category   = "$category"
            }
        }
    }
    Write-Host 'Deadlines: every network cmdlet against a silent and a drip-feeding server; each must return within TimeoutSec + 1 s.'
    $rows | Format-Table Server, Cmdlet, TimeoutSec, MeasuredS, BoundS, Within, Rows, Category -AutoSize | Out-String -Width 160 | Write-Host
    $over = @($rows | Where-Object { -not $_.Within })
    if ($over.Count -gt 0) {
        Write-Host "$($over.Count) of $($rows.Count) calls overran TimeoutSec + 1 s: $(($over | ForEach-Object { "$($_.Cmdlet) vs $($_.Server) -TimeoutSec $($_.TimeoutSec): $($_.MeasuredS) s" }) -join '; ')." -ForegroundColor Red
        exit 1
    }
    Write-Host "All $($rows.Count) calls returned within TimeoutSec + 1 s." -ForegroundColor Green
} finally {
    Stop-TlsTestServer -All
}
