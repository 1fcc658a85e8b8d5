<#
    Get-CertificateChain / Export-CertificateChain against real `openssl s_server` instances on 127.0.0.1,
    a local HTTP server (python3 http.server) for AIA, and `openssl ocsp` as a responder; certificates are
    made by the openssl CLI. `openssl verify` (a validator nobody here wrote) is asked about every chain.
#>
BeforeAll {
    $PSStyle.OutputRendering = 'PlainText'
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers/TestHelpers.psm1') -Force
    $ModulePath = Import-TlsToolsModule

    $Dir = Join-Path ([IO.Path]::GetTempPath()) ('tlstools-chain-' + [guid]::NewGuid().ToString('N'))
    $Web = Join-Path $Dir 'web'
    New-Item -ItemType Directory -Path $Web -Force | Out-Null
    $Http = Start-StaticHttpServer -Root $Web
    $OcspPort = Get-FreeTcpPort
    $Now = (Get-Date).ToUniversalTime()

    $Root = New-TestCertificate -Dir $Dir -Name root -CommonName 'Chain Test Root' -Ca -NotAfter $Now.AddYears(5)
    $Int = New-TestCertificate -Dir $Dir -Name int -CommonName 'Chain Test Intermediate' -Ca -Issuer $Root -NotAfter $Now.AddYears(3)
    Invoke-OpenSsl @('x509', '-in', $Int.Cert, '-outform', 'DER', '-out', (Join-Path $Web 'int.cer')) | Out-Null
    $LeafArgs = @{ Dir = $Dir; Issuer = $Int; CommonName = 'localhost'; DnsNames = 'localhost'; IpAddresses = '127.0.0.1'
        CaIssuersUrl = "$($Http.Url)/int.cer"; OcspUrl = "http://127.0.0.1:$OcspPort/" }
    $Leaf = New-TestCertificate @LeafArgs -Name leaf
    $Revoked = New-TestCertificate @LeafArgs -Name revoked
    $Expired = New-TestCertificate @LeafArgs -Name expired -NotBefore $Now.AddDays(-100) -NotAfter $Now.AddDays(-2)
    $SelfSigned = New-TestCertificate -Dir $Dir -Name self -CommonName localhost -DnsNames localhost -IpAddresses 127.0.0.1
    $OtherRoot = New-TestCertificate -Dir $Dir -Name other-root -CommonName 'Other Root' -Ca

    $Index = Write-OcspIndex -Path (Join-Path $Dir 'index.txt') -Valid $Leaf -Revoked $Revoked
    $Ocsp = Start-OcspResponder -Ca $Int -Index $Index -Port $OcspPort
    # A stapled response for the good leaf, made by the same responder logic offline.
    $Staple = Join-Path $Dir 'staple.der'
    Invoke-OpenSsl @('ocsp', '-index', $Index, '-rsigner', $Int.Cert, '-rkey', $Int.Key, '-CA', $Int.Cert, '-issuer', $Int.Cert, '-cert', $Leaf.Cert, '-respout', $Staple, '-ndays', '1') | Out-Null

    function Get-Chain {
        # Serves -Leaf with -Chain (certificate hashtables, in the order given) and returns Get-CertificateChain's rows.
        param([hashtable] $Leaf, [hashtable[]] $Chain = @(), [string[]] $ServerArguments = @(), [string] $TrustedRoot = $Root.Cert, [hashtable] $Parameters = @{})
        $chainFile = if ($Chain) { Join-Pem -Path (Join-Path $Dir "served-$([guid]::NewGuid().ToString('N')).pem") -Certificates $Chain }
        $server = Start-OpenSslServer -Cert $Leaf.Cert -Key $Leaf.Key -Chain $chainFile -ExtraArgs $ServerArguments
        try { Get-CertificateChain -ComputerName "127.0.0.1:$($server.Port)" -TrustedRootPath $TrustedRoot @Parameters }
        finally { Stop-TestServer $server }
    }

    function Test-OpenSslVerify {
        # openssl's verdict for a leaf with untrusted intermediates, as a strict TLS client judges it.
        param([string] $LeafFile, [hashtable[]] $Untrusted = @(), [string] $TrustedRoot = $Root.Cert, [string] $HostName)
        $arguments = @('verify', '-CAfile', $TrustedRoot, '-purpose', 'sslserver', '-auth_level', '2')
        if ($Untrusted) { $arguments += @('-untrusted', (Join-Pem -Path (Join-Path $Dir "untrusted-$([guid]::NewGuid().ToString('N')).pem") -Certificates $Untrusted)) }
        if ($HostName) { $arguments += @('-verify_hostname', $HostName) }
        & openssl @arguments $LeafFile 2>&1 | Out-Null
        $LASTEXITCODE -eq 0
    }
}

