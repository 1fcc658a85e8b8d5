<#
    Test-TlsServer's Renegotiation and Downgrade checks (SecureRenegotiation, InsecureRenegotiation,
    ClientRenegotiation, FallbackScsv)
    against real servers on 127.0.0.1: openssl s_server (RFC 5746 and RFC 7507 both honoured) and the module's
    ExportCiphers scenario, whose SSLv3 answers come from a wire-level responder that, like the export-era servers it
    plays, ignores TLS_FALLBACK_SCSV. Servers without renegotiation_info exist only as the crafted responders of the
    xunit tests (AssessmentChecksRenegotiationTests.cs): no TLS library still built can leave RFC 5746 out.
    One cross-check with testssl.sh's --renegotiation and --tls-fallback on the same openssl s_server.
#>

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers/TestHelpers.psm1') -Force
    $ModulePath = Import-TlsToolsModule
    $Dir = Join-Path ([IO.Path]::GetTempPath()) ('tlstools-reneg-' + [guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory -Path $Dir -Force | Out-Null
    $Leaf = New-TestCertificate -Dir $Dir -Name leaf -CommonName 'localhost' -DnsNames 'localhost' -IpAddresses '127.0.0.1'
    $Checks = 'SecureRenegotiation', 'InsecureRenegotiation', 'ClientRenegotiation', 'FallbackScsv'

    # TLS 1.3 and 1.2 (OpenSSL's defaults); and TLS 1.0 to 1.2 at security level 0, as an old configuration has it.
    $Modern = Start-OpenSslServer -Cert $Leaf.Cert -Key $Leaf.Key -Name modern
    $Legacy = Start-OpenSslServer -Cert $Leaf.Cert -Key $Leaf.Key -Name legacy -ExtraArgs '-min_protocol', 'TLSv1', '-max_protocol', 'TLSv1.2', '-cipher', 'DEFAULT:@SECLEVEL=0'
    $Only12 = Start-OpenSslServer -Cert $Leaf.Cert -Key $Leaf.Key -Name only12 -ExtraArgs '-tls1_2'
    $Renegotiating = Start-OpenSslServer -Cert $Leaf.Cert -Key $Leaf.Key -Name renegotiating -ExtraArgs '-client_renegotiation'
    $Scenarios = @(Start-TlsTestServer -Scenario ExportCiphers, Tls13Only)

    function Get-Checks([object] $Assessment) {
        $rows = @{}
        foreach ($row in $Assessment.Vulnerabilities) { $rows[$row.Name] = $row }
        $rows
    }
    $At = @{}
    foreach ($server in $Modern, $Legacy, $Only12, $Renegotiating) {
        $At[$server.Name] = Test-TlsServer -ComputerName 127.0.0.1 -Port $server.Port -NoHttp -Check $Checks -TimeoutSec 30
    }
    foreach ($server in $Scenarios) { $At[$server.Scenario] = $server | Test-TlsServer -NoHttp -Check $Checks -TimeoutSec 30 }
}

AfterAll {
    $Scenarios | Stop-TlsTestServer
    Stop-AllTestServer
    Remove-Item -Recurse -Force $Dir -ErrorAction SilentlyContinue
}

Describe 'Renegotiation and Downgrade checks' {
    It 'openssl s_server (TLS 1.3 and 1.2): renegotiation_info is sent, the TLS 1.2 fallback is refused with inappropriate_fallback' {
        $c = Get-Checks $At.modern
        @($At.modern.Vulnerabilities.Name) | Should -Be $Checks
        $c.SecureRenegotiation.Verdict | Should -Be 'NotVulnerable'
        $c.SecureRenegotiation.Evidence | Should -Be 'the TLS 1.2 ServerHello has an empty renegotiation_info extension (RFC 5746)'
        $c.InsecureRenegotiation.Verdict | Should -Be 'NotVulnerable'
        $c.InsecureRenegotiation.Cve | Should -Be 'CVE-2009-3555'
        $c.FallbackScsv.Verdict | Should -Be 'NotVulnerable'
        $c.FallbackScsv.Evidence | Should -Be 'a TLS 1.2 ClientHello with TLS_FALLBACK_SCSV (0x5600) got alert inappropriate_fallback (86): the server knows it accepts TLS 1.3 and refuses the downgrade (RFC 7507)'
        $c.ClientRenegotiation.Verdict | Should -Be 'NotVulnerable'
        $c.ClientRenegotiation.Evidence | Should -Be 'after a completed TLS 1.2 handshake the server answered renegotiation 1 with warning alert no_renegotiation (100): client-initiated renegotiation is refused'
        foreach ($name in $Checks) { $c[$name].ConnectionCount | Should -Be 1 -Because $name }
        @($At.modern.Findings.Id) | Should -Not -Contain 'FallbackScsvMissing'
        @($At.modern.Findings.Id) | Should -Not -Contain 'NoSecureRenegotiation'
        $At.modern.NotChecked | Should -Not -Match '\b(Insecure|NoSecure)Renegotiation\b'
    }

    It 'openssl s_server (TLS 1.0 to 1.2): the TLS 1.1 fallback is refused too' {
        $c = Get-Checks $At.legacy
        $c.FallbackScsv.Verdict | Should -Be 'NotVulnerable'
        $c.FallbackScsv.Evidence | Should -Be 'a TLS 1.1 ClientHello with TLS_FALLBACK_SCSV (0x5600) got alert inappropriate_fallback (86): the server knows it accepts TLS 1.2 and refuses the downgrade (RFC 7507)'
        $c.SecureRenegotiation.Verdict | Should -Be 'NotVulnerable'
    }

    It 'openssl s_server -client_renegotiation: all 10 renegotiations on one connection accepted, ClientRenegotiationAllowed raised' {
        $c = Get-Checks $At.renegotiating
        $c.ClientRenegotiation.Verdict | Should -Be 'Vulnerable'
        $c.ClientRenegotiation.Evidence | Should -Be 'the server accepted all 10 client-initiated renegotiations on one TLS 1.2 connection (no limit seen)'
        $c.ClientRenegotiation.ConnectionCount | Should -Be 1
        ($At.renegotiating.Findings | Where-Object Id -EQ 'ClientRenegotiationAllowed').Severity | Should -Be 'Medium'
        $c.InsecureRenegotiation.Verdict | Should -Be 'NotVulnerable' -Because 'it sends renegotiation_info: each renegotiation is bound to the connection'
    }

    It 'openssl s_server -tls1_2: one version, nothing to fall back to, no connection' {
        $c = Get-Checks $At.only12
        $c.FallbackScsv.Verdict | Should -Be 'NotApplicable'
        $c.FallbackScsv.Evidence | Should -Be 'only TLS 1.2 is accepted: there is nothing to fall back to'
        $c.FallbackScsv.ConnectionCount | Should -Be 0
    }

    It 'ExportCiphers (SSLv3 and TLS 1.0, an export-era server): the SSLv3 fallback is answered, so FallbackScsvMissing is raised' {
        $c = Get-Checks $At.ExportCiphers
        $c.FallbackScsv.Verdict | Should -Be 'Vulnerable'
        $c.FallbackScsv.Evidence | Should -Be 'an SSLv3 ClientHello with TLS_FALLBACK_SCSV (0x5600) got an SSLv3 ServerHello, though the server accepts TLS 1.0: it ignores the fallback signal (RFC 7507 requires inappropriate_fallback)'
        $c.FallbackScsv.Remedy | Should -Match '^Update the TLS library to one that honours TLS_FALLBACK_SCSV'
        $finding = $At.ExportCiphers.Findings | Where-Object Id -EQ 'FallbackScsvMissing'
        $finding.Severity | Should -Be 'Medium'
        $finding.Evidence | Should -Match 'ignores the fallback signal'
        $c.SecureRenegotiation.Evidence | Should -Be 'the TLS 1.0 ServerHello has an empty renegotiation_info extension (RFC 5746)'
    }

    It 'Tls13Only: every one NotApplicable without a connection, and the grade lists none of their rules' {
        $c = Get-Checks $At.Tls13Only
        foreach ($name in $Checks) {
            $c[$name].Verdict | Should -Be 'NotApplicable' -Because $name
            $c[$name].ConnectionCount | Should -Be 0 -Because $name
        }
        $c.SecureRenegotiation.Evidence | Should -Be 'only TLS 1.3 is accepted, which has no renegotiation (RFC 8446 4.1.2)'
        $At.Tls13Only.NotChecked | Should -Not -Match 'Renegotiation'
    }

    It 'testssl.sh agrees on openssl s_server: secure_renego "supported", secure_client_renego "not vulnerable"; fallback_SCSV OK, though it does not try TLS 1.2 under TLS 1.3 ("no protocol below TLS 1.2 offered") where we see inappropriate_fallback' {
        $testssl = Assert-TestTool testssl -Package testssl.sh
        $json = Join-Path $Dir 'testssl-modern.json'
        $null = & $testssl --quiet --color 0 --warnings off --openssl /usr/bin/openssl --jsonfile-pretty $json --renegotiation --tls-fallback "127.0.0.1:$($Modern.Port)" 2>&1
        $rows = @((Get-Content -Raw $json | ConvertFrom-Json).scanResult[0].vulnerabilities)
        ($rows | Where-Object id -EQ 'secure_renego').finding | Should -Be 'supported'
        ($rows | Where-Object id -EQ 'secure_client_renego').finding | Should -Be 'not vulnerable'
        (Get-Checks $At.modern).ClientRenegotiation.Verdict | Should -Be 'NotVulnerable'
        ($rows | Where-Object id -EQ 'fallback_SCSV').severity | Should -Be 'OK'
        ($rows | Where-Object id -EQ 'fallback_SCSV').finding | Should -Be 'no protocol below TLS 1.2 offered'
        (Get-Checks $At.modern).SecureRenegotiation.Verdict | Should -Be 'NotVulnerable'
    }
}
