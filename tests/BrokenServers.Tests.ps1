<#
    The broken-server scenarios of Start-TlsTestServer: each answers the ClientHello with bytes that break one rule of
    the protocol. For each, two proofs that do not depend on our diagnosis:
      - openssl s_client (a client nobody here wrote) fails, and its error names the fault;
      - our own ClientHello on a raw TcpClient reads back exactly the bytes the scenario claims to send.
    Whether Test-TlsHandshake names each fault (ExpectedFailure and ExpectedRule) is checked for every scenario in
    TestServers.Tests.ps1. Every server listens on 127.0.0.1; reads are bounded by byte counts, never by sleeps.
#>

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers/TestHelpers.psm1') -Force
    $null = Import-TlsToolsModule

    $Broken = 'Garbage', 'OversizedRecord', 'EndlessRecords', 'TruncatedServerHello', 'UnofferedSuite', 'UnofferedVersion', 'HelloRetryLoop',
        'HugeCertificateMessage', 'UndecodableCertificate', 'UndefinedAlert', 'DataBeforeHandshake', 'CloseAfterHello', 'Ssl2Garbage'
    $S = @{}
    foreach ($server in Start-TlsTestServer -Scenario $Broken) { $S[$server.Scenario] = $server }

    function Invoke-SClient {
        <# openssl s_client with its default offer (TLS 1.2 and 1.3); output and exit code. timeout(1) kills it if it waits on. #>
        param([Parameter(Mandatory)] $Server, [string[]] $Arguments = @(), [int] $KillAfterSec = 10)
        $a = @('s_client', '-connect', "127.0.0.1:$($Server.Port)", '-servername', $Server.ServerName) + $Arguments
        $text = '' | & timeout $KillAfterSec openssl @a 2>&1 | Out-String
        [pscustomobject]@{ Text = $text; ExitCode = $LASTEXITCODE }
    }

    function New-ClientHello([TlsTools.TlsProtocol] $Versions = 'Tls12, Tls13') {
        <# Our ClientHello (Protocol/ClientHelloBuilder): default suites, x25519 and P-256 shares, secure renegotiation signalled. #>
        $options = [TlsTools.Protocol.ClientHelloOptions]::new()
        $options.Versions = $Versions
        [TlsTools.Protocol.ClientHelloBuilder]::Build($options)
    }

    function Connect-Scenario([Parameter(Mandatory)] $Server, [byte[]] $Hello = (New-ClientHello)) {
        <# A raw connection to the scenario that has sent our ClientHello; the caller disposes it. #>
        $client = [System.Net.Sockets.TcpClient]::new('127.0.0.1', $Server.Port)
        $client.ReceiveTimeout = 10000   # a safety net only: every read below waits for a byte count or the server's close
        $client.GetStream().Write($Hello, 0, $Hello.Length)
        $client
    }

    function Read-Bytes([Parameter(Mandatory)] $Client, [int] $Count) {
        <# Up to $Count bytes: fewer only when the server closes first. #>
        $buffer = [byte[]]::new($Count)
        $got = 0
        while ($got -lt $Count) {
            $n = $Client.GetStream().Read($buffer, $got, $Count - $got)
            if ($n -eq 0) { break }
            $got += $n
        }
        if ($got -eq 0) { return , [byte[]]::new(0) }
        , [byte[]]$buffer[0..($got - 1)]
    }

    function Test-Closed([Parameter(Mandatory)] $Client) {
        <# True when the server has closed its side with a FIN: the next read returns 0 (a reset would throw). #>
        $Client.GetStream().Read([byte[]]::new(1), 0, 1) -eq 0
    }

    function Read-Message([Parameter(Mandatory)] $Reader) {
        $Reader.ReadMessageAsync([System.Threading.CancellationToken]::None).GetAwaiter().GetResult()
    }

    function Hex([byte[]] $Bytes) { ($Bytes | ForEach-Object { $_.ToString('X2') }) -join ' ' }

    $DefaultSuites = [TlsTools.Protocol.ClientHelloBuilder]::DefaultCipherSuites
}

AfterAll {
    Get-TlsTestServer | Stop-TlsTestServer
}

