<#
    Test-TlsServer's Mozilla Server Side TLS profile checks (guideline 6.0, modern and intermediate; issue 15 point 3),
    on real servers on 127.0.0.1: nginx configured by each test (Start-NginxServer), and the module's WeakKey and
    WeakDh scenarios. Each expected value is written next to the field of Mozilla's guideline JSON that gives it
    (src/TlsTools.Core/Assessment/Profiles/Data/server-side-tls-6.0.json).

    The PKI is made here: an ECDSA P-256 root and issuing CA (so the leaves are signed with ecdsa-with-SHA256, which
    both profiles list) and an RSA CA for a leaf signed with sha256WithRSAEncryption. The leaves name no OCSP URL: no
    responder is needed, because nginx staples the response `openssl ocsp` made here, offline, from the CA's own key
    (ssl_stapling_file). The checker asks only that a response be stapled (ocsp_staple true); the chain check judges it.

    Not reachable here: EcdhParameterSize (ecdh_param_size 256) needs a server that accepts a curve under 256 bits, and
    the OpenSSL 3.0 nginx links refuses secp224r1 and smaller at every security level; X25519MLKEM768 needs OpenSSL 3.5.
#>

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers/TestHelpers.psm1') -Force
    $ModulePath = Import-TlsToolsModule
    $Work = Join-Path ([IO.Path]::GetTempPath()) "tlstools-profiles-$PID"
    New-Item -ItemType Directory -Force -Path $Work | Out-Null
    $GuidelineFile = Join-Path $PSScriptRoot '../src/TlsTools.Core/Assessment/Profiles/Data/server-side-tls-6.0.json'
    $GuidelineText = Get-Content -Raw -LiteralPath $GuidelineFile
    $Href = 'https://ssl-config.mozilla.org/guidelines/6.0.json'

    $Root = New-TestCertificate -Dir $Work -Name 'root' -CommonName 'TlsTools Profiles Test Root' -Ca -KeyType 'ec:P-256' -NotAfter (Get-Date).ToUniversalTime().AddDays(365)
    $Ca = New-TestCertificate -Dir $Work -Name 'ca' -CommonName 'TlsTools Profiles Test CA' -Ca -Issuer $Root -KeyType 'ec:P-256' -NotAfter (Get-Date).ToUniversalTime().AddDays(365)
    $RsaCa = New-TestCertificate -Dir $Work -Name 'rsaca' -CommonName 'TlsTools Profiles Test RSA CA' -Ca -Issuer $Root -KeyType 'rsa:2048' -NotAfter (Get-Date).ToUniversalTime().AddDays(365)

    function New-Leaf([string] $Name, [string] $KeyType, [int] $Days = 60, [string] $Digest = 'sha256', [hashtable] $Issuer = $Ca) {
        # A leaf for localhost and 127.0.0.1 valid exactly $Days days (from yesterday), and the OCSP response to staple.
        $start = (Get-Date).ToUniversalTime().Date.AddDays(-1)
        $leaf = New-TestCertificate -Dir $Work -Name $Name -CommonName 'localhost' -Issuer $Issuer -KeyType $KeyType -Digest $Digest `
            -DnsNames 'localhost' -IpAddresses '127.0.0.1' -NotBefore $start -NotAfter $start.AddDays($Days)
        $index = Write-OcspIndex -Path (Join-Path $Work "$Name.index") -Valid $leaf
        $request = Join-Path $Work "$Name.ocsp-request.der"
        $leaf.Ocsp = Join-Path $Work "$Name.ocsp.der"
        Invoke-OpenSsl @('ocsp', '-issuer', $Issuer.Cert, '-cert', $leaf.Cert, '-no_nonce', '-reqout', $request) | Out-Null
        Invoke-OpenSsl @('ocsp', '-index', $index, '-rsigner', $Issuer.Cert, '-rkey', $Issuer.Key, '-CA', $Issuer.Cert, '-reqin', $request, '-respout', $leaf.Ocsp, '-ndays', '2') | Out-Null
        $leaf.Issuer = $Issuer
        $leaf
    }
    $EcLeaf = New-Leaf 'ec' 'ec:P-256'
    $RsaLeaf = New-Leaf 'rsa' 'rsa:2048'
    $P521Leaf = New-Leaf 'p521' 'ec:P-521'
    $LongLeaf = New-Leaf 'long' 'ec:P-256' -Days 800
    $RsaSignedLeaf = New-Leaf 'rsasigned' 'ec:P-256' -Issuer $RsaCa
    $Sha1Leaf = New-Leaf 'sha1' 'ec:P-256' -Digest 'sha1'

    # intermediate ciphers.openssl, in the guideline's order.
    $IntermediateCiphers = 'ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:' +
        'ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305'
    # intermediate ciphers.iana: what an Expected column lists for TLS 1.2.
    $IntermediateIana = 'TLS 1.2: TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, ' +
        'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, ' +
        'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256'
    # tls_curves (X25519MLKEM768, X25519, prime256v1, secp384r1) as the scan names groups (IANA).
    $ProfileGroups = 'X25519MLKEM768, x25519, secp256r1, secp384r1'

    function Get-MozillaDirective {
        # The server block Mozilla's configuration generator gives for 6.0 intermediate with nginx, each part
        # replaceable by a test: tls_versions, ciphers.openssl (TLS 1.3's ciphersuites are OpenSSL's default three),
        # tls_curves without X25519MLKEM768 (OpenSSL 3.0 has no ML-KEM), server_preferred_order false,
        # hsts_min_age 63072000, ocsp_staple true.
        param([hashtable] $Leaf, [string] $Protocols = 'TLSv1.2 TLSv1.3', [string] $Ciphers = $IntermediateCiphers,
            [string] $Curves = 'X25519:prime256v1:secp384r1', [string] $PreferServer = 'off', [string] $Hsts = 'max-age=63072000', [switch] $NoStapling)
        $lines = @("ssl_protocols $Protocols;", "ssl_ciphers $Ciphers;", "ssl_prefer_server_ciphers $PreferServer;")
        if ($Curves) { $lines += "ssl_ecdh_curve $Curves;" }
        if ($Hsts) { $lines += "add_header Strict-Transport-Security `"$Hsts`" always;" }
        if (-not $NoStapling) { $lines += 'ssl_stapling on;', "ssl_stapling_file $($Leaf.Ocsp);" }
        $lines
    }

    # Every assessment made here, for the last block's check that every aspect was seen as a deviation.
    $Assessed = [System.Collections.Generic.List[object]]::new()

    function Invoke-NginxAssessment {
        # nginx with -Leaf and Get-MozillaDirective's block (-Directive: its parameters), assessed by Test-TlsServer
        # with -TestArgument, trusting this file's root; the server is stopped again.
        param([hashtable] $Leaf = $EcLeaf, [hashtable] $Directive = @{}, [hashtable] $TestArgument = @{})
        $server = Start-NginxServer -Cert $Leaf.Cert -Key $Leaf.Key -Chain $Leaf.Issuer.Cert -Directive (Get-MozillaDirective -Leaf $Leaf @Directive)
        try {
            $result = Test-TlsServer -ComputerName 127.0.0.1 -Port $server.Port -TrustedRootPath $Root.Cert @TestArgument
            if ($result -is [TlsTools.ServerAssessment]) { $Assessed.Add($result) }
            $result
        }
        finally { $server | Stop-TestServer }
    }

    function Get-Verdict([object] $Assessment, [string] $Name) { @($Assessment.Profiles | Where-Object Name -EQ $Name)[0] }

    function Get-Deviation([object] $Assessment, [string] $Profile, [string] $Aspect) {
        @($Assessment.ProfileDeviations | Where-Object { $_.Profile -eq $Profile -and (-not $Aspect -or $_.Aspect -eq $Aspect) })
    }

    function Get-DeviationKey([object] $Assessment) { @($Assessment.ProfileDeviations | ForEach-Object { "$($_.Profile) $($_.Aspect): $($_.Actual)" }) }

    function New-ProfileFile([string] $Name, [string] $Text) {
        $path = Join-Path $Work $Name
        Set-Content -LiteralPath $path -Value $Text -NoNewline
        $path
    }

    # intermediate tls_versions as the 6.0 file writes it.
    $IntermediateVersions = '"tls_versions": ["TLSv1.2", "TLSv1.3"]'
}

