<#
    Start-/Get-/Stop-TlsTestServer: every scenario, proved with a tool nobody here wrote (openssl s_client),
    and with our own wire-level ClientHello (Protocol/ClientHelloBuilder) where OpenSSL 3.0 cannot speak the
    scenario (SSLv3, 3DES, RC4, export suites are compiled out). Then the Demo's claim: Test-TlsHandshake's
    FailureCategory equals each server's ExpectedFailure and its DiagnosisRule the server's ExpectedRule. Then Stop: no port stays bound.
    All servers start once (BeforeAll) on 127.0.0.1; the start-all time is printed, never asserted.
#>

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers/TestHelpers.psm1') -Force
    $null = Import-TlsToolsModule
    $script:ScenarioNames = @((Get-TlsTestServer -ListAvailable).Scenario)
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers/TestHelpers.psm1') -Force
    $ModulePath = Import-TlsToolsModule

    $clock = [System.Diagnostics.Stopwatch]::StartNew()
    $Servers = @(Start-TlsTestServer -Scenario *)
    $StartAllMs = $clock.ElapsedMilliseconds
    Write-Host "Start-TlsTestServer * started $($Servers.Count) scenarios (fresh PKI included) in $StartAllMs ms"
    $S = @{}
    foreach ($server in $Servers) { $S[$server.Scenario] = $server }
    $Root = $Servers[0].TrustedRootPath

    function Invoke-SClient {
        <# openssl s_client against a scenario; trusts the run's root, sends the scenario's SNI and checks its name unless told not to. #>
        param([Parameter(Mandatory)] $Server, [string[]] $Arguments = @(), [switch] $NoServerName, [int] $KillAfterSec = 15)
        $a = @('s_client', '-connect', "127.0.0.1:$($Server.Port)", '-CAfile', $Root) + $Arguments
        if ($NoServerName) { $a += '-noservername' }
        elseif ($Server.ServerName) { $a += @('-servername', $Server.ServerName, '-verify_hostname', $Server.ServerName) }
        $text = '' | & timeout $KillAfterSec openssl @a 2>&1 | Out-String
        [pscustomobject]@{ Text = $text; ExitCode = $LASTEXITCODE }
    }

    function Send-ClientHello {
        <#
            Our own ClientHello (ClientHelloBuilder) on a fresh connection; returns the first message back as
            Kind ServerHello (Version, Suite) or Alert (Description), or Closed.
        #>
        param([Parameter(Mandatory)] [int] $Port, [Parameter(Mandatory)] [TlsTools.TlsProtocol] $Versions, [Parameter(Mandatory)] [uint16[]] $Suites)
        $options = [TlsTools.Protocol.ClientHelloOptions]::new()
        $options.Versions = $Versions
        foreach ($suite in $Suites) { $options.CipherSuites.Add($suite) }
        $hello = [TlsTools.Protocol.ClientHelloBuilder]::Build($options)
        $client = [System.Net.Sockets.TcpClient]::new('127.0.0.1', $Port)
        try {
            $stream = $client.GetStream()
            $stream.Write($hello, 0, $hello.Length)
            $reader = [TlsTools.Protocol.TlsRecordReader]::new($stream)
            try {
                $message = $reader.ReadMessageAsync([timespan]::FromSeconds(5), [System.Threading.CancellationToken]::None).GetAwaiter().GetResult()
            } catch [System.IO.IOException] { $message = $null }
            if ($null -eq $message) { return [pscustomobject]@{ Kind = 'Closed' } }
            if ($message.ContentType -eq [TlsTools.Protocol.TlsContentType]::Alert) {
                $alert = [TlsTools.Protocol.AlertMessage]::Parse($message.Body)
                return [pscustomobject]@{ Kind = 'Alert'; Description = [int]$alert.Description }
            }
            $sh = [TlsTools.Protocol.ServerHello]::Parse($message.Body)
            [pscustomobject]@{ Kind = 'ServerHello'; Version = $sh.Version; Suite = [int]$sh.CipherSuite }
        } finally { $client.Dispose() }
    }

    function Test-PortFree([int] $Port) {
        <# True when nothing listens: a connect is refused and the port can be bound again at once. #>
        $refused = $false
        $client = [System.Net.Sockets.TcpClient]::new()
        try { $client.Connect('127.0.0.1', $Port) } catch [System.Net.Sockets.SocketException] { $refused = $_.Exception.SocketErrorCode -eq 'ConnectionRefused' } finally { $client.Dispose() }
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, $Port)
        try { $listener.Start(); $bound = $true } catch { $bound = $false } finally { $listener.Stop() }
        $refused -and $bound
    }
}

