<#
    Test-TlsServer's findings and recommended configurations, on real servers on 127.0.0.1.
      - The findings each misconfiguration raises: Start-TlsTestServer scenarios, openssl s_server and nginx; each
        with its Id, its severity, the evidence of what crossed the wire, and the lines that fix it.
      - The proof that the fixes are right: a real nginx (and Apache httpd and HAProxy) starts with a bad
        configuration, Test-TlsServer says what to change, the test writes the RecommendedConfiguration it gave into
        the server's configuration (only the certificate, key, OCSP response and DH file paths and the loopback
        address filled in), restarts the server, and Test-TlsServer -Profile then finds it compliant. The OCSP
        response the server staples is made here by `openssl ocsp` from this file's own CA.
#>

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers/TestHelpers.psm1') -Force
    $ModulePath = Import-TlsToolsModule
    $Work = Join-Path ([IO.Path]::GetTempPath()) "tlstools-findings-$PID"
    New-Item -ItemType Directory -Force -Path $Work | Out-Null

    # A root and an intermediate CA (ECDSA P-256, so a modern leaf is signed with ecdsa-with-SHA256 as the modern
    # profile asks) and two leaves for 127.0.0.1 and localhost, both within the modern lifespan (90 days): RSA 2048
    # and ECDSA P-256. Each server sends the leaf and the intermediate: the servers find the OCSP issuer there. The
    # CAs live a year, so no ExpiresSoon finding stands beside the ones under test.
    $Root = New-TestCertificate -Dir $Work -Name 'root' -CommonName 'TlsTools Findings Test Root' -Ca -KeyType 'ec:P-256' -NotAfter (Get-Date).ToUniversalTime().AddDays(365)
    $Ca = New-TestCertificate -Dir $Work -Name 'ca' -CommonName 'TlsTools Findings Test CA' -Ca -Issuer $Root -KeyType 'ec:P-256' -NotAfter (Get-Date).ToUniversalTime().AddDays(365)
    $CaPath = $Root.Cert
    function New-Leaf([string] $Name, [string] $KeyType) {
        $leaf = New-TestCertificate -Dir $Work -Name $Name -CommonName 'localhost' -Issuer $Ca -KeyType $KeyType -DnsNames 'localhost' -IpAddresses '127.0.0.1' `
            -NotBefore (Get-Date).ToUniversalTime().AddDays(-1) -NotAfter (Get-Date).ToUniversalTime().AddDays(60)
        # The OCSP response the server will staple: asked for and answered here, offline, by the issuing CA's own key.
        $index = Write-OcspIndex -Path (Join-Path $Work "$Name.index") -Valid $leaf
        $request = Join-Path $Work "$Name.ocsp-request.der"
        $response = Join-Path $Work "$Name.ocsp.der"
        Invoke-OpenSsl @('ocsp', '-issuer', $Ca.Cert, '-cert', $leaf.Cert, '-no_nonce', '-reqout', $request) | Out-Null
        Invoke-OpenSsl @('ocsp', '-index', $index, '-rsigner', $Ca.Cert, '-rkey', $Ca.Key, '-CA', $Ca.Cert, '-reqin', $request, '-respout', $response, '-ndays', '2') | Out-Null
        $leaf.FullChain = Join-Pem -Path (Join-Path $Work "$Name.fullchain.pem") -Certificates $leaf, $Ca
        $leaf.Ocsp = $response
        $leaf
    }
    $RsaLeaf = New-Leaf 'rsa' 'rsa:2048'
    $EcLeaf = New-Leaf 'ec' 'ec:P-256'
    $DhParam = Join-Path $Work 'ffdhe2048.pem'
    Invoke-OpenSsl @('genpkey', '-genparam', '-algorithm', 'DH', '-pkeyopt', 'group:ffdhe2048', '-out', $DhParam) | Out-Null

    function Resolve-ConfigurationPaths([string] $Text, [hashtable] $Leaf) {
        # What the administrator fills in: the files (ConfigurationPlaceholders) and here, the loopback address.
        $Text.Replace('/path/to/fullchain.pem', $Leaf.FullChain).Replace('/path/to/privkey.pem', $Leaf.Key).
            Replace('/path/to/ocsp-response.der', $Leaf.Ocsp).Replace('/path/to/dhparam.pem', $DhParam)
    }

    function Start-Nginx([string] $Name, [int] $Port, [string] $ServerBlock) {
        $prefix = Join-Path $Work "nginx-$Name"
        New-Item -ItemType Directory -Force -Path (Join-Path $prefix 'tmp'), (Join-Path $prefix 'www') | Out-Null
        Set-Content -LiteralPath (Join-Path $prefix 'www/index.html') -Value 'ok'
        Set-Content -LiteralPath (Join-Path $prefix 'nginx.conf') -Value @"
daemon off;
master_process off;
pid $prefix/nginx.pid;
error_log $prefix/error.log;
events { worker_connections 64; }
http {
    access_log off;
    client_body_temp_path $prefix/tmp/body; proxy_temp_path $prefix/tmp/proxy; fastcgi_temp_path $prefix/tmp/fastcgi;
    uwsgi_temp_path $prefix/tmp/uwsgi; scgi_temp_path $prefix/tmp/scgi;
$ServerBlock
}
"@
        $nginx = Assert-TestTool nginx -Package nginx
        Start-TestProcess -Name "nginx-$Name" -File $nginx -Arguments @('-p', $prefix, '-c', (Join-Path $prefix 'nginx.conf')) -Port $Port
    }

    function Get-NginxRecommendation([object] $Assessment, [hashtable] $Leaf, [int] $Port) {
        # The recommended nginx server block, bound to the loopback address only (the template listens on every one).
        $snippet = @($Assessment.RecommendedConfiguration | Where-Object Product -EQ 'nginx')
        $snippet.Count | Should -Be 1
        $text = Resolve-ConfigurationPaths $snippet[0].Text $Leaf
        $text = $text.Replace("listen $Port ssl;", "listen 127.0.0.1:${Port} ssl;").Replace("listen [::]:$Port ssl;", '')
        $text.Replace('root /var/www/html;', "root $Work/nginx-www;")
    }

    function Test-OpenSslRefuses([int] $Port, [string] $Switch) {
        # True when `openssl s_client` cannot complete a handshake with this version switch.
        $out = 'Q' | & openssl s_client -connect "127.0.0.1:$Port" $Switch 2>&1 | Out-String
        $out -notmatch 'Cipher is (?!\(NONE\))'
    }

    # A badly configured nginx, as many were left a decade ago: TLS 1.0 to 1.2, static-RSA and CBC suites first in
    # server order, no HSTS, no OCSP stapling. @SECLEVEL=0 lets OpenSSL 3 serve TLS 1.0 at all.
    $BadTls = @'
        ssl_protocols TLSv1 TLSv1.1 TLSv1.2;
        ssl_ciphers AES128-SHA:AES256-GCM-SHA384:ECDHE-RSA-AES128-SHA:ECDHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0;
        ssl_prefer_server_ciphers on;
'@
}

AfterAll {
    Stop-AllTestServer
    Remove-Item -Recurse -Force $Work -ErrorAction SilentlyContinue
}

Describe 'Findings on the module''s misconfigured test servers' {
    BeforeAll {
        $Servers = @(Start-TlsTestServer -Scenario Tls10Only, WeakCiphers, NoForwardSecrecy, IncompleteChain, WeakDh)
        $Assessments = @{}
        foreach ($server in $Servers) { $Assessments[$server.Scenario] = $server | Test-TlsServer -Profile intermediate }
        function Get-Finding([string] $Scenario, [string] $Id) { $Assessments[$Scenario].Findings | Where-Object Id -EQ $Id }
    }
    AfterAll { $Servers | Stop-TlsTestServer }

    It 'Tls10Only: TLS 1.0 accepted, TLS 1.2 and 1.3 missing, static RSA and CBC suites, no AEAD' {
        $f = Get-Finding Tls10Only Tls10Enabled
        $f.Severity | Should -Be 'High'
        $f.Evidence | Should -Be 'TLS 1.0 accepted (ServerHello TLS 1.0 to a TLS 1.0 ClientHello, TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA chosen)'
        $f.Remedy | Should -BeLike "Disable TLS 1.0 on the server and keep TLS 1.2 and TLS 1.3: nginx 'ssl_protocols TLSv1.2 TLSv1.3;'*"
        (Get-Finding Tls10Only Tls12Missing).Severity | Should -Be 'High'
        (Get-Finding Tls10Only Tls12Missing).Evidence | Should -Be 'TLS 1.2 refused: to a TLS 1.2 ClientHello, server answered TLS 1.0'
        (Get-Finding Tls10Only Tls13Missing).Evidence | Should -Be 'TLS 1.3 refused: to a TLS 1.3 ClientHello, alert protocol_version (70)'
        (Get-Finding Tls10Only NoForwardSecrecy).Evidence | Should -Be ('TLS_RSA_WITH_AES_128_CBC_SHA accepted with TLS 1.0 (RSA key exchange: no forward secrecy); ' +
            'TLS_RSA_WITH_AES_256_CBC_SHA accepted with TLS 1.0 (RSA key exchange: no forward secrecy)')
        (Get-Finding Tls10Only CbcCipherSuites).Severity | Should -Be 'Low'
        (Get-Finding Tls10Only NoAead).Evidence | Should -Be 'none of the 4 suites accepted is AEAD (GCM, CCM, CHACHA20-POLY1305)'
        # Worst first: the assessment orders its findings by severity.
        $Assessments.Tls10Only.Findings[0].Severity | Should -Be 'High'
        $Assessments.Tls10Only.WorstSeverity | Should -Be 'High'
    }

    It 'Tls10Only: the fixes name the versions and suites to switch off, per product' {
        $f = Get-Finding Tls10Only Tls10Enabled
        $f.Nginx | Should -Match '(?m)^ssl_protocols TLSv1\.2 TLSv1\.3;$'
        $f.Apache | Should -Match '(?m)^SSLProtocol -all \+TLSv1\.2 \+TLSv1\.3$'
        $f.HAProxy | Should -Match '(?m)^ssl-default-bind-options ssl-min-ver TLSv1\.2 no-tls-tickets$'
        $f.Windows | Should -Match ([regex]::Escape("foreach (`$version in 'TLS 1.0') {"))
        $f.Windows | Should -Match ([regex]::Escape('SCHANNEL\Protocols\$version\Server'))
        $f.Postfix | Should -Match '(?m)^smtpd_tls_protocols = >=TLSv1\.2$'
        $f.Dovecot | Should -Match '(?m)^ssl_min_protocol = TLSv1\.2$'
        $nfs = Get-Finding Tls10Only NoForwardSecrecy
        $nfs.Windows | Should -Be "# switch off the suites the server accepted that it should not (restart to apply)`n'TLS_RSA_WITH_AES_128_CBC_SHA', 'TLS_RSA_WITH_AES_256_CBC_SHA' | ForEach-Object { Disable-TlsCipherSuite -Name `$_ }"
        $nfs.Postfix | Should -Match '(?m)^smtpd_tls_exclude_ciphers = AES128-SHA, AES256-SHA$'
        $nfs.Nginx | Should -Match '(?m)^ssl_ciphers ECDHE-'
        $nfs.Nginx | Should -Not -Match 'ssl_ciphers .*\bAES128-SHA\b'
    }

    It 'WeakCiphers: 3DES, DES and RC4 are one Critical finding naming each suite and why' {
        $f = Get-Finding WeakCiphers InsecureCipherSuites
        $f.Severity | Should -Be 'Critical'
        $f.Evidence | Should -Match '^TLS_RSA_WITH_3DES_EDE_CBC_SHA accepted with TLS 1\.0, TLS 1\.1, TLS 1\.2 \(64-bit block cipher \(Sweet32\)\); '
        $f.Evidence | Should -Match 'TLS_RSA_WITH_RC4_128_MD5 accepted with TLS 1\.0, TLS 1\.1, TLS 1\.2 \(RC4 is broken \(RFC 7465\)\)'
        $f.Evidence | Should -Match 'TLS_RSA_WITH_DES_CBC_SHA accepted with TLS 1\.0, TLS 1\.1, TLS 1\.2 \(single DES: 56-bit key or less\)'
        $f.Postfix | Should -Match 'smtpd_tls_exclude_ciphers = DES-CBC3-SHA, ECDHE-RSA-DES-CBC3-SHA, '
        $Assessments.WeakCiphers.Findings[0].Id | Should -Be 'InsecureCipherSuites'
        (Get-Finding WeakCiphers Tls11Enabled).Severity | Should -Be 'High'
    }

    It 'NoForwardSecrecy: every static-RSA suite, AEAD or not' {
        $f = Get-Finding NoForwardSecrecy NoForwardSecrecy
        $f.Severity | Should -Be 'Medium'
        $f.Evidence | Should -BeLike 'TLS_RSA_WITH_AES_128_GCM_SHA256 accepted with TLS 1.2 (RSA key exchange: no forward secrecy); TLS_RSA_WITH_AES_256_GCM_SHA384 accepted with TLS 1.2 *'
        @($Assessments.NoForwardSecrecy.Findings.Id) | Should -Not -Contain 'NoAead'
    }

    It 'IncompleteChain: the chain problem is the finding, in its own words, with the full-chain fix' {
        $f = Get-Finding IncompleteChain IncompleteChain
        $f.Severity | Should -Be 'High'
        $f.Evidence | Should -BeLike "The server sent only the leaf certificate; its issuer 'CN=TlsTools Test Intermediate CA *' was not sent*"
        $f.Causes | Should -Match '(^|; )chain IncompleteChain(;|$)'
        $f.Remedy | Should -BeLike 'Serve the intermediate CA certificate(s) with the leaf*'
        $f.Nginx | Should -Match '(?m)^ssl_certificate /path/to/fullchain\.pem;$'
        $f.Windows | Should -Match 'Cert:\\LocalMachine\\CA'
    }

    It 'WeakDh: the 1024-bit prime the ServerKeyExchange carried' {
        $f = Get-Finding WeakDh WeakDhParameters
        $f.Severity | Should -Be 'High'
        $f.Evidence | Should -BeLike 'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256 accepted with TLS 1.2 (a 1024-bit DH prime in the ServerKeyExchange)*'
        $f.Nginx | Should -Match '(?m)^ssl_dhparam /path/to/dhparam\.pem;$'
        $f.Windows | Should -Match 'ServerMinKeyBitLength -Value 2048'
        # The client refuses the 1024-bit group, so the full handshake did not complete: nothing to say about stapling.
        @($Assessments.WeakDh.Findings.Id) | Should -Not -Contain 'OcspStaplingMissing'
    }

    It 'records every grade cap and profile deviation on the finding that answers it' {
        $a = $Assessments.Tls10Only
        $a.Caps.Count | Should -BeGreaterThan 0
        foreach ($cap in $a.Caps) {
            $answering = @($a.Findings | Where-Object { $_.Causes -and ($_.Causes -split '; ') -contains "grade $($cap.Cap) $($cap.Rule)" })
            $answering.Count | Should -BeGreaterThan 0 -Because "grade cap $($cap.Rule) ($($cap.Reason)) must be answered by a finding"
        }
        $a.ProfileDeviations.Count | Should -BeGreaterThan 0
        foreach ($deviation in $a.ProfileDeviations) {
            $answering = @($a.Findings | Where-Object { $_.Causes -and ($_.Causes -split '; ') -contains "$($deviation.Profile) $($deviation.Aspect)" })
            $answering.Count | Should -BeGreaterThan 0 -Because "deviation $deviation must be answered by a finding"
        }
        # TLS 1.0 is one finding, whoever else names it.
        @($a.Findings | Where-Object Id -EQ Tls10Enabled).Count | Should -Be 1
        (Get-Finding Tls10Only Tls10Enabled).Causes | Should -Match '(^|; )intermediate Protocol(;|$)'
    }
}