AfterAll {
    Stop-AllTestServer
    Remove-Item -Recurse -Force $Work -ErrorAction SilentlyContinue
}

Describe 'Servers configured as Mozilla 6.0 says' {
    It 'intermediate with an ECDSA P-256 leaf: intermediate compliant, no deviation, nothing left unchecked' {
        $a = Invoke-NginxAssessment
        $a.Intermediate | Should -BeExactly $true
        $v = Get-Verdict $a 'intermediate'
        $v.Compliant | Should -BeTrue
        $v.DeviationCount | Should -Be 0
        $v.Deviations.Count | Should -Be 0
        $v.NotChecked | Should -BeNullOrEmpty -Because 'the GET of / read HSTS and the full handshake read the chain and the staple'
        $v.Version | Should -Be '6.0'
        $v.Source | Should -Be $Href
        # ocsp_staple true: nginx staples the response from ssl_stapling_file; the leaf names no OCSP URL at all.
        $a.Chain[0].RevocationDetail | Should -Match '^stapled OCSP: good'
        $a.HstsMaxAge | Should -Be 63072000
        # modern tls_versions is TLSv1.3 alone: TLS 1.2 is modern's only deviation.
        $a.Modern | Should -BeExactly $false
        Get-DeviationKey $a | Should -Be @('modern Protocol: TLS 1.2')
        $a.ClosestProfile | Should -Be 'intermediate'
    }

    It 'intermediate with an RSA 2048 leaf: intermediate compliant; modern asks for certificate_types ecdsa' {
        $a = Invoke-NginxAssessment -Leaf $RsaLeaf
        $a.Intermediate | Should -BeExactly $true
        # intermediate: certificate_types ecdsa, rsa; rsa_key_size 2048; the leaf is signed ecdsa-with-SHA256 (listed).
        Get-DeviationKey $a | Should -Be @('modern Protocol: TLS 1.2', 'modern CertificateType: rsa')
    }

    It 'modern (TLS 1.3 only): modern compliant; intermediate also asks for TLS 1.2' {
        $a = Invoke-NginxAssessment -Directive @{ Protocols = 'TLSv1.3' }
        $a.Modern | Should -BeExactly $true
        (Get-Verdict $a 'modern').NotChecked | Should -BeNullOrEmpty
        $a.Intermediate | Should -BeExactly $false
        $d = Get-Deviation $a 'intermediate'
        $d.Count | Should -Be 1
        # intermediate tls_versions: TLSv1.2, TLSv1.3.
        $d[0].Aspect | Should -Be 'Protocol'
        $d[0].Expected | Should -Be 'TLS 1.2, TLS 1.3'
        $d[0].Actual | Should -Be 'TLS 1.3'
        $d[0].Message | Should -Be 'TLS 1.2 is not accepted; intermediate asks for TLS 1.2, TLS 1.3.'
        $a.ClosestProfile | Should -Be 'modern'
    }

    It 'no stapled OCSP response is an OcspStapling deviation, though the leaf names no OCSP responder to ask' {
        $a = Invoke-NginxAssessment -Directive @{ NoStapling = $true }
        # ocsp_staple true in both profiles.
        foreach ($name in 'modern', 'intermediate') {
            $d = Get-Deviation $a $name 'OcspStapling'
            $d.Count | Should -Be 1
            $d[0].Expected | Should -Be 'a stapled OCSP response'
            $d[0].Actual | Should -Be 'none'
            $d[0].Message | Should -Be "The server staples no OCSP response to its certificate; $name asks for OCSP stapling (ocsp_staple)."
        }
        $a.Intermediate | Should -BeExactly $false
        (Get-Verdict $a 'intermediate').NotChecked | Should -BeNullOrEmpty -Because 'a missing staple is seen, not unchecked'
    }
}

