<#
    Test-TlsHandshake against real servers on 127.0.0.1 / ::1 (openssl s_server with certificates made here,
    raw listeners that misbehave) and a network namespace that drops SYNs. Every scenario asserts the exact
    FailureCategory, Protocol and CipherSuite, and a phrase of the evidence in FailureReason.
    Servers start once per Describe (BeforeAll) and stop in AfterAll.
#>

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers/TestHelpers.psm1') -Force
    $ModulePath = Import-TlsToolsModule

    $PkiDir = Join-Path ([System.IO.Path]::GetTempPath()) "tlstools-pester-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
    $Pki = New-TestPki -Path $PkiDir
    $Root = $Pki.RootCaPath
}

AfterAll {
    Stop-AllTestServer
    if ($PkiDir -and (Test-Path $PkiDir)) { Remove-Item -Recurse -Force $PkiDir }
}

Describe 'Test-TlsHandshake: a good server' {
    BeforeAll {
        $Good = Start-TlsScenarioServer -Pki $Pki -Scenario Good
        $Tls12 = Start-TlsScenarioServer -Pki $Pki -Scenario Tls12Ecdhe
        $GoodLeaf = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new($Pki.GoodCertPath)
    }
    AfterAll { Stop-TestServer $Good, $Tls12 }

    Context 'TLS 1.3 (default offer)' {
        BeforeAll {
            $r = Test-TlsHandshake -ComputerName 127.0.0.1 -Port $Good.Port -ServerName localhost -TrustedRootPath $Root -TimeoutSec 5
        }
        It 'succeeds with TLS 1.3 and the suite the server chose' {
            $r.Succeeded | Should -BeTrue
            $r.HandshakeCompleted | Should -BeTrue
            $r.FailureCategory | Should -Be ([TlsTools.FailureCategory]::None)
            $r.Protocol | Should -Be ([TlsTools.TlsProtocol]::Tls13)
            # -serverpref: s_server's first TLS 1.3 choice, whatever order the client offers.
            $r.CipherSuite | Should -BeExactly 'TLS_AES_256_GCM_SHA384'
        }
        It 'describes the endpoint and the certificate' {
            $r.ComputerName | Should -Be '127.0.0.1'
            $r.Port | Should -Be $Good.Port
            $r.IPAddress | Should -Be '127.0.0.1'
            $r.ServerName | Should -Be 'localhost'
            $r.Engine | Should -Be 'Managed'
            $r.Certificate.Thumbprint | Should -Be $GoodLeaf.Thumbprint
            $r.CertificateSubject | Should -Match 'CN=localhost'
            $r.CertificateIssuer | Should -Match 'CN=TlsTools Test Intermediate CA'
            $r.CertificateNotAfter.ToUniversalTime() | Should -Be $GoodLeaf.NotAfter.ToUniversalTime()
            $r.DaysUntilExpiry | Should -BeIn @(823, 824, 825)
            @($r.ServedChain).Count | Should -Be 2
            $r.ServedChain[1].Subject | Should -Match 'CN=TlsTools Test Intermediate CA'
            $r.FailureReason | Should -BeNullOrEmpty
            $r.Alert | Should -BeNullOrEmpty
        }
        It 'records the handshake steps in the transcript' {
            $messages = @($r.Transcript | ForEach-Object Message)
            $messages | Should -Contain 'ClientHello'
            $messages | Should -Contain 'ServerHello'
            ($r.Transcript | Where-Object Message -EQ 'ClientHello' | Select-Object -First 1).Direction.ToString() | Should -Be 'Sent'
            ($r.Transcript | Where-Object Message -EQ 'ServerHello' | Select-Object -First 1).Direction.ToString() | Should -Be 'Received'
        }
    }

    It 'a TLS 1.2-only ECDHE server gives Tls12 and TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256' {
        $r = Test-TlsHandshake 127.0.0.1 -Port $Tls12.Port -ServerName localhost -TrustedRootPath $Root -TimeoutSec 5
        $r.Succeeded | Should -BeTrue
        $r.FailureCategory | Should -Be 'None'
        $r.Protocol | Should -Be ([TlsTools.TlsProtocol]::Tls12)
        $r.CipherSuite | Should -BeExactly 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'
    }

    Context 'agrees with openssl s_client' {
        It 'on the <Scenario> server' -ForEach @(
            @{ Scenario = 'Good' }
            @{ Scenario = 'Tls12' }
        ) {
            $server = if ($Scenario -eq 'Good') { $Good } else { $Tls12 }
            $ossl = Invoke-OpenSslClient -Connect $server.Target -CAfile $Root -ServerName localhost
            $ossl.Verification | Should -Be 'OK'
            $r = Test-TlsHandshake 127.0.0.1 -Port $server.Port -ServerName localhost -TrustedRootPath $Root -TimeoutSec 5
            $r.Protocol.ToString() | Should -Be $ossl.Protocol
            $r.CipherSuite | Should -BeExactly $ossl.CipherSuite
        }
        It 'on the key exchange group of the TLS 1.3 server' {
            $ossl = Invoke-OpenSslClient -Connect $Good.Target -CAfile $Root -ServerName localhost
            $ossl.Output | Should -Match 'Server Temp Key: (\w+)'
            $group = ($ossl.Output | Select-String 'Server Temp Key: (\w+)').Matches[0].Groups[1].Value
            $r = Test-TlsHandshake 127.0.0.1 -Port $Good.Port -ServerName localhost -TrustedRootPath $Root -TimeoutSec 5
            $r.KeyExchangeGroup | Should -Be $group   # case-insensitive: X25519 / x25519
        }
    }

    Context 'engines and options' {
        It '-Engine Platform (SslStream) completes the same handshake' {
            $r = Test-TlsHandshake 127.0.0.1 -Port $Good.Port -ServerName localhost -Engine Platform -TrustedRootPath $Root -TimeoutSec 5
            $r.Engine | Should -Be 'Platform'
            $r.Succeeded | Should -BeTrue
            $r.Protocol | Should -Be 'Tls13'
            $r.CipherSuite | Should -BeExactly 'TLS_AES_256_GCM_SHA384'
        }
        It '-Engine Platform: a server that refuses the platform''s own offer names what that ClientHello carried' {
            $nfs = Start-TlsTestServer -Scenario NoForwardSecrecy
            try {
                $r = Test-TlsHandshake 127.0.0.1 -Port $nfs.Port -ServerName localhost -Engine Platform -TrustedRootPath $Root -TimeoutSec 5
                $r.FailureCategory | Should -Be ([TlsTools.FailureCategory]::NoSharedCipher)
                $r.DiagnosisRule | Should -Be 'NegotiationRejected'
                # The platform's offer, read from the ClientHello it sent: some suites, none static-RSA (what this server needs).
                $r.OfferedProtocols | Should -Not -BeNullOrEmpty
                $r.FailureReason | Should -Match 'handshake_failure \(40\) before any ServerHello, to a ClientHello offering [1-9]\d* suites'
                $r.FailureReason | Should -Not -Match 'offering 0 suites'
                $r.FailureReason | Should -Match "stack's \(.+\), not this module's: its ClientHello carried [1-9]\d* suites .*none with static-RSA"
            } finally { $nfs | Stop-TlsTestServer }
        }
        It '-Engine Platform: a ServerHello for a version the local stack refuses is PlatformRefusedVersion, from the protocol_version alert it sent' {
            $ssl3 = Start-RawListener -Mode ServerHello -HelloVersion 0x0300 -HelloSuite 0xC02F
            try {
                $r = Test-TlsHandshake 127.0.0.1 -Port $ssl3.Port -ServerName localhost -Engine Platform -TrustedRootPath $Root -TimeoutSec 5
                $r.FailureCategory | Should -Be ([TlsTools.FailureCategory]::ProtocolVersionMismatch)
                $r.DiagnosisRule | Should -Be 'PlatformRefusedVersion'
                $r.FailureReason | Should -Match "refused the server's SSLv3 with fatal protocol_version \(70\)"
            } finally { Stop-TestServer $ssl3 }
        }
        It '-Engine Platform -Protocol Tls10: a stack whose policy leaves nothing to offer sends no ClientHello, PlatformOfferedNothing' {
            $tls10 = Start-TlsTestServer -Scenario Tls10Only
            try {
                $r = Test-TlsHandshake 127.0.0.1 -Port $tls10.Port -ServerName localhost -Engine Platform -Protocol Tls10 -TrustedRootPath $Root -TimeoutSec 5
                $r.FailureCategory | Should -Be ([TlsTools.FailureCategory]::ProtocolVersionMismatch)
                $r.DiagnosisRule | Should -Be 'PlatformOfferedNothing'
                $r.FailureReason | Should -Match 'sent no ClientHello for TLS 1\.0'
            } finally { $tls10 | Stop-TlsTestServer }
        }
        It '-Engine Both reports the platform stack beside the managed one' {
            $r = Test-TlsHandshake 127.0.0.1 -Port $Good.Port -ServerName localhost -Engine Both -TrustedRootPath $Root -TimeoutSec 5
            $r.Engine | Should -Be 'Both'
            $r.Succeeded | Should -BeTrue
            $r.PlatformHandshakeCompleted | Should -BeTrue
            $r.PlatformProtocol | Should -Be 'Tls13'
            $r.PlatformCipherSuite | Should -BeExactly 'TLS_AES_256_GCM_SHA384'
            $r.CipherSuite | Should -BeExactly $r.PlatformCipherSuite
            $r.PlatformFailureReason | Should -BeNullOrEmpty
        }
        It 'the aliases <Alias> bind -ComputerName' -ForEach @(
            @{ Alias = 'HostName' }, @{ Alias = 'Host' }, @{ Alias = 'CN' }
        ) {
            $splat = @{ $Alias = '127.0.0.1'; Port = $Good.Port; TrustedRootPath = $Root; TimeoutSec = 5 }
            $r = Test-TlsHandshake @splat
            $r.ComputerName | Should -Be '127.0.0.1'
            $r.Succeeded | Should -BeTrue
        }
        It '-Verbose narrates the handshake steps' {
            $verbose = @(Test-TlsHandshake 127.0.0.1 -Port $Good.Port -TrustedRootPath $Root -TimeoutSec 5 -Verbose 4>&1 |
                Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)
            ($verbose -join "`n") | Should -Match 'ClientHello'
            ($verbose -join "`n") | Should -Match 'ServerHello'
        }
        It '-Protocol Tls13 against a TLS 1.2-only server is ProtocolVersionMismatch, naming TLS 1.2' {
            $r = Test-TlsHandshake 127.0.0.1 -Port $Tls12.Port -ServerName localhost -Protocol Tls13 -TrustedRootPath $Root -TimeoutSec 5
            $r.Succeeded | Should -BeFalse
            $r.FailureCategory | Should -Be 'ProtocolVersionMismatch'
            $r.FailureReason | Should -Match 'TLS 1\.2'
        }
        It '-Protocol Ssl3 against a TLS 1.2/1.3 server is ProtocolVersionMismatch (OpenSSL answers handshake_failure)' {
            # s_server logs "version too low" but sends alert 40, not 70: only the follow-up probes can tell.
            $r = Test-TlsHandshake 127.0.0.1 -Port $Good.Port -ServerName localhost -Protocol Ssl3 -TrustedRootPath $Root -TimeoutSec 5
            $r.Succeeded | Should -BeFalse
            $r.FailureCategory | Should -Be 'ProtocolVersionMismatch'
            $r.FailureReason | Should -Match 'TLS 1\.[23]'
        }
    }

    Context 'target forms' {
        It 'accepts https://localhost:PORT/path' {
            $r = Test-TlsHandshake "https://localhost:$($Good.Port)/some/path?q=1" -TrustedRootPath $Root -TimeoutSec 5
            $r.ComputerName | Should -Be 'localhost'
            $r.Port | Should -Be $Good.Port
            $r.ServerName | Should -Be 'localhost'
            $r.Succeeded | Should -BeTrue
            $r.Protocol | Should -Be 'Tls13'
        }
        It 'accepts localhost:PORT and sends localhost as SNI' {
            $r = Test-TlsHandshake "localhost:$($Good.Port)" -TrustedRootPath $Root -TimeoutSec 5
            $r.Port | Should -Be $Good.Port
            $r.ServerName | Should -Be 'localhost'
            $r.Succeeded | Should -BeTrue
        }
        It 'accepts [::1]:PORT (certificate has IP:::1)' {
            # The one skip: a kernel with IPv6 switched off has no [::1] to listen on. Where ::1 exists this must run.
            if (-not (Test-IPv6Loopback)) { Set-ItResult -Skipped -Because 'IPv6 is disabled on this machine: nothing can listen on [::1]'; return }
            $v6 = Start-TlsScenarioServer -Pki $Pki -Scenario GoodIPv6
            try {
                $r = Test-TlsHandshake "[::1]:$($v6.Port)" -TrustedRootPath $Root -TimeoutSec 5
                $r.Port | Should -Be $v6.Port
                $r.IPAddress | Should -Be '::1'
                $r.ServerName | Should -BeNullOrEmpty   # no SNI for an IP literal
                $r.FailureReason | Should -BeNullOrEmpty
                $r.Succeeded | Should -BeTrue
                $r.Protocol | Should -Be 'Tls13'
                $r.CipherSuite | Should -BeExactly 'TLS_AES_256_GCM_SHA384'
            } finally { Stop-TestServer $v6 }
        }
        It 'binds ComputerName and Port by property name' {
            $r = [pscustomobject]@{ ComputerName = '127.0.0.1'; Port = $Good.Port } | Test-TlsHandshake -TrustedRootPath $Root -TimeoutSec 5
            @($r).Count | Should -Be 1
            $r.ComputerName | Should -Be '127.0.0.1'
            $r.Port | Should -Be $Good.Port
            $r.ServerName | Should -BeNullOrEmpty
            $r.Succeeded | Should -BeTrue   # the leaf has IP:127.0.0.1
        }
        It 'binds rows of Import-Csv' {
            $csv = Join-Path $PkiDir 'targets.csv'
            @(
                [pscustomobject]@{ ComputerName = '127.0.0.1'; Port = $Good.Port }
                [pscustomobject]@{ ComputerName = 'localhost'; Port = $Tls12.Port }
            ) | Export-Csv -Path $csv -NoTypeInformation
            $r = @(Import-Csv $csv | Test-TlsHandshake -TrustedRootPath $Root -TimeoutSec 5 | Sort-Object Port)
            $r.Count | Should -Be 2
            $byPort = @{}; $r | ForEach-Object { $byPort[$_.Port] = $_ }
            $byPort[$Good.Port].Protocol | Should -Be 'Tls13'
            $byPort[$Good.Port].Succeeded | Should -BeTrue
            $byPort[$Tls12.Port].Protocol | Should -Be 'Tls12'
            $byPort[$Tls12.Port].ComputerName | Should -Be 'localhost'
            $byPort[$Tls12.Port].Succeeded | Should -BeTrue
        }
    }
}

