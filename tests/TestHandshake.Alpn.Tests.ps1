<#
    ALPN in Test-TlsHandshake against real openssl s_server instances: one that serves http/1.1 and h2 (in that
    order of preference), one that serves only a protocol nobody offers ('foo': OpenSSL then ends the handshake
    with no_application_protocol), one without ALPN; a scripted SMTP server in front of the first for STARTTLS.
    openssl s_client, offering the same list, must see the same choice.
#>

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers/TestHelpers.psm1') -Force
    $ModulePath = Import-TlsToolsModule
    $SavedProxyEnvironment = Clear-ProxyEnvironment
    $PkiDir = Join-Path ([System.IO.Path]::GetTempPath()) "tlstools-alpn-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
    $Pki = New-TestPki -Path $PkiDir
    $Root = $Pki.RootCaPath
    $serve = @{ Cert = $Pki.GoodCertPath; Key = $Pki.GoodKeyPath; Chain = $Pki.IntermediatePath }
    $Web = Start-OpenSslServer @serve -ExtraArgs '-alpn', 'http/1.1,h2'
    $Foo = Start-OpenSslServer @serve -ExtraArgs '-alpn', 'foo'
    $NoAlpn = Start-OpenSslServer @serve
    $Smtp = Start-StartTlsPeer -Protocol Smtp -TlsServer $Foo
    function ClientHelloOf($result) { ($result.Transcript | Where-Object Message -EQ 'ClientHello' | Select-Object -First 1).Summary }
}

AfterAll {
    Stop-AllTestServer
    Restore-ProxyEnvironment $SavedProxyEnvironment
    if ($PkiDir -and (Test-Path $PkiDir)) { Remove-Item -Recurse -Force $PkiDir }
}

Describe 'Test-TlsHandshake: ALPN' {
    It 'offers h2 and http/1.1 as browsers do, and reports the server''s choice as openssl s_client sees it' {
        $r = Test-TlsHandshake localhost -Port $Web.Port -TrustedRootPath $Root -TimeoutSec 5
        $r.Succeeded | Should -BeTrue
        ClientHelloOf $r | Should -Match '; ALPN h2, http/1\.1$'
        $r.ApplicationProtocol | Should -Be 'http/1.1' -Because 'OpenSSL picks by its own list, http/1.1 first'
        # s_client -brief does not print the ALPN result; the full output does.
        $ossl = '' | & openssl s_client -connect $Web.Target -servername localhost -CAfile $Root -alpn 'h2,http/1.1' 2>&1
        ($ossl -join "`n") | Should -Match 'ALPN protocol: http/1\.1'
    }
    It '-ApplicationProtocol offers exactly the names given' {
        $r = Test-TlsHandshake localhost -Port $Web.Port -TrustedRootPath $Root -TimeoutSec 5 -ApplicationProtocol h2
        $r.ApplicationProtocol | Should -Be 'h2'
        ClientHelloOf $r | Should -Match '; ALPN h2$'
    }
    It 'a server that serves none of the offered protocols: AlertReceived 120, naming what was offered' {
        $r = Test-TlsHandshake localhost -Port $Foo.Port -TrustedRootPath $Root -TimeoutSec 5
        $r.Succeeded | Should -BeFalse
        $r.FailureCategory | Should -Be ([TlsTools.FailureCategory]::AlertReceived)
        $r.Alert | Should -Be 'received fatal no_application_protocol (120)'
        $r.DiagnosisRule | Should -Be 'NoApplicationProtocol'
        $r.FailureReason | Should -Match 'none of the application protocols offered by ALPN \(h2, http/1\.1\)'
        $r.Remedy | Should -Match 'application protocol'
        $ossl = Invoke-OpenSslClient -Connect $Foo.Target -CAfile $Root -ServerName localhost -ExtraArgs '-alpn', 'h2,http/1.1'
        $ossl.Output | Should -Match 'no application protocol' -Because 'openssl s_client gets the same alert'
    }
    It 'the same server with its own protocol offered succeeds' {
        $r = Test-TlsHandshake localhost -Port $Foo.Port -TrustedRootPath $Root -TimeoutSec 5 -ApplicationProtocol foo
        $r.Succeeded | Should -BeTrue
        $r.ApplicationProtocol | Should -Be 'foo'
    }
    It 'an empty -ApplicationProtocol offers no ALPN at all' {
        $r = Test-TlsHandshake localhost -Port $Foo.Port -TrustedRootPath $Root -TimeoutSec 5 -ApplicationProtocol @()
        $r.Succeeded | Should -BeTrue
        $r.ApplicationProtocol | Should -BeNullOrEmpty
        ClientHelloOf $r | Should -Not -Match 'ALPN'
    }
    It 'a server without ALPN: the handshake works and ApplicationProtocol stays empty' {
        $r = Test-TlsHandshake localhost -Port $NoAlpn.Port -TrustedRootPath $Root -TimeoutSec 5
        $r.Succeeded | Should -BeTrue
        $r.ApplicationProtocol | Should -BeNullOrEmpty
    }
    It 'with STARTTLS no ALPN is offered, as mail clients offer none (so the strict server does not refuse)' {
        $r = Test-TlsHandshake localhost -Port $Smtp.Port -StartTls Smtp -TrustedRootPath $Root -TimeoutSec 5
        $r.Succeeded | Should -BeTrue
        ClientHelloOf $r | Should -Not -Match 'ALPN'
    }
    It 'Get-CertificateChain offers the same ALPN, so a strict server refuses it the same way' {
        $errors = $null
        $null = Get-CertificateChain localhost -Port $Foo.Port -TimeoutSec 5 -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors[0].Exception.Message | Should -Match 'no_application_protocol'
    }
    It 'a name that ALPN cannot carry is a parameter error' {
        { Test-TlsHandshake localhost -Port $Web.Port -ApplicationProtocol ('x' * 256) -ErrorAction Stop } |
            Should -Throw -ErrorId 'ParameterArgumentValidationError,TlsTools.Commands.TestTlsHandshakeCommand'
    }
}
