<#
    The network path of Test-TlsHandshake against real peers: tinyproxy (HTTP CONNECT, Basic auth, CONNECT port
    policy), microsocks (SOCKS5, user/password), scripted SMTP/IMAP servers that hand over to a real openssl
    s_server, and a real PostgreSQL server. The environment proxy variables are cleared for every test and set
    only where a test says so, so nothing here can leak traffic to a proxy of the machine's environment.
#>

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers/TestHelpers.psm1') -Force
    $ModulePath = Import-TlsToolsModule

    $SavedProxyEnvironment = Clear-ProxyEnvironment

    $PkiDir = Join-Path ([System.IO.Path]::GetTempPath()) "tlstools-netpath-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
    $Pki = New-TestPki -Path $PkiDir
    $Root = $Pki.RootCaPath
    $GoodLeaf = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new($Pki.GoodCertPath)
    $Good = Start-TlsScenarioServer -Pki $Pki -Scenario Good
    $ProxyUser = [pscredential]::new('alice', (ConvertTo-SecureString 'wonderland42' -AsPlainText -Force))
    $WrongUser = [pscredential]::new('alice', (ConvertTo-SecureString 'guess' -AsPlainText -Force))
    function ClientHelloSummary($result) { ($result.Transcript | Where-Object Message -EQ 'ClientHello' | Select-Object -First 1).Summary }
}

AfterAll {
    Stop-AllTestServer
    Restore-ProxyEnvironment $SavedProxyEnvironment
    if ($PkiDir -and (Test-Path $PkiDir)) { Remove-Item -Recurse -Force $PkiDir }
}