Describe 'Test-TlsHandshake: certificate problems' {
    # The handshake itself completes; the certificate is what fails.
    Context '<Category>' -ForEach @(
        @{ Scenario = 'Expired'; Category = 'CertificateExpired'; Reason = 'expired' }
        @{ Scenario = 'NotYetValid'; Category = 'CertificateNotYetValid'; Reason = 'not (yet )?valid' }
        @{ Scenario = 'WrongHost'; Category = 'NameMismatch'; Reason = 'wronghost\.test' }
        @{ Scenario = 'SelfSigned'; Category = 'SelfSigned'; Reason = 'self-signed' }
        @{ Scenario = 'UntrustedRoot'; Category = 'UntrustedRoot'; Reason = 'TlsTools Untrusted (Root|Intermediate) CA' }
        @{ Scenario = 'LeafOnly'; Category = 'IncompleteChain'; Reason = 'intermediate|TlsTools Test Intermediate CA' }
    ) {
        BeforeAll {
            $Server = Start-TlsScenarioServer -Pki $Pki -Scenario $Scenario
            $r = Test-TlsHandshake 127.0.0.1 -Port $Server.Port -ServerName localhost -TrustedRootPath $Root -TimeoutSec 5
        }
        AfterAll { Stop-TestServer $Server }

        It 'has the expected FailureCategory' {
            $r.FailureCategory | Should -Be ([TlsTools.FailureCategory]$Category)
            $r.Succeeded | Should -BeFalse
        }
        It 'still completed the handshake: Tls13, TLS_AES_256_GCM_SHA384' {
            $r.HandshakeCompleted | Should -BeTrue
            $r.Protocol | Should -Be ([TlsTools.TlsProtocol]::Tls13)
            $r.CipherSuite | Should -BeExactly 'TLS_AES_256_GCM_SHA384'
        }
        It 'names the evidence and a remedy' {
            $r.FailureReason | Should -Match $Reason
            $r.Remedy | Should -Not -BeNullOrEmpty
            $r.CertificateProblems | Should -Not -BeNullOrEmpty
        }
    }

    It 'without -TrustedRootPath the test CA is not trusted (UntrustedRoot)' {
        $s = Start-TlsScenarioServer -Pki $Pki -Scenario Good
        try {
            $r = Test-TlsHandshake 127.0.0.1 -Port $s.Port -ServerName localhost -TimeoutSec 5
            $r.FailureCategory | Should -Be 'UntrustedRoot'
            $r.HandshakeCompleted | Should -BeTrue
            $r.Succeeded | Should -BeFalse
        } finally { Stop-TestServer $s }
    }
}

