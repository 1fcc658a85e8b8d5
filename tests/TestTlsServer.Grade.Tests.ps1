<#
    Test-TlsServer's grade: the SSL Labs SSL Server Rating Guide, version 2009r. Every rule of the rule table
    (src/TlsTools.Core/Assessment/Grading/Data/grade-rules.tsv) is triggered on a real server on 127.0.0.1
    (Start-TlsTestServer scenarios, openssl s_server, nginx), and each expected grade is written next to the guide rule
    that gives it. The rules that need a vulnerability probe are shown under NotChecked, never as a silent pass. The
    scores of a known server are the guide's arithmetic. A last block checks that this file and about_TlsTools name
    every row of the table.
#>

BeforeDiscovery {
    $script:RuleTable = Join-Path $PSScriptRoot '../src/TlsTools.Core/Assessment/Grading/Data/grade-rules.tsv'
    $script:RuleRows = @(Get-Content -LiteralPath $RuleTable | Where-Object { $_ -and -not $_.StartsWith('#') } | Select-Object -Skip 1 |
        ForEach-Object { $f = $_ -split "`t"; @{ Rule = $f[0]; Cap = $f[1]; Source = $f[2] } })
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers/TestHelpers.psm1') -Force
    $ModulePath = Import-TlsToolsModule

    # Start-TlsTestServer scenarios, each assessed once. -NoHttp: these tests are about the TLS rules, and the
    # scenarios' HTTP answers carry no HSTS, which would add NoHsts (A-) everywhere. HSTS's own rules are tested on
    # nginx below, and Good once more with the GET of /.
    $Scenarios = 'Good', 'GoodEcdsa', 'Ssl2Enabled', 'Ssl3Only', 'ExportCiphers', 'WeakCiphers', 'AnonymousDh', 'NullCipher',
        'WrongHost', 'Expired', 'NotYetValid', 'SelfSigned', 'UntrustedRoot', 'IncompleteChain', 'Sha1Signature',
        'Tls10Only', 'Tls13Only', 'NoForwardSecrecy', 'WeakDh', 'WeakKey', 'LegacyCiphers'
    $Servers = @(Start-TlsTestServer -Scenario $Scenarios)
    $A = @{}
    foreach ($server in $Servers) { $A[$server.Scenario] = $server | Test-TlsServer -NoHttp }
    $GoodWithGet = $Servers | Where-Object Scenario -EQ 'Good' | Test-TlsServer

    # openssl s_server and nginx with certificates of a PKI made here: a root, an intermediate (fetchable by AIA from
    # a local HTTP server), and leaves for 127.0.0.1.
    $Dir = Join-Path ([IO.Path]::GetTempPath()) ('tlstools-grade-' + [guid]::NewGuid().ToString('N'))
    $Web = Join-Path $Dir 'web'
    New-Item -ItemType Directory -Path $Web -Force | Out-Null
    $Http = Start-StaticHttpServer -Root $Web
    $Root = New-TestCertificate -Dir $Dir -Name root -CommonName 'Grade Test Root' -Ca -NotAfter (Get-Date).AddYears(5)
    $Int = New-TestCertificate -Dir $Dir -Name int -CommonName 'Grade Test Intermediate' -Ca -Issuer $Root -NotAfter (Get-Date).AddYears(3)
    Invoke-OpenSsl @('x509', '-in', $Int.Cert, '-outform', 'DER', '-out', (Join-Path $Web 'int.cer')) | Out-Null
    $LeafArgs = @{ Dir = $Dir; CommonName = 'localhost'; DnsNames = 'localhost'; IpAddresses = '127.0.0.1' }
    $Leaf = New-TestCertificate @LeafArgs -Name leaf -Issuer $Int -CaIssuersUrl "$($Http.Url)/int.cer"
    $Leaf512 = New-TestCertificate @LeafArgs -Name leaf512 -Issuer $Root -KeyType 'rsa:512'
    $LeafMd5 = New-TestCertificate @LeafArgs -Name leafmd5 -Issuer $Root -Digest md5
    $IntFile = Join-Pem -Path (Join-Path $Dir 'int-chain.pem') -Certificates $Int

    function Get-OpenSslGrade {
        # openssl s_server with -Cert (hashtable) and s_server options; the assessment, trusting this file's root.
        # -NoHttp as for the scenarios: s_server has no HTTP to read HSTS from.
        param([hashtable] $Cert, [string[]] $Arguments, [string] $Chain = $IntFile)
        $server = Start-OpenSslServer -Cert $Cert.Cert -Key $Cert.Key -Chain $Chain -ExtraArgs $Arguments
        try { Test-TlsServer -ComputerName 127.0.0.1 -Port $server.Port -TrustedRootPath $Root.Cert -NoHttp }
        finally { $server | Stop-TestServer }
    }

    function Get-NginxGrade {
        # nginx with -Directive lines in its server block; TLS 1.2 and 1.3, ECDHE-RSA AES-GCM, the leaf and intermediate.
        param([string[]] $Directive = @())
        $base = 'ssl_protocols TLSv1.2 TLSv1.3;', 'ssl_ciphers ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384;'
        $server = Start-NginxServer -Cert $Leaf.Cert -Key $Leaf.Key -Chain $Int.Cert -Directive ($base + $Directive)
        try { Test-TlsServer -ComputerName 127.0.0.1 -Port $server.Port -TrustedRootPath $Root.Cert }
        finally { $server | Stop-TestServer }
    }

    function Get-Cap([object] $Assessment, [string] $Rule) { @($Assessment.Caps | Where-Object Rule -EQ $Rule) }
}