Describe 'Findings on openssl s_server' {
    It 'a TLS 1.2-only server with one static-RSA CBC suite, no stapling' {
        $server = Start-OpenSslServer -Cert $RsaLeaf.FullChain -Key $RsaLeaf.Key -ExtraArgs @('-tls1_2', '-cipher', 'AES128-SHA')
        try {
            $a = Test-TlsServer "127.0.0.1:$($server.Port)" -TrustedRootPath $CaPath -NoHttp
            @($a.Findings.Id) | Should -Contain 'Tls13Missing'
            @($a.Findings.Id) | Should -Contain 'OcspStaplingMissing'
            @($a.Findings.Id) | Should -Not -Contain 'Tls10Enabled'
            $f = $a.Findings | Where-Object Id -EQ NoForwardSecrecy
            $f.Evidence | Should -Be 'TLS_RSA_WITH_AES_128_CBC_SHA accepted with TLS 1.2 (RSA key exchange: no forward secrecy)'
            ($a.Findings | Where-Object Id -EQ OcspStaplingMissing).Evidence | Should -Be 'the full handshake (TLS 1.2) asked for a stapled OCSP response (status_request); the server sent none'
            # No Server header (-NoHttp) and no greeting: the product is unknown, so the configuration is for every one.
            $a.ServerSoftware | Should -BeNullOrEmpty
            @($a.RecommendedConfiguration.Product) | Should -Be @('nginx', 'Apache', 'HAProxy', 'Windows', 'Postfix', 'Dovecot')
        }
        finally { $server | Stop-TestServer }
    }
}

