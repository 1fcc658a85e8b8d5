<#
    One rating everywhere, one thumbprint everywhere (issue 14, points 6 and 8), against real servers on
    127.0.0.1: openssl s_server with a 1024-bit group (RFC 2409, from New-TestPki) and with RFC 7919
    ffdhe2048, ECDHE on P-256, X25519 and P-224, a TLS 1.0-1.3 server, and the module's SSLv3 test server.
    Get-CipherSupport's row rating and Test-TlsHandshake's verdict are asserted on the same server, so the
    two cannot drift apart; the thumbprints are checked against `openssl x509 -fingerprint`.
    (OpenSSL 3.0 refuses to serve a DH group under 1024 bits even at SECLEVEL 0, so Insecure DH rows are
    covered by the xunit tests of KeyExchangeStrength.)
#>

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers/TestHelpers.psm1') -Force
    $ModulePath = Import-TlsToolsModule

    $PkiDir = Join-Path ([System.IO.Path]::GetTempPath()) "tlstools-ratings-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
    $Pki = New-TestPki -Path $PkiDir
    $Root = $Pki.RootCaPath
    # RFC 7919 ffdhe2048 as DH parameters: a named group, so nothing is generated (instant, the same every run).
    $Ffdhe2048 = Join-Path $PkiDir 'ffdhe2048.pem'
    & openssl genpkey -genparam -algorithm DH -pkeyopt group:ffdhe2048 -out $Ffdhe2048 2>&1 | Out-Null

    function Start-RatedServer([string[]] $Arguments) {
        Start-OpenSslServer -Cert $Pki.GoodCertPath -Key $Pki.GoodKeyPath -Chain $Pki.IntermediatePath -ExtraArgs (@('-serverpref') + $Arguments)
    }

    function Get-OpenSslFingerprint([string] $CertPath, [string] $Digest) {
        # "sha256 Fingerprint=AB:CD:..." -> "ABCD..."
        ((& openssl x509 -in $CertPath -noout -fingerprint "-$Digest") -replace '^.*=', '' -replace ':', '').ToUpperInvariant()
    }

    function Get-ServerTempKey([int] $Port, [string] $Cipher) {
        # What a tool nobody here wrote sees: "Server Temp Key: DH, 1024 bits".
        $out = 'Q' | & openssl s_client -connect "127.0.0.1:$Port" -tls1_2 -cipher "$($Cipher):@SECLEVEL=0" 2>&1 | Out-String
        if ($out -match 'Server Temp Key: ([^\r\n]+)') { $Matches[1] } else { '' }
    }
}

AfterAll {
    Stop-AllTestServer
    if ($PkiDir -and (Test-Path $PkiDir)) { Remove-Item -Recurse -Force $PkiDir }
}

