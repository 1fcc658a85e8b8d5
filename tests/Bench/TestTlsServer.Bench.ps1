<#
.SYNOPSIS
    Benchmark of Test-TlsServer against testssl.sh's default run (issue 15, point 7), on the same local servers in the
    same run: time, the ratio, connections, and whether the two agree on protocols, suites and the chain.
.DESCRIPTION
    Servers, all on 127.0.0.1:
      - nginx, Mozilla intermediate-like: TLS 1.2 and 1.3, the intermediate suites, ffdhe2048, HSTS, full chain;
      - openssl s_server: TLS 1.0-1.2 with weaker suites (CBC, static RSA; @SECLEVEL=0);
      - Start-TlsTestServer scenarios Good and WeakCiphers (the module's own servers, in this process).
    Each tool connects through a relay that counts TCP connections (TestHelpers/CountingRelay.ps1); Test-TlsServer's
    own ConnectionCount is printed beside the relay's count. testssl.sh (the Debian package) runs its default checks
    with --nodns none (no DNS traffic), --add-ca (the same trust anchor ours gets) and a JSON file whose protocol,
    cipher, chain-of-trust and HSTS findings are compared with ours. Test-TlsServer's time is the median of -Runs warm
    calls; testssl.sh runs once per server (about a minute each). Prints; asserts nothing.

    Run directly:  dotnet pwsh -File tests/Bench/TestTlsServer.Bench.ps1 -ModulePath out/TlsTools/TlsTools.psd1
#>
[CmdletBinding()]
param([string] $ModulePath, [int] $Runs = 3, [switch] $NoTestSsl)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot '../TestHelpers/TestHelpers.psm1') -Force
$null = Import-TlsToolsModule -Path $ModulePath
$testssl = if (-not $NoTestSsl) { Assert-TestTool testssl -Package testssl.sh }

# testssl.sh's protocol finding ids, by our protocol names.
$TestSslProtocolIds = [ordered]@{ Ssl2 = 'SSLv2'; Ssl3 = 'SSLv3'; Tls10 = 'TLS1'; Tls11 = 'TLS1_1'; Tls12 = 'TLS1_2'; Tls13 = 'TLS1_3' }
# Mozilla Server Side TLS 6.0 intermediate, as its nginx configuration writes them.
$IntermediateCiphers = 'ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:' +
    'ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:DHE-RSA-CHACHA20-POLY1305'
$WeakerCiphers = 'ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-SHA:ECDHE-RSA-AES128-SHA:AES128-SHA:AES256-SHA:AES128-GCM-SHA256:DES-CBC3-SHA:@SECLEVEL=0'

function Invoke-OurAssessment([int] $Port, [string] $Root, [string] $ServerName) {
    $sni = if ($ServerName) { @{ ServerName = $ServerName } } else { @{} }
    Test-TlsServer -ComputerName 127.0.0.1 -Port $Port -TrustedRootPath $Root -NoProxy -WarningAction SilentlyContinue @sni
}

function Read-TestSslJson([string] $Path) {
    # The flat JSON file: one object per finding (id, severity, finding).
    $findings = @{}
    foreach ($row in (Get-Content -Raw -LiteralPath $Path | ConvertFrom-Json)) {
        if (-not $findings.ContainsKey($row.id)) { $findings[$row.id] = [System.Collections.Generic.List[string]]::new() }
        $findings[$row.id].Add("$($row.finding)")
    }
    $protocols = @($TestSslProtocolIds.Keys | Where-Object { $findings[$TestSslProtocolIds[$_]] -and $findings[$TestSslProtocolIds[$_]][0] -match '^offered' })
    # cipher_x<hex> rows: "x2f  AES128-SHA  RSA  AES  128  TLS_RSA_WITH_AES_128_CBC_SHA"; the last field is the IANA name.
    $suites = @($findings.Keys | Where-Object { $_ -match '^cipher_x[0-9a-f]+$' } | ForEach-Object { (-split $findings[$_][0])[-1] } | Sort-Object -Unique)
    $chain = if ($findings['cert_chain_of_trust']) { $findings['cert_chain_of_trust'][0] } else { '' }
    [pscustomobject]@{ Protocols = $protocols; Suites = $suites; ChainPassed = $chain -match '^passed'; Chain = $chain
        # HSTS_time: "730 days (=63072000 seconds) > 15552000 seconds"; "HSTS: not offered" when there is none.
        HstsMaxAge = if ($findings['HSTS_time'] -and $findings['HSTS_time'][0] -match '=(\d+) seconds') { [long]$Matches[1] } else { $null }
        Hsts = if ($findings['HSTS_time']) { $findings['HSTS_time'][0] } elseif ($findings['HSTS']) { $findings['HSTS'][0] } else { '' } }
}