Describe 'The product from the STARTTLS greeting' {
    It 'names Dovecot from its IMAP greeting, and gives the Dovecot configuration only' {
        $mail = Start-MailServer -Cert $RsaLeaf.FullChain -Key $RsaLeaf.Key
        $a = Test-TlsServer "127.0.0.1:$($mail.Port)" -StartTls Imap -TrustedRootPath $CaPath
        $a.ServerSoftware | Should -Be 'Dovecot'
        @($a.RecommendedConfiguration.Product) | Should -Be @('Dovecot')
        $a.RecommendedConfiguration[0].Text | Should -Match '(?m)^ssl_min_protocol = TLSv1\.2$'
        $a.Http | Should -BeNullOrEmpty
    }
}

Describe 'nginx: the findings of a bad configuration, and the recommended one proven' {
    BeforeAll {
        $Port = Get-FreeTcpPort
        New-Item -ItemType Directory -Force -Path "$Work/nginx-www" | Out-Null
        Set-Content -LiteralPath "$Work/nginx-www/index.html" -Value 'ok'
        $script:Nginx = Start-Nginx 'bad' $Port @"
    server {
        listen 127.0.0.1:$Port ssl;
        ssl_certificate $($RsaLeaf.FullChain); ssl_certificate_key $($RsaLeaf.Key);
$BadTls
        location / { return 200 "ok\n"; }
    }
"@
        $Before = Test-TlsServer "127.0.0.1:$Port" -TrustedRootPath $CaPath -Profile intermediate
    }

    It 'says nginx, not intermediate, and what to change' {
        $Before.ServerSoftware | Should -Be 'nginx'
        $Before.Intermediate | Should -BeFalse
        $ids = @($Before.Findings.Id)
        foreach ($id in 'Tls10Enabled', 'Tls11Enabled', 'NoForwardSecrecy', 'CbcCipherSuites', 'HstsMissing', 'OcspStaplingMissing', 'ServerCipherOrder') {
            $ids | Should -Contain $id
        }
        ($Before.Findings | Where-Object Id -EQ HstsMissing).Evidence | Should -Be 'GET / answered 200 with no Strict-Transport-Security header'
        ($Before.Findings | Where-Object Id -EQ Tls11Enabled).Nginx | Should -Match '(?m)^ssl_protocols TLSv1\.2 TLSv1\.3;$'
        ($Before.Findings | Where-Object Id -EQ HstsMissing).Nginx | Should -Match '(?m)^add_header Strict-Transport-Security "max-age=63072000" always;$'
        ($Before.Findings | Where-Object Id -EQ ServerCipherOrder).Nginx | Should -Be 'ssl_prefer_server_ciphers off;'
        $Before.ClosestProfile | Should -Be 'intermediate'
        @($Before.RecommendedConfiguration | ForEach-Object { "$($_.Product) $($_.For)" }) | Should -Be 'nginx intermediate'
    }

    It 'reconfigured with RecommendedConfiguration (intermediate), it is compliant' {
        $script:Nginx | Stop-TestServer
        $block = Get-NginxRecommendation $Before $RsaLeaf $Port
        $script:Nginx = Start-Nginx 'intermediate' $Port $block
        $after = Test-TlsServer "127.0.0.1:$Port" -TrustedRootPath $CaPath -Profile intermediate
        $after.ProfileDeviations | Should -BeNullOrEmpty
        $after.Intermediate | Should -BeTrue
        $after.HstsMaxAge | Should -Be 63072000
        foreach ($id in 'Tls10Enabled', 'Tls11Enabled', 'NoForwardSecrecy', 'CbcCipherSuites', 'HstsMissing', 'OcspStaplingMissing', 'ServerCipherOrder') {
            @($after.Findings.Id) | Should -Not -Contain $id
        }
        Test-TlsServer "127.0.0.1:$Port" -TrustedRootPath $CaPath -Profile intermediate -Quiet | Should -BeTrue
        # Cross-checks with a client nobody here wrote: TLS 1.1 refused, the stapled response is the CA's "good".
        Test-OpenSslRefuses $Port '-tls1_1' | Should -BeTrue
        $status = 'Q' | & openssl s_client -connect "127.0.0.1:$Port" -status -CAfile $CaPath 2>&1 | Out-String
        $status | Should -Match 'OCSP Response Status: successful'
        $status | Should -Match 'Cert Status: good'
    }

    It 'with an ECDSA P-256 certificate of 60 days, RecommendedConfiguration (modern) makes it modern' {
        $script:Nginx | Stop-TestServer
        $script:Nginx = Start-Nginx 'bad-ec' $Port @"
    server {
        listen 127.0.0.1:$Port ssl;
        ssl_certificate $($EcLeaf.FullChain); ssl_certificate_key $($EcLeaf.Key);
        ssl_protocols TLSv1.2 TLSv1.3;
        ssl_ciphers ECDHE-ECDSA-AES128-SHA:ECDHE-ECDSA-AES128-GCM-SHA256;
        location / { return 200 "ok\n"; }
    }
"@
        $before = Test-TlsServer "127.0.0.1:$Port" -TrustedRootPath $CaPath -Profile modern
        $before.Modern | Should -BeFalse
        @($before.Findings.Id) | Should -Contain 'ProtocolsNotAsProfile'
        @($before.RecommendedConfiguration | ForEach-Object { "$($_.Product) $($_.For)" }) | Should -Be 'nginx modern'
        $block = Get-NginxRecommendation $before $EcLeaf $Port
        $block | Should -Match '(?m)^\s*ssl_protocols TLSv1\.3;$'
        $script:Nginx | Stop-TestServer
        $script:Nginx = Start-Nginx 'modern' $Port $block
        $after = Test-TlsServer "127.0.0.1:$Port" -TrustedRootPath $CaPath -Profile modern
        $after.ProfileDeviations | Should -BeNullOrEmpty
        $after.Modern | Should -BeTrue
        Test-TlsServer "127.0.0.1:$Port" -TrustedRootPath $CaPath -Profile modern -Quiet | Should -BeTrue
        Test-OpenSslRefuses $Port '-tls1_2' | Should -BeTrue
    }
}

