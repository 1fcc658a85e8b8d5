<#
    Test-TlsHandshake -CompareServerName against the module's own test servers: SniRequired (no SNI: unrecognized_name),
    SniMismatch (no SNI: a default certificate for default.tlstools.test), and Good (one certificate whatever the name).
#>

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers/TestHelpers.psm1') -Force
    $ModulePath = Import-TlsToolsModule
    $Required = Start-TlsTestServer -Scenario SniRequired
    $Mismatch = Start-TlsTestServer -Scenario SniMismatch
    $Good = Start-TlsTestServer -Scenario Good
    $Root = $Good.TrustedRootPath
}

AfterAll { Stop-TlsTestServer -All }

Describe 'Test-TlsHandshake -CompareServerName' {
    It 'a server that refuses clients without SNI: Required, and the handshake with the name succeeds' {
        $r = Test-TlsHandshake $Required.ComputerName -Port $Required.Port -ServerName snirequired.tlstools.test -TrustedRootPath $Root -CompareServerName -TimeoutSec 5
        $r.Succeeded | Should -BeTrue
        $r.ServerNameBehavior | Should -Be ([TlsTools.ServerNameBehavior]::Required)
        $r.DefaultCertificateSubject | Should -BeNullOrEmpty
        $r.ServerNameComparison | Should -Match "without SNI: refused \(received fatal unrecognized_name \(112\)\)"
        $r.ServerNameComparison | Should -Match 'So the server requires SNI\.$'
    }
    It 'a server with a different default certificate: DefaultCertificateDiffers, naming that certificate' {
        $r = Test-TlsHandshake $Mismatch.ComputerName -Port $Mismatch.Port -ServerName snimismatch.tlstools.test -TrustedRootPath $Root -CompareServerName -TimeoutSec 5
        $r.Succeeded | Should -BeTrue
        $r.ServerNameBehavior | Should -Be ([TlsTools.ServerNameBehavior]::DefaultCertificateDiffers)
        $r.DefaultCertificateSubject | Should -Match 'CN=default\.tlstools\.test'
        $r.CertificateSubject | Should -Match 'CN=snimismatch\.tlstools\.test'
    }
    It 'a client that sends no SNI to that server gets SniRouting, not NameMismatch' {
        $plain = Test-TlsHandshake $Mismatch.ComputerName -Port $Mismatch.Port -ServerName snimismatch.tlstools.test -NoServerName -TrustedRootPath $Root -TimeoutSec 5
        $plain.FailureCategory | Should -Be ([TlsTools.FailureCategory]::NameMismatch) -Because 'without the comparison there is no evidence of SNI routing'
        $r = Test-TlsHandshake $Mismatch.ComputerName -Port $Mismatch.Port -ServerName snimismatch.tlstools.test -NoServerName -TrustedRootPath $Root -CompareServerName -TimeoutSec 5
        $r.Succeeded | Should -BeFalse
        $r.FailureCategory | Should -Be ([TlsTools.FailureCategory]::SniRouting)
        $r.DiagnosisRule | Should -Be 'NoSniGetsDefaultCertificate'
        $r.FailureReason | Should -Match "^No SNI was sent, so the server presented its default certificate \(CN=default\.tlstools\.test"
        $r.FailureReason | Should -Match "with SNI 'snimismatch\.tlstools\.test' it presents the right one \(CN=snimismatch\.tlstools\.test"
        $r.Remedy | Should -Match 'send the server''s name in SNI'
    }
    It 'a server whose SNI configuration maps the name to a certificate for another name: SniRouting, SniMapsToWrongCertificate' {
        # openssl s_server: the default certificate names localhost; SNI 'mapped.test' gets the second one, for wronghost.test.
        $dir = Join-Path ([System.IO.Path]::GetTempPath()) "tlstools-sniwrong-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
        New-Item -ItemType Directory -Path $dir | Out-Null
        $server = $null
        try {
            $ca = New-TestCertificate -Dir $dir -Name root -CommonName 'TlsTools SNI Test Root' -Ca
            $default = New-TestCertificate -Dir $dir -Name default -CommonName localhost -DnsNames localhost -Issuer $ca
            $wrong = New-TestCertificate -Dir $dir -Name wrong -CommonName wronghost.test -DnsNames wronghost.test -Issuer $ca
            $server = Start-OpenSslServer -Cert $default.Cert -Key $default.Key -Name sniwrong -ExtraArgs @('-servername', 'mapped.test', '-cert2', $wrong.Cert, '-key2', $wrong.Key)
            $r = Test-TlsHandshake localhost -Port $server.Port -ServerName mapped.test -TrustedRootPath $ca.Cert -CompareServerName -TimeoutSec 5
            $r.Succeeded | Should -BeFalse
            $r.ServerNameBehavior | Should -Be ([TlsTools.ServerNameBehavior]::DefaultCertificateDiffers)
            $r.CertificateSubject | Should -Be 'CN=wronghost.test'
            $r.FailureCategory | Should -Be ([TlsTools.FailureCategory]::SniRouting)
            $r.DiagnosisRule | Should -Be 'SniMapsToWrongCertificate'
            $r.FailureReason | Should -Match "for 'mapped\.test' it presents CN=wronghost\.test, which is not valid for the name \(without SNI: CN=localhost\): its SNI configuration maps this name to the wrong certificate"
        } finally {
            if ($server) { Stop-TestServer $server }
            Remove-Item -Recurse -Force $dir
        }
    }
    It 'a name the server does not know stays NameMismatch: every handshake gets the same certificate, so nothing shows routing' {
        $r = Test-TlsHandshake $Mismatch.ComputerName -Port $Mismatch.Port -ServerName other.tlstools.test -TrustedRootPath $Root -CompareServerName -TimeoutSec 5
        $r.ServerNameBehavior | Should -Be ([TlsTools.ServerNameBehavior]::Ignored)
        $r.FailureCategory | Should -Be ([TlsTools.FailureCategory]::NameMismatch)
        $r.DefaultCertificateSubject | Should -Match 'CN=default\.tlstools\.test'
    }
    It 'a server with one certificate for every name: Ignored' {
        $r = Test-TlsHandshake $Good.ComputerName -Port $Good.Port -ServerName good.tlstools.test -TrustedRootPath $Root -CompareServerName -TimeoutSec 5
        $r.Succeeded | Should -BeTrue
        $r.ServerNameBehavior | Should -Be ([TlsTools.ServerNameBehavior]::Ignored)
        $r.DefaultCertificateSubject | Should -Be $r.CertificateSubject
        $r.ServerNameComparison | Should -Match "with the unknown name 'tlstools-sni-check\.invalid': CN=good\.tlstools\.test"
    }
    It 'an IP address without -ServerName has nothing to compare: Inconclusive, and the result is otherwise unchanged' {
        $r = Test-TlsHandshake $Good.ComputerName -Port $Good.Port -TrustedRootPath $Root -CompareServerName -TimeoutSec 5
        $r.ServerNameBehavior | Should -Be ([TlsTools.ServerNameBehavior]::Inconclusive)
        $r.ServerNameComparison | Should -Match 'no -ServerName was given'
        $r.FailureCategory | Should -Be ([TlsTools.FailureCategory]::NameMismatch)
    }
    It 'without -CompareServerName nothing is compared' {
        $r = Test-TlsHandshake $Good.ComputerName -Port $Good.Port -ServerName good.tlstools.test -TrustedRootPath $Root -TimeoutSec 5
        $r.ServerNameBehavior | Should -Be ([TlsTools.ServerNameBehavior]::NotCompared)
        $r.ServerNameComparison | Should -BeNullOrEmpty
    }
}
