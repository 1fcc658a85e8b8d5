<#
    Firewall symptoms of Test-TlsHandshake, each made by a real nftables rule in a network namespace the test
    creates (a veth pair to this machine, addresses 10.254.x.0/30): a rule that drops SYNs, one that rejects
    them with a TCP reset, a DPI-like rule that resets (or drops) every segment whose payload starts with a TLS
    handshake record (0x16 0x03, payload match @ih), and one that drops the server's segments above 1000 bytes
    (a link with a small MTU and no ICMP: a path-MTU black hole). The server is nginx inside the namespace.
#>

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers/TestHelpers.psm1') -Force
    $ModulePath = Import-TlsToolsModule
    $SavedProxyEnvironment = Clear-ProxyEnvironment
}

AfterAll {
    Restore-ProxyEnvironment $SavedProxyEnvironment
}

Describe 'Test-TlsHandshake: firewall symptoms in a namespace' {
    BeforeAll {
        # The one skip: a platform without network namespaces. Anything else missing (root, ip, nft, nginx) fails.
        $Skip = Get-NamespaceSkipReason
        if (-not $Skip) {
            $Bed = New-FirewallTestBed -BasePort 4431 -ModulePath $ModulePath
            $Ns = $Bed.Namespace
            $P = $Bed.Ports
            $Root = $Bed.RootCaPath
        }
    }
    AfterAll { Remove-FirewallTestBed $Bed }
    BeforeEach { if ($Skip) { Set-ItResult -Skipped -Because $Skip } }

    It 'the open port works (the namespace itself is sound)' {
        $r = Test-TlsHandshake $Ns.Address -Port $P.Open -ServerName localhost -TrustedRootPath $Root -TimeoutSec 5 -NoProxy
        $r.Succeeded | Should -BeTrue
        $r.IPAddress | Should -Be $Ns.Address
    }
    It 'a rule that drops SYNs is ConnectTimeout' {
        $r = Test-TlsHandshake $Ns.Address -Port $P.DropSyn -TimeoutSec 2 -NoProxy
        $r.FailureCategory | Should -Be ([TlsTools.FailureCategory]::ConnectTimeout)
        $r.DiagnosisRule | Should -Be 'TransportTimeout'
        $r.FailureReason | Should -Match 'No answer to the TCP SYN'
    }
    It 'a rule that rejects with a TCP reset is ConnectionRefused' {
        $r = Test-TlsHandshake $Ns.Address -Port $P.RejectSyn -TimeoutSec 2 -NoProxy
        $r.FailureCategory | Should -Be ([TlsTools.FailureCategory]::ConnectionRefused)
        $r.FailureReason | Should -Match 'actively refused the connection \(TCP RST\)'
    }
    It 'a router answering the SYN with ICMP host-unreachable is NetworkUnreachable' {
        $r = Test-TlsHandshake $Ns.Address -Port $P.Unreachable -TimeoutSec 5 -NoProxy
        $r.FailureCategory | Should -Be ([TlsTools.FailureCategory]::NetworkUnreachable)
        $r.DiagnosisRule | Should -Be 'TransportUnreachable'
        $r.FailureReason | Should -Match 'is unreachable from this machine \(\w*Unreachable\)'
    }
    It 'a DPI rule that resets the ClientHello, while plain bytes pass, is MiddleboxBlocking with the plain answer as evidence' {
        $r = Test-TlsHandshake $Ns.Address -Port $P.DpiReset -ServerName localhost -TimeoutSec 3 -NoProxy
        $r.Succeeded | Should -BeFalse
        $r.FailureCategory | Should -Be ([TlsTools.FailureCategory]::MiddleboxBlocking)
        $r.DiagnosisRule | Should -Be 'PlainBytesGetThrough'
        $r.FailureReason | Should -Match '^The connection was reset \(TCP RST\) right after our \d+-byte ClientHello'
        $r.FailureReason | Should -Match 'plain connection to the same port that sent an HTTP HEAD line instead (was answered|was closed normally)'
        $r.FailureReason | Should -Match 'blocks TLS by its content'
        $r.Remedy | Should -Match 'DPI'
        ($r.Transcript | Where-Object Message -EQ 'PathProbe').Summary -join "`n" | Should -Match 'plain bytes: (Answered|Closed)'
    }
    It 'a DPI rule that silently drops the ClientHello is MiddleboxBlocking too' {
        $r = Test-TlsHandshake $Ns.Address -Port $P.DpiDrop -ServerName localhost -TimeoutSec 2 -NoProxy
        $r.FailureCategory | Should -Be ([TlsTools.FailureCategory]::MiddleboxBlocking)
        $r.FailureReason | Should -Match '^Our \d+-byte ClientHello got no answer in'
    }
    It 'a ServerHello that crosses the path while the certificate flight does not is PathMtuStall, saying so' {
        $server = $Bed.Servers | Where-Object Port -EQ $P.MtuStallAfterHello
        $r = Test-TlsHandshake $Ns.Address -Port $P.MtuStallAfterHello -ServerName good.tlstools.test -TrustedRootPath $server.TrustedRootPath -TimeoutSec 3 -NoProxy
        $r.Succeeded | Should -BeFalse
        $r.Protocol | Should -Not -BeNullOrEmpty -Because 'the ServerHello arrived'
        $r.FailureCategory | Should -Be ([TlsTools.FailureCategory]::PathMtuStall)
        $r.FailureReason | Should -Match 'the ServerHello arrived \(\d+ bytes\) but the certificate chain never did'
        $r.FailureReason | Should -Match '536-byte MSS got through, the whole flight \(\d+ bytes, a 2-certificate chain\) arrived'
    }
    It 'large server segments dropped on the path are PathMtuStall: small segments get the chain through' {
        $r = Test-TlsHandshake $Ns.Address -Port $P.MtuStall -ServerName localhost -TrustedRootPath $Root -TimeoutSec 3 -NoProxy
        $r.Succeeded | Should -BeFalse
        $r.FailureCategory | Should -Be ([TlsTools.FailureCategory]::PathMtuStall)
        $r.DiagnosisRule | Should -Be 'SmallSegmentsGetThrough'
        $r.FailureReason | Should -Match 'with full-size TCP segments nothing arrived'
        $r.FailureReason | Should -Match '536-byte MSS got through, the whole flight \(\d+ bytes, a 2-certificate chain\) arrived'
        $r.Remedy | Should -Match 'ICMP'
    }
}

Describe 'Test-TlsHandshake: the follow-ups do not invent a middlebox' {
    BeforeAll {
        $Silent = Start-RawListener -Mode Silent
        $Reset = Start-RawListener -Mode ResetAfterHello
    }
    AfterAll { Stop-TestServer $Silent, $Reset }

    It 'a listener that never answers anything stays ServerSilent, saying plain bytes got no answer either' {
        $r = Test-TlsHandshake $Silent.Target -TimeoutSec 1
        $r.FailureCategory | Should -Be ([TlsTools.FailureCategory]::ServerSilent)
        $r.FailureReason | Should -Match 'got no answer either'
        $r.FailureReason | Should -Match 'stalled the same way, so it is not a path-MTU problem'
    }
    It 'a server that resets the ClientHello stays ConnectionReset when plain bytes are not answered' {
        $r = Test-TlsHandshake $Reset.Target -TimeoutSec 2
        $r.FailureCategory | Should -Be ([TlsTools.FailureCategory]::ConnectionReset)
    }
}