Describe 'Each aspect a deviation' {
    It 'Protocol: TLS 1.0 and 1.1 accepted (tls_versions TLSv1.2, TLSv1.3); TLS 1.0''s suites are not repeated' {
        # TLS 1.0 needs a CBC suite and, with OpenSSL 3, security level 0; TLS 1.2 accepts that suite as well.
        $a = Invoke-NginxAssessment -Directive @{ Protocols = 'TLSv1 TLSv1.1 TLSv1.2 TLSv1.3'; Ciphers = "$IntermediateCiphers`:ECDHE-ECDSA-AES128-SHA:@SECLEVEL=0" }
        $d = Get-Deviation $a 'intermediate' 'Protocol'
        @($d.Actual) | Should -Be @('TLS 1.0', 'TLS 1.1')
        @($d.Expected | Sort-Object -Unique) | Should -Be 'TLS 1.2, TLS 1.3'
        @($d.Message) | Should -Be @('TLS 1.0 is accepted; intermediate allows only TLS 1.2, TLS 1.3.', 'TLS 1.1 is accepted; intermediate allows only TLS 1.2, TLS 1.3.')
        # The one other deviation: the CBC suite with TLS 1.2, a version intermediate allows.
        Get-DeviationKey $a | Where-Object { $_ -like 'intermediate *' } |
            Should -Be @('intermediate Protocol: TLS 1.0', 'intermediate Protocol: TLS 1.1', 'intermediate CipherSuite: TLS 1.2 TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA')
        # modern tls_versions TLSv1.3: TLS 1.0, 1.1 and 1.2 each.
        @((Get-Deviation $a 'modern' 'Protocol').Actual) | Should -Be @('TLS 1.0', 'TLS 1.1', 'TLS 1.2')
    }

    It 'CipherSuite: a CBC suite the intermediate ciphers.iana does not list' {
        $a = Invoke-NginxAssessment -Directive @{ Ciphers = "$IntermediateCiphers`:ECDHE-ECDSA-AES128-SHA256" }
        $d = Get-Deviation $a 'intermediate'
        $d.Count | Should -Be 1
        $d[0].Aspect | Should -Be 'CipherSuite'
        $d[0].Expected | Should -Be $IntermediateIana
        $d[0].Actual | Should -Be 'TLS 1.2 TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256'
        $d[0].Message | Should -Be 'TLS 1.2 accepts TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256, which intermediate does not list.'
    }

    It 'Group: secp521r1 beside the listed groups (tls_curves X25519MLKEM768, X25519, prime256v1, secp384r1)' {
        $a = Invoke-NginxAssessment -Directive @{ Curves = 'X25519:prime256v1:secp384r1:secp521r1' }
        $d = Get-Deviation $a 'intermediate'
        $d.Count | Should -Be 1
        $d[0].Aspect | Should -Be 'Group'
        $d[0].Expected | Should -Be $ProfileGroups
        $d[0].Actual | Should -Be 'secp521r1'
        $d[0].Message | Should -Be 'The server accepts 1 group intermediate does not list: secp521r1.'
    }

    It 'Group: only secp521r1, none of the listed groups; the full handshake (no P-521 offered) reads no certificate' {
        $a = Invoke-NginxAssessment -Directive @{ Curves = 'secp521r1' }
        $d = Get-Deviation $a 'intermediate' 'Group'
        @($d.Message) | Should -Be @('The server accepts 1 group intermediate does not list: secp521r1.', 'The server accepts none of intermediate''s groups.')
        @($d.Actual) | Should -Be @('secp521r1', 'secp521r1')
        # What the full handshake could not see is named, not passed.
        (Get-Verdict $a 'intermediate').NotChecked | Should -Match '^CertificateType, CertificateCurve, CertificateSignature, RsaKeySize, CertificateLifespan: no certificate was read'
        (Get-Verdict $a 'intermediate').NotChecked | Should -Match 'OcspStapling: the full handshake did not get as far as the server''s certificate'
        (Get-Verdict $a 'intermediate').NotChecked | Should -Match 'Hsts: the full handshake did not complete: no GET of / could be made'
    }

    It 'Group: without ssl_ecdh_curve, OpenSSL''s default groups add X448, P-521 and the ffdhe groups, in one deviation' {
        $a = Invoke-NginxAssessment -Directive @{ Curves = '' }
        $d = Get-Deviation $a 'intermediate'
        $d.Count | Should -Be 1
        $d[0].Actual | Should -Be 'x448, secp521r1, ffdhe2048, ffdhe3072, ffdhe4096, ffdhe6144, ffdhe8192'
        $d[0].Message | Should -Be 'The server accepts 7 groups intermediate does not list: x448, secp521r1, ffdhe2048, ffdhe3072, ffdhe4096, ffdhe6144, ffdhe8192.'
        # dh_param_size 2048: every ffdhe group is at least that, so no DhParameterSize deviation.
        Get-Deviation $a 'intermediate' 'DhParameterSize' | Should -BeNullOrEmpty
    }

    It 'CertificateType: an RSA leaf against modern (certificate_types ecdsa)' {
        $a = Invoke-NginxAssessment -Leaf $RsaLeaf -Directive @{ Protocols = 'TLSv1.3' }
        $d = Get-Deviation $a 'modern'
        $d.Count | Should -Be 1
        $d[0].Aspect | Should -Be 'CertificateType'
        $d[0].Expected | Should -Be 'ecdsa'
        $d[0].Actual | Should -Be 'rsa'
        $d[0].Message | Should -Be 'The leaf certificate has an RSA key (2048 bits); modern asks for a certificate of type ecdsa.'
        # modern rsa_key_size is null: no size is asked of an RSA key it does not allow anyway.
        Get-Deviation $a 'modern' 'RsaKeySize' | Should -BeNullOrEmpty
    }

    It 'CertificateCurve: a P-521 leaf (certificate_curves prime256v1, secp384r1)' {
        $a = Invoke-NginxAssessment -Leaf $P521Leaf
        foreach ($name in 'modern', 'intermediate') {
            $d = Get-Deviation $a $name 'CertificateCurve'
            $d.Count | Should -Be 1
            $d[0].Expected | Should -Be 'prime256v1, secp384r1'
            $d[0].Actual | Should -Be 'secp521r1'
            $d[0].Message | Should -Be "The leaf certificate's key is on secp521r1; $name asks for prime256v1, secp384r1."
        }
        Get-DeviationKey $a | Where-Object { $_ -like 'intermediate *' } | Should -Be 'intermediate CertificateCurve: secp521r1'
    }

    It 'CertificateSignature: an ECDSA leaf signed by an RSA CA against modern (certificate_signatures ecdsa-with-SHA256/384/512)' {
        $a = Invoke-NginxAssessment -Leaf $RsaSignedLeaf -Directive @{ Protocols = 'TLSv1.3' }
        $d = Get-Deviation $a 'modern'
        $d.Count | Should -Be 1
        $d[0].Aspect | Should -Be 'CertificateSignature'
        $d[0].Expected | Should -Be 'ecdsa-with-SHA256, ecdsa-with-SHA384, ecdsa-with-SHA512'
        $d[0].Actual | Should -Be 'sha256WithRSAEncryption'
        $d[0].Message | Should -Be 'The leaf certificate is signed with sha256WithRSAEncryption; modern asks for ecdsa-with-SHA256, ecdsa-with-SHA384, ecdsa-with-SHA512.'
        # intermediate lists sha256WithRSAEncryption.
        Get-Deviation $a 'intermediate' 'CertificateSignature' | Should -BeNullOrEmpty
    }

    It 'CertificateSignature: a SHA-1 signed leaf (ecdsa-with-SHA1) in neither profile''s list' {
        # Security level 0 lets nginx load a SHA-1 signed certificate.
        $a = Invoke-NginxAssessment -Leaf $Sha1Leaf -Directive @{ Ciphers = "$IntermediateCiphers`:@SECLEVEL=0" }
        $d = Get-Deviation $a 'intermediate'
        $d.Count | Should -Be 1
        $d[0].Aspect | Should -Be 'CertificateSignature'
        $d[0].Expected | Should -Be 'sha256WithRSAEncryption, ecdsa-with-SHA256, ecdsa-with-SHA384, ecdsa-with-SHA512'
        $d[0].Actual | Should -Be 'ecdsa-with-SHA1'
        $d[0].Message | Should -Be 'The leaf certificate is signed with ecdsa-with-SHA1; intermediate asks for sha256WithRSAEncryption, ecdsa-with-SHA256, ecdsa-with-SHA384, ecdsa-with-SHA512.'
        (Get-Deviation $a 'modern' 'CertificateSignature').Actual | Should -Be 'ecdsa-with-SHA1'
    }

    It 'RsaKeySize: the WeakKey scenario''s 1024-bit RSA leaf (intermediate rsa_key_size 2048)' {
        # nginx on OpenSSL 3.0 refuses to load a 1024-bit key ("ee key too small"), so the module's scenario serves it.
        $server = Start-TlsTestServer -Scenario WeakKey
        try { $a = $server | Test-TlsServer -NoHttp } finally { $server | Stop-TlsTestServer }
        $Assessed.Add($a)
        $d = Get-Deviation $a 'intermediate' 'RsaKeySize'
        $d.Count | Should -Be 1
        $d[0].Expected | Should -Be 'at least 2048 bits'
        $d[0].Actual | Should -Be '1024 bits'
        $d[0].Message | Should -Be 'The leaf certificate''s RSA key has 1024 bits; intermediate asks for at least 2048.'
        # modern: rsa_key_size null, certificate_types ecdsa.
        Get-Deviation $a 'modern' 'RsaKeySize' | Should -BeNullOrEmpty
        (Get-Deviation $a 'modern' 'CertificateType').Actual | Should -Be 'rsa'
    }

    It 'DhParameterSize: the WeakDh scenario''s 1024-bit DH group (intermediate dh_param_size 2048)' {
        $server = Start-TlsTestServer -Scenario WeakDh
        try { $a = $server | Test-TlsServer -NoHttp } finally { $server | Stop-TlsTestServer }
        $Assessed.Add($a)
        $d = Get-Deviation $a 'intermediate' 'DhParameterSize'
        $d.Count | Should -Be 1
        $d[0].Expected | Should -Be 'at least 2048 bits'
        $d[0].Actual | Should -Be '1024 bits (TLS_DHE_RSA_WITH_AES_128_GCM_SHA256, TLS_DHE_RSA_WITH_AES_256_GCM_SHA384, TLS_DHE_RSA_WITH_AES_128_CBC_SHA, TLS_DHE_RSA_WITH_AES_256_CBC_SHA)'
        $d[0].Message | Should -Be 'The DHE suites use a 1024-bit DH group; intermediate asks for at least 2048 bits.'
        # 6.0 intermediate lists no DHE suite at all: each is a CipherSuite deviation too, and none of its own is there.
        @(Get-Deviation $a 'intermediate' 'CipherSuite').Count | Should -Be 5
        # modern dh_param_size is null.
        Get-Deviation $a 'modern' 'DhParameterSize' | Should -BeNullOrEmpty
    }

    It 'CertificateLifespan: a leaf valid 800 days (maximum_certificate_lifespan 366 intermediate, 90 modern)' {
        $a = Invoke-NginxAssessment -Leaf $LongLeaf
        $from = $LongLeaf.NotAfter.AddDays(-800).ToString('yyyy-MM-dd')
        $to = $LongLeaf.NotAfter.ToString('yyyy-MM-dd')
        foreach ($case in @{ Name = 'intermediate'; Days = 366 }, @{ Name = 'modern'; Days = 90 }) {
            $d = Get-Deviation $a $case.Name 'CertificateLifespan'
            $d.Count | Should -Be 1
            $d[0].Expected | Should -Be "at most $($case.Days) days"
            $d[0].Actual | Should -Be '800 days'
            $d[0].Message | Should -Be "The leaf certificate is valid for 800 days ($from to $to); $($case.Name) allows at most $($case.Days)."
        }
        Get-DeviationKey $a | Where-Object { $_ -like 'intermediate *' } | Should -Be 'intermediate CertificateLifespan: 800 days'
    }

    It 'Hsts: no Strict-Transport-Security header (hsts_min_age 63072000)' {
        $a = Invoke-NginxAssessment -Directive @{ Hsts = '' }
        $d = Get-Deviation $a 'intermediate'
        $d.Count | Should -Be 1
        $d[0].Aspect | Should -Be 'Hsts'
        $d[0].Expected | Should -Be 'max-age of at least 63072000 s (730 days)'
        $d[0].Actual | Should -Be 'no Strict-Transport-Security header'
        $d[0].Message | Should -Be 'The response to GET / has no Strict-Transport-Security header; intermediate asks for HSTS with a max-age of at least 63072000 s.'
    }

    It 'Hsts: max-age of one year, and of two years less a second, are shorter than hsts_min_age 63072000' {
        $a = Invoke-NginxAssessment -Directive @{ Hsts = 'max-age=31536000' }
        $d = Get-Deviation $a 'intermediate'
        $d.Count | Should -Be 1
        $d[0].Aspect | Should -Be 'Hsts'
        $d[0].Actual | Should -Be 'max-age=31536000'
        $d[0].Message | Should -Be 'Strict-Transport-Security max-age is 31536000 s (365 days); intermediate asks for at least 63072000 s (730 days).'
        # The bound itself: 63072000 is compliant (first block), one second less is not.
        $b = Invoke-NginxAssessment -Directive @{ Hsts = 'max-age=63071999; includeSubDomains' }
        (Get-Deviation $b 'intermediate' 'Hsts').Actual | Should -Be 'max-age=63071999'
        $b.Intermediate | Should -BeExactly $false
    }

    It 'ServerOrder: ssl_prefer_server_ciphers on, where server_preferred_order is false, for TLS 1.2 and TLS 1.3' {
        $a = Invoke-NginxAssessment -Directive @{ PreferServer = 'on' }
        $d = Get-Deviation $a 'intermediate'
        @($d.Aspect | Sort-Object -Unique) | Should -Be 'ServerOrder'
        @($d.Expected) | Should -Be @('TLS 1.2: the client''s order', 'TLS 1.3: the client''s order')
        @($d.Actual) | Should -Be @('TLS 1.2: the server''s order', 'TLS 1.3: the server''s order')
        $d[0].Message | Should -Be 'TLS 1.2 enforces the server''s suite order; intermediate asks the server to follow the client''s (server_preferred_order false).'
    }

    It 'ServerOrder: a TLS 1.3-only server enforcing its order is not modern compliant (OpenSSL orders TLS 1.3''s suites too)' {
        $a = Invoke-NginxAssessment -Directive @{ Protocols = 'TLSv1.3'; PreferServer = 'on' }
        $a.Modern | Should -BeExactly $false
        $d = Get-Deviation $a 'modern'
        $d.Count | Should -Be 1
        $d[0].Aspect | Should -Be 'ServerOrder'
        $d[0].Actual | Should -Be 'TLS 1.3: the server''s order'
        $d[0].Message | Should -Be 'TLS 1.3 enforces the server''s suite order; modern asks the server to follow the client''s (server_preferred_order false).'
    }
}