Describe 'Every broken scenario names its expected failure and rule' {
    It '<_> is listed with ExpectedFailure and ExpectedRule' -ForEach @(
        @{ Name = 'Garbage'; Failure = 'NotTls'; Rule = 'AnswerNotTls' }
        @{ Name = 'OversizedRecord'; Failure = 'ProtocolViolation'; Rule = 'RecordTooLong' }
        @{ Name = 'EndlessRecords'; Failure = 'ProtocolViolation'; Rule = 'FlightTooLong' }
        @{ Name = 'TruncatedServerHello'; Failure = 'ProtocolViolation'; Rule = 'MessageLengthMismatch' }
        @{ Name = 'UnofferedSuite'; Failure = 'ProtocolViolation'; Rule = 'UnofferedSuiteChosen' }
        @{ Name = 'UnofferedVersion'; Failure = 'ProtocolViolation'; Rule = 'UnofferedVersionChosen' }
        @{ Name = 'HelloRetryLoop'; Failure = 'ProtocolViolation'; Rule = 'SecondHelloRetryRequest' }
        @{ Name = 'HugeCertificateMessage'; Failure = 'ProtocolViolation'; Rule = 'MessageTooLong' }
        @{ Name = 'UndecodableCertificate'; Failure = 'ProtocolViolation'; Rule = 'CertificateUndecodable' }
        @{ Name = 'UndefinedAlert'; Failure = 'ProtocolViolation'; Rule = 'UndefinedAlert' }
        @{ Name = 'DataBeforeHandshake'; Failure = 'ProtocolViolation'; Rule = 'DataBeforeFinished' }
        @{ Name = 'CloseAfterHello'; Failure = 'ConnectionClosed'; Rule = 'ClosedAfterClientHello' }
        @{ Name = 'Ssl2Garbage'; Failure = 'ProtocolViolation'; Rule = 'Ssl2RecordMalformed' }
    ) {
        $listed = Get-TlsTestServer -ListAvailable -Scenario $Name
        $listed.ExpectedFailure | Should -Be ([TlsTools.FailureCategory]$Failure)
        $listed.ExpectedRule | Should -Be $Rule
        $S[$Name].ExpectedRule | Should -Be $Rule
        $listed.Description | Should -Not -BeNullOrEmpty
    }
}

