<#
    Test-TlsServer's weak-cryptography checks (Poodle, Drown, Freak, Logjam, Sweet32, Rc4, Beast, Lucky13) against
    real servers on 127.0.0.1: Start-TlsTestServer scenarios that have each flaw and Good that has none, and openssl
    s_server with the RFC 5114 1024-bit DH group (-dhparam) against its default (RFC 3526 group 14). All but Logjam
    decide from the scan, with no connection of their own; Logjam reads the ServerKeyExchange's prime in one. One
    run of testssl.sh's single checks on WeakCiphers cross-checks the verdicts.
#>

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers/TestHelpers.psm1') -Force
    $ModulePath = Import-TlsToolsModule

    $WeakCrypto = 'Poodle', 'Drown', 'Freak', 'Logjam', 'Sweet32', 'Rc4', 'Beast', 'Lucky13'
    $Servers = @(Start-TlsTestServer -Scenario 'WeakCiphers', 'ExportCiphers', 'Ssl2Enabled', 'Ssl3Only', 'WeakDh', 'Good', 'Tls10Only')
    $V = @{}
    foreach ($server in $Servers) {
        $r = $server | Test-TlsServer -NoHttp -Check $WeakCrypto
        $V[$server.Scenario] = @{}
        foreach ($check in $r.Vulnerabilities) { $V[$server.Scenario][$check.Name] = $check }
    }

    $Dir = Join-Path ([IO.Path]::GetTempPath()) ('tlstools-weakcrypto-' + [guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory -Path $Dir -Force | Out-Null
    $Leaf = New-TestCertificate -Dir $Dir -Name leaf -CommonName 'localhost' -DnsNames 'localhost' -IpAddresses '127.0.0.1'

    function Get-OpenSslLogjam {
        # openssl s_server offering only DHE-RSA-AES128-GCM-SHA256 with TLS 1.2 (and -ExtraArgs); the Logjam row.
        param([string[]] $ExtraArgs = @())
        $server = Start-OpenSslServer -Cert $Leaf.Cert -Key $Leaf.Key -ExtraArgs (@('-tls1_2') + $ExtraArgs)
        try { (Test-TlsServer -ComputerName 127.0.0.1 -Port $server.Port -NoHttp -Check Logjam).Vulnerabilities[0] }
        finally { $server | Stop-TestServer }
    }
}

AfterAll {
    $Servers | Stop-TlsTestServer
    if ($Dir) { Remove-Item -Recurse -Force $Dir -ErrorAction SilentlyContinue }
}

Describe 'Test-TlsServer weak-cryptography checks' {
    It 'run in the table''s order with their CVEs, and every one but Logjam makes no connection' {
        $r = $Servers | Where-Object Scenario -EQ 'Good' | Test-TlsServer -NoHttp -Check $WeakCrypto
        @($r.Vulnerabilities.Name) | Should -Be $WeakCrypto
        ($r.Vulnerabilities | Where-Object Name -EQ 'Sweet32').Cve | Should -Be 'CVE-2016-2183, CVE-2016-6329'
        ($r.Vulnerabilities | Where-Object Name -EQ 'Logjam').Cve | Should -Be 'CVE-2015-4000'
        foreach ($check in $r.Vulnerabilities | Where-Object Name -NE 'Logjam') { $check.ConnectionCount | Should -Be 0 -Because $check.Name }
    }

    It 'Good has none of the flaws' {
        foreach ($name in 'Poodle', 'Drown', 'Freak', 'Sweet32', 'Rc4', 'Beast', 'Lucky13') {
            $V['Good'][$name].Verdict | Should -Be 'NotVulnerable' -Because "$name : $($V['Good'][$name].Evidence)"
            $V['Good'][$name].Evidence | Should -Match '^from the scan: '
        }
        $V['Good']['Logjam'].Verdict | Should -BeIn 'NotVulnerable', 'NotApplicable'
    }

    It 'WeakCiphers (3DES, DES, RC4 with TLS 1.0-1.2) is Sweet32, Rc4, Beast and Lucky13, with the remedy of the finding each raises' {
        $w = $V['WeakCiphers']
        foreach ($name in 'Sweet32', 'Rc4', 'Beast', 'Lucky13') { $w[$name].Verdict | Should -Be 'Vulnerable' -Because $name }
        $w['Sweet32'].Evidence | Should -Match '^from the scan: 64-bit block ciphers are accepted: TLS_RSA_WITH_3DES_EDE_CBC_SHA \(TLS 1\.0, TLS 1\.1, TLS 1\.2\)'
        $w['Rc4'].Evidence | Should -Match 'RFC 7465 prohibits RC4'
        $w['Beast'].Evidence | Should -Match 'Current clients mitigate it with 1/n-1 record splitting'
        $w['Lucky13'].Evidence | Should -Match 'potentially vulnerable'
        $w['Sweet32'].Remedy | Should -Match '^Remove the suites that are broken'
        foreach ($name in 'Poodle', 'Drown', 'Freak') { $w[$name].Verdict | Should -Be 'NotVulnerable' -Because $name }
        $w['Drown'].Evidence | Should -Match 'key reuse on other hosts cannot be checked from here'
    }

    It 'ExportCiphers (40-bit suites with SSLv3 and TLS 1.0) is Freak and Poodle, and Logjam does not apply' {
        $e = $V['ExportCiphers']
        $e['Freak'].Verdict | Should -Be 'Vulnerable'
        $e['Freak'].Evidence | Should -Match 'TLS_RSA_EXPORT_WITH_RC4_40_MD5 \(SSLv3, TLS 1\.0\)'
        $e['Poodle'].Verdict | Should -Be 'Vulnerable'
        $e['Poodle'].Evidence | Should -Be 'from the scan: SSLv3 is accepted with CBC suites: TLS_RSA_EXPORT_WITH_RC2_CBC_40_MD5 (SSLv3), TLS_RSA_EXPORT_WITH_DES40_CBC_SHA (SSLv3); SSLv3''s CBC padding is not covered by the MAC (POODLE, RFC 7568)'
        $e['Logjam'].Verdict | Should -Be 'NotApplicable'
        $e['Logjam'].ConnectionCount | Should -Be 0
    }

    It 'Ssl3Only is Poodle, and Beast with SSLv3 CBC' {
        $V['Ssl3Only']['Poodle'].Verdict | Should -Be 'Vulnerable'
        $V['Ssl3Only']['Poodle'].Evidence | Should -Match '^from the scan: SSLv3 is accepted with CBC suites: TLS_RSA_WITH_AES_128_CBC_SHA \(SSLv3\)'
        $V['Ssl3Only']['Beast'].Evidence | Should -Match '^from the scan: CBC suites are accepted with SSLv3: '
    }

    It 'Ssl2Enabled is Drown; Tls10Only is Beast (TLS 1.0 CBC) but not Drown' {
        $V['Ssl2Enabled']['Drown'].Verdict | Should -Be 'Vulnerable'
        $V['Ssl2Enabled']['Drown'].Evidence | Should -Be 'from the scan: SSLv2 is accepted (SSL_CK_RC4_128_WITH_MD5, SSL_CK_DES_192_EDE3_CBC_WITH_MD5) with this server''s RSA key, whose SSLv2 handshakes decrypt its TLS sessions too (DROWN)'
        $V['Ssl2Enabled']['Drown'].Remedy | Should -Not -BeNullOrEmpty
        $V['Tls10Only']['Beast'].Verdict | Should -Be 'Vulnerable'
        $V['Tls10Only']['Drown'].Verdict | Should -Be 'NotVulnerable'
    }

    It 'WeakDh (BouncyCastle with the RFC 2409 1024-bit group) is Logjam, naming Oakley Group 2, in one connection' {
        $l = $V['WeakDh']['Logjam']
        $l.Verdict | Should -Be 'Vulnerable'
        $l.Evidence | Should -Be 'the TLS 1.2 ServerKeyExchange for TLS_DHE_RSA_WITH_AES_128_GCM_SHA256 carries the 1024-bit prime modp1024 (RFC 2409 6.2 (Oakley Group 2)): a well-known prime under 2048 bits, which one precomputation breaks for every server that uses it (Logjam)'
        $l.ConnectionCount | Should -Be 1
    }

    It 'openssl s_server -dhparam with the RFC 5114 1024-bit group is Logjam; its default DH (RFC 3526 group 14) is not' {
        $pem = Join-Path $Dir 'rfc5114-1.pem'
        Invoke-OpenSsl @('genpkey', '-genparam', '-algorithm', 'DH', '-pkeyopt', 'dh_rfc5114:1', '-out', $pem) | Out-Null
        $weak = Get-OpenSslLogjam @('-cipher', 'DHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0', '-dhparam', $pem)
        $weak.Verdict | Should -Be 'Vulnerable'
        $weak.Evidence | Should -Match 'carries the 1024-bit prime rfc5114-1024-160 \(RFC 5114 2\.1 '
        $strong = Get-OpenSslLogjam @('-cipher', 'DHE-RSA-AES128-GCM-SHA256')
        $strong.Verdict | Should -Be 'NotVulnerable'
        $strong.Evidence | Should -Be 'the TLS 1.2 ServerKeyExchange for TLS_DHE_RSA_WITH_AES_128_GCM_SHA256 carries the 2048-bit prime modp2048 (RFC 3526 3 (group 14)): well known, but 2048 bits or more is beyond precomputation'
    }

    It 'testssl.sh agrees on WeakCiphers except BEAST, where its OpenSSL 3 (security level 2) cannot speak TLS 1.0 and reports "no SSL3 or TLS1"' {
        $port = ($Servers | Where-Object Scenario -EQ 'WeakCiphers').Port
        $json = Join-Path $Dir 'testssl.json'
        & testssl --jsonfile-pretty $json --warnings off --quiet --color 0 --openssl /usr/bin/openssl `
            --poodle --sweet32 --freak --drown --logjam --beast --lucky13 --rc4 "127.0.0.1:$port" *> $null
        $found = @{}
        # scanResult holds a pretest row (its OpenSSL's warning) before the target's: take the one with vulnerabilities.
        $scan = (Get-Content -Raw $json | ConvertFrom-Json).scanResult | Where-Object { $_.PSObject.Properties['vulnerabilities'] }
        foreach ($row in $scan.vulnerabilities) { $found[$row.id] = $row }
        $found.Count | Should -BeGreaterThan 8
        $w = $V['WeakCiphers']
        $found['SWEET32'].severity | Should -Be 'LOW'; $w['Sweet32'].Verdict | Should -Be 'Vulnerable'
        $found['RC4'].finding | Should -Match '^VULNERABLE'; $w['Rc4'].Verdict | Should -Be 'Vulnerable'
        $found['LUCKY13'].finding | Should -Match '^potentially vulnerable'; $w['Lucky13'].Verdict | Should -Be 'Vulnerable'
        $found['POODLE_SSL'].severity | Should -Be 'OK'; $w['Poodle'].Verdict | Should -Be 'NotVulnerable'
        $found['FREAK'].severity | Should -Be 'OK'; $w['Freak'].Verdict | Should -Be 'NotVulnerable'
        $found['DROWN'].severity | Should -Be 'OK'; $w['Drown'].Verdict | Should -Be 'NotVulnerable'
        $found['LOGJAM-common_primes'].finding | Should -Be 'RFC7919/ffdhe2048'; $w['Logjam'].Evidence | Should -Match 'prime ffdhe2048 \(RFC 7919 A\.1\)'
        # The disagreement: testssl.sh's BEAST test uses the local OpenSSL, which refuses TLS 1.0 at security level 2;
        # our probe is our own ClientHello, which the server accepts with TLS 1.0 CBC suites.
        $found['BEAST'].finding | Should -Match 'no SSL3 or TLS1'
        $w['Beast'].Verdict | Should -Be 'Vulnerable'
    }
}