Describe 'The verdict columns' {
    BeforeAll {
        $NoHsts = Invoke-NginxAssessment -Directive @{ Hsts = '' }
        $Csv = Join-Path $Work 'verdicts.csv'
    }

    It 'Intermediate and Modern are true or false; ProfileDeviations holds every verdict''s deviations, modern''s first' {
        $NoHsts.Intermediate | Should -BeOfType ([bool])
        $NoHsts.Intermediate | Should -BeExactly $false
        $NoHsts.Modern | Should -BeExactly $false
        @($NoHsts.Profiles.Name) | Should -Be @('modern', 'intermediate') -Because 'the guideline file lists modern first'
        @($NoHsts.ProfileDeviations | ForEach-Object { "$($_.Profile) $($_.Aspect)" }) | Should -Be @('modern Protocol', 'modern Hsts', 'intermediate Hsts')
        (Get-Verdict $NoHsts 'modern').DeviationCount | Should -Be 2
        (Get-Verdict $NoHsts 'intermediate').ToString() | Should -Be 'intermediate 6.0: 1 deviation'
    }

    It 'exports the verdicts as True/False and the deviations joined with "; "' {
        $NoHsts | Export-Csv -LiteralPath $Csv -NoTypeInformation
        $row = Import-Csv -LiteralPath $Csv
        $row.Intermediate | Should -Be 'False'
        $row.Modern | Should -Be 'False'
        $row.ClosestProfile | Should -Be 'intermediate'
        # Each verdict in one line: the configuration, its version and how many deviations.
        $row.Profiles | Should -Be 'modern 6.0: 2 deviations; intermediate 6.0: 1 deviation'
        $row.ProfileDeviations | Should -Be ('modern Protocol: TLS 1.2 is accepted; modern allows only TLS 1.3.; ' +
            'modern Hsts: The response to GET / has no Strict-Transport-Security header; modern asks for HSTS with a max-age of at least 63072000 s.; ' +
            'intermediate Hsts: The response to GET / has no Strict-Transport-Security header; intermediate asks for HSTS with a max-age of at least 63072000 s.')
    }

    It 'leaves the column of a profile not checked empty (-Profile intermediate: Modern is null, and empty in CSV)' {
        $a = Invoke-NginxAssessment -TestArgument @{ Profile = 'intermediate' }
        $a.Intermediate | Should -BeExactly $true
        $a.Modern | Should -BeNullOrEmpty
        $a.ProfileDeviations.Count | Should -Be 0
        $a | Export-Csv -LiteralPath $Csv -NoTypeInformation
        $row = Import-Csv -LiteralPath $Csv
        $row.Intermediate | Should -Be 'True'
        $row.Modern | Should -Be ''
        $row.ProfileDeviations | Should -Be ''
    }
}