AfterAll {
    $Servers | Stop-TlsTestServer
    Stop-AllTestServer
    Remove-Item -Recurse -Force $Dir -ErrorAction SilentlyContinue
}

Describe 'Scores: the guide''s arithmetic on a known server' {
    It 'Good (TLS 1.2 + 1.3, ECDHE x25519, AES-128/256-GCM and ChaCha20, RSA 2048): 100, 90, 90 and 93' {
        $r = $A['Good']
        # Protocol: best TLS 1.3 (100) + worst TLS 1.2 (100), / 2.
        $r.ProtocolScore | Should -Be 100
        # Key exchange: RSA 2048 (under 4096: 90 %); x25519 counts as RSA 3072 (SP 800-57), the weaker part decides.
        $r.KeyExchangeScore | Should -Be 90
        # Cipher: strongest 256 bits (100) + weakest 128 bits (80), / 2.
        $r.CipherScore | Should -Be 90
        # 0.3 * 100 + 0.3 * 90 + 0.4 * 90 = 93: A (score >= 80).
        $r.Score | Should -Be 93
    }

    It 'GoodEcdsa (ECDSA P-256): the key counts as RSA 3072, so key exchange is 90 as well' {
        $A['GoodEcdsa'].KeyExchangeScore | Should -Be 90
        $A['GoodEcdsa'].Score | Should -Be 93
    }

    It 'Ssl2Enabled: protocol (100 + 0) / 2 = 50, cipher (100 + 20 for 3DES 112 bits) / 2 = 60, score 66' {
        $r = $A['Ssl2Enabled']
        $r.ProtocolScore | Should -Be 50
        $r.CipherScore | Should -Be 60
        $r.KeyExchangeScore | Should -Be 90
        $r.Score | Should -Be 66
    }

    It 'WeakDh: the 1024-bit DH group limits the key exchange to 80 % (under 2048 bits), score 90' {
        $A['WeakDh'].KeyExchangeScore | Should -Be 80
        $A['WeakDh'].Score | Should -Be 90
    }

    It 'AnonymousDh: anonymous key exchange scores 0 %, and a zero category makes the score 0' {
        $A['AnonymousDh'].KeyExchangeScore | Should -Be 0
        $A['AnonymousDh'].Score | Should -Be 0
    }

    It 'NullCipher: no encryption scores 0 % for cipher strength, so the score is 0' {
        $A['NullCipher'].CipherScore | Should -Be 0
        $A['NullCipher'].Score | Should -Be 0
    }
}