AfterAll {
    Get-TlsTestServer | Stop-TlsTestServer
}

Describe 'Start-TlsTestServer' {
    It 'starts every scenario on its own port on 127.0.0.1' {
        $Servers.Count | Should -Be (Get-TlsTestServer -ListAvailable).Count
        @($Servers.Port | Sort-Object -Unique).Count | Should -Be $Servers.Count
        @($Servers.ComputerName | Sort-Object -Unique) | Should -Be '127.0.0.1'
        @(Get-TlsTestServer).Count | Should -Be $Servers.Count
        $Servers[0] | Should -BeOfType ([TlsTools.TestServer])
    }

    It 'writes only the root certificate to TrustedRootPath, no private key' {
        @($Servers.TrustedRootPath | Sort-Object -Unique).Count | Should -Be 1
        $pem = Get-Content -Raw $Root
        ([regex]::Matches($pem, '-----BEGIN CERTIFICATE-----')).Count | Should -Be 1
        $pem | Should -Not -Match 'PRIVATE KEY'
        $root = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new($Root)
        $root.Subject | Should -Match 'CN=TlsTools Test Root'
        $root.Subject | Should -Be $root.Issuer
    }

    It 'names the SNI to use, except where the scenario is about clients that send none' {
        $S.Good.ServerName | Should -Be 'good.tlstools.test'
        $S.SniRequired.ServerName | Should -BeNullOrEmpty
        $S.SniMismatch.ServerName | Should -BeNullOrEmpty
    }

    It 'reports an unknown scenario as ScenarioNotFound and goes on' {
        $out = Start-TlsTestServer -Scenario NoSuchScenario -ErrorVariable err -ErrorAction SilentlyContinue
        $out | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -Be 'ScenarioNotFound,TlsTools.Commands.StartTlsTestServerCommand'
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'refuses one -Port for several scenarios' {
        Start-TlsTestServer -Scenario 'Sni*' -Port 8443 -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -Be 'PortForSeveralScenarios,TlsTools.Commands.StartTlsTestServerCommand'
    }

    It 'reports a port in use as BindFailed' {
        Start-TlsTestServer -Scenario Good -Port $S.Good.Port -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -Be 'BindFailed,TlsTools.Commands.StartTlsTestServerCommand'
        $err[0].CategoryInfo.Category | Should -Be 'ResourceUnavailable'
    }

    It 'completes -Scenario with the scenario names' {
        $line = 'Start-TlsTestServer -Scenario Sni'
        $completions = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches
        @($completions.CompletionText) | Should -Be @('SniRequired', 'SniMismatch')
        $completions[0].ToolTip | Should -Match 'unrecognized_name'
    }

    It 'lists every scenario with its description, expected failure and expected rule' {
        $list = Get-TlsTestServer -ListAvailable
        $list.Count | Should -BeGreaterOrEqual 43
        ($list | Where-Object Scenario -EQ 'Expired').ExpectedFailure | Should -Be ([TlsTools.FailureCategory]::CertificateExpired)
        ($list | Where-Object Scenario -EQ 'Expired').ExpectedRule | Should -Be 'CertificateRefused'
        ($list | Where-Object Scenario -EQ 'Good').ExpectedFailure | Should -Be ([TlsTools.FailureCategory]::None)
        ($list | Where-Object Scenario -EQ 'Good').ExpectedRule | Should -Be 'HandshakeTrusted'
        ($list | Where-Object Scenario -EQ 'ResetAfterHello').ExpectedRule | Should -Be 'ResetAfterClientHello'
        $list | ForEach-Object { $_.Description | Should -Not -BeNullOrEmpty; $_.ExpectedRule | Should -Match '^[A-Z][A-Za-z0-9]+$' }
        # The -ListAvailable table shows the rule beside the failure.
        ($list | Where-Object Scenario -EQ 'Silent' | Format-Table | Out-String -Width 200) | Should -Match 'Silent\s+ServerSilent\s+ServerSilentAfterHello'
        $S.Expired.ExpectedRule | Should -Be 'CertificateRefused' -Because 'a running server carries it too'
        @(Get-TlsTestServer -ListAvailable -Scenario 'Tls1*').Scenario | Should -Be @('Tls10Only', 'Tls11Only', 'Tls13Only')
    }
}

Describe 'openssl s_client sees each scenario' {
    It 'Good: verifies (0) with TLS 1.3, and with TLS 1.2 negotiates ECDHE-RSA AES-GCM' {
        $r = Invoke-SClient $S.Good
        $r.Text | Should -Match 'Verify return code: 0 \(ok\)'
        $r.Text | Should -Match 'New, TLSv1\.3, Cipher is TLS_AES_128_GCM_SHA256'
        (Invoke-SClient $S.Good -Arguments '-tls1_2').Text | Should -Match 'New, TLSv1\.2, Cipher is ECDHE-RSA-AES128-GCM-SHA256'
    }

    It 'GoodEcdsa: verifies (0) with a 256-bit ECDSA key' {
        $r = Invoke-SClient $S.GoodEcdsa
        $r.Text | Should -Match 'Verify return code: 0 \(ok\)'
        $r.Text | Should -Match 'Peer signature type: ECDSA'
        $r.Text | Should -Match 'Server public key is 256 bit'
    }

    It 'Expired: verify error 10 (certificate has expired)' {
        (Invoke-SClient $S.Expired).Text | Should -Match 'Verify return code: 10 \(certificate has expired\)'
    }

    It 'NotYetValid: verify error 9 (certificate is not yet valid)' {
        (Invoke-SClient $S.NotYetValid).Text | Should -Match 'Verify return code: 9 \(certificate is not yet valid\)'
    }

    It 'WrongHost: verify error 62 (hostname mismatch)' {
        (Invoke-SClient $S.WrongHost).Text | Should -Match 'Verify return code: 62 \(hostname mismatch\)'
    }

    It 'SelfSigned: verify error 18 (self-signed certificate)' {
        (Invoke-SClient $S.SelfSigned).Text | Should -Match 'Verify return code: 18 \(self-signed certificate\)'
    }

    It 'UntrustedRoot: verify error 19 (self-signed certificate in certificate chain)' {
        (Invoke-SClient $S.UntrustedRoot).Text | Should -Match 'Verify return code: 19 '
    }

    It 'IncompleteChain: verify error 20 or 21 (leaf only)' {
        $r = Invoke-SClient $S.IncompleteChain -Arguments '-showcerts'
        $r.Text | Should -Match 'Verify return code: (20|21) '
        ([regex]::Matches($r.Text, '-----BEGIN CERTIFICATE-----')).Count | Should -Be 1
    }

    It 'WrongOrderChain: sends leaf, root, intermediate; OpenSSL rebuilds the path (0)' {
        $r = Invoke-SClient $S.WrongOrderChain -Arguments '-showcerts'
        $r.Text | Should -Match 'Verify return code: 0 \(ok\)'
        $r.Text | Should -Match '(?m)^ 1 s:.*TlsTools Test Root'
        $r.Text | Should -Match '(?m)^ 2 s:.*TlsTools Test Intermediate CA'
    }

    It 'Sha1Signature: verify error 68 (CA signature digest algorithm too weak)' {
        (Invoke-SClient $S.Sha1Signature).Text | Should -Match 'Verify return code: 68 '
    }

    It 'WeakKey: verify error 66 (EE certificate key too weak) for the 1024-bit key' {
        $r = Invoke-SClient $S.WeakKey
        $r.Text | Should -Match 'Verify return code: 66 '
        $r.Text | Should -Match 'Server public key is 1024 bit'
    }

    It 'Tls10Only: -tls1_2 fails; -tls1 with @SECLEVEL=0 succeeds' {
        $r = Invoke-SClient $S.Tls10Only -Arguments '-tls1_2'
        $r.ExitCode | Should -Not -Be 0
        $r.Text | Should -Match 'unsupported protocol|alert protocol version'
        $r = Invoke-SClient $S.Tls10Only -Arguments '-tls1', '-cipher', 'DEFAULT@SECLEVEL=0'
        $r.Text | Should -Match 'Protocol\s*: TLSv1\s'
        $r.Text | Should -Match 'Verify return code: 0 \(ok\)'
    }

    It 'Tls11Only: -tls1_2 fails; -tls1_1 with @SECLEVEL=0 succeeds' {
        (Invoke-SClient $S.Tls11Only -Arguments '-tls1_2').ExitCode | Should -Not -Be 0
        (Invoke-SClient $S.Tls11Only -Arguments '-tls1_1', '-cipher', 'DEFAULT@SECLEVEL=0').Text | Should -Match 'Protocol\s*: TLSv1\.1'
    }

    It 'Tls13Only: -tls1_2 gets alert 70 (protocol_version); -tls1_3 succeeds' {
        $r = Invoke-SClient $S.Tls13Only -Arguments '-tls1_2'
        $r.Text | Should -Match 'alert number 70'
        (Invoke-SClient $S.Tls13Only -Arguments '-tls1_3').Text | Should -Match 'New, TLSv1\.3'
    }

    It 'Ssl3Only: -tls1_2 meets an SSLv3 answer and refuses it; OpenSSL 3.0 has no SSLv3, so our own SSLv3 ClientHello checks acceptance' {
        # BouncyCastle answers a TLS 1.2 hello without supported_versions with its SSLv3 ServerHello; OpenSSL refuses it.
        (Invoke-SClient $S.Ssl3Only -Arguments '-tls1_2').Text | Should -Match 'unsupported protocol'
        $aes = Send-ClientHello -Port $S.Ssl3Only.Port -Versions Ssl3 -Suites 0x002F
        $aes.Kind | Should -Be 'ServerHello'
        $aes.Version | Should -Be ([TlsTools.TlsProtocol]::Ssl3)
        $aes.Suite | Should -Be 0x002F
        # RC4 is answered by our wire-level responder (no library serves it any more).
        $rc4 = Send-ClientHello -Port $S.Ssl3Only.Port -Versions Ssl3 -Suites 0x0005
        $rc4.Version | Should -Be ([TlsTools.TlsProtocol]::Ssl3)
        $rc4.Suite | Should -Be 0x0005
    }

    It 'WeakCiphers: openssl gets alert 40 (handshake_failure); OpenSSL 3.0 has no 3DES/DES/RC4, so our own ClientHello sees them accepted' {
        (Invoke-SClient $S.WeakCiphers).Text | Should -Match 'alert number 40'
        foreach ($suite in 0x000A, 0x0009, 0x0005, 0x0004) {
            $r = Send-ClientHello -Port $S.WeakCiphers.Port -Versions Tls12 -Suites $suite
            $r.Kind | Should -Be 'ServerHello'
            $r.Version | Should -Be ([TlsTools.TlsProtocol]::Tls12)
            $r.Suite | Should -Be $suite
        }
        (Send-ClientHello -Port $S.WeakCiphers.Port -Versions Tls12 -Suites 0xC02F).Description | Should -Be 40
    }

    It 'ExportCiphers: openssl -tls1 gets alert 40; OpenSSL 3.0 has no export suites, so our own ClientHello sees them accepted with TLS 1.0' {
        (Invoke-SClient $S.ExportCiphers -Arguments '-tls1', '-cipher', 'ALL@SECLEVEL=0').Text | Should -Match 'alert number 40'
        foreach ($suite in 0x0003, 0x0006, 0x0008) {
            $r = Send-ClientHello -Port $S.ExportCiphers.Port -Versions Tls10 -Suites $suite
            $r.Version | Should -Be ([TlsTools.TlsProtocol]::Tls10)
            $r.Suite | Should -Be $suite
        }
        # A legacy server answers a TLS 1.2 hello with its highest version, as such servers did.
        (Send-ClientHello -Port $S.ExportCiphers.Port -Versions Tls12 -Suites 0x0003).Version | Should -Be ([TlsTools.TlsProtocol]::Tls10)
    }

    It 'NoForwardSecrecy: only static RSA key exchange (AES128-GCM-SHA256); ECDHE-only gets alert 40' {
        $r = Invoke-SClient $S.NoForwardSecrecy
        $r.Text | Should -Match 'Cipher is AES128-GCM-SHA256'
        $r.Text | Should -Not -Match 'Server Temp Key'
        (Invoke-SClient $S.NoForwardSecrecy -Arguments '-cipher', 'ECDHE:DHE', '-tls1_2').Text | Should -Match 'alert number 40'
    }

    It 'NullCipher: default suites get alert 40; NULL-SHA256 with @SECLEVEL=0 succeeds' {
        (Invoke-SClient $S.NullCipher).Text | Should -Match 'alert number 40'
        (Invoke-SClient $S.NullCipher -Arguments '-cipher', 'NULL-SHA256@SECLEVEL=0').Text | Should -Match 'Cipher is NULL-SHA256'
    }

    It 'AnonymousDh: default suites get alert 40; ADH succeeds with no certificate at all' {
        (Invoke-SClient $S.AnonymousDh).Text | Should -Match 'alert number 40'
        $r = Invoke-SClient $S.AnonymousDh -Arguments '-cipher', 'ADH-AES128-GCM-SHA256@SECLEVEL=0'
        $r.Text | Should -Match 'Cipher is ADH-AES128-GCM-SHA256'
        $r.Text | Should -Match 'no peer certificate available'
    }

    It 'WeakDh: OpenSSL refuses the 1024-bit group (dh key too small); with @SECLEVEL=0 it shows DH 1024 bits' {
        (Invoke-SClient $S.WeakDh).Text | Should -Match 'dh key too small'
        $r = Invoke-SClient $S.WeakDh -Arguments '-cipher', 'DEFAULT@SECLEVEL=0'
        $r.Text | Should -Match 'Server Temp Key: DH, 1024 bits'
        $r.Text | Should -Match 'Cipher is DHE-RSA-AES128-GCM-SHA256'
    }

    It 'SniRequired: alert 112 without -servername; verifies with it' {
        (Invoke-SClient $S.SniRequired -NoServerName).Text | Should -Match 'alert number 112'
        (Invoke-SClient $S.SniRequired -Arguments '-servername', 'snirequired.tlstools.test', '-verify_hostname', 'snirequired.tlstools.test').Text |
            Should -Match 'Verify return code: 0 \(ok\)'
    }

    It 'SniMismatch: the default certificate without SNI, the right one with it' {
        (Invoke-SClient $S.SniMismatch -NoServerName).Text | Should -Match 'subject=.*CN\s*=\s*default\.tlstools\.test'
        $r = Invoke-SClient $S.SniMismatch -Arguments '-servername', 'snimismatch.tlstools.test', '-verify_hostname', 'snimismatch.tlstools.test'
        $r.Text | Should -Match 'subject=.*CN\s*=\s*snimismatch\.tlstools\.test'
        $r.Text | Should -Match 'Verify return code: 0 \(ok\)'
    }

    It 'ClientCertificateRequired: alert 116 (certificate_required) in TLS 1.3, alert 40 in TLS 1.2' {
        # TLS 1.3: the alert comes after the client's Finished; -ign_eof keeps s_client reading until it arrives.
        (Invoke-SClient $S.ClientCertificateRequired -Arguments '-ign_eof').Text | Should -Match 'alert number 116'
        $r = Invoke-SClient $S.ClientCertificateRequired -Arguments '-tls1_2'
        $r.Text | Should -Match 'alert number 40'
        $r.Text | Should -Match 'Acceptable client certificate CA names|Client Certificate Types'
    }

    It 'Interception: the right host name, issued by the unknown inspection CA (verify error 19)' {
        $r = Invoke-SClient $S.Interception
        $r.Text | Should -Match 'Verify return code: 19 '
        $r.Text | Should -Match 'issuer=.*TlsTools Inspection CA'
        $r.Text | Should -Not -Match 'hostname mismatch'
    }

    It 'NotTls: wrong version number, because the answer is plain HTTP' {
        (Invoke-SClient $S.NotTls).Text | Should -Match 'wrong version number'
        $client = [System.Net.Sockets.TcpClient]::new('127.0.0.1', $S.NotTls.Port)
        try {
            $request = [Text.Encoding]::ASCII.GetBytes("GET / HTTP/1.1`r`nHost: x`r`n`r`n")
            $client.GetStream().Write($request, 0, $request.Length)
            [IO.StreamReader]::new($client.GetStream()).ReadLine() | Should -Be 'HTTP/1.1 400 Bad Request'
        } finally { $client.Dispose() }
    }

    It 'Silent: openssl connects and gets no answer until it is killed' {
        $r = Invoke-SClient $S.Silent -KillAfterSec 2
        $r.ExitCode | Should -Be 124   # timeout(1): the command timed out
    }

    It 'ResetAfterHello: the connection is reset (errno 104, ECONNRESET)' {
        (Invoke-SClient $S.ResetAfterHello).Text | Should -Match 'errno=104'
    }

    It 'DripFeed: a ServerHello record arrives one byte at a time, seconds apart; openssl waits on it until it is killed' {
        # Evidence on one connection, not a stopwatch: the record header's first byte comes, then the socket stays
        # unreadable for a second (the next byte is 2 s behind), then the next byte of the header comes.
        $options = [TlsTools.Protocol.ClientHelloOptions]::new()
        $options.Versions = [TlsTools.TlsProtocol]::Tls12
        $hello = [TlsTools.Protocol.ClientHelloBuilder]::Build($options)
        $client = [System.Net.Sockets.TcpClient]::new('127.0.0.1', $S.DripFeed.Port)
        try {
            $client.ReceiveTimeout = 10000
            $stream = $client.GetStream()
            $stream.Write($hello, 0, $hello.Length)
            $buffer = [byte[]]::new(64)
            $stream.Read($buffer, 0, 64) | Should -Be 1 -Because 'one byte at a time'
            $buffer[0] | Should -Be 0x16 -Because 'a handshake record'
            $client.Client.Poll(1000000, [System.Net.Sockets.SelectMode]::SelectRead) | Should -BeFalse -Because 'the next byte is seconds behind'
            $stream.Read($buffer, 0, 64) | Should -Be 1
            $buffer[0] | Should -Be 0x03 -Because 'the record version follows'
        } finally { $client.Dispose() }
        $r = Invoke-SClient $S.DripFeed -KillAfterSec 3
        $r.ExitCode | Should -Be 124   # timeout(1): s_client was still waiting for the record
        $r.Text | Should -Not -Match 'Cipher is'
    }

    It 'SlowHandshake: the server sits on the ClientHello (nothing comes back in the first second), then answers it' {
        # Evidence on one connection, not a stopwatch: after our ClientHello the socket stays unreadable for a second
        # (the server holds its answer for 3 s, a loaded machine only makes that longer), then the ServerHello comes.
        $options = [TlsTools.Protocol.ClientHelloOptions]::new()
        $options.Versions = [TlsTools.TlsProtocol]::Tls12
        $options.ServerName = $S.SlowHandshake.ServerName
        $hello = [TlsTools.Protocol.ClientHelloBuilder]::Build($options)
        $client = [System.Net.Sockets.TcpClient]::new('127.0.0.1', $S.SlowHandshake.Port)
        try {
            $client.GetStream().Write($hello, 0, $hello.Length)
            $client.Client.Poll(1000000, [System.Net.Sockets.SelectMode]::SelectRead) | Should -BeFalse -Because 'the server has not answered yet'
            $reader = [TlsTools.Protocol.TlsRecordReader]::new($client.GetStream())
            $message = $reader.ReadMessageAsync([timespan]::FromSeconds(15), [System.Threading.CancellationToken]::None).GetAwaiter().GetResult()
            $message.ContentType | Should -Be ([TlsTools.Protocol.TlsContentType]::Handshake)
            [TlsTools.Protocol.ServerHello]::Parse($message.Body).Version | Should -Be ([TlsTools.TlsProtocol]::Tls12)
        } finally { $client.Dispose() }
        # And a real client that waits long enough completes the handshake and verifies the chain.
        (Invoke-SClient $S.SlowHandshake).Text | Should -Match 'Verify return code: 0 \(ok\)'
    }
}

Describe 'Test-TlsHandshake reports each scenario''s ExpectedFailure and ExpectedRule (the Demo''s claim)' {
    BeforeAll {
        # The objects bind by property name (ComputerName, Port, ServerName, TrustedRootPath); one concurrent run.
        $Results = @{}
        $Servers | Test-TlsHandshake | ForEach-Object { $Results[$_.Port] = $_ }
    }

    It '<_> reports its ExpectedFailure, decided by its ExpectedRule' -ForEach $ScenarioNames {
        $server = $S[$_]
        $result = $Results[$server.Port]
        $result.FailureCategory | Should -Be $server.ExpectedFailure -Because $result.FailureReason
        $result.DiagnosisRule | Should -Be $server.ExpectedRule -Because $result.FailureReason
        $result.Succeeded | Should -Be ($server.ExpectedFailure -eq [TlsTools.FailureCategory]::None)
    }
}

Describe 'A hostile client never brings a test server down' {
    It 'survives garbage, an oversized record, a truncated hello and an abrupt close, then still serves (TLS and broken servers alike)' {
        $payloads = @(
            [byte[]](1..200 | ForEach-Object { Get-Random -Maximum 256 }),
            [byte[]](0x16, 0x03, 0x01, 0xFF, 0xFF) + [byte[]]::new(64),        # record length 65535: over the limit
            [byte[]](0x16, 0x03, 0x01, 0x00, 0x40, 0x01, 0x00, 0x00, 0x3C, 0x03, 0x03),   # hello cut short
            [byte[]]@()                                                          # connect and close
        )
        foreach ($server in $S.Good, $S.WeakCiphers, $S.UnofferedSuite, $S.HelloRetryLoop) {
            foreach ($bytes in $payloads) {
                $client = [System.Net.Sockets.TcpClient]::new('127.0.0.1', $server.Port)
                if ($bytes.Length) { $client.GetStream().Write($bytes, 0, $bytes.Length) }
                $client.Dispose()
            }
        }
        (Invoke-SClient $S.Good).Text | Should -Match 'Verify return code: 0 \(ok\)'
        (Send-ClientHello -Port $S.WeakCiphers.Port -Versions Tls12 -Suites 0x0005).Suite | Should -Be 0x0005
        (Send-ClientHello -Port $S.UnofferedSuite.Port -Versions Tls12 -Suites 0xC02F).Suite | Should -Be 0xC0FF
        (Send-ClientHello -Port $S.HelloRetryLoop.Port -Versions Tls13 -Suites 0x1301).Kind | Should -Be 'ServerHello'   # a HelloRetryRequest
    }
}

Describe 'Stop-TlsTestServer' {
    It 'stops what it is piped; the port is free at once (refused, and bindable again)' {
        $server = Start-TlsTestServer -Scenario Good
        Test-PortFree $server.Port | Should -BeFalse
        $stopped = $server | Stop-TlsTestServer -PassThru
        $stopped.Port | Should -Be $server.Port
        Test-PortFree $server.Port | Should -BeTrue
        @(Get-TlsTestServer | Where-Object Port -EQ $server.Port).Count | Should -Be 0
        { $server | Stop-TlsTestServer } | Should -Not -Throw   # stopping twice is no error
    }

    It 'binds -Port when given' {
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()
        $server = Start-TlsTestServer -Scenario NotTls -Port $port
        try { $server.Port | Should -Be $port } finally { $server | Stop-TlsTestServer }
    }

    It 'removing the module stops every server (checked in a separate pwsh process, before it exits)' {
        # Separate process: the servers are per process, and this run's servers must keep running.
        $script = @"
Import-Module '$ModulePath'
`$ports = @(Start-TlsTestServer Good, Silent).Port
Remove-Module TlsTools
foreach (`$port in `$ports) {
    `$client = [System.Net.Sockets.TcpClient]::new()
    try { `$client.Connect('127.0.0.1', `$port); 'open' } catch { 'refused' } finally { `$client.Dispose() }
}
"@
        $answers = @(& dotnet (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -Command $script)
        $answers | Should -Be @('refused', 'refused')
    }

    It '-All stops every server and leaves no port bound' {
        $ports = @(Get-TlsTestServer).Port
        $ports.Count | Should -BeGreaterThan 20
        Stop-TlsTestServer -All
        @(Get-TlsTestServer).Count | Should -Be 0
        foreach ($port in $ports) { Test-PortFree $port | Should -BeTrue }
    }
}
