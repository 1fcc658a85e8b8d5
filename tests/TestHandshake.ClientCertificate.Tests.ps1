<#
    Mutual TLS against real openssl s_server instances that require a client certificate (-Verify 1 -CAfile <client
    CA> -verify_return_error): without -ClientCertificate the result names the request and the CAs the server
    accepts; a good certificate from a PFX, a PEM (RSA, encrypted, EC) or an X509Certificate2 object succeeds over
    TLS 1.2 and TLS 1.3; one from another CA, or an expired one, is refused with the alert the server really sends,
    which openssl s_client sees too. Every network cmdlet presents it; unusable input is one InvalidClientCertificate
    error and the pipeline goes on. The certificates are made here with openssl.
#>

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers/TestHelpers.psm1') -Force
    $ModulePath = Import-TlsToolsModule
    $SavedProxyEnvironment = Clear-ProxyEnvironment
    $Pki = New-TestPki -Path (Join-Path $TestDrive 'server')
    $Root = $Pki.RootCaPath
    $Dir = Join-Path $TestDrive 'client'
    New-Item -ItemType Directory -Path $Dir | Out-Null

    $ClientCa = New-TestCertificate -Dir $Dir -Name 'clientca' -CommonName 'Corp Client CA' -Ca
    $OtherCa = New-TestCertificate -Dir $Dir -Name 'otherca' -CommonName 'Other CA' -Ca
    $Alice = New-TestCertificate -Dir $Dir -Name 'alice' -CommonName 'alice' -Issuer $ClientCa -ExtendedKeyUsage clientAuth
    $Bob = New-TestCertificate -Dir $Dir -Name 'bob' -CommonName 'bob-ec' -Issuer $ClientCa -ExtendedKeyUsage clientAuth -KeyType 'ec:P-256'
    $Stranger = New-TestCertificate -Dir $Dir -Name 'stranger' -CommonName 'stranger' -Issuer $OtherCa -ExtendedKeyUsage clientAuth
    $Expired = New-TestCertificate -Dir $Dir -Name 'expired' -CommonName 'expired-alice' -Issuer $ClientCa -ExtendedKeyUsage clientAuth `
        -NotBefore (Get-Date).ToUniversalTime().AddDays(-60) -NotAfter (Get-Date).ToUniversalTime().AddDays(-30)

    function Join-File([string] $Name, [string[]] $Parts) {
        $path = Join-Path $Dir $Name
        Set-Content -LiteralPath $path -Value ($Parts | ForEach-Object { Get-Content -Raw -LiteralPath $_ }) -NoNewline
        $path
    }
    $Secret = ConvertTo-SecureString 'secret' -AsPlainText -Force
    $AlicePfx = Join-Path $Dir 'alice.pfx'
    Invoke-OpenSsl @('pkcs12', '-export', '-in', $Alice.Cert, '-inkey', $Alice.Key, '-certfile', $ClientCa.Cert, '-out', $AlicePfx, '-passout', 'pass:secret') | Out-Null
    $AlicePem = Join-File 'alice-with-key.pem' $Alice.Cert, $Alice.Key
    $AliceEncryptedKey = Join-Path $Dir 'alice.enc.key'
    Invoke-OpenSsl @('pkcs8', '-topk8', '-in', $Alice.Key, '-out', $AliceEncryptedKey, '-passout', 'pass:secret') | Out-Null
    $AliceEncryptedPem = Join-File 'alice-encrypted.pem' $Alice.Cert, $AliceEncryptedKey
    $BobPem = Join-File 'bob-with-key.pem' $Bob.Cert, $Bob.Key
    $StrangerPem = Join-File 'stranger-with-key.pem' $Stranger.Cert, $Stranger.Key
    $ExpiredPem = Join-File 'expired-with-key.pem' $Expired.Cert, $Expired.Key
    $AliceObject = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new($AlicePfx, 'secret',
        [System.Security.Cryptography.X509Certificates.X509KeyStorageFlags]::Exportable)
    $Sources = @{ Pfx = @{ ClientCertificate = $AlicePfx; Password = $Secret }; Pem = @{ ClientCertificate = $AlicePem }
        EncryptedPem = @{ ClientCertificate = $AliceEncryptedPem; Password = $Secret }; EcPem = @{ ClientCertificate = $BobPem }
        Object = @{ ClientCertificate = $AliceObject } }

    # -verify_return_error: a certificate that fails verification ends the handshake (without it s_server only logs it).
    $Mtls = Start-OpenSslServer -Cert $Pki.GoodCertPath -Key $Pki.GoodKeyPath -Chain $Pki.IntermediatePath `
        -ExtraArgs '-Verify', '1', '-CAfile', $ClientCa.Cert, '-verify_return_error'
    $Common = @{ ComputerName = 'localhost'; Port = $Mtls.Port; TrustedRootPath = $Root; TimeoutSec = 10 }
    # -Refused: keep reading after the handshake (-ign_eof), for the alert a TLS 1.3 server sends after the client's Finished.
    function OpenSslClient([string] $Protocol, [hashtable] $Certificate, [switch] $Refused) {
        $version = if ($Protocol -eq 'Tls12') { '-tls1_2' } else { '-tls1_3' }
        $extra = @($version) + $(if ($Certificate) { @('-cert', $Certificate.Cert, '-key', $Certificate.Key) } else { @() }) + $(if ($Refused) { @('-ign_eof') } else { @() })
        Invoke-OpenSslClient -Connect $Mtls.Target -CAfile $Root -ServerName localhost -ExtraArgs $extra
    }
}