Describe 'A healthy server' {
    It 'Good with -NoHttp: A from the score, no cap; A+ withheld because HSTS was not looked at' {
        $r = $A['Good']
        $r.Caps.Count | Should -Be 0 -Because 'TLS 1.3, forward secrecy, AEAD, RSA 2048 and a trusted chain leave nothing to cap'
        $r.Grade | Should -Be 'A'
        $r.NotChecked | Should -Match 'NoHsts'
    }

    It 'Good with the GET of /: its answer has no Strict-Transport-Security, NoHsts (2009r warning) makes it A-' {
        $GoodWithGet.Grade | Should -Be 'A-'
        @($GoodWithGet.Caps.Rule) | Should -Be @('NoHsts')
        $GoodWithGet.Score | Should -Be $A['Good'].Score -Because 'a warning caps the letter, never the score'
    }
}

Describe 'F caps' {
    It 'Ssl2Supported (2009c: SSL 2.0 is not allowed) and Drown (SSLv2 with the same RSA key): Ssl2Enabled is F' {
        $r = $A['Ssl2Enabled']
        $r.Grade | Should -Be 'F'
        (Get-Cap $r Ssl2Supported).Reason | Should -Be 'SSLv2 is accepted (SSL_CK_RC4_128_WITH_MD5, SSL_CK_DES_192_EDE3_CBC_WITH_MD5)'
        (Get-Cap $r Drown).Cap | Should -Be 'F'
        (Get-Cap $r Drown).Reason | Should -Match '^from the scan: SSLv2 is accepted \(SSL_CK_RC4_128_WITH_MD5, SSL_CK_DES_192_EDE3_CBC_WITH_MD5\) with this server''s RSA key'
        $r.Protocols | Should -Be 'SSLv2, TLS 1.2, TLS 1.3'
    }

    It 'Ssl3BestProtocol (December 2014: SSL 3 as best protocol is F): Ssl3Only is F, with Poodle (C) and Ssl3Supported (B) beside it' {
        $r = $A['Ssl3Only']
        $r.Grade | Should -Be 'F'
        (Get-Cap $r Ssl3BestProtocol).Cap | Should -Be 'F'
        # POODLE (2009h): SSL 3 with CBC suites caps at C; supporting SSL 3 caps at B (December 2014).
        (Get-Cap $r Poodle).Cap | Should -Be 'C'
        (Get-Cap $r Poodle).Reason | Should -Match '^SSL 3 is accepted with CBC suites \(POODLE\): TLS_RSA_WITH_AES_128_CBC_SHA'
        (Get-Cap $r Ssl3Supported).Cap | Should -Be 'B'
        # No chain from the full handshake (our client speaks no SSL 3): no score, but F needs none.
        $r.Score | Should -BeNullOrEmpty
        $r.NotChecked | Should -Match 'Score: the key exchange''s strength is unknown'
    }

    It 'ExportSuites (FREAK, March 2015: F): ExportCiphers is F, export key exchange 40 %' {
        $r = $A['ExportCiphers']
        $r.Grade | Should -Be 'F'
        (Get-Cap $r ExportSuites).Reason | Should -Match '^export suites are accepted: TLS_RSA_EXPORT_WITH_RC4_40_MD5'
        $r.KeyExchangeScore | Should -Be 40
    }

    It 'CipherUnder112 (suites weaker than 112 bits: F): WeakCiphers is F for single DES (56 bits)' {
        $r = $A['WeakCiphers']
        $r.Grade | Should -Be 'F'
        (Get-Cap $r CipherUnder112).Reason | Should -Be 'suites under 112 bits are accepted: TLS_RSA_WITH_DES_CBC_SHA (56 bits)'
    }

    It 'AnonymousKeyExchange (key exchange rating guide: anonymous 0 %): AnonymousDh is F' {
        $r = $A['AnonymousDh']
        $r.Grade | Should -Be 'F'
        (Get-Cap $r AnonymousKeyExchange).Reason | Should -Match '^anonymous \(unauthenticated\) key exchange is accepted: TLS_DH_anon_WITH_AES_128_CBC_SHA'
    }

    It 'KeyUnder1024 (2009e: keys under 1024 bits are insecure, F): a 512-bit RSA key is F' {
        $r = Get-OpenSslGrade $Leaf512 @('-no_tls1_3', '-cipher', 'ECDHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0') -Chain $null
        $r.Grade | Should -Be 'F'
        (Get-Cap $r KeyUnder1024).Reason | Should -Be 'the server key is RSA 512 bits'
        # Key or DH parameter strength under 1024 bits: 40 %.
        $r.KeyExchangeScore | Should -Be 40
        (Get-Cap $r KeyUnder2048).Cap | Should -Be 'B'
    }

    It 'Md5Signature (2009e: MD5 certificate signatures are insecure, F): a leaf signed with MD5 is F' {
        $r = Get-OpenSslGrade $LeafMd5 @('-cipher', 'DEFAULT:@SECLEVEL=0') -Chain $null
        $r.Grade | Should -Be 'F'
        (Get-Cap $r Md5Signature).Reason | Should -Match '^CN=localhost is signed with MD5 or MD2$'
    }
}

