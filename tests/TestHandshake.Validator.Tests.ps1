<#
    Succeeded means a strict modern client would trust the connection: Test-TlsHandshake judges the served chain
    with Get-CertificateChain's validator. Real `openssl s_server` instances on 127.0.0.1 serve certificates made
    here by the openssl CLI (a stapled revoked OCSP response, an issuer that is not a CA, a leaf without SAN, a SHA-1
    signature, a 1024-bit key, a 1024-bit DH group); each verdict is cross-checked with `openssl s_client` or curl,
    and Get-CertificateChain must name the same problem on the same server.
#>
BeforeAll {
    $PSStyle.OutputRendering = 'PlainText'
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers/TestHelpers.psm1') -Force
    $ModulePath = Import-TlsToolsModule

    $Dir = Join-Path ([IO.Path]::GetTempPath()) ('tlstools-validator-' + [guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory -Path $Dir -Force | Out-Null
    $OcspPort = Get-FreeTcpPort
    $Now = (Get-Date).ToUniversalTime()

    $Root = New-TestCertificate -Dir $Dir -Name root -CommonName 'Validator Test Root' -Ca -NotAfter $Now.AddYears(5)
    $Int = New-TestCertificate -Dir $Dir -Name int -CommonName 'Validator Test Intermediate' -Ca -Issuer $Root -NotAfter $Now.AddYears(3)
    $LeafArgs = @{ Dir = $Dir; Issuer = $Int; CommonName = 'localhost'; DnsNames = 'localhost'; IpAddresses = '127.0.0.1'; OcspUrl = "http://127.0.0.1:$OcspPort/" }
    $Good = New-TestCertificate @LeafArgs -Name good
    $Soon = New-TestCertificate @LeafArgs -Name soon -NotAfter $Now.AddDays(10)
    $Revoked = New-TestCertificate @LeafArgs -Name revoked
    $NoCa = New-TestCertificate -Dir $Dir -Name noca -CommonName 'Not A CA' -Issuer $Int -NotAfter $Now.AddYears(2)
    $UnderNoCa = New-TestCertificate -Dir $Dir -Name under-noca -CommonName localhost -Issuer $NoCa -DnsNames localhost -IpAddresses 127.0.0.1
    $NoSan = New-TestCertificate @LeafArgs -Name nosan -DnsNames @() -IpAddresses @()
    $Sha1 = New-TestCertificate @LeafArgs -Name sha1 -Digest sha1
    $Rsa1024 = New-TestCertificate @LeafArgs -Name rsa1024 -KeyType rsa:1024

    $Index = Write-OcspIndex -Path (Join-Path $Dir 'index.txt') -Valid $Good, $Soon -Revoked $Revoked
    $Ocsp = Start-OcspResponder -Ca $Int -Index $Index -Port $OcspPort
    # The response a server staples for the revoked leaf: `openssl ocsp` answering from the same index, offline.
    $RevokedStaple = Join-Path $Dir 'revoked-staple.der'
    Invoke-OpenSsl @('ocsp', '-index', $Index, '-rsigner', $Int.Cert, '-rkey', $Int.Key, '-CA', $Int.Cert, '-issuer', $Int.Cert,
        '-cert', $Revoked.Cert, '-respout', $RevokedStaple, '-ndays', '1') | Out-Null
    $Dh1024 = Join-Path $Dir 'dh1024.pem'
    # PKCS#3 parameters: s_server ignores X9.42 ones (dhparam -dsaparam) and then picks a 2048-bit group itself.
    Invoke-OpenSsl @('dhparam', '-out', $Dh1024, '1024') | Out-Null

    function Start-Served {
        # s_server with -Leaf and the -Chain certificates (hashtables, in order) after it.
        param([hashtable] $Leaf, [hashtable[]] $Chain = @($Int), [string[]] $ServerArguments = @())
        $chainFile = Join-Pem -Path (Join-Path $Dir "served-$([guid]::NewGuid().ToString('N')).pem") -Certificates $Chain
        Start-OpenSslServer -Cert $Leaf.Cert -Key $Leaf.Key -Chain $chainFile -ExtraArgs $ServerArguments
    }

    function Test-Served {
        param($Server, [hashtable] $Parameters = @{})
        Test-TlsHandshake -ComputerName 127.0.0.1 -Port $Server.Port -ServerName localhost -TrustedRootPath $Root.Cert -TimeoutSec 5 @Parameters
    }

    function Get-ServedChain {
        param($Server)
        Get-CertificateChain -ComputerName "127.0.0.1:$($Server.Port)" -ServerName localhost -TrustedRootPath $Root.Cert -NoFetch -TimeoutSec 5
    }
}

AfterAll {
    Stop-AllTestServer
    if ($Dir -and (Test-Path $Dir)) { Remove-Item -Recurse -Force $Dir }
}

Describe 'Test-TlsHandshake: Succeeded only when a strict client would trust the certificate' {
    BeforeAll {
        $Cases = @{
            Revoked = @{ Leaf = $Revoked; ServerArguments = @('-status_file', $RevokedStaple) }
            NotACa  = @{ Leaf = $UnderNoCa; Chain = @($NoCa, $Int) }
            NoSan   = @{ Leaf = $NoSan }
            Sha1    = @{ Leaf = $Sha1; ServerArguments = @('-cipher', 'DEFAULT@SECLEVEL=0') }
            Rsa1024 = @{ Leaf = $Rsa1024; ServerArguments = @('-cipher', 'DEFAULT@SECLEVEL=0') }
        }
    }

    Context '<Case>' -ForEach @(
        @{ Case = 'Revoked'; Category = 'CertificateRevoked'; Problem = 'Revoked'; Reason = "^'CN=localhost' is revoked \(stapled OCSP"
            Client = @('-status'); ClientSays = 'Cert Status: revoked'; Full = $true }
        @{ Case = 'NotACa'; Category = 'UntrustedRoot'; Problem = 'NotACa'; Reason = "'CN=Not A CA' issued a certificate in the path but is not a CA"
            Client = @('-verify_return_error'); ClientSays = 'invalid CA certificate' }
        @{ Case = 'NoSan'; Category = 'NameMismatch'; Problem = 'NoSubjectAlternativeName'
            Reason = 'ignore the CN and refuse the name \(Chrome: NET::ERR_CERT_COMMON_NAME_INVALID\); only OpenSSL-based clients \(curl, wget\) fall back to the CN'
            # OpenSSL is the exception the reason names: it matches the CN and verifies.
            Client = @('-verify_return_error', '-verify_hostname', 'localhost'); ClientSays = 'Verification: OK' }
        @{ Case = 'Sha1'; Category = 'WeakSignature'; Problem = 'WeakSignature'; Reason = 'is signed with .*SHA-?1'
            Client = @('-verify_return_error'); ClientSays = 'CA signature digest algorithm too weak' }
        @{ Case = 'Rsa1024'; Category = 'WeakCertificateKey'; Problem = 'WeakKey'; Reason = 'has a 1024-bit RSA key; at least 2048 bits are required'
            Client = @('-verify_return_error', '-auth_level', '2'); ClientSays = 'EE certificate key too weak' }
    ) {
        BeforeAll {
            $served = $Cases[$Case]
            $Server = Start-Served -Leaf $served.Leaf -Chain $(if ($served.Chain) { $served.Chain } else { @($Int) }) -ServerArguments $served.ServerArguments
            $r = Test-Served $Server
            $rows = @(Get-ServedChain $Server)
        }
        AfterAll { Stop-TestServer $Server }

        It 'completes the handshake but does not succeed: <Category>' {
            $r.HandshakeCompleted | Should -BeTrue
            $r.Succeeded | Should -BeFalse
            $r.FailureCategory | Should -Be ([TlsTools.FailureCategory]$Category)
            $r.FailureReason | Should -Match $Reason
        }
        It 'gives the remedy of <Category> and lists the problem' {
            $r.Remedy | Should -Not -BeNullOrEmpty
            $r.CertificateProblems | Should -Match "(^|; )${Problem}: "
            ($r.CertificateFindings | Where-Object Problem -EQ $Problem).IsFatal | Should -Contain $true
        }
        It 'Get-CertificateChain names the same problem on the same server' {
            $rows[0].ChainProblems | Should -Match "\b$Problem\b"
            $rows[0].ChainValid | Should -BeFalse
            @($r.CertificateFindings.Problem | Sort-Object -Unique) | Should -Be @($rows[0].ChainProblems -split ', ' | Sort-Object -Unique)
        }
        It 'openssl s_client agrees' {
            # -brief (Invoke-OpenSslClient) leaves out the OCSP response, so -status needs the full output.
            $said = if ($Full) { ('' | & openssl s_client -connect "127.0.0.1:$($Server.Port)" -CAfile $Root.Cert -servername localhost @Client 2>&1) -join "`n" }
                else { (Invoke-OpenSslClient -Connect "127.0.0.1:$($Server.Port)" -CAfile $Root.Cert -ServerName localhost -ExtraArgs $Client).Output }
            $said | Should -Match ([regex]::Escape($ClientSays))
        }
    }

    It 'NotACa has its own remedy: serve the real intermediate (CA:TRUE)' {
        $server = Start-Served -Leaf $UnderNoCa -Chain $NoCa, $Int
        try { (Test-Served $server).Remedy | Should -Match 'CA:TRUE' }
        finally { Stop-TestServer $server }
    }

    It 'a leaf without SAN: curl (OpenSSL) falls back to the CN and connects, which is why the reason names OpenSSL' {
        $server = Start-Served -Leaf $NoSan
        try {
            & curl -sS -o /dev/null --max-time 5 --cacert $Root.Cert --resolve "localhost:$($server.Port):127.0.0.1" "https://localhost:$($server.Port)/" 2>&1 | Out-Null
            $LASTEXITCODE | Should -Be 0 -Because 'curl built on OpenSSL matches the CN when there is no subjectAltName'
            # ...while Test-TlsHandshake judges as browsers do.
            (Test-Served $server).FailureCategory | Should -Be ([TlsTools.FailureCategory]::NameMismatch)
        }
        finally { Stop-TestServer $server }
    }

    It 'a 1024-bit DH group is WeakDhGroup, with the DH remedy, and s_client at security level 2 refuses it too' {
        $server = Start-Served -Leaf $Good -ServerArguments '-tls1_2', '-dhparam', $Dh1024, '-cipher', 'DHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0'
        try {
            $r = Test-Served $server
            $r.Succeeded | Should -BeFalse
            $r.FailureCategory | Should -Be ([TlsTools.FailureCategory]::WeakDhGroup)
            $r.FailureReason | Should -Match 'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256 with a 1024-bit DH group'
            $r.Remedy | Should -Match 'at least 2048 bits'
            $r.Remedy | Should -Match 'ffdhe'
            $said = Invoke-OpenSslClient -Connect "127.0.0.1:$($server.Port)" -CAfile $Root.Cert -ServerName localhost -ExtraArgs '-cipher', 'DEFAULT@SECLEVEL=2'
            $said.Output | Should -Match 'dh key too small'
        }
        finally { Stop-TestServer $server }
    }

    It 'Resolve-TlsError splits the same way, with three different remedies' {
        $explained = @(Resolve-TlsError -Message 'error:0A00018A:SSL routines::dh key too small', 'NET::ERR_CERT_WEAK_KEY', 'NET::ERR_CERT_WEAK_SIGNATURE_ALGORITHM')
        $explained.Category | Should -Be @([TlsTools.FailureCategory]::WeakDhGroup, [TlsTools.FailureCategory]::WeakCertificateKey, [TlsTools.FailureCategory]::WeakSignature)
        @($explained.Remedy | Sort-Object -Unique).Count | Should -Be 3
        $explained[0].Remedy | Should -Match 'DH parameters of at least 2048 bits'
    }
}

Describe 'Test-TlsHandshake -CheckRevocation asks the responder' {
    BeforeAll { $Server = Start-Served -Leaf $Revoked }
    AfterAll { Stop-TestServer $Server }

    It 'without a staple and without -CheckRevocation the revoked leaf is not checked (Succeeded)' {
        $r = Test-Served $Server
        $r.Succeeded | Should -BeTrue
        $r.FailureCategory | Should -Be ([TlsTools.FailureCategory]::None)
    }
    It 'with -CheckRevocation the OCSP responder says revoked: CertificateRevoked' {
        $r = Test-Served $Server -Parameters @{ CheckRevocation = $true }
        $r.Succeeded | Should -BeFalse
        $r.FailureCategory | Should -Be ([TlsTools.FailureCategory]::CertificateRevoked)
        $r.FailureReason | Should -Match "OCSP http://127.0.0.1:${OcspPort}/: revoked"
        # openssl's own OCSP client agrees.
        (& openssl ocsp -issuer $Int.Cert -cert $Revoked.Cert -url "http://127.0.0.1:$OcspPort/" -CAfile $Root.Cert 2>&1) -join "`n" | Should -Match ': revoked'
    }
}

Describe 'Test-TlsHandshake: problems browsers tolerate are listed without failing' {
    BeforeAll { $Server = Start-Served -Leaf $Soon }
    AfterAll { Stop-TestServer $Server }

    It 'a certificate expiring in 10 days still Succeeded, with ExpiresSoon in CertificateProblems' {
        $r = Test-Served $Server
        $r.Succeeded | Should -BeTrue
        $r.FailureCategory | Should -Be ([TlsTools.FailureCategory]::None)
        $r.CertificateProblems | Should -Match '^ExpiresSoon: .*expires on .* \(in (9|10) days\)'
        $finding = @($r.CertificateFindings)
        $finding.Count | Should -Be 1
        $finding[0].Problem | Should -Be ([TlsTools.ChainProblem]::ExpiresSoon)
        $finding[0].IsFatal | Should -BeFalse
        # A strict client agrees that it is trusted.
        (Invoke-OpenSslClient -Connect "127.0.0.1:$($Server.Port)" -CAfile $Root.Cert -ServerName localhost -ExtraArgs '-verify_return_error', '-verify_hostname', 'localhost').Verification |
            Should -Be 'OK'
    }
    It 'a good certificate has no CertificateProblems at all' {
        $server = Start-Served -Leaf $Good
        try {
            $r = Test-Served $server
            $r.Succeeded | Should -BeTrue
            $r.CertificateProblems | Should -BeNullOrEmpty
        }
        finally { Stop-TestServer $server }
    }
}