Describe 'DHE and ECDHE rows are rated by their group, as Test-TlsHandshake judges the same server' {
    It 'a 1024-bit DH group makes the Recommended DHE-RSA-AES256-GCM-SHA384 Weak, and Test-TlsHandshake fails on it' {
        $server = Start-RatedServer @('-tls1_2', '-cipher', 'DHE-RSA-AES256-GCM-SHA384@SECLEVEL=0', '-dhparam', $Pki.DhParam1024Path)
        Get-ServerTempKey $server.Port 'DHE-RSA-AES256-GCM-SHA384' | Should -Be 'DH, 1024 bits'

        $row = @(Get-CipherSupport 127.0.0.1 -Port $server.Port -Protocol Tls12 -TimeoutSec 5)
        $row.Count | Should -Be 1
        $row[0].CipherSuite | Should -Be 'TLS_DHE_RSA_WITH_AES_256_GCM_SHA384'
        $row[0].DhBits | Should -Be 1024
        $row[0].KeyExchangeGroup | Should -Be 'DH 1024-bit'
        $row[0].Rating | Should -Be 'Weak'
        $row[0].RatingReason | Should -Be '1024-bit DH group: current clients require at least 2048 bits and abort (Logjam)'

        $r = Test-TlsHandshake 127.0.0.1 -Port $server.Port -ServerName localhost -TrustedRootPath $Root -TimeoutSec 5
        $r.Succeeded | Should -BeFalse
        "$($r.FailureCategory)" | Should -Be 'WeakDhGroup' -Because 'the weak-DH verdict of the same rule that rates the row'
        $r.FailureReason | Should -Match '1024-bit DH group; current clients require at least 2048 bits'
    }

    It 'an RFC 7919 ffdhe2048 group leaves the suite Recommended, and Test-TlsHandshake succeeds' {
        $server = Start-RatedServer @('-tls1_2', '-cipher', 'DHE-RSA-AES256-GCM-SHA384', '-dhparam', $Ffdhe2048)
        Get-ServerTempKey $server.Port 'DHE-RSA-AES256-GCM-SHA384' | Should -Be 'DH, 2048 bits'

        $row = @(Get-CipherSupport 127.0.0.1 -Port $server.Port -Protocol Tls12 -TimeoutSec 5)
        $row[0].CipherSuite | Should -Be 'TLS_DHE_RSA_WITH_AES_256_GCM_SHA384'
        $row[0].DhBits | Should -Be 2048
        $row[0].Rating | Should -Be 'Recommended'
        $row[0].RatingReason | Should -Be 'IANA recommended'

        $r = Test-TlsHandshake 127.0.0.1 -Port $server.Port -ServerName localhost -TrustedRootPath $Root -Protocol Tls12 -TimeoutSec 5
        $r.Succeeded | Should -BeTrue
        $r.FailureCategory | Should -Be ([TlsTools.FailureCategory]::None)
        $r.CipherSuite | Should -Be 'TLS_DHE_RSA_WITH_AES_256_GCM_SHA384'
    }

    It 'ECDHE on <Group> is <Rating> and Test-TlsHandshake agrees' -ForEach @(
        @{ Group = 'P-256'; Name = 'secp256r1'; Rating = 'Recommended'; Handshake = $true }
        @{ Group = 'X25519'; Name = 'x25519'; Rating = 'Recommended'; Handshake = $true }
        @{ Group = 'P-224'; Name = 'secp224r1'; Rating = 'Weak'; Handshake = $false }
    ) {
        $server = Start-RatedServer @('-tls1_2', '-groups', $Group, '-cipher', 'ECDHE-RSA-AES128-GCM-SHA256@SECLEVEL=0')
        $row = @(Get-CipherSupport 127.0.0.1 -Port $server.Port -Protocol Tls12 -TimeoutSec 5)
        $row[0].CipherSuite | Should -Be 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'
        $row[0].KeyExchangeGroup | Should -Be $Name
        $row[0].Rating | Should -Be $Rating
        if ($Rating -eq 'Weak') { $row[0].RatingReason | Should -Be 'secp224r1: a 224-239-bit elliptic curve (112-bit security), which IANA marks Discouraged' }

        # The handshake client offers only x25519, P-256 and P-384: a server that insists on P-224 fails it.
        $r = Test-TlsHandshake 127.0.0.1 -Port $server.Port -ServerName localhost -TrustedRootPath $Root -Protocol Tls12 -TimeoutSec 5
        $r.Succeeded | Should -Be $Handshake
        if ($Handshake) { $r.KeyExchangeGroup | Should -Be $Name }
    }
}