Describe 'Test-TlsHandshake: negotiation failures' {
    BeforeAll {
        $Tls10 = Start-TlsScenarioServer -Pki $Pki -Scenario Tls10Only
        $Camellia = Start-TlsScenarioServer -Pki $Pki -Scenario NoSharedCipher
        $WeakDh = Start-TlsScenarioServer -Pki $Pki -Scenario WeakDh
        $Sni = Start-TlsScenarioServer -Pki $Pki -Scenario SniStrict
    }
    AfterAll { Stop-TestServer $Tls10, $Camellia, $WeakDh, $Sni }

    Context 'a TLS 1.0-only server' {
        It 'is ProtocolVersionMismatch by default, and the reason says TLS 1.0' {
            $r = Test-TlsHandshake 127.0.0.1 -Port $Tls10.Port -ServerName localhost -TrustedRootPath $Root -TimeoutSec 5
            $r.Succeeded | Should -BeFalse
            $r.HandshakeCompleted | Should -BeFalse
            $r.FailureCategory | Should -Be ([TlsTools.FailureCategory]::ProtocolVersionMismatch)
            $r.Protocol | Should -BeNullOrEmpty
            $r.CipherSuite | Should -BeNullOrEmpty
            $r.Alert | Should -Be 'received fatal protocol_version (70)'
            $r.FailureReason | Should -Match 'TLS 1\.0'
            $r.Remedy | Should -Not -BeNullOrEmpty
        }
        It 'succeeds with -Protocol Tls10, and agrees with openssl s_client' {
            $r = Test-TlsHandshake 127.0.0.1 -Port $Tls10.Port -ServerName localhost -Protocol Tls10 -TrustedRootPath $Root -TimeoutSec 5
            $r.Succeeded | Should -BeTrue
            $r.FailureCategory | Should -Be 'None'
            $r.Protocol | Should -Be ([TlsTools.TlsProtocol]::Tls10)
            $r.CipherSuite | Should -BeExactly 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA'
            $ossl = Invoke-OpenSslClient -Connect $Tls10.Target -CAfile $Root -ServerName localhost -ExtraArgs '-cipher', 'DEFAULT@SECLEVEL=0'
            $r.Protocol.ToString() | Should -Be $ossl.Protocol
            $r.CipherSuite | Should -BeExactly $ossl.CipherSuite
        }
        It 'a wide offer (-Protocol Tls10, Tls11, Tls12, Tls13) reaches it with Tls10' {
            $r = Test-TlsHandshake 127.0.0.1 -Port $Tls10.Port -ServerName localhost -Protocol Tls10, Tls11, Tls12, Tls13 -TrustedRootPath $Root -TimeoutSec 5
            $r.Succeeded | Should -BeTrue
            $r.Protocol | Should -Be 'Tls10'
            $r.CipherSuite | Should -BeExactly 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA'
        }
        It '-Engine Both: this machine''s own stack fails too, and the OpenSSL policy is named' {
            $r = Test-TlsHandshake 127.0.0.1 -Port $Tls10.Port -ServerName localhost -Engine Both -TrustedRootPath $Root -TimeoutSec 5
            $r.Engine | Should -Be 'Both'
            $r.FailureCategory | Should -Be 'ProtocolVersionMismatch'
            $r.PlatformHandshakeCompleted | Should -BeFalse
            $r.PlatformFailureReason | Should -Match 'OpenSSL'
            $r.PlatformFailureReason | Should -Match 'MinProtocol|CipherString|openssl\.cnf'
        }
    }

    It 'a server that only accepts CAMELLIA256-SHA is NoSharedCipher, naming that suite' {
        $r = Test-TlsHandshake 127.0.0.1 -Port $Camellia.Port -ServerName localhost -TrustedRootPath $Root -TimeoutSec 5
        $r.Succeeded | Should -BeFalse
        $r.HandshakeCompleted | Should -BeFalse
        $r.FailureCategory | Should -Be ([TlsTools.FailureCategory]::NoSharedCipher)
        $r.Protocol | Should -BeNullOrEmpty
        $r.CipherSuite | Should -BeNullOrEmpty
        $r.Alert | Should -Be 'received fatal handshake_failure (40)'
        $r.FailureReason | Should -Match 'TLS_RSA_WITH_CAMELLIA_256_CBC_SHA'
    }

    It 'a 1024-bit DHE server is WeakDhGroup' {
        $r = Test-TlsHandshake 127.0.0.1 -Port $WeakDh.Port -ServerName localhost -TrustedRootPath $Root -TimeoutSec 5
        $r.Succeeded | Should -BeFalse
        $r.FailureCategory | Should -Be ([TlsTools.FailureCategory]::WeakDhGroup)
        $r.FailureReason | Should -Match '1024'
        $r.Remedy | Should -Match 'ssl_dhparam'
    }

    Context 'client certificate required (<Version>)' -ForEach @(
        @{ Version = 'Tls12'; Scenario = 'ClientCertTls12'; Alert = 'received fatal handshake_failure (40)' }
        @{ Version = 'Tls13'; Scenario = 'ClientCertTls13'; Alert = 'received fatal certificate_required (116)' }
    ) {
        BeforeAll { $Server = Start-TlsScenarioServer -Pki $Pki -Scenario $Scenario }
        AfterAll { Stop-TestServer $Server }
        It 'is ClientCertificateRequired' {
            $r = Test-TlsHandshake 127.0.0.1 -Port $Server.Port -ServerName localhost -TrustedRootPath $Root -TimeoutSec 5
            $r.Succeeded | Should -BeFalse
            $r.FailureCategory | Should -Be ([TlsTools.FailureCategory]::ClientCertificateRequired)
            $r.HandshakeCompleted | Should -BeFalse
            # The server did choose a version before it asked for the certificate: the transcript shows it.
            ($r.Transcript | Where-Object Message -EQ 'ServerHello').Summary | Should -Match ('^TLS 1\.' + $Version.Substring(4, 1))
            ($r.Transcript | Where-Object Message -EQ 'CertificateRequest') | Should -Not -BeNullOrEmpty
            $r.Alert | Should -Be $Alert
            $r.FailureReason | Should -Match 'client certificate'
        }
    }

    Context 'SNI' {
        It 'a server that knows only good.test answers SNI localhost with unrecognized_name: UnrecognizedName' {
            $r = Test-TlsHandshake 127.0.0.1 -Port $Sni.Port -ServerName localhost -TrustedRootPath $Root -TimeoutSec 5
            $r.Succeeded | Should -BeFalse
            $r.FailureCategory | Should -Be ([TlsTools.FailureCategory]::UnrecognizedName)
            $r.Alert | Should -Be 'received fatal unrecognized_name (112)'
            $r.FailureReason | Should -Match 'localhost'
        }
        It '-NoServerName gets the default (localhost) certificate from the same server' {
            $r = Test-TlsHandshake localhost -Port $Sni.Port -NoServerName -TrustedRootPath $Root -TimeoutSec 5
            $r.ServerName | Should -BeNullOrEmpty
            $r.CertificateSubject | Should -Match 'CN=localhost'
            $r.Succeeded | Should -BeTrue
        }
        It 'the same server answers SNI good.test with its good.test certificate' {
            $r = Test-TlsHandshake 127.0.0.1 -Port $Sni.Port -ServerName good.test -TrustedRootPath $Root -TimeoutSec 5
            $r.HandshakeCompleted | Should -BeTrue
            $r.CertificateSubject | Should -Match 'CN=good\.test'
            # s_server has no -cert_chain for its -cert2 context: the good.test leaf goes out alone.
            $r.FailureCategory | Should -Be 'IncompleteChain'
            @($r.ServedChain).Count | Should -Be 1
            $r.Protocol | Should -Be 'Tls13'
            $r.CipherSuite | Should -BeExactly 'TLS_AES_256_GCM_SHA384'
        }
    }
}

