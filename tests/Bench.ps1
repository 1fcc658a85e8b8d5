<#
.SYNOPSIS
    Benchmark (build.ps1 Bench): our scan vs sslscan, nmap ssl-enum-ciphers and testssl.sh against the same
    local openssl s_server (TLS 1.0-1.3, 19 suites), in the same run. Prints connections (counted at a relay
    in front of the server), median wall time and whether each tool's findings match the server's real
    configuration, then the ratios. Only 127.0.0.1 is used. Never asserts anything: it is a measurement.
#>
param([Parameter(Mandatory)] [string] $ModulePath, [int] $Runs = 5, [int] $TestSslRuns = 1, [switch] $NoTestSsl)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot 'TestHelpers/TestHelpers.psm1') -Force
$ModulePath = Import-TlsToolsModule -Path $ModulePath

# Every tool connects to a relay that counts TCP connections (TestHelpers/CountingRelay.ps1) and forwards to s_server.

$dir = Join-Path ([IO.Path]::GetTempPath()) "tlstools-bench-$PID"
New-Item -ItemType Directory -Force $dir | Out-Null
& openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=localhost -days 2 -keyout "$dir/k.pem" -out "$dir/c.pem" 2>$null | Out-Null

# TLS 1.0/1.1: 4 CBC suites each; TLS 1.2: those 4 + 4 GCM; TLS 1.3: OpenSSL's 3. Total 19.
$cipher = 'ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:AES128-GCM-SHA256:AES256-GCM-SHA384:ECDHE-RSA-AES128-SHA:ECDHE-RSA-AES256-SHA:AES128-SHA:AES256-SHA:@SECLEVEL=0'
$listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0); $listener.Start(); $backend = $listener.LocalEndpoint.Port; $listener.Stop()
# s_server writes a line per connection; into a file, since an unread pipe would fill up and stall it.
# `exec` keeps the process id that of openssl itself, so it is the one stopped at the end.
$log = Join-Path $dir 's_server.log'
$psi = [System.Diagnostics.ProcessStartInfo]::new('sh')
foreach ($a in '-c', "exec openssl s_server -accept 127.0.0.1:$backend -cert '$dir/c.pem' -key '$dir/k.pem' -www -cipher '$cipher' > '$log' 2>&1") { $psi.ArgumentList.Add($a) }
$psi.RedirectStandardInput = $true
$server = [System.Diagnostics.Process]::Start($psi)
$deadline = [DateTime]::UtcNow.AddSeconds(15)
while ([DateTime]::UtcNow -lt $deadline -and -not ((Test-Path $log) -and (Select-String -Path $log -Pattern ACCEPT -Quiet))) { Start-Sleep -Milliseconds 100 }
$relay = New-CountingRelay -BackendPort $backend
$target = "127.0.0.1:$($relay.Port)"

# The truth: what s_server was told to serve, per version, as openssl itself names it.
$tls12 = @(& openssl ciphers -stdname -tls1_2 $cipher | ForEach-Object { ($_ -split '\s+')[0] } | Where-Object { $_ -match '_WITH_' })
# TLS 1.0/1.1 can negotiate only the CBC-SHA1 suites of the list.
$legacy = @($tls12 | Where-Object { $_ -match '_CBC_SHA$' })
$expected = @($legacy | ForEach-Object { "Tls10 $_"; "Tls11 $_" }) + @($tls12 | ForEach-Object { "Tls12 $_" }) +
    @('TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256' | ForEach-Object { "Tls13 $_" })
$expectedCount = $expected.Count

function Measure-Tool([string] $Name, [int] $Count, [scriptblock] $Run, [scriptblock] $FindingsCount) {
    Write-Host "running $Name x$Count"
    $times = @(); $connections = 0; $found = $null
    for ($i = 0; $i -lt $Count; $i++) {
        $relay.Reset()
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $output = & $Run
        $watch.Stop()
        $times += $watch.Elapsed.TotalMilliseconds
        # The count is read once every connection of the run is accepted and closed at the relay.
        $connections = Wait-RelayIdle $relay
        $found = & $FindingsCount $output
    }
    $median = ($times | Sort-Object)[[int][Math]::Floor(($times.Count - 1) / 2)]
    $row = [pscustomobject]@{ Tool = $Name; Connections = $connections; MedianMs = [Math]::Round($median, 1); Runs = $Count; Findings = $found; Correct = ($found -eq $expectedCount) }
    Write-Host ("  {0}: {1} connections, median {2} ms, {3} findings" -f $Name, $connections, $row.MedianMs, $found)
    $row
}