AfterAll {
    Stop-AllTestServer
    if ($Dir -and (Test-Path $Dir)) { Remove-Item -Recurse -Force $Dir }
}

Describe 'Get-CertificateChain from a server' {
    It 'reports a complete chain as served, in path order, valid' {
        $rows = @(Get-Chain -Leaf $Leaf -Chain $Int)
        $rows.Count | Should -Be 3
        $rows.Role | Should -Be @('Leaf', 'Intermediate', 'Root')
        $rows.Source | Should -Be @('Served', 'Served', 'TrustStore')
        $rows.Position | Should -Be @(0, 1, 2)
        $rows[0].SentPosition | Should -Be 0
        $rows[1].SentPosition | Should -Be 1
        $rows[2].SentPosition | Should -BeNullOrEmpty
        $rows[0].Subject | Should -Be 'CN=localhost'
        $rows[0].SubjectAlternativeNames | Should -Be 'localhost, 127.0.0.1'
        $rows[0].CertificateThumbprint | Should -Be ((& openssl x509 -in $Leaf.Cert -noout -fingerprint -sha256) -replace '^.*=', '' -replace ':', '')
        $rows[0].SerialNumber.TrimStart('0') | Should -Be $Leaf.Serial.TrimStart('0')   # a serial whose first byte is below 0x10 prints with a leading 0
        $rows[0].KeyAlgorithm | Should -Be 'RSA'
        $rows[0].KeySize | Should -Be 2048
        $rows[0].SignatureAlgorithm | Should -Be 'sha256WithRSAEncryption'
        $rows | ForEach-Object { $_.ChainValid | Should -BeTrue; $_.ChainProblems | Should -BeNullOrEmpty; $_.Problems | Should -BeNullOrEmpty }
        Test-OpenSslVerify -LeafFile $Leaf.Cert -Untrusted $Int -HostName localhost | Should -BeTrue
    }

    It 'reads the same chain over TLS <Version>' -ForEach @(@{ Version = '1.2'; Flag = '-tls1_2' }, @{ Version = '1.3'; Flag = '-tls1_3' }) {
        $rows = @(Get-Chain -Leaf $Leaf -Chain $Int -ServerArguments $Flag)
        $rows.Subject | Should -Be @('CN=localhost', 'CN=Chain Test Intermediate', 'CN=Chain Test Root')
        $rows[0].ChainValid | Should -BeTrue
    }

    It 'names IncompleteChain for a leaf-only server, fetches the intermediate from AIA, and the repair validates' {
        $rows = @(Get-Chain -Leaf $Leaf)
        $rows[0].Problems | Should -Be 'IncompleteChain'
        $rows[0].ProblemDetails | Should -Match ([regex]::Escape("$($Http.Url)/int.cer"))
        $rows[1].Source | Should -Be 'AiaFetched'
        $rows[1].SentPosition | Should -BeNullOrEmpty
        $rows[0].ChainValid | Should -BeFalse
        $rows[0].RepairedChainValid | Should -BeTrue
        Test-OpenSslVerify -LeafFile $Leaf.Cert -HostName localhost | Should -BeFalse
    }

    It 'does not fetch with -NoFetch' {
        $rows = @(Get-Chain -Leaf $Leaf -Parameters @{ NoFetch = $true })
        $rows.Count | Should -Be 1
        $rows[0].Problems | Should -Be 'IncompleteChain'
        $rows[0].RepairedChainValid | Should -BeFalse
    }

    It 'names WrongOrder and the sent root as UnneededCertificate' {
        $rows = @(Get-Chain -Leaf $Leaf -Chain $Root, $Int)
        $rows[0].ChainProblems | Should -Be 'WrongOrder, UnneededCertificate'
        $rows[1].SentPosition | Should -Be 2
        $rows[2].SentPosition | Should -Be 1
        $rows[2].Problems | Should -Be 'UnneededCertificate'
        $rows[0].ChainValid | Should -BeTrue
        Test-OpenSslVerify -LeafFile $Leaf.Cert -Untrusted $Root, $Int -HostName localhost | Should -BeTrue
    }

    It 'names a duplicate as UnneededCertificate without WrongOrder' {
        $rows = @(Get-Chain -Leaf $Leaf -Chain $Int, $Int)
        $rows.Count | Should -Be 4
        $rows[3].Position | Should -BeNullOrEmpty
        $rows[3].SentPosition | Should -Be 2
        $rows[3].Problems | Should -Be 'UnneededCertificate'
        $rows[3].ProblemDetails | Should -Match 'sent twice \(positions 1 and 2\)'
        $rows[0].ChainProblems | Should -Be 'UnneededCertificate'
    }

    It 'names Expired on the expired leaf' {
        $rows = @(Get-Chain -Leaf $Expired -Chain $Int)
        $rows[0].Problems | Should -Be 'Expired'
        $rows[1].Problems | Should -BeNullOrEmpty
        $rows[0].DaysUntilExpiry | Should -BeLessThan 0
        $rows[0].ChainValid | Should -BeFalse
        Test-OpenSslVerify -LeafFile $Expired.Cert -Untrusted $Int -HostName localhost | Should -BeFalse
    }

    It 'names SelfSigned' {
        $rows = @(Get-Chain -Leaf $SelfSigned)
        $rows.Count | Should -Be 1
        $rows[0].Problems | Should -Match '^SelfSigned'
        $rows[0].ChainValid | Should -BeFalse
        Test-OpenSslVerify -LeafFile $SelfSigned.Cert -HostName localhost | Should -BeFalse
    }

    It 'names UntrustedRoot when the root is not trusted' {
        $rows = @(Get-Chain -Leaf $Leaf -Chain $Int, $Root -TrustedRoot $OtherRoot.Cert -Parameters @{ NoFetch = $true })
        $rows[0].ChainProblems | Should -Match 'UntrustedRoot'
        $rows[0].ChainValid | Should -BeFalse
        Test-OpenSslVerify -LeafFile $Leaf.Cert -Untrusted $Int, $Root -TrustedRoot $OtherRoot.Cert | Should -BeFalse
    }

    It 'checks the stapled OCSP response without -CheckRevocation' {
        $rows = @(Get-Chain -Leaf $Leaf -Chain $Int -ServerArguments '-status_file', $Staple)
        $rows[0].RevocationStatus | Should -Be 'Good'
        $rows[0].RevocationDetail | Should -Match '^stapled OCSP: good'
        $rows[1].RevocationStatus | Should -Be 'NotChecked'
    }

    It 'asks the OCSP responder with -CheckRevocation: Revoked for the revoked leaf, Good for the good one' {
        $revokedRows = @(Get-Chain -Leaf $Revoked -Chain $Int -Parameters @{ CheckRevocation = $true })
        $revokedRows[0].RevocationStatus | Should -Be 'Revoked'
        $revokedRows[0].Problems | Should -Be 'Revoked'
        $revokedRows[0].ChainValid | Should -BeFalse
        $good = @(Get-Chain -Leaf $Leaf -Chain $Int -Parameters @{ CheckRevocation = $true })
        $good[0].RevocationStatus | Should -Be 'Good'
        $good[0].RevocationDetail | Should -Match "^OCSP http://127.0.0.1:$OcspPort/: good"
        $good[0].ChainValid | Should -BeTrue
        # openssl's own OCSP client agrees.
        (& openssl ocsp -issuer $Int.Cert -cert $Revoked.Cert -url "http://127.0.0.1:$OcspPort/" -CAfile $Root.Cert 2>&1) -join "`n" | Should -Match ': revoked'
    }

    It 'writes a NoCertificateChain error, and no rows, when the port is closed' {
        $port = Get-FreeTcpPort
        $rows = @(Get-CertificateChain -ComputerName "127.0.0.1:$port" -TimeoutSec 3 -ErrorVariable errors -ErrorAction SilentlyContinue)
        $rows.Count | Should -Be 0
        $errors[0].FullyQualifiedErrorId | Should -Match '^NoCertificateChain'
        $errors[0].CategoryInfo.Category | Should -Be 'ConnectionError'
        "$($errors[0])" | Should -Match 'ConnectionRefused'
    }

    It 'shows the agreed table columns' {
        $text = Get-Chain -Leaf $Leaf -Chain $Int | Out-String -Width 120
        $text | Should -Match 'Pos\s+Sent\s+Role\s+Source\s+Subject\s+Days\s+Problems'
        $text | Should -Match 'ChainValid: True'
    }
}