AfterAll {
    Stop-AllTestServer
    Restore-ProxyEnvironment $SavedProxyEnvironment
    if ($AliceObject) { $AliceObject.Dispose() }
}

Describe 'Test-TlsHandshake: a server that requires a client certificate' {
    It 'without -ClientCertificate over <_>: ClientCertificateRequired, and the CA names the server accepts' -ForEach 'Tls12', 'Tls13' {
        $r = Test-TlsHandshake @Common -Protocol $_
        $r.Succeeded | Should -BeFalse
        $r.FailureCategory | Should -Be ([TlsTools.FailureCategory]::ClientCertificateRequired)
        $r.DiagnosisRule | Should -Be 'ClientCertificateMissing'
        $r.ClientCertificateRequested | Should -BeTrue
        $r.ClientCertificateSent | Should -BeNullOrEmpty
        $r.ClientCertificateAuthorities | Should -Be 'CN=Corp Client CA'
        $r.FailureReason | Should -Match 'none was sent.*The server accepts client certificates issued by: CN=Corp Client CA\.$'
        $r.Remedy | Should -Match '-ClientCertificate'
        # What openssl sends for a missing certificate: handshake_failure in TLS 1.2, certificate_required in TLS 1.3.
        $r.Alert | Should -Be $(if ($_ -eq 'Tls12') { 'received fatal handshake_failure (40)' } else { 'received fatal certificate_required (116)' })
        (OpenSslClient $_ $null -Refused).Output | Should -Match $(if ($_ -eq 'Tls12') { 'alert handshake failure' } else { 'alert certificate required' })
    }

    It 'presents a good certificate from <Source> over <Protocol>' -ForEach @(
        foreach ($source in 'Pfx', 'Pem', 'EncryptedPem', 'EcPem', 'Object') { foreach ($protocol in 'Tls12', 'Tls13') { @{ Source = $source; Protocol = $protocol } } }
    ) {
        $given = $Sources[$Source]
        $r = Test-TlsHandshake @Common @given -Protocol $Protocol
        $r.FailureReason | Should -BeNullOrEmpty
        $r.Succeeded | Should -BeTrue
        $r.Protocol | Should -Be $Protocol
        $r.ClientCertificateRequested | Should -BeTrue
        $r.ClientCertificateSent | Should -Be $(if ($Source -eq 'EcPem') { 'CN=bob-ec' } else { 'CN=alice' })
        $r.ClientCertificate.Issuer | Should -Be 'CN=Corp Client CA'
        $r.ClientCertificateAuthorities | Should -Be 'CN=Corp Client CA'
        $sent = $r.Transcript | Where-Object { $_.Direction -eq 'Sent' -and $_.Message -eq 'Certificate' }
        $sent.Summary | Should -Match '^client certificate CN=(alice|bob-ec), issued by CN=Corp Client CA'
        # RSA keys sign the TLS 1.3 CertificateVerify with RSA-PSS; an ECDSA key with its own curve.
        if ($Protocol -eq 'Tls13') { $sent.Summary | Should -Match $(if ($Source -eq 'EcPem') { 'ecdsa_secp256r1_sha256$' } else { 'rsa_pss_rsae_sha\d+$' }) }
    }

    It 'the same certificate works for openssl s_client -cert/-key (the cross-check) over <_>' -ForEach 'Tls12', 'Tls13' {
        $ossl = OpenSslClient $_ $Alice
        $ossl.Protocol | Should -Be $_
        $ossl.Output | Should -Not -Match 'alert'
    }

    It 'a certificate from another CA over <_>: refused with unknown_ca, naming the CAs the server accepts' -ForEach 'Tls12', 'Tls13' {
        $r = Test-TlsHandshake @Common -Protocol $_ -ClientCertificate $StrangerPem
        $r.Succeeded | Should -BeFalse
        $r.FailureCategory | Should -Be ([TlsTools.FailureCategory]::ClientCertificateRequired)
        $r.DiagnosisRule | Should -Be 'ClientCertificateRejected'
        $r.Alert | Should -Be 'received fatal unknown_ca (48)'
        $r.ClientCertificateSent | Should -Be 'CN=stranger'
        $r.FailureReason | Should -Match "^The server refused the client certificate 'CN=stranger' \(issued by 'CN=Other CA'\) with fatal unknown_ca \(48\)"
        $r.FailureReason | Should -Match "its issuer 'CN=Other CA' is not among the CAs the server named\. The server accepts client certificates issued by: CN=Corp Client CA\.$"
        $r.Remedy | Should -Match 'issued by one of the CAs the server accepts'
        (OpenSslClient $_ $Stranger -Refused).Output | Should -Match 'alert unknown ca' -Because 'openssl s_client gets the same alert'
    }

    It 'an expired certificate over <_>: refused with certificate_expired, and when it expired' -ForEach 'Tls12', 'Tls13' {
        $r = Test-TlsHandshake @Common -Protocol $_ -ClientCertificate $ExpiredPem
        $r.Succeeded | Should -BeFalse
        $r.DiagnosisRule | Should -Be 'ClientCertificateRejected'
        $r.Alert | Should -Be 'received fatal certificate_expired (45)'
        $r.FailureReason | Should -Match "certificate 'CN=expired-alice'.*certificate_expired \(45\).*; the certificate expired on $($Expired.NotAfter.ToString('yyyy-MM-dd'))\."
        $r.Remedy | Should -Match '^Renew the client certificate'
        (OpenSslClient $_ $Expired -Refused).Output | Should -Match 'alert certificate expired' -Because 'openssl s_client gets the same alert'
    }

    It '-Engine Both: this machine''s TLS stack (SslStream) presents the certificate too' {
        $r = Test-TlsHandshake @Common -Engine Both -Protocol Tls12 -ClientCertificate $AlicePem
        $r.Succeeded | Should -BeTrue
        $r.PlatformHandshakeCompleted | Should -BeTrue
        $without = Test-TlsHandshake @Common -Engine Both -Protocol Tls12
        $without.PlatformHandshakeCompleted | Should -BeFalse
    }
}