Describe 'T and M: trust and name, with the grade trust issues aside' {
    It 'NotTrusted (Certificate Inspection: <Scenario>): T, ignoring trust A' -ForEach @(
        @{ Scenario = 'Expired' }, @{ Scenario = 'NotYetValid' }, @{ Scenario = 'SelfSigned' }, @{ Scenario = 'UntrustedRoot' }
    ) {
        $r = $A[$Scenario]
        $r.Grade | Should -Be 'T'
        @($r.Caps.Rule) | Should -Be @('NotTrusted')
        (Get-Cap $r NotTrusted).Reason | Should -Match '\(ignoring trust, the grade is A\)$'
    }

    It 'NotTrusted and IncompleteChain: only the leaf sent, no AIA to complete it: T, ignoring trust B' {
        $r = $A['IncompleteChain']
        $r.Grade | Should -Be 'T'
        @($r.Caps.Rule) | Should -Be @('NotTrusted', 'IncompleteChain')
        (Get-Cap $r NotTrusted).Reason | Should -Match '\(ignoring trust, the grade is B\)$'
    }

    It 'Sha1Certificate (January 2017: SHA-1 certificates are not trusted): Sha1Signature is T' {
        $r = $A['Sha1Signature']
        $r.Grade | Should -Be 'T'
        (Get-Cap $r Sha1Certificate).Reason | Should -Match '^CN=sha1signature\.tlstools\.test, O=TlsTools test PKI is signed with SHA-1 \(ignoring trust, the grade is A\)$'
    }

    It 'NameMismatch (Certificate Inspection: domain name mismatch): WrongHost is M' {
        $r = $A['WrongHost']
        $r.Grade | Should -Be 'M'
        (Get-Cap $r NameMismatch).Reason | Should -Match 'other\.tlstools\.test but not wronghost\.tlstools\.test.*\(ignoring trust, the grade is A\)$'
    }
}

Describe 'C caps' {
    It 'NoTls12 (SSL Labs 1.17, May 2015: no TLS 1.2 is C): Tls10Only is C' {
        $r = $A['Tls10Only']
        $r.Grade | Should -Be 'C'
        (Get-Cap $r NoTls12).Reason | Should -Be 'neither TLS 1.2 nor TLS 1.3 is accepted'
    }

    It 'NoTls12 does not apply to a TLS 1.3-only server: Tls13Only is A' {
        $A['Tls13Only'].Grade | Should -Be 'A'
        $A['Tls13Only'].Caps.Count | Should -Be 0
    }

    It 'Block64WithModernProtocol (April 2017, Sweet32: 3DES with TLS 1.1 and later is C) and Rc4WithModernProtocol (May 2015: RC4 with TLS 1.1 and later is C): LegacyCiphers is C' {
        # OpenSSL 3 here serves neither 3DES nor RC4, so the scenario (BouncyCastle, RC4 on the wire) is the server.
        $r = $A['LegacyCiphers']
        $r.Grade | Should -Be 'C'
        @($r.Caps.Rule) | Should -Be @('Rc4WithModernProtocol', 'Block64WithModernProtocol', 'Rc4Supported')
        (Get-Cap $r Block64WithModernProtocol).Reason | Should -Be '64-bit block ciphers are accepted with TLS 1.1 or later: TLS_RSA_WITH_3DES_EDE_CBC_SHA (TLS 1.2)'
        (Get-Cap $r Rc4WithModernProtocol).Reason | Should -Be 'RC4 is accepted with TLS 1.1 or later: TLS_RSA_WITH_RC4_128_SHA (TLS 1.2)'
        # Cipher: 256 bits (100) + 3DES 112 bits (20), / 2 = 60; 0.3 * 100 + 0.3 * 90 + 0.4 * 60 = 81, an A the caps lower.
        $r.CipherScore | Should -Be 60
        $r.Score | Should -Be 81
    }

    It 'Rc4WithModernProtocol and Block64WithModernProtocol on WeakCiphers too (F there, from single DES)' {
        $r = $A['WeakCiphers']
        (Get-Cap $r Rc4WithModernProtocol).Reason | Should -Match '^RC4 is accepted with TLS 1\.1 or later: TLS_RSA_WITH_RC4_128_SHA \(TLS 1\.1\)'
        (Get-Cap $r Block64WithModernProtocol).Cap | Should -Be 'C'
        $r.Grade | Should -Be 'F'
    }

    It 'Poodle (2009h: SSL 3 with CBC is C): ExportCiphers has it beside ExportSuites (F)' {
        (Get-Cap $A['ExportCiphers'] Poodle).Cap | Should -Be 'C'
    }
}