Describe 'Get-CertificateChain -Path' {
    BeforeAll {
        $Good = New-TestCertificate @LeafArgs -Name file-good
        $NoCa = New-TestCertificate -Dir $Dir -Name noca -CommonName 'Not A CA' -Issuer $Int -NotAfter $Now.AddYears(2)
        $Cases = @(
            @{ Problem = 'ExpiresSoon'; Leaf = New-TestCertificate @LeafArgs -Name soon -NotAfter $Now.AddDays(10); Valid = $true }
            @{ Problem = 'NotYetValid'; Leaf = New-TestCertificate @LeafArgs -Name notyet -NotBefore $Now.AddDays(5) -NotAfter $Now.AddDays(60); Valid = $false }
            @{ Problem = 'NameMismatch'; Leaf = New-TestCertificate @LeafArgs -Name othername -DnsNames 'other.example' -IpAddresses @(); Valid = $false }
            @{ Problem = 'WeakSignature'; Leaf = New-TestCertificate @LeafArgs -Name sha1 -Digest sha1; Valid = $false }
            @{ Problem = 'WeakKey'; Leaf = New-TestCertificate @LeafArgs -Name rsa1024 -KeyType rsa:1024; Valid = $false }
            @{ Problem = 'NotForServerAuth'; Leaf = New-TestCertificate @LeafArgs -Name clientauth -ExtendedKeyUsage clientAuth; Valid = $false }
            # Browsers refuse a CN-only leaf; OpenSSL alone still falls back to the CN, so openssl verify accepts it.
            @{ Problem = 'NoSubjectAlternativeName'; Leaf = New-TestCertificate @LeafArgs -Name nosan -DnsNames @() -IpAddresses @(); Valid = $false; OpenSslValid = $true }
            @{ Problem = 'ValidityTooLong'; Leaf = New-TestCertificate @LeafArgs -Name long -NotAfter $Now.AddDays(500); Valid = $true }
        )
        $Cases += @{ Problem = 'NotACa'; Leaf = (New-TestCertificate -Dir $Dir -Name under-noca -CommonName localhost -Issuer $NoCa -DnsNames localhost); Via = $NoCa; Valid = $false; OnIssuer = $true }
    }

    It 'names <Problem> on a chain that has it, and openssl verify agrees with ChainValid' -ForEach @(
        'ExpiresSoon', 'NotYetValid', 'NameMismatch', 'WeakSignature', 'WeakKey', 'NotForServerAuth', 'NoSubjectAlternativeName', 'ValidityTooLong', 'NotACa' | ForEach-Object { @{ Problem = $_ } }
    ) {
        $case = $Cases | Where-Object Problem -EQ $Problem
        $chain = if ($case.Via) { @($case.Via, $Int) } else { @($Int) }
        $rows = @(Get-CertificateChain -Path (@($case.Leaf.Cert) + $chain.Cert) -HostName localhost -TrustedRootPath $Root.Cert -NoFetch)
        $row = if ($case.OnIssuer) { $rows[1] } else { $rows[0] }
        $row.ProblemList | Should -Contain $Problem
        $rows[0].ChainProblems | Should -Match "\b$Problem\b"
        $rows[0].ChainValid | Should -Be $case.Valid
        $rows[0].Source | Should -Be 'File'
        $openSslValid = if ($case.ContainsKey('OpenSslValid')) { $case.OpenSslValid } else { $case.Valid }
        Test-OpenSslVerify -LeafFile $case.Leaf.Cert -Untrusted $chain -HostName localhost | Should -Be $openSslValid
    }

    It 'finds none of those problems on a good chain' {
        $rows = @(Get-CertificateChain -Path $Good.Cert, $Int.Cert -HostName localhost -TrustedRootPath $Root.Cert -NoFetch)
        $rows[0].ChainProblems | Should -BeNullOrEmpty
        $rows[0].ChainValid | Should -BeTrue
        Test-OpenSslVerify -LeafFile $Good.Cert -Untrusted $Int -HostName localhost | Should -BeTrue
    }

    It 'reads DER, PKCS#7 and PFX files' {
        $der = Join-Path $Dir 'good.cer'
        Invoke-OpenSsl @('x509', '-in', $Good.Cert, '-outform', 'DER', '-out', $der) | Out-Null
        $p7b = Join-Path $Dir 'good.p7b'
        Invoke-OpenSsl @('crl2pkcs7', '-nocrl', '-certfile', (Join-Pem -Path (Join-Path $Dir 'good-chain.pem') -Certificates $Good, $Int), '-outform', 'DER', '-out', $p7b) | Out-Null
        $pfx = Join-Path $Dir 'good.pfx'
        Invoke-OpenSsl @('pkcs12', '-export', '-in', $Good.Cert, '-inkey', $Good.Key, '-certfile', $Int.Cert, '-passout', 'pass:s3cret', '-out', $pfx) | Out-Null

        (Get-CertificateChain -Path $der, $Int.Cert -TrustedRootPath $Root.Cert -NoFetch).Subject | Should -Be @('CN=localhost', 'CN=Chain Test Intermediate', 'CN=Chain Test Root')
        (Get-CertificateChain -Path $p7b -TrustedRootPath $Root.Cert -NoFetch).SentPosition | Should -Be @(0, 1, $null)
        $password = ConvertTo-SecureString 's3cret' -AsPlainText -Force
        $fromPfx = @(Get-CertificateChain -Path $pfx -Password $password -HostName localhost -TrustedRootPath $Root.Cert -NoFetch)
        $fromPfx[0].Subject | Should -Be 'CN=localhost'
        $fromPfx[0].ChainValid | Should -BeTrue
    }

    It 'writes errors for a missing file and a wrong PFX password' {
        Get-CertificateChain -Path (Join-Path $Dir 'missing.pem') -ErrorVariable missing -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $missing[0].FullyQualifiedErrorId | Should -Match '^InvalidCertificateFile'
        $missing[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $pfx = Join-Path $Dir 'good.pfx'
        Get-CertificateChain -Path $pfx -Password (ConvertTo-SecureString 'wrong' -AsPlainText -Force) -ErrorVariable wrong -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $wrong[0].CategoryInfo.Category | Should -Be 'AuthenticationError'
    }
}

Describe 'Export-CertificateChain' {
    It 'writes the repaired bundle that openssl verify accepts and that makes the IncompleteChain server pass Test-TlsHandshake' {
        $server = Start-OpenSslServer -Cert $Leaf.Cert -Key $Leaf.Key
        try {
            $before = Test-TlsHandshake -ComputerName "127.0.0.1:$($server.Port)" -TrustedRootPath $Root.Cert
            $before.FailureCategory | Should -Be 'IncompleteChain'
            $bundle = Join-Path $Dir 'bundle.pem'
            $file = Get-CertificateChain -ComputerName "127.0.0.1:$($server.Port)" -TrustedRootPath $Root.Cert | Export-CertificateChain -Path $bundle
        } finally { Stop-TestServer $server }

        $file.FullName | Should -Be $bundle
        $blocks = [regex]::Matches((Get-Content -Raw $bundle), '-----BEGIN CERTIFICATE-----')
        $blocks.Count | Should -Be 2 -Because 'leaf and intermediate, no root'
        & openssl verify -CAfile $Root.Cert -untrusted $bundle $Leaf.Cert 2>&1 | Out-Null
        $LASTEXITCODE | Should -Be 0

        # Load the bundle as a server would: the first certificate is the leaf, the rest its chain.
        $pem = Get-Content -Raw $bundle
        $chainOnly = Join-Path $Dir 'bundle-chain.pem'
        Set-Content -LiteralPath $chainOnly -Value ($pem.Substring($pem.IndexOf('-----BEGIN CERTIFICATE-----', 10))) -NoNewline
        $repaired = Start-OpenSslServer -Cert $Leaf.Cert -Key $Leaf.Key -Chain $chainOnly
        try { (Test-TlsHandshake -ComputerName "127.0.0.1:$($repaired.Port)" -TrustedRootPath $Root.Cert).Succeeded | Should -BeTrue }
        finally { Stop-TestServer $repaired }
    }

    It 'writes <Format> with -IncludeRoot, readable by openssl' -ForEach @(@{ Format = 'P7b' }, @{ Format = 'Der' }) {
        $out = Join-Path $Dir "bundle.$Format"
        Get-CertificateChain -Path $Leaf.Cert, $Int.Cert -TrustedRootPath $Root.Cert -NoFetch | Export-CertificateChain -Path $out -Format $Format -IncludeRoot | Out-Null
        $subjects = if ($Format -eq 'P7b') { & openssl pkcs7 -inform DER -in $out -print_certs -noout 2>&1 | Where-Object { $_ -match '^subject' } }
                    else { & openssl x509 -inform DER -in $out -noout -subject 2>&1 }
        if ($Format -eq 'P7b') { @($subjects).Count | Should -Be 3; $subjects[0] | Should -Match 'CN\s*=\s*localhost' }
        else { $subjects | Should -Match 'CN\s*=\s*localhost'; (Get-Item $out).Length | Should -BeGreaterThan 2000 }
        (Get-CertificateChain -Path $out -TrustedRootPath $Root.Cert -NoFetch).Subject | Should -Be @('CN=localhost', 'CN=Chain Test Intermediate', 'CN=Chain Test Root')
    }

    It 'refuses a chain that does not validate, unless -Force' {
        $out = Join-Path $Dir 'refused.pem'
        Get-CertificateChain -Path $Expired.Cert, $Int.Cert -TrustedRootPath $Root.Cert -NoFetch |
            Export-CertificateChain -Path $out -ErrorVariable refused -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $refused[0].FullyQualifiedErrorId | Should -Match '^ChainNotValid'
        "$($refused[0])" | Should -Match 'expired'
        Test-Path $out | Should -BeFalse
        Get-CertificateChain -Path $Expired.Cert, $Int.Cert -TrustedRootPath $Root.Cert -NoFetch | Export-CertificateChain -Path $out -Force | Out-Null
        Test-Path $out | Should -BeTrue
    }
}
