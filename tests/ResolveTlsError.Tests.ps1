<#
    Resolve-TlsError against real text from real tools failing against real servers started here, on 127.0.0.1 only:
      - openssl s_server instances (self-signed, TLS 1.0 only, one suite, client certificate required, expired) and a
        plain HTTP server (python3 -m http.server);
      - clients: openssl s_client, curl, wget, node, python3's ssl module, Java's JSSE, .NET SslStream, HttpClient and
        Invoke-WebRequest/Invoke-RestMethod in this process; each scenario's text must resolve to the scenario's cause
        (or, for a text that names several, to its causes in order);
      - a real nginx (its own prefix and config in a temp folder) whose error log records failed handshakes; the log
        piped through Resolve-TlsError | Group-Object Category gives the count of each cause.
    curl, wget, nginx, nodejs, python3 and java come from Debian's packages (build.ps1 Test installs them; a missing one fails
    its tests, naming the package). Browsers and Schannel cannot run here: their samples are HAND-WRITTEN and marked so.
#>

BeforeAll {
    $RepoRoot = Split-Path -Parent $PSScriptRoot
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers/TestHelpers.psm1') -Force
    $ModulePath = Import-TlsToolsModule

    $Work = Join-Path ([IO.Path]::GetTempPath()) ("tlstools-resolve-" + [guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory -Path $Work | Out-Null
    $Cert = Join-Path $Work 'c.pem'; $Key = Join-Path $Work 'k.pem'; $Expired = Join-Path $Work 'expired.pem'
    & openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=localhost -days 2 -keyout $Key -out $Cert *> $null
    # notAfter one day before notBefore: expired from the first second.
    & openssl req -new -key $Key -subj /CN=localhost -out (Join-Path $Work 'r.csr') *> $null
    & openssl x509 -req -in (Join-Path $Work 'r.csr') -signkey $Key -days -1 -out $Expired *> $null


    function Start-SServer([string] $Options, [string] $Certificate = $Cert) {
        # s_server on 127.0.0.1 with this run's certificate; -quiet keeps its log to the failures. Returns the port.
        (Start-OpenSslServer -Cert $Certificate -Key $Key -ExtraArgs (@('-quiet') + ($Options -split ' ' | Where-Object { $_ }))).Port
    }

    # The misconfigured servers every client is pointed at.
    $Servers = @{
        SelfSigned = Start-SServer ''
        Tls10Only  = Start-SServer '-tls1 -cipher DEFAULT@SECLEVEL=0'
        OneSuite   = Start-SServer '-tls1_2 -cipher AES128-SHA'
        ClientCert = Start-SServer '-Verify 1'
        Expired    = Start-SServer '' $Expired
    }
    $Servers.PlainHttp = (Start-StaticHttpServer -Root $Work).Port

    function Resolve-Text([string[]] $Lines) {
        # What a user pastes: the tool's whole output as one text. The most specific known message in it decides.
        @(($Lines -join "`n") | Resolve-TlsError)
    }
}

AfterAll {
    Stop-AllTestServer
    if ($Work -and (Test-Path $Work)) { Remove-Item -Recurse -Force $Work }
}

Describe 'Real openssl s_client errors' {
    It '<Scenario> resolves to <Category>' -ForEach @(
        @{ Scenario = 'self-signed certificate'; Server = 'SelfSigned'; Options = @('-verify_return_error'); Category = 'SelfSigned' }
        @{ Scenario = 'TLS 1.0-only server, client TLS 1.2'; Server = 'Tls10Only'; Options = @('-tls1_2', '-CAfile', '{cert}'); Category = 'ProtocolVersionMismatch' }
        @{ Scenario = 'no shared cipher'; Server = 'OneSuite'; Options = @('-tls1_2', '-cipher', 'ECDHE-RSA-AES256-GCM-SHA384', '-CAfile', '{cert}'); Category = 'NoSharedCipher' }
        @{ Scenario = 'client certificate required'; Server = 'ClientCert'; Options = @('-CAfile', '{cert}', '-ign_eof'); Category = 'ClientCertificateRequired' }
        @{ Scenario = 'plain HTTP on the port'; Server = 'PlainHttp'; Options = @(); Category = 'NotTls' }
        @{ Scenario = 'expired certificate'; Server = 'Expired'; Options = @('-CAfile', '{expired}', '-verify_return_error'); Category = 'CertificateExpired' }
        @{ Scenario = 'name mismatch'; Server = 'SelfSigned'; Options = @('-CAfile', '{cert}', '-verify_hostname', 'other.test', '-verify_return_error'); Category = 'NameMismatch' }
    ) {
        $options = $Options -replace '\{cert\}', $Cert -replace '\{expired\}', $Expired
        $output = "GET / HTTP/1.0`r`n`r`n" | & openssl s_client -connect "127.0.0.1:$($Servers[$Server])" -servername localhost @options 2>&1 | ForEach-Object { "$_" }
        $result = Resolve-Text $output
        $result.Count | Should -Be 1
        $result[0].Category | Should -Be $Category -Because ($output -join "`n")
        $result[0].Remedy | Should -Not -BeNullOrEmpty
    }
}

Describe 'Real curl errors' {
    BeforeAll { $Curl = Assert-TestTool curl -Package curl }

    It '<Scenario> resolves to <Category>' -ForEach @(
        @{ Scenario = 'self-signed certificate (exit 60)'; Server = 'SelfSigned'; Options = @(); Url = 'https://localhost:{port}/'; Category = 'SelfSigned' }
        @{ Scenario = 'no shared cipher (exit 35)'; Server = 'OneSuite'; Options = @('--tlsv1.2', '--tls-max', '1.2', '--ciphers', 'ECDHE-RSA-AES256-GCM-SHA384', '--cacert', '{cert}'); Url = 'https://localhost:{port}/'; Category = 'NoSharedCipher' }
        @{ Scenario = 'TLS 1.0-only server (exit 35)'; Server = 'Tls10Only'; Options = @('--tlsv1.2', '--cacert', '{cert}'); Url = 'https://localhost:{port}/'; Category = 'ProtocolVersionMismatch' }
        @{ Scenario = 'client certificate required (exit 56)'; Server = 'ClientCert'; Options = @('--cacert', '{cert}'); Url = 'https://localhost:{port}/'; Category = 'ClientCertificateRequired' }
        @{ Scenario = 'plain HTTP on the port (exit 35)'; Server = 'PlainHttp'; Options = @(); Url = 'https://localhost:{port}/'; Category = 'NotTls' }
        @{ Scenario = 'expired certificate (exit 60)'; Server = 'Expired'; Options = @('--cacert', '{expired}'); Url = 'https://localhost:{port}/'; Category = 'CertificateExpired' }
        @{ Scenario = 'name mismatch (exit 60)'; Server = 'SelfSigned'; Options = @('--cacert', '{cert}'); Url = 'https://127.0.0.1:{port}/'; Category = 'NameMismatch' }
    ) {
        $options = $Options -replace '\{cert\}', $Cert -replace '\{expired\}', $Expired
        $url = $Url -replace '\{port\}', $Servers[$Server]
        $output = & $Curl -sS --max-time 10 @options $url -o /dev/null 2>&1 | ForEach-Object { "$_" }
        $LASTEXITCODE | Should -Not -Be 0
        $result = Resolve-Text $output
        $result[0].Category | Should -Be $Category -Because ($output -join "`n")
    }
}

Describe 'Real python3 ssl module errors' {
    BeforeAll {
        $Python = Assert-TestTool python3 -Package python3
        $Script = Join-Path $Work 'probe.py'
        Set-Content -LiteralPath $Script -Value @'
import ssl, socket, sys
port, ca, host, ciphers = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
ctx = ssl.create_default_context(cafile=None if ca == '-' else ca)
if ciphers != '-':
    ctx.set_ciphers(ciphers)
try:
    with socket.create_connection(('127.0.0.1', port), timeout=10) as s:
        with ctx.wrap_socket(s, server_hostname=host) as t:
            t.sendall(b'GET / HTTP/1.0\r\n\r\n'); t.recv(100)
    print('ok')
except Exception as e:
    print(f'{type(e).__module__}.{type(e).__name__}: {e}')
'@
    }

    It '<Scenario> resolves to <Category>' -ForEach @(
        @{ Scenario = 'self-signed certificate'; Server = 'SelfSigned'; Ca = '-'; HostName = 'localhost'; Ciphers = '-'; Category = 'SelfSigned' }
        @{ Scenario = 'TLS 1.0-only server'; Server = 'Tls10Only'; Ca = '{cert}'; HostName = 'localhost'; Ciphers = '-'; Category = 'ProtocolVersionMismatch' }
        @{ Scenario = 'no shared cipher'; Server = 'OneSuite'; Ca = '{cert}'; HostName = 'localhost'; Ciphers = 'ECDHE-RSA-AES256-GCM-SHA384'; Category = 'NoSharedCipher' }
        @{ Scenario = 'client certificate required'; Server = 'ClientCert'; Ca = '{cert}'; HostName = 'localhost'; Ciphers = '-'; Category = 'ClientCertificateRequired' }
        @{ Scenario = 'plain HTTP on the port'; Server = 'PlainHttp'; Ca = '-'; HostName = 'localhost'; Ciphers = '-'; Category = 'NotTls' }
        @{ Scenario = 'expired certificate'; Server = 'Expired'; Ca = '{expired}'; HostName = 'localhost'; Ciphers = '-'; Category = 'CertificateExpired' }
        @{ Scenario = 'name mismatch'; Server = 'SelfSigned'; Ca = '{cert}'; HostName = 'other.test'; Ciphers = '-'; Category = 'NameMismatch' }
    ) {
        $ca = $Ca -replace '\{cert\}', $Cert -replace '\{expired\}', $Expired
        $output = & $Python $Script $Servers[$Server] $ca $HostName $Ciphers 2>&1 | ForEach-Object { "$_" }
        $output | Should -Not -Be 'ok'
        $result = Resolve-Text $output
        $result[0].Category | Should -Be $Category -Because ($output -join "`n")
        $result[0].Source | Should -BeIn 'python', 'openssl'
    }
}

Describe 'Java (JSSE) errors' {
    BeforeAll {
        $Java = Assert-TestTool java -Package default-jre-headless
        $JavaCases = @(
            @{ Id = 'untrusted'; Server = 'SelfSigned'; Ca = '-'; HostName = 'localhost'; Cipher = '-'; Category = 'UntrustedRoot' }
            @{ Id = 'version'; Server = 'Tls10Only'; Ca = '{cert}'; HostName = 'localhost'; Cipher = '-'; Category = 'ProtocolVersionMismatch' }
            @{ Id = 'cipher'; Server = 'OneSuite'; Ca = '{cert}'; HostName = 'localhost'; Cipher = 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384'; Category = 'NoSharedCipher' }
            @{ Id = 'clientcert'; Server = 'ClientCert'; Ca = '{cert}'; HostName = 'localhost'; Cipher = '-'; Category = 'ClientCertificateRequired' }
            @{ Id = 'nottls'; Server = 'PlainHttp'; Ca = '{cert}'; HostName = 'localhost'; Cipher = '-'; Category = 'NotTls' }
            @{ Id = 'name'; Server = 'SelfSigned'; Ca = '{cert}'; HostName = 'other.test'; Cipher = '-'; Category = 'NameMismatch' }
        )
        $JavaText = @{}
        # One JVM for every scenario: java runs the single source file directly (Java 11+).
        $specs = foreach ($c in $JavaCases) { "$($c.Id)|$($Servers[$c.Server])|$($c.Ca -replace '\{cert\}', $Cert)|$($c.HostName)|$($c.Cipher)" }
        foreach ($line in (& $Java (Join-Path $PSScriptRoot 'TestData/TlsErrorProbe.java') @specs 2>&1 | ForEach-Object { "$_" })) {
            $id, $text = $line -split "`t", 2
            if ($text) { $JavaText[$id] = $text }
        }
    }

    It 'explains every scenario by its cause' {
        $wrong = foreach ($c in $JavaCases) {
            $text = $JavaText[$c.Id]
            $result = @($text | Resolve-TlsError)
            if ($result.Count -ne 1 -or $result[0].Category -ne $c.Category -or $result[0].Source -ne 'java') { "$($c.Id): '$text' -> $($result.Category) from $($result.Source), expected $($c.Category)" }
        }
        $wrong | Should -BeNullOrEmpty
    }
}

Describe '.NET SslStream and HttpClient errors (in this process)' {
    BeforeAll {
        function Invoke-SslStream([int] $Port, [string] $HostName, [string] $TrustFile, [string[]] $Suites, [System.Security.Authentication.SslProtocols] $Protocols = 'None') {
            $client = [System.Net.Sockets.TcpClient]::new()
            try {
                $client.Connect([System.Net.IPAddress]::Loopback, $Port)
                $stream = [System.Net.Security.SslStream]::new($client.GetStream(), $false)
                $options = [System.Net.Security.SslClientAuthenticationOptions]::new()
                $options.TargetHost = $HostName
                if ($TrustFile) {
                    # Trust exactly this certificate, so the only problem left is the scenario's.
                    $policy = [System.Security.Cryptography.X509Certificates.X509ChainPolicy]::new()
                    $policy.TrustMode = [System.Security.Cryptography.X509Certificates.X509ChainTrustMode]::CustomRootTrust
                    $policy.RevocationMode = 'NoCheck'
                    [void] $policy.CustomTrustStore.Add([System.Security.Cryptography.X509Certificates.X509Certificate2]::new($TrustFile))
                    $options.CertificateChainPolicy = $policy
                }
                if ($Protocols -ne 'None') { $options.EnabledSslProtocols = $Protocols }
                if ($Suites) { $options.CipherSuitesPolicy = [System.Net.Security.CipherSuitesPolicy]::new([System.Net.Security.TlsCipherSuite[]] $Suites) }
                $stream.AuthenticateAsClientAsync($options).GetAwaiter().GetResult()
                $request = [Text.Encoding]::ASCII.GetBytes("GET / HTTP/1.0`r`n`r`n")
                $stream.Write($request, 0, $request.Length)
                $buffer = [byte[]]::new(16)
                [void] $stream.Read($buffer, 0, $buffer.Length)
                $null
            } catch {
                $_.Exception
            } finally {
                $client.Dispose()
            }
        }
    }

    It '<Scenario> resolves to <Category>' -ForEach @(
        @{ Scenario = 'self-signed certificate (UntrustedRoot chain status)'; Server = 'SelfSigned'; HostName = 'localhost'; Trust = $null; Suites = $null; Protocols = 'None'; Category = 'UntrustedRoot' }
        @{ Scenario = 'no shared cipher'; Server = 'OneSuite'; HostName = 'localhost'; Trust = '{cert}'; Suites = @('TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384'); Protocols = 'Tls12'; Category = 'NoSharedCipher' }
        # s_server answers a TLS 1.0-only mismatch with handshake_failure to .NET; a TLS 1.3-only client against a TLS 1.2-only server gets protocol_version.
        @{ Scenario = 'TLS 1.3-only client, TLS 1.2-only server'; Server = 'OneSuite'; HostName = 'localhost'; Trust = '{cert}'; Suites = $null; Protocols = 'Tls13'; Category = 'ProtocolVersionMismatch' }
        @{ Scenario = 'client certificate required'; Server = 'ClientCert'; HostName = 'localhost'; Trust = '{cert}'; Suites = $null; Protocols = 'None'; Category = 'ClientCertificateRequired' }
        @{ Scenario = 'plain HTTP on the port'; Server = 'PlainHttp'; HostName = 'localhost'; Trust = $null; Suites = $null; Protocols = 'None'; Category = 'NotTls' }
        @{ Scenario = 'expired certificate'; Server = 'Expired'; HostName = 'localhost'; Trust = '{expired}'; Suites = $null; Protocols = 'None'; Category = 'CertificateExpired' }
        @{ Scenario = 'name mismatch'; Server = 'SelfSigned'; HostName = 'other.test'; Trust = '{cert}'; Suites = $null; Protocols = 'None'; Category = 'NameMismatch' }
    ) {
        $trust = if ($Trust) { $Trust -replace '\{cert\}', $Cert -replace '\{expired\}', $Expired }
        $exception = Invoke-SslStream -Port $Servers[$Server] -HostName $HostName -TrustFile $trust -Suites $Suites -Protocols $Protocols
        $exception | Should -Not -BeNullOrEmpty
        $result = @($exception | Resolve-TlsError)
        $result.Count | Should -Be 1
        $result[0].Category | Should -Be $Category -Because "$exception $($exception.InnerException)"
    }

    It 'explains an HttpClient failure from its ErrorRecord, through the inner exceptions' {
        $http = [System.Net.Http.HttpClient]::new()
        $http.Timeout = [TimeSpan]::FromSeconds(10)
        try {
            $record = try { $null = $http.GetAsync("https://localhost:$($Servers.PlainHttp)/").GetAwaiter().GetResult() } catch { $_ }
        } finally { $http.Dispose() }
        $record | Should -BeOfType [System.Management.Automation.ErrorRecord]
        $result = @($record | Resolve-TlsError)
        $result[0].Category | Should -Be 'NotTls'
        $result[0].Source | Should -Be 'dotnet'
    }
}

Describe 'Real Node.js errors' {
    BeforeAll {
        $Node = Assert-TestTool node -Package nodejs
        $Script = Join-Path $Work 'probe.js'
        # What node prints for an uncaught error is util.inspect(error): the message, the stack and the code property.
        Set-Content -LiteralPath $Script -Value @'
const tls = require('tls'), fs = require('fs'), util = require('util');
const cases = process.argv.slice(2).map(s => s.split('|'));
(async () => {
  for (const [id, port, ca, host] of cases) {
    await new Promise(done => {
      const s = tls.connect({ host: '127.0.0.1', port: +port, servername: host, ca: ca === '-' ? undefined : fs.readFileSync(ca) },
        () => s.write('GET / HTTP/1.0\r\n\r\n'));
      s.on('error', e => { console.log(id + '\t' + util.inspect(e).replace(/\s*\n\s*/g, ' ')); done(); });
      s.on('data', () => {}); s.on('end', () => { console.log(id + '\tend'); done(); });
      s.setTimeout(10000, () => { console.log(id + '\ttimeout'); s.destroy(); done(); });
    });
  }
})();
'@
        $NodeCases = @(
            @{ Id = 'self'; Server = 'SelfSigned'; Ca = '-'; HostName = 'localhost'; Category = 'SelfSigned' }
            @{ Id = 'name'; Server = 'SelfSigned'; Ca = '{cert}'; HostName = 'other.test'; Category = 'NameMismatch' }
            @{ Id = 'expired'; Server = 'Expired'; Ca = '{expired}'; HostName = 'localhost'; Category = 'CertificateExpired' }
            @{ Id = 'version'; Server = 'Tls10Only'; Ca = '{cert}'; HostName = 'localhost'; Category = 'ProtocolVersionMismatch' }
            @{ Id = 'clientcert'; Server = 'ClientCert'; Ca = '{cert}'; HostName = 'localhost'; Category = 'ClientCertificateRequired' }
            @{ Id = 'nottls'; Server = 'PlainHttp'; Ca = '-'; HostName = 'localhost'; Category = 'NotTls' }
        )
        $specs = foreach ($c in $NodeCases) { "$($c.Id)|$($Servers[$c.Server])|$($c.Ca -replace '\{cert\}', $Cert -replace '\{expired\}', $Expired)|$($c.HostName)" }
        $NodeText = @{}
        foreach ($line in (& $Node $Script @specs 2>&1 | ForEach-Object { "$_" })) {
            $id, $text = $line -split "`t", 2
            if ($text -and -not $NodeText.ContainsKey($id)) { $NodeText[$id] = $text }
        }
    }

    It 'explains every scenario by its cause, ERR_TLS_CERT_ALTNAME_INVALID included' {
        $wrong = foreach ($c in $NodeCases) {
            $text = $NodeText[$c.Id]
            $result = @($text | Resolve-TlsError)
            if ($result.Count -lt 1 -or $result[0].Category -ne $c.Category) { "$($c.Id): '$text' -> $($result.Category -join ', '), expected $($c.Category)" }
        }
        $wrong | Should -BeNullOrEmpty
        $NodeText['name'] | Should -Match 'ERR_TLS_CERT_ALTNAME_INVALID'
        @($NodeText['name'] | Resolve-TlsError)[0].Source | Should -Be 'node'
    }
}

Describe 'Real wget errors' {
    BeforeAll { $Wget = Assert-TestTool wget -Package wget }

    It '<Scenario> resolves to <Category>' -ForEach @(
        @{ Scenario = 'self-signed certificate'; Server = 'SelfSigned'; Options = @(); Url = 'https://localhost:{port}/'; Category = 'UntrustedRoot' }
        @{ Scenario = 'expired certificate'; Server = 'Expired'; Options = @('--ca-certificate={expired}'); Url = 'https://localhost:{port}/'; Category = 'CertificateExpired' }
        @{ Scenario = 'name mismatch'; Server = 'SelfSigned'; Options = @('--ca-certificate={cert}'); Url = 'https://127.0.0.1:{port}/'; Category = 'NameMismatch' }
        @{ Scenario = 'plain HTTP on the port'; Server = 'PlainHttp'; Options = @(); Url = 'https://localhost:{port}/'; Category = 'NotTls' }
    ) {
        $options = $Options -replace '\{cert\}', $Cert -replace '\{expired\}', $Expired
        $url = $Url -replace '\{port\}', $Servers[$Server]
        $output = & $Wget --tries=1 --timeout=10 -O /dev/null @options $url 2>&1 | ForEach-Object { "$_" }
        $LASTEXITCODE | Should -Not -Be 0
        $result = Resolve-Text $output
        $result[0].Category | Should -Be $Category -Because ($output -join "`n")
        $result[0].Source | Should -Be 'wget'
    }
}

Describe 'Real Invoke-WebRequest and Invoke-RestMethod errors: one result per cause' {
    It '<Scenario> gives <Causes>' -ForEach @(
        @{ Scenario = 'Invoke-WebRequest, expired self-signed certificate'; Command = 'Invoke-WebRequest'; Server = 'Expired'; HostName = 'localhost'; Causes = @('CertificateExpired', 'UntrustedRoot') }
        @{ Scenario = 'Invoke-WebRequest, self-signed certificate for another name'; Command = 'Invoke-WebRequest'; Server = 'SelfSigned'; HostName = '127.0.0.1'; Causes = @('NameMismatch', 'UntrustedRoot') }
        @{ Scenario = 'Invoke-RestMethod, self-signed certificate'; Command = 'Invoke-RestMethod'; Server = 'SelfSigned'; HostName = 'localhost'; Causes = @('UntrustedRoot') }
        @{ Scenario = 'Invoke-RestMethod, plain HTTP on the port'; Command = 'Invoke-RestMethod'; Server = 'PlainHttp'; HostName = 'localhost'; Causes = @('NotTls') }
    ) {
        $record = try { & $Command -Uri "https://$($HostName):$($Servers[$Server])/" -TimeoutSec 10 | Out-Null } catch { $_ }
        $record | Should -BeOfType [System.Management.Automation.ErrorRecord]
        $result = @($record | Resolve-TlsError)
        $result.Category | Should -Be $Causes -Because "$($record.Exception.Message) $($record.Exception.InnerException.Message)"
        # Every cause quotes the same text, the inner exception that named them.
        @($result.Line | Select-Object -Unique).Count | Should -Be 1
    }
}

Describe 'Several causes, unknown texts and the default view' {
    It 'gives the expiry and the missing intermediate of .NET''s "NotTimeValid, PartialChain", expiry first' {
        # HAND-WRITTEN: Windows' SslStream text for an expired leaf served without its intermediate.
        $text = 'System.Security.Authentication.AuthenticationException: The remote certificate is invalid because of errors in the certificate chain: NotTimeValid, PartialChain'
        $r = @(Resolve-TlsError -Message $text)
        $r.Category | Should -Be @('CertificateExpired', 'IncompleteChain')
        $r[0].Line | Should -Be $text
        $r[1].Line | Should -Be $text
        $r[0].Remedy | Should -Not -Be $r[1].Remedy
    }

    It 'returns one Unknown result, quoting the text, for a -Message that matches nothing' {
        $r = @(Resolve-TlsError -Message 'the printer is out of paper')
        $r.Count | Should -Be 1
        $r[0].Category | Should -Be 'Unknown'
        $r[0].Explanation | Should -Match "No known TLS error matched the text 'the printer is out of paper'"
        $r[0].Remedy | Should -Not -BeNullOrEmpty
    }

    It 'keeps the order of -Message texts, unknown ones included' {
        $r = @(Resolve-TlsError -Message 'the printer is out of paper', 'curl: (60) SSL certificate problem: certificate has expired')
        $r.Category | Should -Be @('Unknown', 'CertificateExpired')
    }

    It 'skips pipeline lines that match nothing and counts them under -Verbose' {
        $verbose = @('the printer is out of paper', 'GET / 200', 'no shared cipher') | Resolve-TlsError -Verbose 4>&1
        @($verbose | Where-Object { $_ -is [TlsTools.TlsErrorExplanation] }).Category | Should -Be 'NoSharedCipher'
        "$($verbose | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] })" | Should -Match 'Skipped 2 of 3 inputs'
    }

    It 'shows Category and Remedy in the default table, and everything in the list' {
        $r = Resolve-TlsError -Message 'error:0A000102:SSL routines::unsupported protocol'
        $table = $r | Out-String -Width 160
        $table | Should -Match '(?m)^Source\s+Category\s+MatchedText\s+Remedy\s*$'
        $table | Should -Match 'ProtocolVersionMismatch'
        $table | Should -Match ([regex]::Escape(($r.Remedy -split '\s+')[0..3] -join ' '))
        $list = $r | Format-List | Out-String -Width 160
        foreach ($p in 'Explanation', 'Remedy', 'NextCommand', 'Reference', 'Line') { $list | Should -Match "(?m)^$p\s*:" }
    }
}

Describe 'A real nginx error log' {
    BeforeAll {
        $Prefix = Join-Path $Work 'nginx'
        New-Item -ItemType Directory -Path (Join-Path $Prefix 'logs'), (Join-Path $Prefix 'tmp') -Force | Out-Null
        $ErrorLog = Join-Path $Prefix 'logs/error.log'
        $SitePort = Get-FreeTcpPort; $MtlsPort = Get-FreeTcpPort
        # info level: nginx logs client-side handshake failures at info, not error.
        Set-Content -LiteralPath (Join-Path $Prefix 'nginx.conf') -Value @"
daemon off;
master_process off;
pid $Prefix/nginx.pid;
error_log $ErrorLog info;
events { worker_connections 64; }
http {
    access_log off;
    client_body_temp_path $Prefix/tmp/body; proxy_temp_path $Prefix/tmp/proxy; fastcgi_temp_path $Prefix/tmp/fastcgi;
    uwsgi_temp_path $Prefix/tmp/uwsgi; scgi_temp_path $Prefix/tmp/scgi;
    server {
        listen 127.0.0.1:$SitePort ssl; server_name site.test;
        ssl_certificate $Cert; ssl_certificate_key $Key;
        ssl_protocols TLSv1.2; ssl_ciphers AES128-SHA;
        location / { return 200 "ok\n"; }
    }
    server {
        listen 127.0.0.1:$MtlsPort ssl; server_name mtls.test;
        ssl_certificate $Cert; ssl_certificate_key $Key;
        ssl_verify_client on; ssl_client_certificate $Cert;
        location / { return 200 "ok\n"; }
    }
}
"@
        $nginx = Assert-TestTool nginx -Package nginx
        $curl = Assert-TestTool curl -Package curl
        $server = Start-TestProcess -Name 'nginx' -File $nginx -Arguments @('-p', $Prefix, '-c', (Join-Path $Prefix 'nginx.conf')) -Port $SitePort
        Wait-TcpPort -Port $MtlsPort -Process $server.Process -TimeoutMs 15000 | Should -BeTrue -Because 'nginx listens on both ports'

        # The failures, each made by a real client: two offers without a shared cipher, one TLS 1.0 client, one plain
        # HTTP request, one record with a bogus version (wrong version number), one client without a certificate.
        foreach ($i in 1..2) { '' | & openssl s_client -connect "127.0.0.1:$SitePort" -tls1_2 -cipher ECDHE-RSA-AES256-GCM-SHA384 *> $null }
        '' | & openssl s_client -connect "127.0.0.1:$SitePort" -tls1 -cipher 'DEFAULT@SECLEVEL=0' *> $null
        & $curl -sS --max-time 10 "http://127.0.0.1:$SitePort/" -o /dev/null *> $null
        $raw = [System.Net.Sockets.TcpClient]::new('127.0.0.1', $SitePort)
        try {
            $bogus = [byte[]] (0x16, 0x09, 0x09, 0x00, 0x05) + [Text.Encoding]::ASCII.GetBytes('hello')
            $raw.GetStream().Write($bogus, 0, $bogus.Length)
            $raw.ReceiveTimeout = 5000
            try { [void] $raw.GetStream().Read([byte[]]::new(64), 0, 64) } catch { }
        } finally { $raw.Dispose() }
        & $curl -sS --max-time 10 -k "https://127.0.0.1:$MtlsPort/" -o /dev/null *> $null

        # nginx writes each line when the connection fails; give the last one a moment.
        $deadline = [DateTime]::UtcNow.AddSeconds(10)
        while ([DateTime]::UtcNow -lt $deadline -and -not (Select-String -LiteralPath $ErrorLog -Pattern 'no required SSL certificate' -Quiet)) { Start-Sleep -Milliseconds 100 }
        $LogLines = @(Get-Content -LiteralPath $ErrorLog)
        $Results = @($LogLines | Resolve-TlsError)
    }

    It 'gives the count of each cause with Group-Object Category' {
        $counts = @{}
        $LogLines | Resolve-TlsError | Group-Object -Property Category | ForEach-Object { $counts[$_.Name] = $_.Count }
        $counts['NoSharedCipher'] | Should -Be 2 -Because ($LogLines -join "`n")
        $counts['ProtocolVersionMismatch'] | Should -Be 1
        $counts['NotTls'] | Should -Be 2
        $counts['ClientCertificateRequired'] | Should -Be 1
        $counts.Keys.Count | Should -Be 4
    }

    It 'takes the time, the client and the server from each line' {
        foreach ($r in $Results) {
            $r.Source | Should -Be 'nginx'
            $r.ClientAddress | Should -Be '127.0.0.1'
            $r.Timestamp.Date | Should -Be ([DateTime]::Now.Date)
            $r.ServerName | Should -BeIn "127.0.0.1:$SitePort", 'site.test', 'mtls.test'
        }
        ($Results | Where-Object Category -EQ 'NoSharedCipher')[0].NextCommand | Should -Be 'Get-CipherSupport -ComputerName 127.0.0.1'
    }

    It 'skips the other lines and counts them under -Verbose' {
        $other = @($LogLines | Where-Object { $_ -notmatch 'SSL|HTTPS port' }).Count
        $other | Should -BeGreaterThan 0
        $verbose = $LogLines | Resolve-TlsError -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        "$verbose" | Should -Match "Skipped $($LogLines.Count - $Results.Count) of $($LogLines.Count) inputs"
    }

    It 'reads the log with -Path, with the file and line number of each error' {
        $fromFile = @(Resolve-TlsError -Path $ErrorLog)
        $fromFile.Count | Should -Be $Results.Count
        $first = $fromFile[0]
        $first.Path | Should -Be $ErrorLog
        $LogLines[$first.LineNumber - 1] | Should -Be $first.Line
    }
}

Describe 'Input forms and errors' {
    It 'reads numbers and alert names from the pipeline as alerts' {
        $r = @(40, 'unknown_ca', 116 | Resolve-TlsError)
        $r.Category | Should -Be @('NoSharedCipher', 'UntrustedRoot', 'ClientCertificateRequired')
        $r[0].Reference | Should -Match 'alert 40 handshake_failure'
    }

    It 'explains every registered alert with -Alert' {
        $codes = [TlsTools.Catalog.AlertCatalog]::All | ForEach-Object { "$($_.Code)" }
        @(Resolve-TlsError -Alert $codes).Count | Should -Be $codes.Count
    }

    It 'writes a non-terminating UnknownAlert error for an unregistered alert and goes on' {
        $r = @(Resolve-TlsError -Alert 3, 70 -ErrorVariable errs -ErrorAction SilentlyContinue)
        $r.Category | Should -Be 'ProtocolVersionMismatch'
        $errs[0].FullyQualifiedErrorId | Should -Be 'UnknownAlert,TlsTools.Commands.ResolveTlsErrorCommand'
        $errs[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
    }

    It 'writes a non-terminating PathNotFound error for a missing file and reads the next one' {
        $good = Join-Path $Work 'one.log'
        Set-Content -LiteralPath $good -Value '2026/11/27 17:13:07 [info] 1#1: *1 SSL_do_handshake() failed (SSL: error:0A0000C1:SSL routines::no shared cipher) while SSL handshaking, client: 127.0.0.1, server: 127.0.0.1:443'
        $r = @(Resolve-TlsError -Path (Join-Path $Work 'missing.log'), $good -ErrorVariable errs -ErrorAction SilentlyContinue)
        $errs[0].FullyQualifiedErrorId | Should -Be 'PathNotFound,TlsTools.Commands.ResolveTlsErrorCommand'
        $errs[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $r.Category | Should -Be 'NoSharedCipher'
    }

    It 'binds files from Get-ChildItem by path' {
        $r = @(Get-ChildItem -LiteralPath (Join-Path $Work 'one.log') | Resolve-TlsError)
        $r.LineNumber | Should -Be 1
    }

    It 'binds objects with a Message property, like Windows events' {
        # HAND-WRITTEN: Schannel events cannot be produced here; the text is the documented event 36887 message.
        $event = [pscustomobject]@{ Id = 36887; Message = 'A fatal alert was received from the remote endpoint. The TLS protocol defined fatal alert code is 48.' }
        $r = @($event | Resolve-TlsError)
        $r.Source | Should -Be 'schannel'
        $r.Category | Should -Be 'UntrustedRoot'
        $r.Explanation | Should -Match 'unknown_ca \(48\)'
    }
}

Describe 'Sources that cannot run here (HAND-WRITTEN samples)' {
    # HAND-WRITTEN: no browser, Windows or Schannel on this machine; the texts are those the products document.
    It '<Text> resolves to <Category>' -ForEach @(
        @{ Text = 'NET::ERR_CERT_AUTHORITY_INVALID'; Category = 'UntrustedRoot' }
        @{ Text = 'ERR_SSL_VERSION_OR_CIPHER_MISMATCH'; Category = 'NoSharedCipher' }
        @{ Text = 'SEC_ERROR_EXPIRED_CERTIFICATE'; Category = 'CertificateExpired' }
        @{ Text = 'SSL_ERROR_RX_RECORD_TOO_LONG'; Category = 'NotTls' }
        @{ Text = 'curl: (35) schannel: next InitializeSecurityContext failed: SEC_E_ALGORITHM_MISMATCH (0x80090331) - The client and server cannot communicate, because they do not possess a common algorithm.'; Category = 'NoSharedCipher' }
        @{ Text = 'A fatal alert was generated and sent to the remote endpoint. This may result in termination of the connection. The TLS protocol defined fatal error code is 70. The Windows SChannel error state is 105.'; Category = 'ProtocolVersionMismatch' }
        @{ Text = 'x509: certificate signed by unknown authority'; Category = 'UntrustedRoot' }
    ) {
        $r = @($Text | Resolve-TlsError)
        $r.Count | Should -Be 1
        $r[0].Category | Should -Be $Category
    }
}