Describe 'Test-TlsHandshake: network and peer failures' {
    BeforeAll {
        $Silent = Start-RawListener -Mode Silent
        $Reset = Start-RawListener -Mode ResetAfterHello
        $Http = Start-RawListener -Mode Http
        $AlertOnly = Start-RawListener -Mode AlertOnly
        $ClosedPort = Get-ClosedPort
    }
    AfterAll { Stop-TestServer $Silent, $Reset, $Http, $AlertOnly }

    It 'a peer that answers the ClientHello with a fatal alert is AlertReceived, decoded' {
        $r = Test-TlsHandshake 127.0.0.1 -Port $AlertOnly.Port -ServerName localhost -TrustedRootPath $Root -TimeoutSec 5
        $r.Succeeded | Should -BeFalse
        $r.HandshakeCompleted | Should -BeFalse
        $r.FailureCategory | Should -Be ([TlsTools.FailureCategory]::AlertReceived)
        $r.Alert | Should -Be 'received fatal internal_error (80)'
        $r.DiagnosisRule | Should -Be 'ServerFatalAlert'
        $r.FailureReason | Should -Match 'The server ended the handshake with fatal internal_error \(80\)'
        $r.Protocol | Should -BeNullOrEmpty
        $r.CipherSuite | Should -BeNullOrEmpty
    }
    It 'a peer that answers the ClientHello with access_denied (49) is ServerFatalAlert, naming that alert' {
        $denied = Start-RawListener -Mode AlertOnly -AlertDescription 49
        try {
            $r = Test-TlsHandshake 127.0.0.1 -Port $denied.Port -ServerName localhost -TrustedRootPath $Root -TimeoutSec 5
            $r.FailureCategory | Should -Be ([TlsTools.FailureCategory]::AlertReceived)
            $r.DiagnosisRule | Should -Be 'ServerFatalAlert'
            $r.Alert | Should -Be 'received fatal access_denied (49)'
            $r.FailureReason | Should -Match 'The server ended the handshake with fatal access_denied \(49\)'
        } finally { Stop-TestServer $denied }
    }
    It 'a closed port is ConnectionRefused' {
        $r = Test-TlsHandshake 127.0.0.1 -Port $ClosedPort -TimeoutSec 5
        $r.Succeeded | Should -BeFalse
        $r.FailureCategory | Should -Be ([TlsTools.FailureCategory]::ConnectionRefused)
        $r.DiagnosisRule | Should -Be 'TransportRefused'
        $r.FailureReason | Should -Match 'refused'
        $r.Port | Should -Be $ClosedPort
    }
    It 'a listener that never answers is ServerSilent' {
        $r = Test-TlsHandshake 127.0.0.1 -Port $Silent.Port -TimeoutSec 2
        $r.Succeeded | Should -BeFalse
        $r.FailureCategory | Should -Be ([TlsTools.FailureCategory]::ServerSilent)
        $r.FailureReason | Should -Match 'ClientHello|answer|respon'
        $r.Alert | Should -BeNullOrEmpty -Because 'no alert crossed the wire; the client only gave up'
    }
    It 'a reset right after the ClientHello is ConnectionReset' {
        $r = Test-TlsHandshake 127.0.0.1 -Port $Reset.Port -TimeoutSec 5
        $r.Succeeded | Should -BeFalse
        $r.FailureCategory | Should -Be ([TlsTools.FailureCategory]::ConnectionReset)
        $r.FailureReason | Should -Match 'reset'
        $r.Alert | Should -BeNullOrEmpty -Because 'nothing can be sent after a reset'
        @($r.Transcript | Where-Object Message -EQ 'Probe') | Should -HaveCount 0 -Because 'probing again is the wrong reaction to a DPI-style reset'
    }
    It 'an HTTP server is NotTls, and the reason says HTTP' {
        $r = Test-TlsHandshake 127.0.0.1 -Port $Http.Port -TimeoutSec 5
        $r.Succeeded | Should -BeFalse
        $r.FailureCategory | Should -Be ([TlsTools.FailureCategory]::NotTls)
        $r.FailureReason | Should -Match 'HTTP'
        $r.FailureReason | Should -Match 'HTTP/1\.1 400 Bad Request' -Because 'the status line is quoted as evidence'
    }
    It 'a name under .invalid is DnsFailure' {
        $r = Test-TlsHandshake 'nosuchhost.invalid' -TimeoutSec 5
        $r.Succeeded | Should -BeFalse
        $r.Port | Should -Be 443   # the default
        $r.ComputerName | Should -Be 'nosuchhost.invalid'
        $r.IPAddress | Should -BeNullOrEmpty
        $r.FailureCategory | Should -Be ([TlsTools.FailureCategory]::DnsFailure)
        $r.DiagnosisRule | Should -Be 'TransportDnsFailure'
        $r.FailureReason | Should -Match 'nosuchhost\.invalid'
    }

    Context 'a firewall that drops SYNs' {
        BeforeAll {
            $NsSkip = Get-NamespaceSkipReason   # the one skip: no network namespaces on this platform
            $Ns = if (-not $NsSkip) { New-DropSynNamespace }
        }
        AfterAll { if ($Ns) { Remove-DropSynNamespace $Ns } }
        It 'is ConnectTimeout' {
            if ($NsSkip) { Set-ItResult -Skipped -Because $NsSkip; return }
            $r = Test-TlsHandshake $Ns.Address -Port 443 -TimeoutSec 2
            $r.Succeeded | Should -BeFalse
            $r.IPAddress | Should -Be $Ns.Address
            $r.FailureCategory | Should -Be ([TlsTools.FailureCategory]::ConnectTimeout)
            $r.FailureReason | Should -Match '443'
        }
    }
}