Describe 'openssl s_client fails on each broken server, naming the fault' {
    It 'Garbage: wrong version number, after reading only a 5-byte "record header" of noise' {
        $r = Invoke-SClient $S.Garbage
        $r.ExitCode | Should -Be 1
        $r.Text | Should -Match 'ssl3_get_record:wrong version number'
        $r.Text | Should -Match 'SSL handshake has read 5 bytes'
    }

    It 'OversizedRecord: packet length too long' {
        $r = Invoke-SClient $S.OversizedRecord
        $r.ExitCode | Should -Be 1
        $r.Text | Should -Match 'ssl3_get_record:packet length too long'
    }

    It 'EndlessRecords: OpenSSL takes the ServerHello, then ignores HelloRequest after HelloRequest and waits on until it is killed' {
        $r = Invoke-SClient $S.EndlessRecords -KillAfterSec 3
        $r.ExitCode | Should -Be 124   # timeout(1): still inside the handshake
        $r.Text | Should -Not -Match 'Cipher is'
        # -msg names each message; head(1) keeps the first 64 KiB of the trace (s_client ignores SIGPIPE, so timeout ends it).
        $trace = bash -c "echo | timeout 3 openssl s_client -connect 127.0.0.1:$($S.EndlessRecords.Port) -msg 2>&1 | head -c 65536"
        $trace = $trace -join "`n"
        $trace | Should -Match '<<< TLS 1\.3, Handshake \[length 00\w\w\], ServerHello'
        ([regex]::Matches($trace, 'Handshake \[length 0004\], HelloRequest')).Count | Should -BeGreaterThan 100
        $trace | Should -Not -Match '\], Certificate'
    }

    It 'TruncatedServerHello: unexpected eof while reading, after 47 bytes (one 42-byte record)' {
        $r = Invoke-SClient $S.TruncatedServerHello
        $r.ExitCode | Should -Be 1
        $r.Text | Should -Match 'unexpected eof while reading'
        $r.Text | Should -Match 'SSL handshake has read 47 bytes'
    }

    It 'UnofferedSuite: unknown cipher returned' {
        $r = Invoke-SClient $S.UnofferedSuite
        $r.ExitCode | Should -Be 1
        $r.Text | Should -Match 'set_client_ciphersuite:unknown cipher returned'
    }

    It 'UnofferedVersion: unsupported protocol' {
        $r = Invoke-SClient $S.UnofferedVersion
        $r.ExitCode | Should -Be 1
        $r.Text | Should -Match 'ssl_choose_client_version:unsupported protocol'
    }

    It 'HelloRetryLoop: unexpected message at the second HelloRetryRequest (two of them read)' {
        $r = Invoke-SClient $S.HelloRetryLoop -Arguments '-msg'
        $r.ExitCode | Should -Be 1
        $r.Text | Should -Match 'tls_process_server_hello:unexpected message'
        ([regex]::Matches($r.Text, '>>> TLS 1\.3, Handshake \[length \w+\], ClientHello')).Count | Should -Be 2
        ([regex]::Matches($r.Text, '<<< TLS 1\.3, Handshake \[length \w+\], ServerHello')).Count | Should -Be 2 -Because 'OpenSSL traces a HelloRetryRequest as a ServerHello'
    }

    It 'HugeCertificateMessage: excessive message size' {
        $r = Invoke-SClient $S.HugeCertificateMessage
        $r.ExitCode | Should -Be 1
        $r.Text | Should -Match 'read_state_machine:excessive message size'
    }

    It 'UndecodableCertificate: the ASN.1 decoder refuses the entry (ASN1 lib in tls_process_server_certificate)' {
        $r = Invoke-SClient $S.UndecodableCertificate
        $r.ExitCode | Should -Be 1
        $r.Text | Should -Match 'tls_process_server_certificate:ASN1 lib'
        $r.Text | Should -Match 'asn1_item_embed_d2i:nested asn1 error'
    }

    It 'UndefinedAlert: an alert OpenSSL has no name for (reason(1254), SSL alert number 254)' {
        $r = Invoke-SClient $S.UndefinedAlert
        $r.ExitCode | Should -Be 1
        $r.Text | Should -Match 'ssl3_read_bytes:reason\(1254\)'
        $r.Text | Should -Match 'SSL alert number 254'
    }

    It 'DataBeforeHandshake: unexpected message' {
        $r = Invoke-SClient $S.DataBeforeHandshake
        $r.ExitCode | Should -Be 1
        $r.Text | Should -Match 'ssl3_read_bytes:unexpected message'
    }

    It 'CloseAfterHello: unexpected eof while reading, having read 0 bytes' {
        $r = Invoke-SClient $S.CloseAfterHello
        $r.ExitCode | Should -Be 1
        $r.Text | Should -Match 'ssl3_read_n:unexpected eof while reading'
        $r.Text | Should -Match 'SSL handshake has read 0 bytes'
    }

    It 'Ssl2Garbage: wrong version number (OpenSSL 3 speaks no SSLv2)' {
        $r = Invoke-SClient $S.Ssl2Garbage
        $r.ExitCode | Should -Be 1
        $r.Text | Should -Match 'ssl3_get_record:wrong version number'
    }
}

