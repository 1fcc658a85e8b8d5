<#
.SYNOPSIS
    Benchmark of Test-TlsServer's vulnerability checks against testssl.sh -U (issue 16, point 5), on the same local
    server in the same run: time, the ratio, connections, and each check's verdict beside testssl.sh's.
.DESCRIPTION
    One server on 127.0.0.1 on which most checks have something to decide: openssl s_server -www with TLS 1.0 to 1.2,
    CBC and static-RSA suites (@SECLEVEL=0) and client-initiated renegotiation allowed. Both tools connect through a
    relay that counts TCP connections (TestHelpers/CountingRelay.ps1).
    - Ours: Test-TlsServer with every check (the default), -NoProxy; the median of -Runs warm calls. Its time includes
      the scan and the chain the checks decide from, which testssl.sh -U also does for itself; the checks' own
      connections (the sum of the Vulnerabilities rows' ConnectionCount) are printed beside the total.
    - testssl.sh (the Debian package) with -U (every vulnerability check), --nodns none, the system openssl and a JSON
      file, once (it takes minutes).
    The verdicts are compared check by check through the table $TestSslIds (our check name -> testssl.sh's finding id):
    testssl.sh's severity OK or INFO counts as not vulnerable, LOW to CRITICAL as vulnerable, WARN as undecided.
    Prints; asserts nothing.

    Run directly:  dotnet pwsh -File tests/Bench/Checks.Bench.ps1 -ModulePath out/TlsTools/TlsTools.psd1
#>
[CmdletBinding()]
param([string] $ModulePath, [int] $Runs = 3, [switch] $NoTestSsl)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot '../TestHelpers/TestHelpers.psm1') -Force
$null = Import-TlsToolsModule -Path $ModulePath
$testssl = if (-not $NoTestSsl) { Assert-TestTool testssl -Package testssl.sh }

# Our check names -> testssl.sh 3.0.8's finding ids in its -U JSON. Checks testssl.sh has no finding for are left out
# of the comparison (and listed as such).
$TestSslIds = [ordered]@{
    Heartbleed = 'heartbleed'; CcsInjection = 'CCS'; Ticketbleed = 'ticketbleed'; Robot = 'ROBOT'
    SecureRenegotiation = 'secure_renego'; ClientRenegotiation = 'secure_client_renego'; Compression = 'CRIME_TLS'; Breach = 'BREACH'
    Poodle = 'POODLE_SSL'; FallbackScsv = 'fallback_SCSV'; Sweet32 = 'SWEET32'; Freak = 'FREAK'; Drown = 'DROWN'; Logjam = 'LOGJAM'
    Beast = 'BEAST'; Lucky13 = 'LUCKY13'; Rc4 = 'RC4'
}
$WeakCiphers = 'ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-SHA:AES128-SHA:AES256-SHA:AES128-GCM-SHA256:DHE-RSA-AES128-SHA:@SECLEVEL=0'

function ConvertFrom-TestSslSeverity([string] $Severity) {
    switch ($Severity) {
        { $_ -in 'OK', 'INFO' } { 'NotVulnerable'; break }
        { $_ -in 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL' } { 'Vulnerable'; break }
        default { 'Undecided' }
    }
}

$Dir = Join-Path ([IO.Path]::GetTempPath()) "tlstools-bench-checks-$PID"
New-Item -ItemType Directory -Force -Path $Dir | Out-Null
$relay = $null
try {
    $root = New-TestCertificate -Dir $Dir -Name root -CommonName 'Bench Root' -Ca -NotAfter (Get-Date).AddYears(2)
    $leaf = New-TestCertificate -Dir $Dir -Name leaf -CommonName 'localhost' -DnsNames 'localhost' -IpAddresses '127.0.0.1' -Issuer $root
    $server = Start-OpenSslServer -Cert $leaf.Cert -Key $leaf.Key -ExtraArgs @('-no_tls1_3', '-cipher', $WeakCiphers, '-client_renegotiation') -Name 'bench-checks'
    $relay = New-CountingRelay -BackendPort $server.Port

    # Warm-up: the first call in a session pays for JIT and the catalogs.
    $null = Test-TlsServer -ComputerName 127.0.0.1 -Port $server.Port -TrustedRootPath $root.Cert -NoProxy -WarningAction SilentlyContinue

    Write-Host "Test-TlsServer (every check) x$Runs"
    $times = @(); $ours = $null; $atRelay = 0
    for ($i = 0; $i -lt $Runs; $i++) {
        $relay.Reset()
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $ours = Test-TlsServer -ComputerName 127.0.0.1 -Port $relay.Port -TrustedRootPath $root.Cert -NoProxy -WarningAction SilentlyContinue
        $watch.Stop()
        $times += $watch.Elapsed.TotalMilliseconds
        $atRelay = Wait-RelayIdle $relay
    }
    $oursMs = ($times | Sort-Object)[[int][Math]::Floor(($times.Count - 1) / 2)]
    $checkConnections = ($ours.Vulnerabilities | Measure-Object ConnectionCount -Sum).Sum

    $theirs = @{}
    $testSslMs = $null; $testSslConnections = $null
    if (-not $NoTestSsl) {
        Write-Host 'testssl.sh -U'
        $json = Join-Path $Dir 'testssl-U.json'
        $relay.Reset()
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $null = & $testssl --quiet --color 0 --warnings off --nodns none --ip 127.0.0.1 --openssl /usr/bin/openssl --jsonfile $json -U "127.0.0.1:$($relay.Port)" 2>&1
        $watch.Stop()
        $testSslMs = $watch.Elapsed.TotalMilliseconds
        $testSslConnections = Wait-RelayIdle $relay
        foreach ($row in (Get-Content -Raw -LiteralPath $json | ConvertFrom-Json)) {
            if (-not $theirs.ContainsKey($row.id)) { $theirs[$row.id] = $row }
        }
    }

    $rows = foreach ($check in $ours.Vulnerabilities) {
        $id = $TestSslIds[$check.Name]
        $t = if ($id) { $theirs[$id] }
        $theirVerdict = if ($t) { ConvertFrom-TestSslSeverity $t.severity }
        $oursVulnerable = "$($check.Verdict)" -eq 'Vulnerable'
        $agree = if (-not $t) { $null } elseif ($theirVerdict -eq 'Undecided' -or "$($check.Verdict)" -eq 'Inconclusive') { $null } else { $oursVulnerable -eq ($theirVerdict -eq 'Vulnerable') }
        [pscustomobject]@{
            Check = $check.Name; Ours = "$($check.Verdict)"; Connections = $check.ConnectionCount
            TestSslId = $id; TestSsl = if ($t) { "$($t.severity): $($t.finding)" } elseif ($id) { '(no row)' } else { '(no such check)' }
            Agree = $agree
        }
    }
    Write-Host ''
    Write-Host "Test-TlsServer's checks vs testssl.sh -U, one openssl s_server on 127.0.0.1 (TLS 1.0-1.2, CBC, static RSA, client renegotiation on); connections counted at a relay."
    $rows | Format-Table Check, Ours, Connections, TestSslId, Agree, TestSsl -AutoSize -Wrap | Out-String -Width 220 | Write-Host
    $disagree = @($rows | Where-Object { $_.Agree -eq $false })
    Write-Host ("Ours: {0:0} ms (median of {1}; scan, chain, GET and {2} checks), {3} connections ({4} at the relay), {5} of them the checks'." -f
        $oursMs, $Runs, @($ours.Vulnerabilities).Count, $ours.ConnectionCount, $atRelay, $checkConnections)
    if ($testSslMs) {
        Write-Host ("testssl.sh -U: {0:0} ms, {1} connections. Ratio ours/testssl.sh: time {2:0.0000} (target: under 0.1), connections {3:0.00}." -f
            $testSslMs, $testSslConnections, ($oursMs / $testSslMs), ($atRelay / [Math]::Max(1, $testSslConnections)))
        Write-Host ("Verdicts: {0} compared, {1} agree, {2} differ{3}." -f @($rows | Where-Object { $null -ne $_.Agree }).Count,
            @($rows | Where-Object { $_.Agree -eq $true }).Count, $disagree.Count,
            $(if ($disagree) { ': ' + (($disagree | ForEach-Object { "$($_.Check) ours $($_.Ours), testssl.sh $($_.TestSsl)" }) -join '; ') }))
    }
} finally {
    if ($relay) { $relay.Dispose() }
    Stop-AllTestServer
    Remove-Item -Recurse -Force $Dir -ErrorAction SilentlyContinue
}