Describe '-Profile' {
    It 'a built-in name checks that configuration alone; -Quiet answers whether the server complies' {
        $a = Invoke-NginxAssessment -TestArgument @{ Profile = 'intermediate' }
        @($a.Profiles.Name) | Should -Be 'intermediate'
        Invoke-NginxAssessment -TestArgument @{ Profile = 'intermediate'; Quiet = $true } | Should -BeExactly $true
        # modern: TLS 1.2 is accepted.
        Invoke-NginxAssessment -TestArgument @{ Profile = 'modern'; Quiet = $true } | Should -BeExactly $false
    }

    It 'a custom file of the guideline''s shape is read: intermediate without TLS 1.2 turns the verdicts round' {
        $file = New-ProfileFile 'tls13-intermediate.json' $GuidelineText.Replace($IntermediateVersions, '"tls_versions": ["TLSv1.3"]')
        $a = Invoke-NginxAssessment -TestArgument @{ Profile = $file }
        @($a.Profiles.Name) | Should -Be @('modern', 'intermediate')
        (Get-Verdict $a 'intermediate').Source | Should -Be $file
        (Get-Verdict $a 'intermediate').Version | Should -Be '6.0'
        $d = Get-Deviation $a 'intermediate'
        $d.Count | Should -Be 1
        $d[0].Expected | Should -Be 'TLS 1.3'
        $d[0].Message | Should -Be 'TLS 1.2 is accepted; intermediate allows only TLS 1.3.'
        Invoke-NginxAssessment -TestArgument @{ Profile = $file; Quiet = $true } | Should -BeExactly $false
        # The TLS 1.3-only server, non-compliant with the built-in intermediate, complies with this file.
        Invoke-NginxAssessment -Directive @{ Protocols = 'TLSv1.3' } -TestArgument @{ Profile = $file; Quiet = $true } | Should -BeExactly $true
    }

    It 'a custom file''s own configuration name and version (6.1 is a data change): the Intermediate and Modern columns stay empty' {
        $text = $GuidelineText.Replace('"version": 6.0', '"version": 6.1').Replace('"intermediate": {', '"corporate": {').
            Replace('"hsts_min_age": 63072000,', '"hsts_min_age": 31536000,')
        $file = New-ProfileFile 'corporate.json' $text
        $a = Invoke-NginxAssessment -Directive @{ Hsts = 'max-age=31536000' } -TestArgument @{ Profile = $file }
        @($a.Profiles.Name) | Should -Be @('modern', 'corporate')
        (Get-Verdict $a 'corporate').Version | Should -Be '6.1'
        (Get-Verdict $a 'corporate').Compliant | Should -BeTrue -Because 'the file asks for one year of HSTS and the server sends one'
        $a.Intermediate | Should -BeNullOrEmpty
        # The file's modern asks for one year as well: its one deviation is TLS 1.2.
        $a.Modern | Should -BeExactly $false
        Get-DeviationKey $a | Should -Be 'modern Protocol: TLS 1.2'
    }

    It 'a malformed file is a terminating InvalidProfile error naming the field, before any connection: <Case>' -ForEach @(
        # Broken syntax: a trailing comma in modern's tls_versions (line 28 of the 6.0 file).
        @{ Case = 'broken JSON'; Find = '"tls_versions": ["TLSv1.3"]'; Replace = '"tls_versions": ["TLSv1.3",]'
            Field = 'configurations.modern.tls_versions'; Problem = 'not valid JSON: a trailing comma before '']'' at line 28, column 40' }
        # A field of the wrong type: intermediate's tls_versions a string, not an array (line 67).
        @{ Case = 'wrong type'; Find = '"tls_versions": ["TLSv1.2", "TLSv1.3"]'; Replace = '"tls_versions": "TLSv1.2"'
            Field = 'configurations.intermediate.tls_versions'; Problem = 'a string where an array is expected (line 67, column 29)' }
        @{ Case = 'wrong number type'; Find = '"hsts_min_age": 63072000,'; Replace = '"hsts_min_age": "two years",'
            Field = 'configurations.modern.hsts_min_age'; Problem = 'a string where a whole number or null is expected (line 20, column 29)' }
        # A required field missing: intermediate's rsa_key_size.
        @{ Case = 'missing field'; Find = '"rsa_key_size": 2048,'; Replace = ''
            Field = 'configurations.intermediate.rsa_key_size'; Problem = 'a required field is missing' }
        @{ Case = 'unknown TLS version'; Find = '"tls_versions": ["TLSv1.2", "TLSv1.3"]'; Replace = '"tls_versions": ["TLSv1.2", "TLS1.3"]'
            Field = 'configurations.intermediate.tls_versions[1]'; Problem = '''TLS1.3'' is not a TLS version (SSLv2, SSLv3, TLSv1, TLSv1.1, TLSv1.2, TLSv1.3) (line 67, column 41)' }
    ) {
        $GuidelineText.Contains($Find) | Should -BeTrue
        $file = New-ProfileFile "bad-$($Case -replace ' ', '-').json" $GuidelineText.Replace($Find, $Replace)
        # A closed port: were a connection made, the result would be an assessment with FailureCategory, not an error.
        $err = $null
        try { Test-TlsServer -ComputerName 127.0.0.1 -Port (Get-ClosedPort) -Profile $file -ErrorAction Stop | Out-Null }
        catch { $err = $_ }
        $err | Should -Not -BeNullOrEmpty
        $err.FullyQualifiedErrorId | Should -Be 'InvalidProfile,TlsTools.Commands.TestTlsServerCommand'
        $err.CategoryInfo.Category | Should -Be 'InvalidData'
        $err.Exception.Field | Should -Be $Field
        $err.Exception.Message | Should -Be "${file}: ${Field}: $Problem"
        $err.ErrorDetails.RecommendedAction | Should -Be "Fix the field ${Field}: the file must have the shape of $Href."
    }
}

Describe 'Guideline versions' {
    It 'embeds 5.7 and 5.8 but checks 6.0: -Profile takes no version, so ''5.8'' is neither a built-in name nor a file' {
        $err = $null
        try { Test-TlsServer -ComputerName 127.0.0.1 -Port (Get-ClosedPort) -Profile '5.8' -ErrorAction Stop | Out-Null } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Be 'ProfileNotFound,TlsTools.Commands.TestTlsServerCommand'
        $err.Exception.Message | Should -Be "'5.8' is neither a built-in profile (modern, intermediate) nor a file."
        [TlsTools.Assessment.Profiles.MozillaGuideline]::BuiltIn.Version | Should -Be '6.0'
    }
}

Describe '-NoHttp' {
    It 'HSTS is NotChecked in every verdict, never a deviation nor a silent pass; the verdict counts only what was seen' {
        # The server sends no HSTS at all: without the GET of / that cannot be seen.
        $a = Invoke-NginxAssessment -Directive @{ Hsts = '' } -TestArgument @{ NoHttp = $true }
        foreach ($name in 'modern', 'intermediate') {
            (Get-Verdict $a $name).NotChecked | Should -Be 'Hsts: -NoHttp: no GET of / was made'
            Get-Deviation $a $name 'Hsts' | Should -BeNullOrEmpty
        }
        (Get-Verdict $a 'intermediate').ToString() | Should -Be 'intermediate 6.0: compliant (not checked: Hsts: -NoHttp: no GET of / was made)'
        $a.Intermediate | Should -BeExactly $true
        $a.NotChecked | Should -Match 'NoHsts: -NoHttp: no GET of / was made'
        $a.HstsMaxAge | Should -BeNullOrEmpty
        Invoke-NginxAssessment -Directive @{ Hsts = '' } -TestArgument @{ NoHttp = $true; Profile = 'intermediate'; Quiet = $true } | Should -BeExactly $true
    }
}

Describe 'Coverage' {
    It 'every aspect but EcdhParameterSize was seen as a deviation in this file, and about_TlsTools names each' {
        $seen = @($Assessed | ForEach-Object { $_.ProfileDeviations } | ForEach-Object { "$($_.Aspect)" } | Sort-Object -Unique)
        $all = @([enum]::GetNames([TlsTools.ProfileAspect]) | Sort-Object)
        # EcdhParameterSize: see the header (no curve under 256 bits is served by OpenSSL 3.0 here).
        $seen | Should -Be @($all | Where-Object { $_ -ne 'EcdhParameterSize' })
        $about = Get-Content -Raw -LiteralPath (Join-Path $PSScriptRoot '../docs/en-US/about_TlsTools.md')
        foreach ($aspect in $all) { $about | Should -Match "\*\*$aspect\*\*" -Because "about_TlsTools lists the profile aspect $aspect" }
    }
}
