<#
    -TimeoutSec bounds each target (issue 14, point 4): everything for one target, follow-ups included, fits in the
    one budget. Proved by the module's own accounting, not a stopwatch (the wall-clock figures are build.ps1 Bench,
    tests/Bench/Deadline.Bench.ps1): follow-ups that ran beside a handshake waiting to its deadline, follow-ups and
    probes that had no time left and are named as not checked, and the budget line each target's narration ends with.
    The servers are the module's Silent (accepts, never answers) and DripFeed (a ServerHello one byte every 2 s)
    scenarios on 127.0.0.1.
#>

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers/TestHelpers.psm1') -Force
    $null = Import-TlsToolsModule
    $SavedProxyEnvironment = Clear-ProxyEnvironment
    $S = @{}
    Start-TlsTestServer -Scenario Silent, DripFeed | ForEach-Object { $S[$_.Scenario] = $_ }

    # A cmdlet's objects, its errors and its -Verbose narration, apart.
    function Invoke-Narrated {
        param([Parameter(Mandatory)] [scriptblock] $Call)
        $all = @(& $Call 4>&1 2>&1)
        [pscustomobject]@{
            Rows      = @($all | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] -and $_ -isnot [System.Management.Automation.ErrorRecord] })
            Errors    = @($all | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
            Narration = ($all | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n"
        }
    }
}

AfterAll {
    Stop-TlsTestServer -All
    Restore-ProxyEnvironment $SavedProxyEnvironment
}

Describe 'Test-TlsHandshake: -TimeoutSec bounds the target, follow-ups included' {
    It 'a silent server: the path follow-ups ran beside the handshake, and the budget line is the last step, within the budget' {
        $r = $S.Silent | Test-TlsHandshake -TimeoutSec 2
        $r.FailureCategory | Should -Be ([TlsTools.FailureCategory]::ServerSilent)
        # Both follow-ups' findings are there: they ran, inside the budget, not after it.
        $r.FailureReason | Should -Match 'stalled the same way, so it is not a path-MTU problem'
        $r.FailureReason | Should -Match 'got no answer either'
        $r.FailureReason | Should -Not -Match 'Not checked'
        $path = @($r.Transcript | Where-Object Message -EQ 'PathProbe')
        $path[0].Summary | Should -Match '^ServerSilent: the small-segment handshake and the plain-bytes connection ran beside the first handshake \(started at \d\.\d s'
        $last = $r.Transcript[-1]
        $last.Message | Should -Be 'Deadline'
        $last.Summary | Should -Match '^\d+\.\d\d s of 2 s \(-TimeoutSec\) used$'
        # The module's own clock (the target's deadline): everything ended within TimeoutSec + 1 s.
        $last.OffsetMs | Should -BeLessOrEqual 3000
    }
    It 'a drip-feeding server with -CompareServerName: the comparison had no time left, and both the reason and the comparison column say so' {
        $r = $S.DripFeed | Test-TlsHandshake -TimeoutSec 3 -CompareServerName
        $r.FailureCategory | Should -Be ([TlsTools.FailureCategory]::HandshakeTimeout)
        $r.ServerNameBehavior | Should -Be ([TlsTools.ServerNameBehavior]::NotCompared)
        $r.ServerNameComparison | Should -Be 'Not checked: the SNI comparison (-CompareServerName) (no time left within -TimeoutSec 3).'
        $r.FailureReason | Should -Match 'Not checked: the SNI comparison \(-CompareServerName\) \(no time left within -TimeoutSec 3\)\.$'
        $r.FailureReason | Should -Match 'stalled the same way' -Because 'the path follow-ups still fitted, beside the handshake'
        $r.Transcript[-1].Summary | Should -Match '^\d+\.\d\d s of 3 s \(-TimeoutSec\) used; Not checked: the SNI comparison'
        $r.Transcript[-1].OffsetMs | Should -BeLessOrEqual 4000
    }
    It '-Engine Both: the platform handshake runs beside the managed one, not after its deadline' {
        $r = $S.Silent | Test-TlsHandshake -TimeoutSec 2 -Engine Both
        $r.FailureCategory | Should -Be ([TlsTools.FailureCategory]::ServerSilent)
        $r.PlatformHandshakeCompleted | Should -BeFalse
        $platformStart = ($r.Transcript | Where-Object { $_.Message -eq 'Platform' -and $_.Summary -match '^SslStream' } | Select-Object -First 1).Offset
        $managedEnd = ($r.Transcript | Where-Object Message -EQ 'Transport' | Select-Object -First 1).Offset
        $platformStart | Should -Not -BeNullOrEmpty
        $platformStart | Should -BeLessThan $managedEnd -Because 'the platform engine started before the managed handshake gave up'
        $r.Transcript[-1].OffsetMs | Should -BeLessOrEqual 3000
    }
}