Describe 'Every network cmdlet presents -ClientCertificate' {
    It 'Get-CertificateChain: the served chain, through a handshake that presented the certificate (the one -Password is the PFX''s)' {
        $verbose = @()
        $rows = Get-CertificateChain @Common -ClientCertificate $AlicePfx -Password $Secret -Verbose 4>&1 | ForEach-Object {
            if ($_ -is [System.Management.Automation.VerboseRecord]) { $verbose += $_.Message } else { $_ } }
        $rows[0].Subject | Should -Be 'CN=localhost'
        $rows[0].IsFatal | Should -Not -BeTrue
        ($verbose -join "`n") | Should -Match 'Certificate: client certificate CN=alice, issued by CN=Corp Client CA'
    }

    It 'Get-CipherSupport: the follow-up handshake presents it, so the target is not reported failing' {
        $verbose = @()
        $rows = Get-CipherSupport @Common -Protocol Tls13 -ClientCertificate $AlicePem -Verbose 4>&1 | ForEach-Object {
            if ($_ -is [System.Management.Automation.VerboseRecord]) { $verbose += $_.Message } else { $_ } }
        @($rows.CipherSuite) | Should -Contain 'TLS_AES_256_GCM_SHA384'
        $rows | ForEach-Object { $_.FailureCategory | Should -Be ([TlsTools.FailureCategory]::None) }
        ($verbose -join "`n") | Should -Match 'Certificate: client certificate CN=alice'
    }

    It 'Get-TlsProtocolSupport takes it as well' {
        $rows = Get-TlsProtocolSupport @Common -ClientCertificate $AlicePem -Protocol Tls12, Tls13
        ($rows | Where-Object Supported).Protocol | Should -Be @('Tls12', 'Tls13')
    }
}