Describe 'Test-TlsHandshake -Proxy: HTTP CONNECT (tinyproxy)' {
    BeforeAll {
        $Open = Start-HttpProxy
        $Auth = Start-HttpProxy -Credential $ProxyUser
        $Only443 = Start-HttpProxy -AllowedConnectPort 443
        $Tls10 = Start-TlsScenarioServer -Pki $Pki -Scenario Tls10Only
    }
    AfterAll { Stop-TestServer $Open, $Auth, $Only443, $Tls10 }

    It 'tunnels the handshake and says so' {
        $r = Test-TlsHandshake localhost -Port $Good.Port -Proxy $Open.Uri -TrustedRootPath $Root -TimeoutSec 5
        $r.Succeeded | Should -BeTrue
        $r.Protocol | Should -Be ([TlsTools.TlsProtocol]::Tls13)
        $r.Certificate.Thumbprint | Should -Be $GoodLeaf.Thumbprint
        $r.Proxy | Should -Be $Open.Uri
        $r.IPAddress | Should -BeNullOrEmpty -Because 'the proxy resolved and connected; this machine never learnt the address'
        ($r.Transcript | Where-Object Message -EQ 'Proxy' | ForEach-Object Summary) -join "`n" |
            Should -Match "HTTP CONNECT localhost:$($Good.Port): HTTP/1\.[01] 200"
        Get-Content -Raw $Open.LogPath | Should -Match "localhost:$($Good.Port)" -Because 'the proxy itself saw the CONNECT'
    }
    It 'a proxy that demands Basic authentication is ProxyRefused with its 407 status line' {
        $r = Test-TlsHandshake localhost -Port $Good.Port -Proxy $Auth.Uri -TrustedRootPath $Root -TimeoutSec 5
        $r.Succeeded | Should -BeFalse
        $r.FailureCategory | Should -Be ([TlsTools.FailureCategory]::ProxyRefused)
        $r.DiagnosisRule | Should -Be 'TransportProxyRefused'
        $r.FailureReason | Should -Match '"HTTP/1\.[01] 407 Proxy Authentication Required"'
        $r.FailureReason | Should -Match 'no -ProxyCredential was given'
        $r.Remedy | Should -Match 'ProxyCredential'
    }
    It '-ProxyCredential answers the 407 with Basic authentication' {
        $r = Test-TlsHandshake localhost -Port $Good.Port -Proxy $Auth.Uri -ProxyCredential $ProxyUser -TrustedRootPath $Root -TimeoutSec 5
        $r.Succeeded | Should -BeTrue
        $r.FailureCategory | Should -Be 'None'
    }
    It 'a wrong password is ProxyRefused naming the user' {
        $r = Test-TlsHandshake localhost -Port $Good.Port -Proxy $Auth.Uri -ProxyCredential $WrongUser -TimeoutSec 5
        $r.FailureCategory | Should -Be ([TlsTools.FailureCategory]::ProxyRefused)
        $r.FailureReason | Should -Match "rejected the credential of 'alice'"
    }
    It 'a proxy whose policy forbids the port is ProxyRefused with its 403' {
        $r = Test-TlsHandshake localhost -Port $Good.Port -Proxy $Only443.Uri -TimeoutSec 5
        $r.FailureCategory | Should -Be ([TlsTools.FailureCategory]::ProxyRefused)
        $r.FailureReason | Should -Match '403'
        $r.FailureReason | Should -Match 'policy forbids'
    }
    It 'a proxy that cannot reach the server is ProxyRefused (502-like), not a local connect failure' {
        $closed = Get-ClosedPort
        $r = Test-TlsHandshake 127.0.0.1 -Port $closed -Proxy $Open.Uri -TimeoutSec 5
        $r.FailureCategory | Should -Be ([TlsTools.FailureCategory]::ProxyRefused)
        $r.FailureReason | Should -Match ' 50[0-9] '
    }
    It 'a proxy port where nothing listens is ConnectionRefused naming the proxy' {
        $closed = Get-ClosedPort
        $r = Test-TlsHandshake localhost -Port $Good.Port -Proxy "http://127.0.0.1:$closed" -TimeoutSec 5
        $r.FailureCategory | Should -Be ([TlsTools.FailureCategory]::ConnectionRefused)
        $r.FailureReason | Should -Match "^The proxy http://127\.0\.0\.1:$closed"
    }
    It 'the follow-up probes go through the proxy too' {
        $r = Test-TlsHandshake localhost -Port $Tls10.Port -Proxy $Open.Uri -TimeoutSec 5
        $r.FailureCategory | Should -Be ([TlsTools.FailureCategory]::ProtocolVersionMismatch)
        $r.FailureReason | Should -Match 'accepts only TLS 1\.0'
        @(Select-String -Path $Open.LogPath -Pattern "localhost:$($Tls10.Port)").Count | Should -BeGreaterThan 2
    }
    It 'a malformed -Proxy is a non-terminating InvalidProxy error that hides the password' {
        $results = @(Test-TlsHandshake localhost -Port $Good.Port -Proxy 'ftp://bob:secret@proxy.test' -ErrorVariable errs -ErrorAction SilentlyContinue)
        $results.Count | Should -Be 0
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'InvalidProxy,*'
        $errs[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $errs[0].TargetObject | Should -Be 'ftp://bob:***@proxy.test'
    }
}

Describe 'Test-TlsHandshake -Proxy: SOCKS5 (microsocks)' {
    BeforeAll {
        $Socks = Start-Socks5Proxy
        $SocksAuth = Start-Socks5Proxy -Credential $ProxyUser
    }
    AfterAll { Stop-TestServer $Socks, $SocksAuth }

    It 'tunnels the handshake' {
        $r = Test-TlsHandshake localhost -Port $Good.Port -Proxy $Socks.Uri -TrustedRootPath $Root -TimeoutSec 5 -Engine Both
        $r.Succeeded | Should -BeTrue
        $r.Proxy | Should -Be $Socks.Uri
        $r.CipherSuite | Should -BeExactly 'TLS_AES_256_GCM_SHA384'
        $r.PlatformHandshakeCompleted | Should -BeTrue -Because 'the platform engine connects through the same proxy'
    }
    It 'a proxy that demands a password is ProxyRefused without -ProxyCredential' {
        $r = Test-TlsHandshake localhost -Port $Good.Port -Proxy $SocksAuth.Uri -TimeoutSec 5
        $r.FailureCategory | Should -Be ([TlsTools.FailureCategory]::ProxyRefused)
        $r.FailureReason | Should -Match 'SOCKS5 proxy socks5://127\.0\.0\.1:\d+ refused'
    }
    It 'user/password authentication opens it' {
        $r = Test-TlsHandshake localhost -Port $Good.Port -Proxy $SocksAuth.Uri -ProxyCredential $ProxyUser -TrustedRootPath $Root -TimeoutSec 5
        $r.Succeeded | Should -BeTrue
    }
    It 'credentials in the proxy URL work too' {
        $uri = $SocksAuth.Uri -replace '^socks5://', 'socks5://alice:wonderl%61nd42@'
        $r = Test-TlsHandshake localhost -Port $Good.Port -Proxy $uri -TrustedRootPath $Root -TimeoutSec 5
        $r.Succeeded | Should -BeTrue
        $r.Proxy | Should -Be $SocksAuth.Uri -Because 'the result never shows the credential'
    }
    It 'a wrong password is ProxyRefused' {
        $r = Test-TlsHandshake localhost -Port $Good.Port -Proxy $SocksAuth.Uri -ProxyCredential $WrongUser -TimeoutSec 5
        $r.FailureCategory | Should -Be ([TlsTools.FailureCategory]::ProxyRefused)
        $r.FailureReason | Should -Match "rejected the user name and password of 'alice'"
    }
    It 'a server the proxy cannot reach is ProxyRefused with the SOCKS5 reply' {
        $r = Test-TlsHandshake 127.0.0.1 -Port (Get-ClosedPort) -Proxy $Socks.Uri -TimeoutSec 5
        $r.FailureCategory | Should -Be ([TlsTools.FailureCategory]::ProxyRefused)
        $r.FailureReason | Should -Match 'SOCKS5 reply \d'
    }
}

Describe 'Test-TlsHandshake: HTTPS_PROXY and NO_PROXY' {
    BeforeAll {
        $NsSkip = Get-NamespaceSkipReason   # the one skip: no network namespaces on this platform
        if (-not $NsSkip) {
            # A server on this machine's end of a veth pair: a local, non-loopback address, as a LAN server would be.
            $Ns = New-DropSynNamespace
            $port = Get-FreeTcpPort
            $Lan = Start-TestProcess -Name 's_server-lan' -File 'openssl' -Address $Ns.HostAddress -Port $port -Arguments @(
                's_server', '-accept', "$($Ns.HostAddress):$port", '-www', '-cert', $Pki.GoodCertPath, '-key', $Pki.GoodKeyPath, '-cert_chain', $Pki.IntermediatePath)
            $EnvProxy = Start-HttpProxy
        }
    }
    AfterAll {
        $null = Clear-ProxyEnvironment
        if ($Lan) { Stop-TestServer $Lan, $EnvProxy }
        if ($Ns) { Remove-DropSynNamespace $Ns }
    }
    AfterEach { $null = Clear-ProxyEnvironment }

    It 'HTTPS_PROXY carries the connection through the proxy' {
        if ($NsSkip) { Set-ItResult -Skipped -Because $NsSkip; return }
        $env:HTTPS_PROXY = $EnvProxy.Uri
        $r = Test-TlsHandshake $Ns.HostAddress -Port $Lan.Port -ServerName localhost -TrustedRootPath $Root -TimeoutSec 5
        $r.Succeeded | Should -BeTrue
        $r.Proxy | Should -Be $EnvProxy.Uri
        ($r.Transcript | Where-Object Message -EQ 'Proxy' | Select-Object -First 1).Summary | Should -Match 'from HTTPS_PROXY'
        Get-Content -Raw $EnvProxy.LogPath | Should -Match ([regex]::Escape("$($Ns.HostAddress):$($Lan.Port)"))
    }
    It 'an HTTPS_PROXY that cannot be used gives a result that says so (TransportInvalidProxy), and no connection' {
        if ($NsSkip) { Set-ItResult -Skipped -Because $NsSkip; return }
        $env:HTTPS_PROXY = 'ftp://proxy.test:3128'
        $r = Test-TlsHandshake $Ns.HostAddress -Port $Lan.Port -ServerName localhost -TrustedRootPath $Root -TimeoutSec 5
        $r.Succeeded | Should -BeFalse
        $r.DiagnosisRule | Should -Be 'TransportInvalidProxy'
        $r.FailureReason | Should -Match 'ftp'
        $r.IPAddress | Should -BeNullOrEmpty -Because 'the proxy is chosen before any connection is made'
    }
    It '-NoProxy ignores it' {
        if ($NsSkip) { Set-ItResult -Skipped -Because $NsSkip; return }
        $env:HTTPS_PROXY = $EnvProxy.Uri
        $r = Test-TlsHandshake $Ns.HostAddress -Port $Lan.Port -ServerName localhost -TrustedRootPath $Root -TimeoutSec 5 -NoProxy
        $r.Succeeded | Should -BeTrue
        $r.Proxy | Should -BeNullOrEmpty
        $r.IPAddress | Should -Be $Ns.HostAddress
    }
    It 'NO_PROXY (CIDR) bypasses it' {
        if ($NsSkip) { Set-ItResult -Skipped -Because $NsSkip; return }
        $env:HTTPS_PROXY = $EnvProxy.Uri
        $env:NO_PROXY = 'example.test,10.254.0.0/16'
        $r = Test-TlsHandshake $Ns.HostAddress -Port $Lan.Port -ServerName localhost -TrustedRootPath $Root -TimeoutSec 5
        $r.Succeeded | Should -BeTrue
        $r.Proxy | Should -BeNullOrEmpty
    }
    It 'loopback targets never go through the environment proxy' {
        $env:HTTPS_PROXY = 'http://127.0.0.1:9'   # would fail if used
        $r = Test-TlsHandshake localhost -Port $Good.Port -TrustedRootPath $Root -TimeoutSec 5
        $r.Succeeded | Should -BeTrue
        $r.Proxy | Should -BeNullOrEmpty
    }
}

Describe 'Test-TlsHandshake -StartTls' {
    BeforeAll {
        $Smtp = Start-StartTlsPeer -Protocol Smtp -TlsServer $Good
        $SmtpPlain = Start-StartTlsPeer -Protocol Smtp -NoOffer
        $Imap = Start-StartTlsPeer -Protocol Imap -TlsServer $Good
        $ImapPlain = Start-StartTlsPeer -Protocol Imap -NoOffer
    }
    AfterAll { Stop-TestServer $Smtp, $SmtpPlain, $Imap, $ImapPlain }

    It 'SMTP: EHLO, STARTTLS, then the real handshake' {
        $r = Test-TlsHandshake localhost -Port $Smtp.Port -StartTls Smtp -TrustedRootPath $Root -TimeoutSec 5
        $r.Succeeded | Should -BeTrue
        $r.StartTls | Should -Be 'Smtp'
        $r.Protocol | Should -Be ([TlsTools.TlsProtocol]::Tls13)
        $r.Certificate.Thumbprint | Should -Be $GoodLeaf.Thumbprint
        ($r.Transcript | Where-Object Message -EQ 'StartTls').Summary | Should -Match 'Smtp: 2\.0\.0 Ready to start TLS'
    }
    It 'SMTP through the platform engine as well' {
        $r = Test-TlsHandshake localhost -Port $Smtp.Port -StartTls Smtp -TrustedRootPath $Root -TimeoutSec 5 -Engine Platform
        $r.Succeeded | Should -BeTrue
        $r.StartTls | Should -Be 'Smtp'
    }
    It 'SMTP without STARTTLS among the extensions is StartTlsNotOffered, quoting the EHLO reply' {
        $r = Test-TlsHandshake localhost -Port $SmtpPlain.Port -StartTls Smtp -TimeoutSec 5
        $r.Succeeded | Should -BeFalse
        $r.FailureCategory | Should -Be ([TlsTools.FailureCategory]::StartTlsNotOffered)
        $r.DiagnosisRule | Should -Be 'TransportStartTlsNotOffered'
        $r.FailureReason | Should -Match 'STARTTLS is not among the extensions the server lists'
        $r.FailureReason | Should -Match '250-mail\.test \| 250-PIPELINING \| 250 8BITMIME'
        $r.Remedy | Should -Match 'smtpd_tls_security_level'
    }
    It 'IMAP: tagged STARTTLS, then the real handshake' {
        $r = Test-TlsHandshake localhost -Port $Imap.Port -StartTls Imap -TrustedRootPath $Root -TimeoutSec 5
        $r.Succeeded | Should -BeTrue
        $r.StartTls | Should -Be 'Imap'
    }
    It 'IMAP refusing STARTTLS is StartTlsNotOffered with the tagged reply' {
        $r = Test-TlsHandshake localhost -Port $ImapPlain.Port -StartTls Imap -TimeoutSec 5
        $r.FailureCategory | Should -Be ([TlsTools.FailureCategory]::StartTlsNotOffered)
        $r.FailureReason | Should -Match 'T1 BAD STARTTLS not available'
    }
    It 'a TLS port spoken to with -StartTls Smtp is StartTlsNotOffered, not a hang' {
        $r = Test-TlsHandshake localhost -Port $Good.Port -StartTls Smtp -TimeoutSec 2
        $r.FailureCategory | Should -Be ([TlsTools.FailureCategory]::StartTlsNotOffered)
        $r.FailureReason | Should -Match 'leave out -StartTls'
    }
    It 'STARTTLS works through a proxy' {
        $proxy = Start-Socks5Proxy
        try {
            $r = Test-TlsHandshake localhost -Port $Smtp.Port -StartTls Smtp -Proxy $proxy.Uri -TrustedRootPath $Root -TimeoutSec 5
            $r.Succeeded | Should -BeTrue
            $r.Proxy | Should -Be $proxy.Uri
            $r.StartTls | Should -Be 'Smtp'
        } finally { Stop-TestServer $proxy }
    }
}

Describe 'Test-TlsHandshake -StartTls Postgres (a real PostgreSQL server)' {
    BeforeAll {
        # The full chain in server.crt: PostgreSQL sends what the file holds.
        $PgTls = Start-PostgresServer -Cert $Pki.GoodFullChainPath -Key $Pki.GoodKeyPath
        $PgPlain = Start-PostgresServer
    }
    AfterAll { if ($PgTls) { Stop-TestServer $PgTls, $PgPlain } }

    It 'ssl = on: SSLRequest answered S, then TLS' {
        $r = Test-TlsHandshake localhost -Port $PgTls.Port -StartTls Postgres -TrustedRootPath $Root -TimeoutSec 10
        $r.Succeeded | Should -BeTrue
        $r.StartTls | Should -Be 'Postgres'
        $r.Protocol | Should -Be ([TlsTools.TlsProtocol]::Tls13)
        $r.Certificate.Thumbprint | Should -Be $GoodLeaf.Thumbprint
    }
    It 'ssl = off: StartTlsNotOffered with the N answer' {
        $r = Test-TlsHandshake localhost -Port $PgPlain.Port -StartTls Postgres -TimeoutSec 10
        $r.FailureCategory | Should -Be ([TlsTools.FailureCategory]::StartTlsNotOffered)
        $r.FailureReason | Should -Match "answered the SSLRequest with 'N'"
    }
}

Describe 'StartTLS against a real OpenLDAP server (slapd)' {
    BeforeAll {
        $LdapTls = Start-LdapServer -Cert $Pki.GoodCertPath -Key $Pki.GoodKeyPath -Chain $Pki.IntermediatePath
        $LdapPlain = Start-LdapServer
    }
    AfterAll { if ($LdapTls) { Stop-TestServer $LdapTls, $LdapPlain } }

    It 'with TLS configured: the StartTLS extended operation succeeds, then the real handshake' {
        $r = Test-TlsHandshake localhost -Port $LdapTls.Port -StartTls Ldap -TrustedRootPath $Root -TimeoutSec 10
        $r.Succeeded | Should -BeTrue
        $r.StartTls | Should -Be 'Ldap'
        $r.Certificate.Thumbprint | Should -Be $GoodLeaf.Thumbprint
        ($r.Transcript | Where-Object Message -EQ 'StartTls').Summary | Should -Match 'Ldap'
    }
    It 'every other network cmdlet goes through the same StartTLS' {
        $versions = Get-TlsProtocolSupport localhost -Port $LdapTls.Port -StartTls Ldap -Protocol Tls12, Tls13 -TimeoutSec 10
        ($versions | Where-Object Supported).Protocol | Should -Contain ([TlsTools.TlsProtocol]::Tls13)
        $chain = Get-CertificateChain localhost -Port $LdapTls.Port -StartTls Ldap -TrustedRootPath $Root -TimeoutSec 10
        ($chain | Where-Object Position -EQ 0).CertificateThumbprint | Should -Be ([Convert]::ToHexString([System.Security.Cryptography.SHA256]::HashData($GoodLeaf.RawData)))
        ($chain | Where-Object Position -EQ 0).ChainValid | Should -BeTrue
    }
    It 'without TLS configured: StartTlsNotOffered, quoting slapd''s answer' {
        $r = Test-TlsHandshake localhost -Port $LdapPlain.Port -StartTls Ldap -TimeoutSec 10
        $r.FailureCategory | Should -Be ([TlsTools.FailureCategory]::StartTlsNotOffered)
        $r.FailureReason | Should -Match 'LDAP StartTLS not offered: the server refused the StartTLS extended operation \(protocolError \(2\): unsupported extended operation\)'
        $r.Remedy | Should -Not -BeNullOrEmpty
    }
}

Describe 'TLS in the MySQL protocol against a real MariaDB server' {
    BeforeAll {
        $MyTls = Start-MySqlServer -Cert $Pki.GoodFullChainPath -Key $Pki.GoodKeyPath
        $MyPlain = Start-MySqlServer
    }
    AfterAll { if ($MyTls) { Stop-TestServer $MyTls, $MyPlain } }

    It 'with ssl-cert: CLIENT_SSL in the greeting, the SSLRequest, then the real handshake' {
        $r = Test-TlsHandshake localhost -Port $MyTls.Port -StartTls MySql -TrustedRootPath $Root -TimeoutSec 10
        $r.Succeeded | Should -BeTrue
        $r.StartTls | Should -Be 'MySql'
        $r.Certificate.Thumbprint | Should -Be $GoodLeaf.Thumbprint
        ($r.Transcript | Where-Object Message -EQ 'StartTls').Summary | Should -Match 'MariaDB.*CLIENT_SSL'
    }
    It 'the scanners negotiate TLS the same way' {
        $versions = Get-TlsProtocolSupport localhost -Port $MyTls.Port -StartTls MySql -Protocol Tls12, Tls13 -TimeoutSec 10
        @($versions | Where-Object Supported).Count | Should -BeGreaterThan 0
    }
    It 'without TLS: StartTlsNotOffered, naming the server version from its greeting' {
        $r = Test-TlsHandshake localhost -Port $MyPlain.Port -StartTls MySql -TimeoutSec 10
        $r.FailureCategory | Should -Be ([TlsTools.FailureCategory]::StartTlsNotOffered)
        $r.FailureReason | Should -Match 'greeting \([^)]*MariaDB[^)]*\) lacks the CLIENT_SSL capability'
    }
}

Describe 'IMAP and POP3 STARTTLS against a real Dovecot' {
    BeforeAll {
        $MailTls = Start-MailServer -Cert $Pki.GoodFullChainPath -Key $Pki.GoodKeyPath
        $MailPlain = Start-MailServer
    }
    AfterAll { if ($MailTls) { Stop-TestServer $MailTls, $MailPlain } }

    It '<Protocol>: STARTTLS, then the real handshake' -ForEach @(@{ Protocol = 'Imap' }, @{ Protocol = 'Pop3' }) {
        $port = if ($Protocol -eq 'Imap') { $MailTls.Port } else { $MailTls.Pop3Port }
        $r = Test-TlsHandshake localhost -Port $port -StartTls $Protocol -TrustedRootPath $Root -TimeoutSec 10
        $r.Succeeded | Should -BeTrue
        $r.StartTls | Should -Be $Protocol
        $r.Certificate.Thumbprint | Should -Be $GoodLeaf.Thumbprint
        ClientHelloSummary $r | Should -Not -Match 'ALPN' -Because 'mail clients offer no ALPN'
    }
    It 'the scanners and Get-CertificateChain speak the same STARTTLS' {
        ((Get-TlsProtocolSupport localhost -Port $MailTls.Pop3Port -StartTls Pop3 -Protocol Tls12, Tls13 -TimeoutSec 10) | Where-Object Supported).Protocol |
            Should -Be @('Tls12', 'Tls13')
        $chain = Get-CertificateChain localhost -Port $MailTls.Port -StartTls Imap -TrustedRootPath $Root -TimeoutSec 10
        ($chain | Where-Object Position -EQ 0).ChainValid | Should -BeTrue
    }
    It 'Dovecot without ssl_dh: Get-CipherSupport lists the suites that work and names the DHE failure' {
        # Dovecot 2.3 picks a DHE suite from a client-ordered offer, then fails inside OpenSSL ("no DH parameters
        # provided") and closes the connection without an alert. Without the retry this scan found nothing.
        $suites = @(Get-CipherSupport localhost -Port $MailTls.Pop3Port -StartTls Pop3 -Protocol Tls12 -TimeoutSec 10)
        @($suites | Where-Object KeyExchange -EQ 'ECDHE').Count | Should -BeGreaterThan 3
        @($suites | Where-Object KeyExchange -EQ 'DHE').Count | Should -Be 0
        $suites[0].Problem | Should -Match '^DHE suites fail: offers that let the server choose DHE are closed without an alert'
        $suites[0].FailureCategory | Should -Be ([TlsTools.FailureCategory]::None)
        Get-Content -Raw (Join-Path $MailTls.Cleanup 'dovecot.log') | Should -Match 'no DH parameters provided' -Because 'the server''s own log names the same cause'
    }
    It '<Protocol> with ssl = no: StartTlsNotOffered, quoting Dovecot''s answer' -ForEach @(
        @{ Protocol = 'Imap'; Reason = 'IMAP STARTTLS not offered: the server refused STARTTLS; its STARTTLS reply was "T1 BAD TLS support isn''t enabled.".' }
        @{ Protocol = 'Pop3'; Reason = 'POP3 STARTTLS not offered: the server refused STLS; its STLS reply was "-ERR TLS support isn''t enabled.".' }
    ) {
        $port = if ($Protocol -eq 'Imap') { $MailPlain.Port } else { $MailPlain.Pop3Port }
        $r = Test-TlsHandshake localhost -Port $port -StartTls $Protocol -TimeoutSec 10
        $r.FailureCategory | Should -Be ([TlsTools.FailureCategory]::StartTlsNotOffered)
        $r.FailureReason | Should -Be $Reason
        $r.Remedy | Should -Not -BeNullOrEmpty
    }
}

Describe 'FTP AUTH TLS against a real vsftpd' {
    BeforeAll {
        $FtpTls = Start-FtpServer -Cert $Pki.GoodFullChainPath -Key $Pki.GoodKeyPath
        $FtpPlain = Start-FtpServer
    }
    AfterAll { if ($FtpTls) { Stop-TestServer $FtpTls, $FtpPlain } }

    It 'ssl_enable: AUTH TLS answered 234, then the real handshake, in Test-TlsHandshake and Get-CertificateChain' {
        $r = Test-TlsHandshake localhost -Port $FtpTls.Port -StartTls Ftp -TrustedRootPath $Root -TimeoutSec 10
        $r.Succeeded | Should -BeTrue
        $r.StartTls | Should -Be 'Ftp'
        $r.Certificate.Thumbprint | Should -Be $GoodLeaf.Thumbprint
        ($r.Transcript | Where-Object Message -EQ 'StartTls').Summary | Should -Be 'Ftp: Proceed with negotiation.' -Because 'vsftpd answers AUTH TLS with 234 Proceed with negotiation.'
        $chain = Get-CertificateChain localhost -Port $FtpTls.Port -StartTls Ftp -TrustedRootPath $Root -TimeoutSec 10
        ($chain | Where-Object Position -EQ 0).ChainValid | Should -BeTrue
    }
    It 'without ssl_enable: StartTlsNotOffered, quoting vsftpd''s reply' {
        $r = Test-TlsHandshake localhost -Port $FtpPlain.Port -StartTls Ftp -TimeoutSec 10
        $r.FailureCategory | Should -Be ([TlsTools.FailureCategory]::StartTlsNotOffered)
        $r.FailureReason | Should -Be 'FTP STARTTLS not offered: the server refused AUTH TLS; its AUTH TLS reply was "530 Please login with USER and PASS.".'
    }
}

Describe 'XMPP STARTTLS against a real Prosody' {
    BeforeAll {
        $XmppTls = Start-XmppServer -Cert $Pki.GoodFullChainPath -Key $Pki.GoodKeyPath
        $XmppPlain = Start-XmppServer
    }
    AfterAll { if ($XmppTls) { Stop-TestServer $XmppTls, $XmppPlain } }

    It 'STARTTLS among the stream features, proceed, then the real handshake, in Test-TlsHandshake and the scanners' {
        $r = Test-TlsHandshake localhost -Port $XmppTls.Port -StartTls Xmpp -TrustedRootPath $Root -TimeoutSec 10
        $r.Succeeded | Should -BeTrue
        $r.StartTls | Should -Be 'Xmpp'
        $r.Certificate.Thumbprint | Should -Be $GoodLeaf.Thumbprint
        ClientHelloSummary $r | Should -Not -Match 'ALPN'
        ((Get-TlsProtocolSupport localhost -Port $XmppTls.Port -StartTls Xmpp -Protocol Tls12, Tls13 -TimeoutSec 10) | Where-Object Supported).Protocol |
            Should -Contain ([TlsTools.TlsProtocol]::Tls13)
    }
    It 'without the tls module: StartTlsNotOffered, quoting the stream features' {
        $r = Test-TlsHandshake localhost -Port $XmppPlain.Port -StartTls Xmpp -TimeoutSec 10
        $r.FailureCategory | Should -Be ([TlsTools.FailureCategory]::StartTlsNotOffered)
        $r.FailureReason | Should -Match '^XMPP STARTTLS not offered: starttls is not among the stream features; the server sent "<\?xml'
    }
}