Describe 'Apache httpd: the recommended configuration proven' {
    BeforeAll {
        $apache = Assert-TestTool apache2 -Package apache2
        $Modules = '/usr/lib/apache2/modules'
        $Port = Get-FreeTcpPort
        # The OCSP responder Apache fetches the staple from: mod_ssl asks the URL the leaf names, or this forced one.
        $OcspPort = Get-FreeTcpPort
        $Index = Write-OcspIndex -Path (Join-Path $Work 'apache.index') -Valid $RsaLeaf
        $null = Start-OcspResponder -Ca $Ca -Index $Index -Port $OcspPort
        function Start-Apache([string] $Name, [string] $Body) {
            $dir = Join-Path $Work "apache-$Name"
            New-Item -ItemType Directory -Force -Path "$dir/www" | Out-Null
            Set-Content -LiteralPath "$dir/www/index.html" -Value 'ok'
            Set-Content -LiteralPath "$dir/httpd.conf" -Value @"
Define APACHE_RUN_DIR $dir
ServerRoot $dir
ServerName localhost
PidFile $dir/httpd.pid
Mutex file:$dir default
ErrorLog /dev/stderr
LogLevel warn
TypesConfig /dev/null
User nobody
Group nogroup
LoadModule mpm_event_module $Modules/mod_mpm_event.so
LoadModule authz_core_module $Modules/mod_authz_core.so
LoadModule mime_module $Modules/mod_mime.so
LoadModule dir_module $Modules/mod_dir.so
LoadModule headers_module $Modules/mod_headers.so
LoadModule socache_shmcb_module $Modules/mod_socache_shmcb.so
LoadModule ssl_module $Modules/mod_ssl.so
DocumentRoot $dir/www
<Directory $dir/www>
    Require all granted
</Directory>
$Body
"@
            Start-TestProcess -Name "apache-$Name" -File $apache -Arguments @('-f', "$dir/httpd.conf", '-DFOREGROUND') -Port $Port
        }
        $Bad = Start-Apache 'bad' @"
Listen 127.0.0.1:$Port
<VirtualHost 127.0.0.1:$Port>
    SSLEngine on
    SSLCertificateFile $($RsaLeaf.FullChain)
    SSLCertificateKeyFile $($RsaLeaf.Key)
    SSLProtocol -all +TLSv1 +TLSv1.1 +TLSv1.2
    SSLCipherSuite AES128-SHA:ECDHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0
    SSLHonorCipherOrder on
</VirtualHost>
"@
        $Before = Test-TlsServer "127.0.0.1:$Port" -TrustedRootPath $CaPath -Profile intermediate
    }

    It 'says Apache and gives the Apache configuration' {
        $Before.ServerSoftware | Should -Be 'Apache'
        $Before.Intermediate | Should -BeFalse
        @($Before.Findings.Id) | Should -Contain 'Tls10Enabled'
        ($Before.Findings | Where-Object Id -EQ Tls10Enabled).Apache | Should -Match '(?m)^SSLProtocol -all \+TLSv1\.2 \+TLSv1\.3$'
        @($Before.RecommendedConfiguration | ForEach-Object { "$($_.Product) $($_.For)" }) | Should -Be 'Apache intermediate'
    }

    It 'reconfigured with RecommendedConfiguration (intermediate), it is compliant' {
        $Bad | Stop-TestServer
        $text = Resolve-ConfigurationPaths $Before.RecommendedConfiguration[0].Text $RsaLeaf
        $text = $text.Replace("Listen $Port", "Listen 127.0.0.1:$Port").Replace("<VirtualHost *:$Port>", "<VirtualHost 127.0.0.1:$Port>")
        # The test's responder stands in for the CA's OCSP URL (the leaf names none).
        $text += "`nSSLStaplingForceURL http://127.0.0.1:$OcspPort"
        $null = Start-Apache 'intermediate' $text
        $after = Test-TlsServer "127.0.0.1:$Port" -TrustedRootPath $CaPath -Profile intermediate
        $after.ProfileDeviations | Should -BeNullOrEmpty
        $after.Intermediate | Should -BeTrue
        $after.HstsMaxAge | Should -Be 63072000
        Test-OpenSslRefuses $Port '-tls1_1' | Should -BeTrue
    }
}