Describe 'Test-TlsHandshake: input handling and CSV' {
    BeforeAll {
        $Good = Start-TlsScenarioServer -Pki $Pki -Scenario Good
        $Expired = Start-TlsScenarioServer -Pki $Pki -Scenario Expired
        $ClosedPort = Get-ClosedPort
    }
    AfterAll { Stop-TestServer $Good, $Expired }

    It 'port 70000 is a non-terminating InvalidTarget error' {
        $results = @(Test-TlsHandshake 'localhost:70000' -ErrorVariable errs -ErrorAction SilentlyContinue)
        $results.Count | Should -Be 0
        @($errs).Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'InvalidTarget*'
        $errs[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $errs[0].TargetObject | Should -Be 'localhost:70000'
    }
    It 'a bad target among three: two results and one error, and the pipeline goes on' {
        $targets = "127.0.0.1:$($Good.Port)", 'localhost:70000', "127.0.0.1:$($Expired.Port)"
        $results = @($targets | Test-TlsHandshake -TrustedRootPath $Root -TimeoutSec 5 -ErrorVariable errs -ErrorAction SilentlyContinue)
        $results.Count | Should -Be 2
        @($errs).Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'InvalidTarget*'
        ($results | Sort-Object Port | ForEach-Object Port) | Should -Be (@($Good.Port, $Expired.Port) | Sort-Object)
    }
    It 'a malformed URI is a non-terminating InvalidTarget error' {
        $results = @(Test-TlsHandshake 'https://' -ErrorVariable errs -ErrorAction SilentlyContinue)
        $results.Count | Should -Be 0
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'InvalidTarget*'
    }

    It 'many targets at once: one result each (-ThrottleLimit 4, 12 targets)' {
        $targets = 1..12 | ForEach-Object { "127.0.0.1:$($Good.Port)" }
        $results = @($targets | Test-TlsHandshake -ServerName localhost -ThrottleLimit 4 -TrustedRootPath $Root -TimeoutSec 10)
        $results.Count | Should -Be 12
        @($results | Where-Object Succeeded).Count | Should -Be 12
    }
    It 'Stop (Ctrl+C) cancels a handshake waiting on a silent server long before -TimeoutSec' {
        $silent = Start-RawListener -Mode Silent
        # One command in its own runspace (a multi-statement batch would run on a thread-pool worker that
        # outlives Stop and can take the host down).
        $iss = [System.Management.Automation.Runspaces.InitialSessionState]::CreateDefault2()
        $iss.ImportPSModule([string[]] @((Get-Module TlsTools).Path))
        $runspace = [runspacefactory]::CreateRunspace($iss)
        $runspace.Open()
        $ps = [powershell]::Create($runspace)
        try {
            $null = $ps.AddCommand('Test-TlsHandshake').AddParameter('ComputerName', '127.0.0.1').
                AddParameter('Port', $silent.Port).AddParameter('TimeoutSec', 60)
            $handle = $ps.BeginInvoke()
            # Connected (the silent listener accepted it), waiting for the ServerHello.
            $deadline = [DateTime]::UtcNow.AddSeconds(30)
            while ($silent.Clients.Count -eq 0 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
            $silent.Clients.Count | Should -BeGreaterOrEqual 1 -Because 'the cmdlet connects to the silent server before it is stopped'
            $ps.InvocationStateInfo.State | Should -Be 'Running'
            $stop = $ps.BeginStop($null, $null)
            # A deadline, not a benchmark: the silent peer would hold it for 60 s.
            $stop.AsyncWaitHandle.WaitOne(10000) | Should -BeTrue
            $ps.EndStop($stop)
            $ps.InvocationStateInfo.State | Should -Be 'Stopped'
            $handle.AsyncWaitHandle.WaitOne(5000) | Should -BeTrue
            # Stop closed the socket: past the ClientHello the server's end reads an end of stream (FIN) or a reset.
            $peer = $silent.Clients[0].Client
            $peer.ReceiveTimeout = 5000
            $buffer = [byte[]]::new(4096)
            $end = $null
            while ($null -eq $end) {
                try { if ($peer.Receive($buffer) -eq 0) { $end = 'FIN' } }
                catch {
                    $e = $_.Exception
                    while ($e -and $e -isnot [System.Net.Sockets.SocketException]) { $e = $e.InnerException }
                    $end = if ($e) { "$($e.SocketErrorCode)" } else { "$($_.Exception.Message)" }
                }
            }
            $end | Should -BeIn 'FIN', 'ConnectionReset' -Because 'TimedOut would mean the cmdlet left its socket open'
        } finally {
            $ps.Dispose()
            $runspace.Dispose()
            Stop-TestServer $silent
        }
    }

    Context 'Export-Csv round trip' {
        BeforeAll {
            $Csv = Join-Path $PkiDir 'results.csv'
            "127.0.0.1:$($Good.Port)", "127.0.0.1:$($Expired.Port)", "127.0.0.1:$ClosedPort" |
                Test-TlsHandshake -TrustedRootPath $Root -TimeoutSec 5 |
                Export-Csv -Path $Csv -NoTypeInformation
            $Rows = @(Import-Csv $Csv)
        }
        It 'has three rows' {
            $Rows.Count | Should -Be 3
        }
        It 'has the scalar columns first, ComputerName to Engine' {
            $columns = @($Rows[0].PSObject.Properties.Name)
            $columns[0..4] | Should -Be @('ComputerName', 'Port', 'IPAddress', 'ServerName', 'Succeeded')
            $columns | Should -Contain 'FailureCategory'
            $columns | Should -Contain 'CipherSuite'
        }
        It 'every cell reads as a value, not a type name' {
            foreach ($row in $Rows) {
                foreach ($p in $row.PSObject.Properties) {
                    $p.Value | Should -Not -Match '^(System\.|TlsTools\.)' -Because "column $($p.Name) must hold a value"
                }
            }
        }
        It 'FailureCategory is None / CertificateExpired / ConnectionRefused' {
            $byPort = @{}; $Rows | ForEach-Object { $byPort[[int]$_.Port] = $_ }
            $byPort[$Good.Port].FailureCategory | Should -Be 'None'
            $byPort[$Good.Port].Succeeded | Should -Be 'True'
            $byPort[$Good.Port].Protocol | Should -Be 'Tls13'
            $byPort[$Good.Port].CipherSuite | Should -Be 'TLS_AES_256_GCM_SHA384'
            $byPort[$Expired.Port].FailureCategory | Should -Be 'CertificateExpired'
            $byPort[$Expired.Port].Succeeded | Should -Be 'False'
            $byPort[$ClosedPort].FailureCategory | Should -Be 'ConnectionRefused'
            $byPort[$ClosedPort].Protocol | Should -Be ''
        }
    }
}