Describe 'Get-TlsProtocolSupport rates every version' {
    It 'on a TLS 1.0-1.3 server: TLS 1.0/1.1 Deprecated with a Remedy, TLS 1.2/1.3 Secure without one' {
        $server = Start-RatedServer @('-cipher', 'DEFAULT@SECLEVEL=0')
        $rows = @(Get-TlsProtocolSupport 127.0.0.1 -Port $server.Port -TimeoutSec 5)
        $rows.Protocol | Should -Be @('Ssl2', 'Ssl3', 'Tls10', 'Tls11', 'Tls12', 'Tls13')
        ($rows | Where-Object Supported).Protocol | Should -Be @('Tls10', 'Tls11', 'Tls12', 'Tls13')
        $rows.Rating | Should -Be @('Insecure', 'Insecure', 'Deprecated', 'Deprecated', 'Secure', 'Secure')
        foreach ($v in 'Tls10', 'Tls11') {
            $row = $rows | Where-Object Protocol -EQ $v
            $row.RatingReason | Should -Match '^deprecated by RFC 8996'
            $row.Remedy | Should -Match "^Disable TLS 1\.[01] on the server and keep TLS 1\.2 and TLS 1\.3: nginx 'ssl_protocols TLSv1\.2 TLSv1\.3;'"
        }
        $rows | Where-Object Protocol -In 'Tls12', 'Tls13' | ForEach-Object { $_.Remedy | Should -BeNullOrEmpty -Because $_.Protocol }
        # Refused versions keep their rating and get no remedy: there is nothing to switch off.
        $rows | Where-Object Protocol -In 'Ssl2', 'Ssl3' | ForEach-Object { $_.Remedy | Should -BeNullOrEmpty -Because $_.Protocol }
        ($rows | Where-Object Protocol -EQ Ssl3).RatingReason | Should -Match 'POODLE'
        # openssl agrees that TLS 1.0 is served.
        ('Q' | & openssl s_client -connect "127.0.0.1:$($server.Port)" -tls1 -cipher 'DEFAULT@SECLEVEL=0' 2>&1 | Out-String) | Should -Match 'Protocol\s*:\s*TLSv1\r?\n'
    }

    It 'on the SSLv3-only test server: SSLv3 Supported, Insecure, with a Remedy; Test-TlsHandshake fails it' {
        $server = Start-TlsTestServer -Scenario Ssl3Only
        try {
            $rows = @($server | Get-TlsProtocolSupport -TimeoutSec 5)
            $ssl3 = $rows | Where-Object Protocol -EQ Ssl3
            $ssl3.Supported | Should -BeTrue
            $ssl3.Rating | Should -Be 'Insecure'
            $ssl3.Remedy | Should -Match '^Disable SSLv3 on the server'
            $ssl3.Remedy | Should -Match 'SCHANNEL\\Protocols\\SSL 3\.0\\Server'
            ($rows | Where-Object Supported).Protocol | Should -Be 'Ssl3'
            $r = $server | Test-TlsHandshake -TimeoutSec 5
            $r.Succeeded | Should -BeFalse
            $r.FailureCategory | Should -Be ([TlsTools.FailureCategory]::ProtocolVersionMismatch)
        } finally { $server | Stop-TlsTestServer }
    }
}