# Warm-up: the first call in a session pays for JIT and the catalog; a scheduled script pays it once.
Get-CipherSupport $target -IncludeGroups | Out-Null
$ours = Measure-Tool 'Get-CipherSupport -IncludeGroups (warm session)' $Runs { Get-CipherSupport $target -IncludeGroups } {
    param($rows) $set = @($rows | ForEach-Object { "$($_.Protocol) $($_.CipherSuite)" })
    if (-not (Compare-Object ($set | Sort-Object) ($expected | Sort-Object))) { $set.Count } else { -$set.Count } }
$oursPlain = Measure-Tool 'Get-CipherSupport (no groups, warm)' $Runs { Get-CipherSupport $target } { param($rows) @($rows).Count }
$pwshDll = Join-Path $PSHOME 'pwsh.dll'
$oursProcess = Measure-Tool 'Get-CipherSupport -IncludeGroups (new process)' $Runs {
    & dotnet $pwshDll -NoProfile -NonInteractive -Command "Import-Module '$ModulePath'; (Get-CipherSupport $target -IncludeGroups | Measure-Object).Count" } { param($out) [int]($out | Select-Object -Last 1) }
$sslscan = Measure-Tool 'sslscan (extra checks off)' $Runs {
    & sslscan --no-colour --no-fallback --no-renegotiation --no-compression --no-heartbleed --no-groups $target 2>&1 } {
    param($out) @($out | Where-Object { $_ -match '^(Preferred|Accepted)\s' }).Count }
$nmap = Measure-Tool 'nmap --script ssl-enum-ciphers' $Runs {
    & nmap -Pn -n -p $relay.Port --script ssl-enum-ciphers 127.0.0.1 2>&1 } {
    param($out) @($out | Where-Object { $_ -match '\|\s+TLS_\w+ .* - [A-F]$' }).Count }
$testssl = if ($NoTestSsl) { [pscustomobject]@{ Tool = 'testssl.sh (skipped)'; Connections = [double]::NaN; MedianMs = [double]::NaN } } else { Measure-Tool 'testssl.sh -E (ciphers per protocol)' $TestSslRuns {
    & testssl --quiet --color 0 --warnings off -E $target 2>&1 } {
    param($out) @($out | Where-Object { $_ -match '^\s*x[0-9a-f]{2,6}\s' }).Count } }

$results = @($ours, $oursPlain, $oursProcess, $sslscan, $nmap, $testssl)
"Server: openssl s_server, TLS 1.0-1.3, $expectedCount accepted (version, suite) pairs; connections counted at a relay."
$results | Format-Table Tool, Connections, MedianMs, Runs, Findings, Correct -AutoSize | Out-String -Width 150
"Ratios (ours with groups / sslscan): connections {0:0.00}x, warm wall time {1:0.00}x, whole process {2:0.00}x" -f `
    ($ours.Connections / $sslscan.Connections), ($ours.MedianMs / $sslscan.MedianMs), ($oursProcess.MedianMs / $sslscan.MedianMs)
"Ratios (ours with groups / nmap): connections {0:0.00}x, warm wall time {1:0.00}x" -f ($ours.Connections / $nmap.Connections), ($ours.MedianMs / $nmap.MedianMs)
"Ratios (ours with groups / testssl.sh): connections {0:0.00}x, warm wall time {1:0.00}x" -f ($ours.Connections / $testssl.Connections), ($ours.MedianMs / $testssl.MedianMs)

$relay.Dispose()
if (-not $server.HasExited) { $server.Kill() }
$server.WaitForExit(5000) | Out-Null
Remove-Item -Recurse -Force $dir -ErrorAction SilentlyContinue