Describe 'B caps' {
    It 'Tls10Or11 (2009q: TLS 1.0 or 1.1 is B): TLS 1.0-1.3 with ECDHE AES-GCM and AES-CBC is B' {
        $r = Get-OpenSslGrade $Leaf @('-cipher', 'ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-SHA:@SECLEVEL=0')
        $r.Grade | Should -Be 'B'
        @($r.Caps.Rule) | Should -Be @('Tls10Or11')
        (Get-Cap $r Tls10Or11).Reason | Should -Be 'TLS 1.0, TLS 1.1 accepted'
        # TLS 1.0 (90) is the worst protocol, TLS 1.3 (100) the best.
        $r.ProtocolScore | Should -Be 95
    }

    It 'NoForwardSecrecy (March 2018: B): NoForwardSecrecy (static RSA only) is B' {
        $r = $A['NoForwardSecrecy']
        $r.Grade | Should -Be 'B'
        (Get-Cap $r NoForwardSecrecy).Reason | Should -Be 'no accepted suite has forward secrecy'
    }

    It 'NoAead (March 2018: B): TLS 1.2 with ECDHE AES-CBC only is B' {
        $r = Get-OpenSslGrade $Leaf @('-tls1_2', '-cipher', 'ECDHE-RSA-AES128-SHA256')
        $r.Grade | Should -Be 'B'
        @($r.Caps.Rule) | Should -Be @('NoAead', 'NoTls13')
    }

    It 'Rc4Supported (December 2014: RC4 is B): Ssl2Enabled (RC4-MD5) and LegacyCiphers have it' {
        (Get-Cap $A['Ssl2Enabled'] Rc4Supported).Reason | Should -Be 'RC4 is accepted: SSL_CK_RC4_128_WITH_MD5 (SSLv2)'
        (Get-Cap $A['LegacyCiphers'] Rc4Supported).Reason | Should -Be 'RC4 is accepted: TLS_RSA_WITH_RC4_128_SHA (TLS 1.2)'
    }

    It 'IncompleteChain (December 2014: B): the leaf alone, its intermediate fetched by AIA, is B and trusted' {
        $r = Get-OpenSslGrade $Leaf @() -Chain $null
        $r.Grade | Should -Be 'B'
        @($r.Caps.Rule) | Should -Be @('IncompleteChain')
        (Get-Cap $r IncompleteChain).Reason | Should -Match 'Grade Test Intermediate'
    }

    It 'DhUnder2048 (key exchange table: under 2048 bits is 80 %, Logjam): WeakDh is B' {
        $r = $A['WeakDh']
        $r.Grade | Should -Be 'B'
        (Get-Cap $r DhUnder2048).Reason | Should -Match '^key-exchange parameters under 2048 bits: TLS_DHE_RSA_WITH_AES_128_GCM_SHA256 \(DH 1024 bits\)'
    }

    It 'KeyUnder2048 (2009e: keys under 2048 bits are B): WeakKey (RSA 1024) is B' {
        $r = $A['WeakKey']
        $r.Grade | Should -Be 'B'
        @($r.Caps.Rule) | Should -Be @('KeyUnder2048')
        (Get-Cap $r KeyUnder2048).Reason | Should -Be 'the server key is RSA 1024 bits'
    }
}