Describe 'HAProxy: the recommended configuration proven' {
    BeforeAll {
        $haproxy = Assert-TestTool haproxy -Package haproxy
        $Port = Get-FreeTcpPort
        $Backend = Start-StaticHttpServer -Root $Work
        # HAProxy reads the key and the OCSP response from files beside the certificate: <crt>.key, <crt>.ocsp.
        Copy-Item -LiteralPath $RsaLeaf.Key -Destination "$($RsaLeaf.FullChain).key"
        function Start-HAProxy([string] $Name, [string] $Config) {
            $dir = Join-Path $Work "haproxy-$Name"
            New-Item -ItemType Directory -Force -Path $dir | Out-Null
            Set-Content -LiteralPath "$dir/haproxy.cfg" -Value $Config
            Start-TestProcess -Name "haproxy-$Name" -File $haproxy -Arguments @('-db', '-f', "$dir/haproxy.cfg") -Port $Port
        }
        $Defaults = "defaults`n    mode http`n    timeout connect 5s`n    timeout client 10s`n    timeout server 10s`n"
        $Bad = Start-HAProxy 'bad' @"
global
    ssl-default-bind-options ssl-min-ver TLSv1.0
$Defaults
frontend https
    bind 127.0.0.1:${Port} ssl crt $($RsaLeaf.FullChain) ciphers AES128-SHA:ECDHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0
    http-after-response set-header Server HAProxy
    default_backend app
backend app
    server app1 $($Backend.Address):$($Backend.Port)
"@
        $Before = Test-TlsServer "127.0.0.1:$Port" -TrustedRootPath $CaPath -Profile intermediate
    }

    It 'says HAProxy (from the Server header its frontend sets) and gives the HAProxy configuration' {
        $Before.ServerSoftware | Should -Be 'HAProxy'
        $Before.Intermediate | Should -BeFalse
        @($Before.Findings.Id) | Should -Contain 'Tls10Enabled'
        @($Before.RecommendedConfiguration | ForEach-Object { "$($_.Product) $($_.For)" }) | Should -Be 'HAProxy intermediate'
    }

    It 'reconfigured with RecommendedConfiguration (intermediate), it is compliant' {
        $Bad | Stop-TestServer
        Copy-Item -LiteralPath $RsaLeaf.Ocsp -Destination "$($RsaLeaf.FullChain).ocsp"
        $text = Resolve-ConfigurationPaths $Before.RecommendedConfiguration[0].Text $RsaLeaf
        $text = $text.Replace("bind :$Port ", "bind 127.0.0.1:${Port} ").Replace('server app1 127.0.0.1:8080', "server app1 $($Backend.Address):$($Backend.Port)")
        $text = $text.Replace("`nfrontend https", "`n$Defaults`nfrontend https")
        $null = Start-HAProxy 'intermediate' $text
        $after = Test-TlsServer "127.0.0.1:$Port" -TrustedRootPath $CaPath -Profile intermediate
        $after.ProfileDeviations | Should -BeNullOrEmpty
        $after.Intermediate | Should -BeTrue
        $after.HstsMaxAge | Should -Be 63072000
        Test-OpenSslRefuses $Port '-tls1_1' | Should -BeTrue
    }
}