function Compare-Set([string[]] $Ours, [string[]] $Theirs) {
    $onlyOurs = @($Ours | Where-Object { $_ -notin $Theirs })
    $onlyTheirs = @($Theirs | Where-Object { $_ -notin $Ours })
    [pscustomobject]@{ Agree = $onlyOurs.Count -eq 0 -and $onlyTheirs.Count -eq 0
        Differences = (@($onlyOurs | ForEach-Object { "only ours: $_" }) + @($onlyTheirs | ForEach-Object { "only testssl: $_" })) -join '; ' }
}

function Measure-Server([string] $Name, [int] $BackendPort, [string] $Root, [string] $ServerName) {
    $relay = New-CountingRelay -BackendPort $BackendPort
    try {
        Write-Host "$Name`: Test-TlsServer x$Runs"
        $times = @(); $ours = $null
        for ($i = 0; $i -lt $Runs; $i++) {
            $relay.Reset()
            $watch = [Diagnostics.Stopwatch]::StartNew()
            $ours = Invoke-OurAssessment $relay.Port $Root $ServerName
            $watch.Stop()
            $times += $watch.Elapsed.TotalMilliseconds
            $ourRelayCount = Wait-RelayIdle $relay
        }
        $ourMs = ($times | Sort-Object)[[int][Math]::Floor(($times.Count - 1) / 2)]
        $ourProtocols = @($ours.ProtocolSupport | Where-Object Supported | ForEach-Object { "$($_.Protocol)" })
        $ourSuites = @($ours.CipherSuites | ForEach-Object CipherSuite | Sort-Object -Unique)
        $leaf = $ours.Chain | Select-Object -First 1
        $row = [ordered]@{
            Server = $Name; Grade = $ours.Grade; OursMs = [int]$ourMs; OursConnections = $ours.ConnectionCount; OursAtRelay = $ourRelayCount
            OursPhases = "scan+chain+GET in $([Math]::Round($ours.DurationMs, 0)) ms; GET $($ours.Http.ElapsedMs) ms"
            TestSslMs = $null; TestSslConnections = $null; Ratio = $null; Protocols = $null; Suites = $null; Chain = $null; Hsts = $null; Differences = ''
        }
        if ($NoTestSsl) { return [pscustomobject]$row }

        Write-Host "$Name`: testssl.sh (default run)"
        $json = Join-Path $Dir "testssl-$Name.json"
        Remove-Item -LiteralPath $json -ErrorAction Ignore
        $relay.Reset()
        $watch = [Diagnostics.Stopwatch]::StartNew()
        # A name to send as SNI goes in the URI, its address in --ip: testssl.sh then resolves nothing.
        $uri = if ($ServerName) { "$($ServerName):$($relay.Port)" } else { "127.0.0.1:$($relay.Port)" }
        $null = & $testssl --quiet --color 0 --warnings off --nodns none --ip 127.0.0.1 --openssl /usr/bin/openssl --add-ca $Root --jsonfile $json $uri 2>&1
        $watch.Stop()
        $row.TestSslConnections = Wait-RelayIdle $relay
        $row.TestSslMs = [int]$watch.Elapsed.TotalMilliseconds
        $row.Ratio = '{0:0.0000}' -f ($ourMs / $watch.Elapsed.TotalMilliseconds)
        $theirs = Read-TestSslJson $json
        $protocols = Compare-Set $ourProtocols $theirs.Protocols
        $suites = Compare-Set $ourSuites $theirs.Suites
        $row.Protocols = $protocols.Agree
        $row.Suites = $suites.Agree
        $row.Chain = [bool]$leaf.ChainValid -eq $theirs.ChainPassed
        $row.Hsts = "$($ours.HstsMaxAge)" -eq "$($theirs.HstsMaxAge)"
        $row.Differences = (@($protocols.Differences, $suites.Differences) + @(if (-not $row.Chain) { "chain: ours ChainValid=$($leaf.ChainValid) ($($leaf.ChainProblems)), testssl '$($theirs.Chain)'" }) +
            @(if (-not $row.Hsts) { "HSTS: ours max-age $($ours.HstsMaxAge), testssl '$($theirs.Hsts)'" }) |
            Where-Object { $_ }) -join '; '
        Write-Host ("  ours: {0} ms, {1} connections ({2} at the relay), grade {3}, {4} protocols, {5} suites; testssl: {6} ms, {7} connections, {8} protocols, {9} suites, chain '{10}', HSTS '{11}'" -f
            $row.OursMs, $row.OursConnections, $ourRelayCount, $ours.Grade, $ourProtocols.Count, $ourSuites.Count, $row.TestSslMs, $row.TestSslConnections,
            $theirs.Protocols.Count, $theirs.Suites.Count, $theirs.Chain, $theirs.Hsts)
        [pscustomobject]$row
    } finally {
        $relay.Dispose()
    }
}

