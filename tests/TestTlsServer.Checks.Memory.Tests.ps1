<#
    The memory and state checks of Test-TlsServer (issue 16) on real servers on 127.0.0.1: the Heartbleed test server
    (the flaw played on the wire: a HeartbeatRequest answered with as many bytes as it claims, a fixed pattern in place
    of memory), the Good scenario and openssl s_server (Debian's OpenSSL 3 builds without heartbeat), and Tls13Only
    (heartbeat is not defined in TLS 1.3). testssl.sh's own --heartbleed run on the same servers agrees.
#>

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers/TestHelpers.psm1') -Force
    $ModulePath = Import-TlsToolsModule
    $Servers = @(Start-TlsTestServer -Scenario Heartbleed, CcsInjection, Good, Tls13Only)
    $S = @{}
    foreach ($server in $Servers) { $S[$server.Scenario] = $server }
    $Dir = Join-Path ([IO.Path]::GetTempPath()) ('tlstools-memory-' + [guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory -Path $Dir -Force | Out-Null
    $Leaf = New-TestCertificate -Dir $Dir -Name leaf -CommonName localhost -DnsNames localhost -IpAddresses 127.0.0.1
    $OpenSsl = Start-OpenSslServer -Cert $Leaf.Cert -Key $Leaf.Key -ExtraArgs '-tls1_2'
    $Checks = 'Heartbleed', 'CcsInjection'
    $Ccs = $S.CcsInjection | Test-TlsServer -NoHttp
    $Heartbleed = $S.Heartbleed | Test-TlsServer -NoHttp
    $Good = $S.Good | Test-TlsServer -NoHttp -Check $Checks
    $Tls13 = $S.Tls13Only | Test-TlsServer -NoHttp -Check $Checks
    $OpenSslResult = Test-TlsServer -ComputerName 127.0.0.1 -Port $OpenSsl.Port -NoHttp -Check $Checks

    function Get-Row($Assessment, [string] $Name) { $Assessment.Vulnerabilities | Where-Object Name -EQ $Name }

    # testssl.sh's verdict ids for one of its single checks on a scenario, by its JSON finding id.
    function Invoke-TestSsl($Server, [string[]] $Options) {
        $testssl = Assert-TestTool testssl -Package testssl.sh
        $json = Join-Path $Dir "testssl-$($Server.Scenario)-$($Server.Port).json"
        $uri = if ($Server.ServerName) { "https://$($Server.ServerName):$($Server.Port)/" } else { "127.0.0.1:$($Server.Port)" }
        $null = & $testssl --quiet --color 0 --warnings off --nodns none --ip 127.0.0.1 --openssl /usr/bin/openssl --jsonfile $json @Options $uri 2>&1
        $rows = @{}
        foreach ($row in (Get-Content -Raw -LiteralPath $json | ConvertFrom-Json)) { $rows[$row.id] = $row }
        $rows
    }
}

AfterAll {
    $Servers | Stop-TlsTestServer
    Stop-TestServer -Server $OpenSsl -ErrorAction SilentlyContinue
    Remove-Item -Recurse -Force $Dir -ErrorAction SilentlyContinue
}

Describe 'Heartbleed (CVE-2014-0160)' {
    It 'is Vulnerable on the Heartbleed server, counting the bytes over and keeping none, in one connection' {
        $row = Get-Row $Heartbleed Heartbleed
        $row.Verdict | Should -Be 'Vulnerable'
        $row.Cve | Should -Be 'CVE-2014-0160'
        $row.Evidence | Should -Be ('the server answered a HeartbeatRequest carrying 16 payload bytes that claimed 64 with a HeartbeatResponse of 64 payload bytes: ' +
            '48 bytes more than it was sent, 32 of them from beyond the request record (server memory; not kept)')
        $row.ConnectionCount | Should -Be 1
        $row.Remedy | Should -Be 'Update the TLS library and the server software to a release with the fix, then test again.'
    }

    It 'caps the Heartbleed server at F (rule Heartbleed) with the evidence, and raises VulnerableSoftware' {
        $Heartbleed.Grade | Should -Be 'F'
        $cap = @($Heartbleed.Caps | Where-Object Rule -EQ 'Heartbleed')
        $cap.Count | Should -Be 1
        $cap[0].Reason | Should -Match 'HeartbeatResponse of 64 payload bytes'
        @($Heartbleed.Findings.Id) | Should -Contain 'VulnerableSoftware'
        $Heartbleed.NotChecked | Should -Not -Match '\bHeartbleed\b'
    }

    It 'is NotVulnerable on the Good scenario and on openssl s_server: no heartbeat extension in the ServerHello' {
        foreach ($assessment in $Good, $OpenSslResult) {
            $row = Get-Row $assessment Heartbleed
            $row.Verdict | Should -Be 'NotVulnerable'
            $row.Evidence | Should -Be 'the server does not negotiate heartbeat: its TLS 1.2 ServerHello has no heartbeat extension (RFC 6520) for a ClientHello that offered it'
            $row.ConnectionCount | Should -Be 1
            @($assessment.Caps.Rule) | Should -Not -Contain 'Heartbleed'
        }
        $Good.Grade | Should -Be 'A'
    }

    It 'is NotApplicable on a TLS 1.3-only server, without a connection' {
        $row = Get-Row $Tls13 Heartbleed
        $row.Verdict | Should -Be 'NotApplicable'
        $row.Evidence | Should -Be 'only TLS 1.3 is accepted, and heartbeat is not defined in TLS 1.3 (RFC 8446)'
        $row.ConnectionCount | Should -Be 0
        $Tls13.NotChecked | Should -Not -Match '\bHeartbleed\b'
    }

    It 'agrees with testssl.sh --heartbleed: VULNERABLE on the Heartbleed server, not vulnerable on Good' {
        (Invoke-TestSsl $S.Heartbleed '--heartbleed')['heartbleed'].finding | Should -Be 'VULNERABLE'
        (Invoke-TestSsl $S.Good '--heartbleed')['heartbleed'].finding | Should -Be 'not vulnerable, no heartbeat extension'
    }
}

Describe 'CcsInjection (CVE-2014-0224)' {
    It 'is Vulnerable on the CcsInjection server, capped at F, in one connection' {
        $row = Get-Row $Ccs CcsInjection
        $row.Verdict | Should -Be 'Vulnerable'
        $row.Evidence | Should -Match 'answered a second in plaintext with alert decryption_failed \(21\)'
        $row.ConnectionCount | Should -Be 1
        $Ccs.Grade | Should -Be 'F'
        @($Ccs.Caps.Rule) | Should -Contain 'CcsInjection'
    }

    It 'is NotVulnerable on Good and openssl s_server: unexpected_message to the early ChangeCipherSpec' {
        foreach ($assessment in $Good, $OpenSslResult) {
            $row = Get-Row $assessment CcsInjection
            $row.Verdict | Should -Be 'NotVulnerable'
            $row.Evidence | Should -Be 'the server refused a ChangeCipherSpec sent after the TLS 1.2 ServerHelloDone, before any key exchange, with alert unexpected_message (10)'
        }
    }

    It 'is NotApplicable on a TLS 1.3-only server' {
        (Get-Row $Tls13 CcsInjection).Verdict | Should -Be 'NotApplicable'
    }
}