Describe 'CertificateThumbprint is the SHA-256 in every result type' {
    BeforeAll {
        $Good = Start-RatedServer @()
        $Sha256 = Get-OpenSslFingerprint $Pki.GoodCertPath 'sha256'
        $Sha1 = Get-OpenSslFingerprint $Pki.GoodCertPath 'sha1'
        $OtherSha256 = Get-OpenSslFingerprint $Pki.ExpiredCertPath 'sha256'
        $OtherSha1 = Get-OpenSslFingerprint $Pki.ExpiredCertPath 'sha1'
        $Target = @{ ComputerName = '127.0.0.1'; Port = $Good.Port; ServerName = 'localhost'; TrustedRootPath = $Root; TimeoutSec = 5 }
    }
    AfterAll { Stop-TestServer $Good }

    It 'Test-TlsHandshake, Get-CertificateChain (leaf) and openssl x509 -fingerprint -sha256 agree' {
        $Sha256 | Should -Match '^[0-9A-F]{64}$'
        $r = Test-TlsHandshake @Target
        $r.Succeeded | Should -BeTrue
        $r.CertificateThumbprint | Should -BeExactly $Sha256
        $leaf = Get-CertificateChain @Target | Where-Object Position -EQ 0
        $leaf.CertificateThumbprint | Should -BeExactly $Sha256
        $leaf.PSObject.Properties.Name | Should -Not -Contain 'Thumbprint' -Because 'one name: the old column is gone, not duplicated'
    }

    It '-ExpectedThumbprint <Kind> of the served certificate passes in Test-TlsHandshake and Get-CipherSupport' -ForEach @(
        @{ Kind = 'SHA-1' }, @{ Kind = 'SHA-256' }
    ) {
        $pin = if ($Kind -eq 'SHA-1') { $Sha1 } else { $Sha256 }
        $r = Test-TlsHandshake @Target -ExpectedThumbprint $pin
        $r.Succeeded | Should -BeTrue
        $r.InterceptionSuspected | Should -BeFalse
        $rows = @(Get-CipherSupport @Target -Protocol Tls12 -ExpectedThumbprint $pin.ToLowerInvariant())
        $rows[0].InterceptionSuspected | Should -BeFalse
    }

    It '-ExpectedThumbprint <Kind> of another certificate is InterceptionSuspected, naming the served SHA-256' -ForEach @(
        @{ Kind = 'SHA-1' }, @{ Kind = 'SHA-256' }
    ) {
        $pin = if ($Kind -eq 'SHA-1') { $OtherSha1 } else { $OtherSha256 }
        $r = Test-TlsHandshake @Target -ExpectedThumbprint $pin
        $r.Succeeded | Should -BeFalse
        $r.FailureCategory | Should -Be ([TlsTools.FailureCategory]::InterceptionSuspected)
        $r.InterceptionEvidence | Should -Match "SHA-256 thumbprint $Sha256\), not the expected certificate $pin"
        $leaf = Get-CertificateChain @Target -ExpectedThumbprint $pin -WarningAction SilentlyContinue | Where-Object Position -EQ 0
        $leaf.ProblemList | Should -Contain ([TlsTools.ChainProblem]::InterceptionSuspected)
    }

    It 'a result piped on binds its CertificateThumbprint as the pin; an old Thumbprint column still binds' {
        $r = Test-TlsHandshake @Target
        $again = $r | Get-CertificateChain -TrustedRootPath $Root -TimeoutSec 5 -WarningAction SilentlyContinue | Where-Object Position -EQ 0
        $again.ProblemList | Should -Not -Contain ([TlsTools.ChainProblem]::InterceptionSuspected)
        $again.ChainValid | Should -BeTrue

        $old = [pscustomobject]@{ ComputerName = '127.0.0.1'; Port = $Good.Port; ServerName = 'localhost'; TrustedRootPath = $Root; Thumbprint = $OtherSha256 }
        ($old | Test-TlsHandshake -TimeoutSec 5).FailureCategory | Should -Be ([TlsTools.FailureCategory]::InterceptionSuspected)
        $pinned = [pscustomobject]@{ ComputerName = '127.0.0.1'; Port = $Good.Port; ServerName = 'localhost'; TrustedRootPath = $Root; CertificateThumbprint = $OtherSha256 }
        ($pinned | Test-TlsHandshake -TimeoutSec 5).FailureCategory | Should -Be ([TlsTools.FailureCategory]::InterceptionSuspected)
        # A failed handshake's empty CertificateThumbprint is no pin, not an InvalidThumbprint error.
        $empty = [pscustomobject]@{ ComputerName = '127.0.0.1'; Port = $Good.Port; ServerName = 'localhost'; TrustedRootPath = $Root; CertificateThumbprint = '' }
        $e = $null
        ($empty | Test-TlsHandshake -TimeoutSec 5 -ErrorVariable e).Succeeded | Should -BeTrue
        $e | Should -BeNullOrEmpty
    }
}
