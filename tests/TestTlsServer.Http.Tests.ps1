<#
    Test-TlsServer's one GET of / after the full handshake (issue 15, point 5), against real servers on 127.0.0.1:
    nginx with HSTS and its Server header, nginx redirecting / to /home (followed on the same connection), openssl
    s_server -www (no HSTS), -NoHttp, and a STARTTLS target (no GET). The GET costs no connection of its own:
    ConnectionCount is the same with -NoHttp. The bounds and the hostile servers are in the xunit tests
    (AssessmentHttpProbeTests), on real TLS bytes.
#>

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers/TestHelpers.psm1') -Force
    $ModulePath = Import-TlsToolsModule
    $ModuleVersion = (Get-Module TlsTools).Version

    $Dir = Join-Path ([IO.Path]::GetTempPath()) ('tlstools-http-' + [guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory -Path $Dir -Force | Out-Null
    $Root = New-TestCertificate -Dir $Dir -Name root -CommonName 'Http Test Root' -Ca -NotAfter (Get-Date).AddYears(2)
    $Leaf = New-TestCertificate -Dir $Dir -Name leaf -CommonName 'localhost' -DnsNames 'localhost' -IpAddresses '127.0.0.1' -Issuer $Root

    $Hsts = 'add_header Strict-Transport-Security "max-age=63072000; includeSubDomains; preload" always;'
    $Base = 'ssl_protocols TLSv1.2 TLSv1.3;', 'server_tokens on;', $Hsts
    $Nginx = Start-NginxServer -Cert $Leaf.Cert -Key $Leaf.Key -Directive $Base
    $AccessLog = Join-Path $Dir 'redirect-access.log'
    # An exact "location = /" wins over the helper's "location /": / redirects, /home answers 200.
    $NginxRedirect = Start-NginxServer -Cert $Leaf.Cert -Key $Leaf.Key -Directive ($Base + "access_log $AccessLog;", 'location = / { return 301 /home; }')

    $WithHttp = Test-TlsServer -ComputerName 127.0.0.1 -Port $Nginx.Port -TrustedRootPath $Root.Cert
    $NoHttp = Test-TlsServer -ComputerName 127.0.0.1 -Port $Nginx.Port -TrustedRootPath $Root.Cert -NoHttp
}

AfterAll {
    Stop-AllTestServer
    Remove-Item -Recurse -Force $Dir -ErrorAction SilentlyContinue
}

Describe 'The GET of / on nginx' {
    It 'reads the status, the Server header as sent, and HSTS with its directives' {
        $WithHttp.Http.StatusCode | Should -Be 200
        $WithHttp.Http.Server | Should -Match '^nginx/\d+\.\d+\.\d+$'
        $WithHttp.Http.StrictTransportSecurity | Should -Be 'max-age=63072000; includeSubDomains; preload'
        $WithHttp.Http.HstsMaxAge | Should -Be 63072000
        $WithHttp.Http.HstsIncludeSubDomains | Should -BeTrue
        $WithHttp.Http.HstsPreload | Should -BeTrue
        $WithHttp.Http.HstsProblem | Should -BeNullOrEmpty
        $WithHttp.Http.Redirects | Should -Be 0
        $WithHttp.Http.Problem | Should -BeNullOrEmpty
        $WithHttp.HstsMaxAge | Should -Be 63072000
        $WithHttp.NotChecked | Should -Not -Match 'NoHsts'
    }

    It 'gives HstsMaxAge its own CSV column' {
        $row = $WithHttp | ConvertTo-Csv -NoTypeInformation | ConvertFrom-Csv
        $row.HstsMaxAge | Should -Be '63072000'
    }

    It 'costs no connection of its own: ConnectionCount is the count with -NoHttp' {
        $WithHttp.ConnectionCount | Should -BeGreaterThan 1
        $WithHttp.ConnectionCount | Should -Be $NoHttp.ConnectionCount
    }

    It 'follows a same-origin redirect from / to /home on the same connection' {
        $r = Test-TlsServer -ComputerName 127.0.0.1 -Port $NginxRedirect.Port -TrustedRootPath $Root.Cert
        $r.Http.Redirects | Should -Be 1
        $r.Http.StatusCode | Should -Be 200
        $r.Http.RedirectNotFollowed | Should -BeNullOrEmpty
        $r.Http.Problem | Should -BeNullOrEmpty
        $r.HstsMaxAge | Should -Be 63072000
        $r.ConnectionCount | Should -Be $NoHttp.ConnectionCount -Because 'the redirect is followed on the connection already open'
        # nginx logged both requests, with this module's User-Agent.
        $requests = @(Get-Content -LiteralPath $AccessLog | Where-Object { $_ -match '"GET ' })
        @($requests | ForEach-Object { ($_ -split '"')[1] }) | Should -Be @('GET / HTTP/1.1', 'GET /home HTTP/1.1')
        $requests | ForEach-Object { $_ | Should -Match ([regex]::Escape("`"TlsTools/$ModuleVersion`"")) }
    }
}

Describe 'No GET, or no HSTS' {
    It '-NoHttp: Http and HstsMaxAge are null and NotChecked names HSTS' {
        $NoHttp.Http | Should -BeNullOrEmpty
        $NoHttp.HstsMaxAge | Should -BeNullOrEmpty
        $NoHttp.NotChecked | Should -Match 'NoHsts: -NoHttp: no GET of / was made'
    }

    It 'openssl s_server -www sends no HSTS: HstsMaxAge is null, the answer is read' {
        $server = Start-OpenSslServer -Cert $Leaf.Cert -Key $Leaf.Key
        $r = Test-TlsServer -ComputerName 127.0.0.1 -Port $server.Port -TrustedRootPath $Root.Cert
        $r.Http.StatusCode | Should -Be 200
        $r.Http.StrictTransportSecurity | Should -BeNullOrEmpty
        $r.Http.Server | Should -BeNullOrEmpty
        $r.HstsMaxAge | Should -BeNullOrEmpty
        $r.Caps.Rule | Should -Contain 'NoHsts'
    }

    It 'a -StartTls target gets no GET: Http is null and HSTS is not due' {
        $tls = Start-TlsTestServer -Scenario Good
        try {
            $peer = Start-StartTlsPeer -Protocol Smtp -TlsServer $tls
            $r = Test-TlsServer -ComputerName 127.0.0.1 -Port $peer.Port -StartTls Smtp -TrustedRootPath $tls.TrustedRootPath
            $r.Grade | Should -Not -BeNullOrEmpty
            $r.Http | Should -BeNullOrEmpty
            $r.HstsMaxAge | Should -BeNullOrEmpty
            "$($r.NotChecked)" | Should -Not -Match 'NoHsts'
        }
        finally { $tls | Stop-TlsTestServer }
    }
}