Describe 'The scanners: one budget for the scan and its follow-ups' {
    It 'Get-CipherSupport, silent server: the probes left room for the diagnosing handshake, which named ServerSilent within the budget' {
        $n = Invoke-Narrated { $S.Silent | Get-CipherSupport -TimeoutSec 2 -Verbose -WarningAction SilentlyContinue }
        $n.Rows[0].FailureCategory | Should -Be ([TlsTools.FailureCategory]::ServerSilent)
        $n.Rows[0].FailureReason | Should -Match 'got no answer either'
        $n.Narration | Should -Match 'probe \d+: TLS 1\.2, \d+ suites -> no answer within 1 s' -Because 'each probe waits half the budget'
        $n.Narration | Should -Match 'Diagnose: nothing accepted, and not every probe was answered; one handshake as a mainstream client to name the cause \(\d\.\d s left\)'
        $n.Narration | Should -Match 'Deadline: \d+\.\d\d s of 2 s \(-TimeoutSec\) used'
    }
    It 'Get-TlsProtocolSupport, one connection at a time: the probes still queued at the deadline are not sent, and every row says what happened' {
        $n = Invoke-Narrated { $S.Silent | Get-TlsProtocolSupport -TimeoutSec 2 -ThrottleLimit 1 -Verbose -WarningAction SilentlyContinue }
        $n.Rows.Count | Should -Be 6 -Because 'a row for every version, probed or not'
        $n.Rows.Supported | Sort-Object -Unique | Should -BeNullOrEmpty -Because 'nothing could be learned'
        @($n.Rows | Where-Object Reason -Match '^no answer within').Count | Should -BeGreaterThan 0
        @($n.Rows | Where-Object Reason -EQ 'not tried: no time left within -TimeoutSec 2').Count | Should -BeGreaterThan 0
        $n.Rows[0].FailureCategory | Should -Be ([TlsTools.FailureCategory]::HandshakeTimeout)
        $n.Rows[0].DiagnosisRule | Should -Be 'ProbesUnanswered'
        $n.Rows[0].FailureReason | Should -Match 'Not checked: the probes still queued when the time ran out; the diagnosing handshake that names why nothing was accepted .*\(no time left within -TimeoutSec 2\)\.$'
        $n.Rows[0].Connections | Should -BeLessThan 6 -Because 'unsent probes make no connection'
        $n.Narration | Should -Match 'Deadline: \d+\.\d\d s of 2 s \(-TimeoutSec\) used; Not checked'
    }
    It 'Get-TlsProtocolSupport, drip-feeding server: HandshakeTimeout within -TimeoutSec 3' {
        $n = Invoke-Narrated { $S.DripFeed | Get-TlsProtocolSupport -TimeoutSec 3 -Verbose -WarningAction SilentlyContinue }
        $n.Rows[0].FailureCategory | Should -Be ([TlsTools.FailureCategory]::HandshakeTimeout)
        $n.Rows[0].FailureReason | Should -Match 'stalled the same way'
        $n.Narration | Should -Match 'Deadline: \d+\.\d\d s of 3 s \(-TimeoutSec\) used'
    }
}

Describe 'Get-CertificateChain: -TimeoutSec bounds the handshake, its follow-ups and the fetches' {
    It 'a drip-feeding server is a NoCertificateChain error naming HandshakeTimeout, its budget line within the budget' {
        $n = Invoke-Narrated { $S.DripFeed | Get-CertificateChain -TimeoutSec 3 -Verbose -ErrorAction Continue }
        $n.Rows | Should -BeNullOrEmpty
        $n.Errors.Count | Should -Be 1
        $n.Errors[0].Exception.Message | Should -Match 'no certificate chain \(HandshakeTimeout\)'
        $n.Errors[0].Exception.Message | Should -Match 'stalled the same way'
        $n.Narration | Should -Match 'PathProbe: HandshakeTimeout: the small-segment handshake and the plain-bytes connection ran beside the first handshake'
        $n.Narration | Should -Match 'Deadline: \d+\.\d\d s of 3 s \(-TimeoutSec\) used'
    }
}

Describe 'Results come out in input order: a slow target holds back only what is behind it' {
    BeforeAll {
        # A port nobody listens on: refused at once, so it finishes long before the silent server's deadline.
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start(); $ClosedPort = $listener.LocalEndpoint.Port; $listener.Stop()
        $Inputs = "127.0.0.1:$($S.Silent.Port)", '127.0.0.1:99999', "127.0.0.1:$ClosedPort"
    }

    It 'Test-TlsHandshake: the silent target first, then the invalid row''s error, then the refused target, though it finished first' {
        $all = @($Inputs | Test-TlsHandshake -TimeoutSec 2 -ErrorAction Continue 2>&1)
        $all.Count | Should -Be 3
        $all[0].Port | Should -Be $S.Silent.Port
        $all[0].FailureCategory | Should -Be ([TlsTools.FailureCategory]::ServerSilent)
        $all[1] | Should -BeOfType ([System.Management.Automation.ErrorRecord])
        $all[1].FullyQualifiedErrorId | Should -Match '^InvalidTarget'
        $all[2].Port | Should -Be $ClosedPort
        $all[2].FailureCategory | Should -Be ([TlsTools.FailureCategory]::ConnectionRefused)
    }

    It 'Get-TlsProtocolSupport: every row of the silent target before the refused target''s rows' {
        $rows = @("127.0.0.1:$($S.Silent.Port)", "127.0.0.1:$ClosedPort" | Get-TlsProtocolSupport -TimeoutSec 2)
        $ports = @($rows.Port | Select-Object -Unique)
        $ports | Should -Be @($S.Silent.Port, $ClosedPort)
    }
}