Describe '-ClientCertificate that cannot be used' {
    It '<Case>: one InvalidClientCertificate error (<Category>), no result, and the pipeline goes on' -ForEach @(
        @{ Case = 'a missing file'; Category = 'ObjectNotFound'; Message = 'does not exist'; Given = { @{ ClientCertificate = (Join-Path $Dir 'missing.pfx') } } }
        @{ Case = 'a wrong password'; Category = 'AuthenticationError'; Message = 'the password is wrong'; Given = { @{ ClientCertificate = $AlicePfx; Password = (ConvertTo-SecureString 'wrong' -AsPlainText -Force) } } }
        @{ Case = 'no password for an encrypted key'; Category = 'InvalidArgument'; Message = 'no password was given'; Given = { @{ ClientCertificate = $AliceEncryptedPem } } }
        @{ Case = 'a certificate file without its key'; Category = 'InvalidData'; Message = 'without a private key'; Given = { @{ ClientCertificate = $Alice.Cert } } }
        @{ Case = 'an X509Certificate2 without its key'; Category = 'InvalidData'; Message = "'CN=alice' has no private key"; Given = { @{ ClientCertificate = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new($Alice.Cert) } } }
    ) {
        $given = & $Given
        $errors = $null
        $out = @(Test-TlsHandshake @Common @given -ErrorVariable errors -ErrorAction SilentlyContinue; 'next')
        $out | Should -Be @('next')
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -Be 'InvalidClientCertificate,TlsTools.Commands.TestTlsHandshakeCommand'
        $errors[0].CategoryInfo.Category | Should -Be $Category
        $errors[0].Exception.Message | Should -Match ([regex]::Escape($Message))
        # The same from a scanner and from Get-CertificateChain: the one base class loads it.
        $errors = $null
        $null = Get-CipherSupport @Common @given -Protocol Tls13 -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors[0].FullyQualifiedErrorId | Should -Be 'InvalidClientCertificate,TlsTools.Commands.GetCipherSupportCommand'
    }

    It 'every target of the invocation presents it, each target its own result' {
        $r = @(Test-TlsHandshake -ComputerName "localhost:$($Mtls.Port)", "127.0.0.1:$($Mtls.Port)" -TrustedRootPath $Root -ClientCertificate $AlicePem)
        $r.Count | Should -Be 2
        $r.ClientCertificateSent | Should -Be @('CN=alice', 'CN=alice')
    }

    It 'anything but a certificate or a path is refused at binding, saying what it takes' {
        { Test-TlsHandshake @Common -ClientCertificate 42 } | Should -Throw '*-ClientCertificate takes an X509Certificate2 with its private key, or the path of a PFX/P12 or PEM file*'
    }
}

Describe 'Test-TlsServer: a server that requires a client certificate' {
    BeforeAll {
        # The same mutual-TLS server with -www, so that a GET of / over the authenticated connection gets an answer.
        $MtlsWeb = Start-OpenSslServer -Cert $Pki.GoodCertPath -Key $Pki.GoodKeyPath -Chain $Pki.IntermediatePath `
            -ExtraArgs '-Verify', '1', '-CAfile', $ClientCa.Cert, '-verify_return_error', '-www'
        $Common = @{ ComputerName = 'localhost'; Port = $MtlsWeb.Port; TrustedRootPath = $Root; TimeoutSec = 10 }
    }
    AfterAll { $MtlsWeb | Stop-TestServer }

    It 'without -ClientCertificate: graded from what can be seen, and says what could not be' {
        $a = Test-TlsServer @Common
        $a.FailureCategory | Should -Be 'None'
        $a.Grade | Should -Not -BeNullOrEmpty
        $a.Protocols | Should -Be 'TLS 1.2, TLS 1.3'
        # The chain arrives before the server asks for our certificate; the GET of / never can.
        $a.Chain[0].Role | Should -Be 'Leaf'
        $a.Http | Should -BeNullOrEmpty
        $a.NotChecked | Should -Match 'requires a client certificate \(give -ClientCertificate\)'
    }

    It 'with -ClientCertificate: the GET of / is made over the mutual-TLS connection' {
        $pem = $Sources.Pem
        $a = Test-TlsServer @Common @pem
        $a.NotChecked | Should -Not -Match 'client certificate'
        $a.Http.StatusCode | Should -Be 200
    }

    It 'a server that only asks for a certificate (-verify, optional): without one the GET of / still gets its answer' {
        # TLS 1.3: the wait for a verdict after Finished hears silence and leaves the connection usable for the GET.
        $optional = Start-OpenSslServer -Cert $Pki.GoodCertPath -Key $Pki.GoodKeyPath -Chain $Pki.IntermediatePath `
            -ExtraArgs '-verify', '1', '-CAfile', $ClientCa.Cert, '-www'
        try {
            $a = Test-TlsServer -ComputerName localhost -Port $optional.Port -TrustedRootPath $Root -TimeoutSec 10
            $a.Http.StatusCode | Should -Be 200
            $a.NotChecked | Should -Not -Match 'client certificate'
        } finally { $optional | Stop-TestServer }
    }
}