$Dir = Join-Path ([IO.Path]::GetTempPath()) "tlstools-bench-server-$PID"
New-Item -ItemType Directory -Force -Path $Dir | Out-Null
$scenarios = @()
try {
    $root = New-TestCertificate -Dir $Dir -Name root -CommonName 'Bench Root' -Ca -NotAfter (Get-Date).AddYears(2)
    $int = New-TestCertificate -Dir $Dir -Name int -CommonName 'Bench Intermediate' -Ca -Issuer $root -NotAfter (Get-Date).AddYears(1)
    $leaf = New-TestCertificate -Dir $Dir -Name leaf -CommonName 'localhost' -DnsNames 'localhost' -IpAddresses '127.0.0.1' -Issuer $int
    $intFile = Join-Pem -Path (Join-Path $Dir 'int-chain.pem') -Certificates $int
    $dh = Join-Path $Dir 'ffdhe2048.pem'
    Invoke-OpenSsl @('genpkey', '-genparam', '-algorithm', 'DH', '-pkeyopt', 'group:ffdhe2048', '-out', $dh) | Out-Null

    $nginx = Start-NginxServer -Cert $leaf.Cert -Key $leaf.Key -Chain $int.Cert -Directive @(
        'ssl_protocols TLSv1.2 TLSv1.3;', "ssl_ciphers $IntermediateCiphers;", 'ssl_prefer_server_ciphers off;', "ssl_dhparam $dh;",
        'add_header Strict-Transport-Security "max-age=63072000" always;')
    $openssl = Start-OpenSslServer -Cert $leaf.Cert -Key $leaf.Key -Chain $intFile -ExtraArgs @('-no_tls1_3', '-cipher', $WeakerCiphers)
    $scenarios = @(Start-TlsTestServer -Scenario Good, WeakCiphers)

    # Warm-up: the first call in a session pays for JIT and the catalogs; a scheduled script pays it once.
    $null = Invoke-OurAssessment $nginx.Port $root.Cert

    $rows = @(
        Measure-Server 'nginx-intermediate' $nginx.Port $root.Cert
        Measure-Server 's_server-tls10-12' $openssl.Port $root.Cert
        foreach ($s in $scenarios) { Measure-Server "scenario-$($s.Scenario)" $s.Port $s.TrustedRootPath $s.ServerName }
    )
    Write-Host ''
    Write-Host 'Test-TlsServer vs testssl.sh (default run), same servers on 127.0.0.1; connections counted at a relay; Ratio = ours / testssl.'
    $rows | Format-Table Server, Grade, OursMs, TestSslMs, Ratio, OursConnections, OursAtRelay, TestSslConnections, Protocols, Suites, Chain, Hsts -AutoSize | Out-String -Width 200 | Write-Host
    foreach ($r in $rows) {
        Write-Host "$($r.Server): $($r.OursPhases)$(if ($r.Differences) { "; differences: $($r.Differences)" })"
    }
    $timed = @($rows | Where-Object { $_.TestSslMs })
    if ($timed.Count -gt 0) {
        $ours = ($timed | Measure-Object OursMs -Sum).Sum; $theirs = ($timed | Measure-Object TestSslMs -Sum).Sum
        Write-Host ("All servers: ours {0:0} ms, testssl.sh {1:0} ms, ratio {2:0.0000} (target: under 0.1); connections ours {3}, testssl.sh {4}." -f
            $ours, $theirs, ($ours / $theirs), ($timed | Measure-Object OursConnections -Sum).Sum, ($timed | Measure-Object TestSslConnections -Sum).Sum)
    }
} finally {
    $scenarios | Stop-TlsTestServer
    Stop-AllTestServer
    Remove-Item -Recurse -Force $Dir -ErrorAction SilentlyContinue
}