Describe 'The bytes on the wire are what each scenario claims' {
    It 'Garbage: 256 binary bytes, neither a TLS record nor an SSLv2 header, the same on every connection' {
        $answers = foreach ($i in 1, 2) {
            $client = Connect-Scenario $S.Garbage
            try { , (Read-Bytes $client 256) } finally { $client.Dispose() }
        }
        $answers[0].Length | Should -Be 256
        $answers[0][0] | Should -Be 0x01 -Because 'not a content type (20..24), high bit clear'
        @($answers[0] | Where-Object { $_ -lt 32 -or $_ -gt 126 }).Count | Should -BeGreaterThan 100 -Because 'binary, not text'
        Hex $answers[1] | Should -Be (Hex $answers[0])
        [TlsTools.Protocol.PeerProtocolIdentifier]::LooksLikeTls($answers[0]) | Should -BeFalse
    }

    It 'OversizedRecord: 16 03 03 FF FF, then the start of a ServerHello' {
        $client = Connect-Scenario $S.OversizedRecord
        try {
            $bytes = Read-Bytes $client 6
            Hex $bytes | Should -Be '16 03 03 FF FF 02'
            65535 | Should -BeGreaterThan ([TlsTools.Protocol.TlsLimits]::MaxRecordFragment)
        } finally { $client.Dispose() }
    }

    It 'EndlessRecords: a ServerHello with an offered suite, then full 16 KiB records of HelloRequests past 256 KiB' {
        $client = Connect-Scenario $S.EndlessRecords
        try {
            $reader = [TlsTools.Protocol.TlsRecordReader]::new($client.GetStream())
            $hello = Read-Message $reader
            $hello.HandshakeType | Should -Be ([TlsTools.Protocol.TlsHandshakeType]::ServerHello)
            $sh = [TlsTools.Protocol.ServerHello]::Parse($hello.Body)
            $sh.Version | Should -Be ([TlsTools.TlsProtocol]::Tls12)
            $DefaultSuites | Should -Contain $sh.CipherSuite
            foreach ($i in 1..20) {
                $record = $reader.ReadRecordAsync([System.Threading.CancellationToken]::None).GetAwaiter().GetResult()
                $record.ContentType | Should -Be ([TlsTools.Protocol.TlsContentType]::Handshake)
                $record.Fragment.Length | Should -Be 16384
                @($record.Fragment | Where-Object { $_ -ne 0 }).Count | Should -Be 0 -Because '4,096 HelloRequests: type 0, length 0'
            }
        } finally { $client.Dispose() }
    }

    It 'TruncatedServerHello: one 42-byte record whose ServerHello claims 65,535 bytes, then a FIN' {
        $client = Connect-Scenario $S.TruncatedServerHello
        try {
            $bytes = Read-Bytes $client 100
            $bytes.Length | Should -Be 47
            Hex $bytes[0..8] | Should -Be '16 03 03 00 2A 02 00 FF FF'
            Hex $bytes[9..10] | Should -Be '03 03'
            Test-Closed $client | Should -BeTrue
        } finally { $client.Dispose() }
    }

    It 'UnofferedSuite: a TLS 1.2 ServerHello choosing 0xC0FF, which our hello did not offer' {
        $client = Connect-Scenario $S.UnofferedSuite
        try {
            $message = Read-Message ([TlsTools.Protocol.TlsRecordReader]::new($client.GetStream()))
            $sh = [TlsTools.Protocol.ServerHello]::Parse($message.Body)
            $sh.Version | Should -Be ([TlsTools.TlsProtocol]::Tls12)
            $sh.CipherSuite | Should -Be 0xC0FF
            $DefaultSuites | Should -Not -Contain 0xC0FF
            $sh.HasExtension(0xFF01) | Should -BeTrue -Because 'secure renegotiation was signalled; only the suite is wrong'
        } finally { $client.Dispose() }
    }

    It 'UnofferedVersion: a ServerHello with legacy_version 0x0305 and an offered suite' {
        $client = Connect-Scenario $S.UnofferedVersion
        try {
            $message = Read-Message ([TlsTools.Protocol.TlsRecordReader]::new($client.GetStream()))
            $message.RecordVersion | Should -Be 0x0303
            $sh = [TlsTools.Protocol.ServerHello]::Parse($message.Body)
            $sh.LegacyVersion | Should -Be 0x0305
            $sh.HasExtension(43) | Should -BeFalse -Because 'no supported_versions: the version field is the answer'
            $DefaultSuites | Should -Contain $sh.CipherSuite
        } finally { $client.Dispose() }
    }

    It 'HelloRetryLoop: a HelloRetryRequest for a group offered without a share, and another for the retried hello' {
        $client = Connect-Scenario $S.HelloRetryLoop
        try {
            $reader = [TlsTools.Protocol.TlsRecordReader]::new($client.GetStream())
            foreach ($round in 1, 2) {
                $message = Read-Message $reader
                $hrr = [TlsTools.Protocol.ServerHello]::Parse($message.Body)
                $hrr.IsHelloRetryRequest | Should -BeTrue
                $hrr.Version | Should -Be ([TlsTools.TlsProtocol]::Tls13)
                $hrr.CipherSuite | Should -Be 0x1301
                # Our hello shares x25519 and P-256 and also supports secp384r1 (0x0018): the first group without a share.
                $hrr.SelectedGroup | Should -Be 0x0018
                if ($round -eq 1) { $again = New-ClientHello; $client.GetStream().Write($again, 0, $again.Length) }
            }
        } finally { $client.Dispose() }
    }

    It 'HugeCertificateMessage: after the ServerHello, a Certificate header claiming 16 MiB (0B FF FF FF)' {
        $client = Connect-Scenario $S.HugeCertificateMessage
        try {
            $stream = $client.GetStream()
            $header = Read-Bytes $client 5
            $header[0] | Should -Be 0x16
            $null = Read-Bytes $client (($header[3] -shl 8) -bor $header[4])   # the ServerHello record
            Hex (Read-Bytes $client 12) | Should -Be '16 03 03 40 00 0B FF FF FF FF FF FC'
        } finally { $client.Dispose() }
    }

    It 'UndecodableCertificate: one well-framed entry that .NET cannot read as a certificate' {
        $client = Connect-Scenario $S.UndecodableCertificate
        try {
            $reader = [TlsTools.Protocol.TlsRecordReader]::new($client.GetStream())
            (Read-Message $reader).HandshakeType | Should -Be ([TlsTools.Protocol.TlsHandshakeType]::ServerHello)
            $certificate = Read-Message $reader
            $certificate.HandshakeType | Should -Be ([TlsTools.Protocol.TlsHandshakeType]::Certificate)
            $body = $certificate.Body
            $list = ($body[0] -shl 16) -bor ($body[1] -shl 8) -bor $body[2]
            $entry = ($body[3] -shl 16) -bor ($body[4] -shl 8) -bor $body[5]
            $list | Should -Be ($body.Length - 3)
            $entry | Should -Be ($list - 3) -Because 'exactly one entry'
            $der = [byte[]]$body[6..($body.Length - 1)]
            [Text.Encoding]::ASCII.GetString($der) | Should -Be 'this entry is not a DER certificate'
            { [System.Security.Cryptography.X509Certificates.X509Certificate2]::new($der) } | Should -Throw
        } finally { $client.Dispose() }
    }

    It 'UndefinedAlert: exactly one fatal alert record of description 254, then a FIN' {
        $client = Connect-Scenario $S.UndefinedAlert
        try {
            Hex (Read-Bytes $client 100) | Should -Be '15 03 03 00 02 02 FE'
            Test-Closed $client | Should -BeTrue
        } finally { $client.Dispose() }
    }

    It 'DataBeforeHandshake: an application_data record (23) of 32 bytes, no ServerHello' {
        $client = Connect-Scenario $S.DataBeforeHandshake
        try {
            $record = [TlsTools.Protocol.TlsRecordReader]::new($client.GetStream()).ReadRecordAsync([System.Threading.CancellationToken]::None).GetAwaiter().GetResult()
            $record.ContentType | Should -Be ([TlsTools.Protocol.TlsContentType]::ApplicationData)
            $record.Fragment.Length | Should -Be 32
        } finally { $client.Dispose() }
    }

    It 'CloseAfterHello: no byte back, and a FIN rather than a reset' {
        $client = Connect-Scenario $S.CloseAfterHello
        try { Test-Closed $client | Should -BeTrue } finally { $client.Dispose() }
    }

    It 'Ssl2Garbage: one whole SSLv2 record (80 1A, 26 bytes) claiming SERVER-HELLO, which no SSLv2 parser accepts' {
        $client = Connect-Scenario $S.Ssl2Garbage
        try {
            $bytes = Read-Bytes $client 28
            Hex $bytes[0..2] | Should -Be '80 1A 04'
            $bytes.Length | Should -Be 28
            [TlsTools.Protocol.Ssl2ServerHello]::LooksLike($bytes) | Should -BeTrue
            { [TlsTools.Protocol.Ssl2ServerHello]::Parse($bytes) } | Should -Throw '*certificate*'
        } finally { $client.Dispose() }
    }

    It 'a client offering only TLS 1.2 to HelloRetryLoop gets protocol_version (70), as from a TLS 1.3-only server' {
        $client = Connect-Scenario $S.HelloRetryLoop -Hello (New-ClientHello -Versions Tls12)
        try { Hex (Read-Bytes $client 7) | Should -Be '15 03 03 00 02 02 46' } finally { $client.Dispose() }
    }
}

Describe 'A broken server stays within its bounds' {
    It 'EndlessRecords stops when the client goes away and still serves the next client' {
        foreach ($i in 1..3) {
            $client = Connect-Scenario $S.EndlessRecords
            $null = Read-Bytes $client 70000
            $client.Dispose()
        }
        $client = Connect-Scenario $S.EndlessRecords
        try { (Read-Bytes $client 1)[0] | Should -Be 0x16 } finally { $client.Dispose() }
    }
}