Describe 'Warnings (A-) and A+' {
    It 'NoTls13 (2009r: no TLS 1.3 is a warning, A-): TLS 1.2 only with ECDHE AES-GCM is A-' {
        $r = Get-OpenSslGrade $Leaf @('-tls1_2', '-cipher', 'ECDHE-RSA-AES128-GCM-SHA256')
        $r.Grade | Should -Be 'A-'
        @($r.Caps.Rule) | Should -Be @('NoTls13')
        (Get-Cap $r NoTls13).Reason | Should -Be 'TLS 1.3 is not accepted'
    }

    It 'NoHsts (2009r: HSTS missing or invalid is a warning, A-): nginx without the header is A-' {
        $r = Get-NginxGrade
        $r.Grade | Should -Be 'A-'
        @($r.Caps.Rule) | Should -Be @('NoHsts')
        (Get-Cap $r NoHsts).Reason | Should -Be 'the answer to GET / (200) has no Strict-Transport-Security header'
    }

    It 'NoHsts: max-age=0 disables HSTS, A-' {
        $r = Get-NginxGrade 'add_header Strict-Transport-Security "max-age=0" always;'
        $r.Grade | Should -Be 'A-'
        (Get-Cap $r NoHsts).Reason | Should -Be 'Strict-Transport-Security max-age=0 disables HSTS'
    }

    It 'HstsTooShort (2009e: A+ needs HSTS of at least 6 months): max-age=86400 is A' {
        $r = Get-NginxGrade 'add_header Strict-Transport-Security "max-age=86400" always;'
        $r.Grade | Should -Be 'A'
        @($r.Caps.Rule) | Should -Be @('HstsTooShort')
        (Get-Cap $r HstsTooShort).Reason | Should -Be 'HSTS max-age=86400 is under 15552000 seconds (6 months)'
    }

    It 'A+ (2009e: no warning, HSTS max-age of at least 6 months): nginx with max-age=63072000 is A+' {
        $r = Get-NginxGrade 'add_header Strict-Transport-Security "max-age=63072000" always;'
        $r.Grade | Should -Be 'A+'
        $r.Caps.Count | Should -Be 0
        $r.HstsMaxAge | Should -Be 63072000
    }
}

Describe 'Rules that need a vulnerability probe are NotChecked, never a silent pass' {
    It 'Tls10Only (CBC, RSA key exchange, TLS 1.0) lists every probe rule that could apply to it' {
        $notChecked = $A['Tls10Only'].NotChecked
        foreach ($rule in 'PoodleTls', 'OpenSslPaddingOracle', 'Ticketbleed', 'Robot', 'ZombiePoodle') {
            $notChecked | Should -Match "(^|; |, )$rule(, [A-Za-z]+)*: needs a vulnerability probe" -Because $rule
        }
    }

    It 'Drown (2009c: F) is decided by its check: SSLv2 refused on Tls10Only is NotVulnerable, so neither a cap nor NotChecked' {
        $r = $A['Tls10Only']
        $drown = $r.Vulnerabilities | Where-Object Name -EQ 'Drown'
        $drown.Verdict | Should -Be 'NotVulnerable'
        $drown.Evidence | Should -Match 'SSLv2 is refused here; key reuse on other hosts cannot be checked from here'
        $r.NotChecked | Should -Not -Match '\bDrown\b'
        @($r.Caps.Rule) | Should -Not -Contain 'Drown'
    }

    It 'Drown excluded with -ExcludeCheck is NotChecked, naming why' {
        $r = $Servers | Where-Object Scenario -EQ 'Tls10Only' | Test-TlsServer -NoHttp -ExcludeCheck Drown
        @($r.Vulnerabilities.Name) | Should -Not -Contain 'Drown'
        $r.NotChecked | Should -Match 'Drown: the Drown check was not run \(-Check, -ExcludeCheck\)'
    }

    It 'Compression (2009c: CRIME caps at B) is decided by its check: NotVulnerable on Tls10Only, so neither a cap nor NotChecked' {
        $r = $A['Tls10Only']
        ($r.Vulnerabilities | Where-Object Name -EQ 'Compression').Verdict | Should -Be 'NotVulnerable'
        $r.NotChecked | Should -Not -Match '\bCompression\b'
        @($r.Caps.Rule) | Should -Not -Contain 'Compression'
    }

    It 'InsecureRenegotiation (2009c, F) and NoSecureRenegotiation (2009e, A-) are decided by their checks: Tls10Only sends renegotiation_info' {
        $r = $A['Tls10Only']
        ($r.Vulnerabilities | Where-Object Name -EQ 'SecureRenegotiation').Evidence | Should -Be 'the TLS 1.0 ServerHello has an empty renegotiation_info extension (RFC 5746)'
        ($r.Vulnerabilities | Where-Object Name -EQ 'InsecureRenegotiation').Verdict | Should -Be 'NotVulnerable'
        $r.NotChecked | Should -Not -Match '\b(Insecure|NoSecure)Renegotiation\b'
        @($r.Caps.Rule) | Should -Not -Contain 'InsecureRenegotiation'
        @($r.Caps.Rule) | Should -Not -Contain 'NoSecureRenegotiation'
    }

    It 'Compression excluded with -ExcludeCheck is NotChecked again, naming why' {
        $r = $Servers | Where-Object Scenario -EQ 'Tls10Only' | Test-TlsServer -NoHttp -ExcludeCheck Compression
        @($r.Vulnerabilities.Name) | Should -Not -Contain 'Compression'
        $r.NotChecked | Should -Match 'Compression: the Compression check was not run \(-Check, -ExcludeCheck\)'
    }

    It 'CcsInjection (F) is decided by its check: NotVulnerable on Tls10Only (BouncyCastle refuses the early ChangeCipherSpec)' {
        $r = $A['Tls10Only']
        ($r.Vulnerabilities | Where-Object Name -EQ 'CcsInjection').Verdict | Should -Be 'NotVulnerable'
        $r.NotChecked | Should -Not -Match '\bCcsInjection\b'
        @($r.Caps.Rule) | Should -Not -Contain 'CcsInjection'
    }

    It 'Heartbleed (F) is decided by its check: NotVulnerable on Tls10Only (no heartbeat extension), so neither a cap nor NotChecked' {
        $r = $A['Tls10Only']
        ($r.Vulnerabilities | Where-Object Name -EQ 'Heartbleed').Verdict | Should -Be 'NotVulnerable'
        $r.NotChecked | Should -Not -Match '\bHeartbleed\b'
        @($r.Caps.Rule) | Should -Not -Contain 'Heartbleed'
    }

    It 'Tls13Only lists no probe rule: Heartbleed is NotApplicable there (heartbeat is not defined in TLS 1.3), and CBC, RSA or renegotiation rules cannot apply' {
        $notChecked = $A['Tls13Only'].NotChecked
        ($A['Tls13Only'].Vulnerabilities | Where-Object Name -EQ 'Heartbleed').Verdict | Should -Be 'NotApplicable'
        foreach ($rule in 'Heartbleed', 'InsecureRenegotiation', 'CcsInjection', 'PoodleTls', 'Robot', 'ZombiePoodle', 'Compression', 'NoSecureRenegotiation') {
            $notChecked | Should -Not -Match "\b$rule\b" -Because "$rule cannot apply to TLS 1.3"
        }
    }

    It 'a server whose chain was not obtained lists the certificate rules under NotChecked' {
        $A['NullCipher'].NotChecked | Should -Match 'Md5Signature, NameMismatch, NotTrusted, Sha1Certificate, IncompleteChain, KeyUnder2048: no certificate chain was obtained'
    }
}

Describe 'The rule table' {
    It '<Rule> (<Cap>) is triggered or listed by a test in this file' -ForEach $RuleRows {
        $text = Get-Content -Raw -LiteralPath $PSCommandPath
        # Each rule is named in an It title or in an assertion on Caps or NotChecked.
        ([regex]::Matches($text, "\b$Rule\b")).Count | Should -BeGreaterThan 0 -Because "$Rule needs a real server that triggers it"
    }

    It '<Rule> is documented in about_TlsTools with its cap and source' -ForEach $RuleRows {
        $about = Get-Content -Raw -LiteralPath (Join-Path $PSScriptRoot '../docs/en-US/about_TlsTools.md')
        $about | Should -Match ([regex]::Escape("- **$Rule** ($Cap, $Source):"))
    }
}
