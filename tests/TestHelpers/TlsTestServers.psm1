<#
.SYNOPSIS
    Real, local test peers for the TlsTools Pester tests and the demo.
.DESCRIPTION
    Everything here listens on 127.0.0.1 / ::1 or inside a network namespace this module creates.
      New-TestPki              root CA, intermediate CA and the misconfigured leaves the scenarios need (openssl CLI)
      Start-OpenSslServer      openssl s_server -www on a free loopback port, waits until it accepts
      Start-RawListener        Silent | ResetAfterHello | Http | AlertOnly listeners on a background runspace
      Get-ClosedPort           a loopback port that was bound and released (connections are refused)
      Stop-TestServer          stops any server returned above; Stop-AllTestServer stops every one still running
      New-DropSynNamespace     a network namespace + veth pair whose firewall drops SYNs to port 443
      Invoke-OpenSslClient     openssl s_client, for cross-checking Protocol and CipherSuite
#>
Set-StrictMode -Version Latest

$script:Running = [System.Collections.Generic.List[object]]::new()

function Invoke-OpenSsl {
    # Runs the openssl CLI; throws with its output when it fails.
    param([Parameter(Mandatory)] [string[]] $Arguments, [string] $WorkingDirectory)
    $psi = [System.Diagnostics.ProcessStartInfo]::new('openssl')
    foreach ($a in $Arguments) { $psi.ArgumentList.Add($a) }
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $psi.RedirectStandardInput = $true
    $psi.UseShellExecute = $false
    if ($WorkingDirectory) { $psi.WorkingDirectory = $WorkingDirectory }
    $p = [System.Diagnostics.Process]::Start($psi)
    $p.StandardInput.Close()
    $errTask = $p.StandardError.ReadToEndAsync()
    $out = $p.StandardOutput.ReadToEnd()
    $p.WaitForExit()
    $err = $errTask.GetAwaiter().GetResult()
    if ($p.ExitCode -ne 0) {
        throw "openssl $($Arguments -join ' ') failed (exit $($p.ExitCode)): $err$out"
    }
    $out
}

#region PKI

function New-TestPki {
    <#
    .SYNOPSIS
        Creates every certificate and key the handshake scenarios need under -Path; returns their paths.
    .OUTPUTS
        An object with RootCaPath (trust anchor to pass as -TrustedRootPath), IntermediatePath, and for each
        leaf <Name>CertPath / <Name>KeyPath: Good, Expired, NotYetValid, WrongHost, SelfSigned, Untrusted
        (chain under a second, untrusted root; serve with UntrustedIntermediatePath), Sni (good.test, the
        second certificate of the SNI server); GoodFullChainPath (leaf + intermediate), DhParam1024Path.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] [string] $Path)

    New-Item -ItemType Directory -Force -Path $Path | Out-Null
    $Path = (Resolve-Path $Path).ProviderPath
    $db = Join-Path $Path 'ca-db'
    New-Item -ItemType Directory -Force -Path (Join-Path $db 'newcerts') | Out-Null
    Set-Content -Path (Join-Path $db 'index.txt') -Value $null -NoNewline
    Set-Content -Path (Join-Path $db 'serial') -Value '1000'
    $cnf = Join-Path $Path 'openssl.cnf'
    $dbFwd = $db -replace '\\', '/'
    @"
[ req ]
distinguished_name = dn
prompt = no
[ dn ]
CN = unused
[ ca ]
default_ca = test_ca
[ test_ca ]
dir = $dbFwd
database = `$dir/index.txt
new_certs_dir = `$dir/newcerts
serial = `$dir/serial
default_md = sha256
policy = policy_any
unique_subject = no
copy_extensions = none
email_in_dn = no
[ policy_any ]
organizationName = optional
commonName = supplied
[ root_ext ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[ ca_ext ]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ leaf_localhost ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = DNS:localhost, IP:127.0.0.1, IP:::1
[ leaf_wronghost ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = DNS:wronghost.test
[ leaf_sni ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = DNS:good.test
[ leaf_selfsigned ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
subjectAltName = DNS:localhost, IP:127.0.0.1, IP:::1
"@ | Set-Content -Path $cnf

    function p([string] $name) { Join-Path $Path $name }
    function NewKey([string] $file) { Invoke-OpenSsl @('genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', (p $file)) | Out-Null }
    function NewRoot([string] $name, [string] $cn) {
        NewKey "$name.key"
        Invoke-OpenSsl @('req', '-x509', '-new', '-config', $cnf, '-key', (p "$name.key"), '-subj', "/O=TlsTools Tests/CN=$cn",
            '-days', '3650', '-extensions', 'root_ext', '-sha256', '-out', (p "$name.pem")) | Out-Null
    }
    function Sign([string] $issuer, [string] $name, [string] $subj, [string] $ext, [string] $start, [string] $end) {
        # Signs <name>.csr with <issuer>.pem/.key into <name>.pem; -startdate/-enddate when given (YYYYMMDDHHMMSSZ).
        if (-not (Test-Path (p "$name.key"))) { NewKey "$name.key" }
        Invoke-OpenSsl @('req', '-new', '-config', $cnf, '-key', (p "$name.key"), '-subj', $subj, '-out', (p "$name.csr")) | Out-Null
        $a = @('ca', '-batch', '-notext', '-config', $cnf, '-cert', (p "$issuer.pem"), '-keyfile', (p "$issuer.key"),
            '-in', (p "$name.csr"), '-out', (p "$name.pem"), '-extfile', $cnf, '-extensions', $ext)
        if ($start) { $a += @('-startdate', $start, '-enddate', $end) } else { $a += @('-days', '825') }
        Invoke-OpenSsl $a | Out-Null
    }
    $fmt = 'yyyyMMddHHmmss\Z'
    $now = [DateTime]::UtcNow

    NewRoot 'root' 'TlsTools Test Root CA'
    Sign 'root' 'intermediate' '/O=TlsTools Tests/CN=TlsTools Test Intermediate CA' 'ca_ext'
    Sign 'intermediate' 'good' '/CN=localhost' 'leaf_localhost'
    Sign 'intermediate' 'expired' '/CN=localhost' 'leaf_localhost' $now.AddDays(-730).ToString($fmt) $now.AddDays(-365).ToString($fmt)
    Sign 'intermediate' 'notyetvalid' '/CN=localhost' 'leaf_localhost' $now.AddDays(365).ToString($fmt) $now.AddDays(730).ToString($fmt)
    Sign 'intermediate' 'wronghost' '/CN=wronghost.test' 'leaf_wronghost'
    Sign 'intermediate' 'sni' '/CN=good.test' 'leaf_sni'
    # A self-signed leaf (CA:FALSE, issuer = subject).
    NewKey 'selfsigned.key'
    Invoke-OpenSsl @('req', '-x509', '-new', '-config', $cnf, '-key', (p 'selfsigned.key'), '-subj', '/CN=localhost',
        '-days', '825', '-extensions', 'leaf_selfsigned', '-sha256', '-out', (p 'selfsigned.pem')) | Out-Null
    # A complete chain under a second root that nobody trusts.
    NewRoot 'untrusted-root' 'TlsTools Untrusted Root CA'
    Sign 'untrusted-root' 'untrusted-intermediate' '/O=TlsTools Tests/CN=TlsTools Untrusted Intermediate CA' 'ca_ext'
    Sign 'untrusted-intermediate' 'untrusted' '/CN=localhost' 'leaf_localhost'

    Set-Content -Path (p 'good-fullchain.pem') -Value ((Get-Content -Raw (p 'good.pem')) + (Get-Content -Raw (p 'intermediate.pem'))) -NoNewline
    # 1024-bit DH for the weak-key-exchange server: the RFC 2409 Oakley group 2 prime, generator 2. Written
    # from the constant, so it is instant and the same every run. (`openssl dhparam -dsaparam` would be fast
    # too, but it writes X9.42 DHX parameters, which s_server -dhparam rejects and silently replaces with its
    # own 2048-bit group.)
    $modp1024 = 'FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD' +
        'EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED' +
        'EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE65381FFFFFFFFFFFFFFFF'
    Set-Content -Path (p 'dh1024.cnf') -Value "asn1=SEQUENCE:dh`n[dh]`np=INTEGER:0x$modp1024`ng=INTEGER:2`n"
    Invoke-OpenSsl @('asn1parse', '-genconf', (p 'dh1024.cnf'), '-out', (p 'dh1024.der'), '-noout') | Out-Null
    Invoke-OpenSsl @('dhparam', '-inform', 'DER', '-in', (p 'dh1024.der'), '-out', (p 'dh1024.pem')) | Out-Null

    [pscustomobject]@{
        Path                      = $Path
        RootCaPath                = p 'root.pem'
        RootCaKeyPath             = p 'root.key'
        IntermediatePath          = p 'intermediate.pem'
        GoodCertPath              = p 'good.pem'
        GoodKeyPath               = p 'good.key'
        GoodFullChainPath         = p 'good-fullchain.pem'
        ExpiredCertPath           = p 'expired.pem'
        ExpiredKeyPath            = p 'expired.key'
        NotYetValidCertPath       = p 'notyetvalid.pem'
        NotYetValidKeyPath        = p 'notyetvalid.key'
        WrongHostCertPath         = p 'wronghost.pem'
        WrongHostKeyPath          = p 'wronghost.key'
        SniCertPath               = p 'sni.pem'
        SniKeyPath                = p 'sni.key'
        SelfSignedCertPath        = p 'selfsigned.pem'
        SelfSignedKeyPath         = p 'selfsigned.key'
        UntrustedRootPath         = p 'untrusted-root.pem'
        UntrustedIntermediatePath = p 'untrusted-intermediate.pem'
        UntrustedCertPath         = p 'untrusted.pem'
        UntrustedKeyPath          = p 'untrusted.key'
        DhParam1024Path           = p 'dh1024.pem'
    }
}

#endregion

#region Ports and waiting

function Get-FreeTcpPort {
    # A port the kernel just gave us on the loopback address, released again for the server to take.
    param([System.Net.IPAddress] $Address = [System.Net.IPAddress]::Loopback)
    $l = [System.Net.Sockets.TcpListener]::new($Address, 0)
    $l.Start()
    try { $l.LocalEndpoint.Port } finally { $l.Stop() }
}

function Test-IPv6Loopback {
    <# .SYNOPSIS True when a listener can bind [::1] here (some containers run without IPv6). #>
    try { $null = Get-FreeTcpPort -Address ([System.Net.IPAddress]::IPv6Loopback); $true } catch { $false }
}

function Get-ClosedPort {
    <# .SYNOPSIS A loopback port that was bound and released: a connection to it is refused. #>
    Get-FreeTcpPort
}

function Wait-TcpPort {
    # True once Address:Port accepts a TCP connection, false after TimeoutMs.
    param([string] $Address = '127.0.0.1', [int] $Port, [int] $TimeoutMs = 5000, [System.Diagnostics.Process] $Process)
    $sw = [System.Diagnostics.Stopwatch]::StartNew()
    while ($sw.ElapsedMilliseconds -lt $TimeoutMs) {
        if ($Process -and $Process.HasExited) { return $false }
        $c = [System.Net.Sockets.TcpClient]::new([System.Net.IPAddress]::Parse($Address).AddressFamily)
        try {
            if ($c.ConnectAsync($Address, $Port).Wait(500) -and $c.Connected) { return $true }
        } catch {
        } finally { $c.Dispose() }
        Start-Sleep -Milliseconds 50
    }
    $false
}

#endregion

#region openssl s_server

function Start-OpenSslServer {
    <#
    .SYNOPSIS
        Starts `openssl s_server -www` on a free loopback port and returns once it accepts connections.
    .PARAMETER Chain
        PEM file of the intermediates to send after the leaf (-cert_chain). Omit for a leaf-only server.
    .PARAMETER ExtraArgs
        More s_server options, e.g. '-tls1_2', '-cipher', 'ECDHE-RSA-AES128-GCM-SHA256'.
    .PARAMETER IPv6
        Listen on [::1] instead of 127.0.0.1.
    .OUTPUTS
        {Kind, Name, Address, Port, Process, Target, LogPath}
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string] $Cert,
        [Parameter(Mandatory)] [string] $Key,
        [string] $Chain,
        [string[]] $ExtraArgs = @(),
        [string] $Name = 's_server',
        [switch] $IPv6
    )
    $addr = if ($IPv6) { [System.Net.IPAddress]::IPv6Loopback } else { [System.Net.IPAddress]::Loopback }
    $addrText = if ($IPv6) { '::1' } else { '127.0.0.1' }
    for ($attempt = 1; $attempt -le 3; $attempt++) {
        $port = Get-FreeTcpPort -Address $addr
        $accept = if ($IPv6) { "[::1]:$port" } else { "127.0.0.1:$port" }
        $log = Join-Path ([System.IO.Path]::GetTempPath()) "tlstools-s_server-$port-$([guid]::NewGuid().ToString('N').Substring(0,8)).log"
        $argv = @('s_server', '-accept', $accept, '-www', '-cert', $Cert, '-key', $Key)
        if ($Chain) { $argv += @('-cert_chain', $Chain) }
        $argv += @($ExtraArgs | Where-Object { $_ })
        $psi = [System.Diagnostics.ProcessStartInfo]::new('sh')
        # Output goes to a file so a full pipe can never stall the server; stdin is /dev/null.
        $quoted = ($argv | ForEach-Object { "'" + ($_ -replace "'", "'\''") + "'" }) -join ' '
        $psi.ArgumentList.Add('-c')
        $psi.ArgumentList.Add("exec openssl $quoted </dev/null >'$log' 2>&1")
        $psi.UseShellExecute = $false
        $proc = [System.Diagnostics.Process]::Start($psi)
        if (Wait-TcpPort -Address $addrText -Port $port -Process $proc -TimeoutMs 5000) {
            $server = [pscustomobject]@{
                Kind    = 'OpenSsl'
                Name    = $Name
                Address = $addrText
                Port    = $port
                Target  = if ($IPv6) { "[::1]:$port" } else { "127.0.0.1:$port" }
                Process = $proc
                LogPath = $log
                Arguments = $argv
            }
            $script:Running.Add($server)
            return $server
        }
        $text = if (Test-Path $log) { Get-Content -Raw $log } else { '' }
        if (-not $proc.HasExited) { $proc.Kill(); $proc.WaitForExit() }
        Remove-Item $log -ErrorAction SilentlyContinue
        # A lost port race is retried; a bad option is not going to get better.
        if ($text -notmatch 'in use|bind') { throw "openssl s_server $($argv -join ' ') did not start: $text" }
    }
    throw "openssl s_server could not bind a free port after 3 attempts."
}

function Start-TlsScenarioServer {
    <#
    .SYNOPSIS
        Starts the openssl s_server of one named scenario, with the certificates of New-TestPki.
    .DESCRIPTION
        One table for the Pester tests and the demo. Every server runs with -serverpref, so the suite it
        picks is its own first choice among the client's offer: the cmdlet and openssl s_client, which offer
        suites in different orders, must then agree.
          Good            TLS 1.2 + 1.3, good leaf + intermediate
          GoodIPv6        the same on [::1]
          Tls12Ecdhe      -tls1_2 -cipher ECDHE-RSA-AES128-GCM-SHA256
          Expired, NotYetValid, WrongHost (CN/SAN wronghost.test), SelfSigned (leaf only)
          UntrustedRoot   leaf + intermediate under a root the tests do not trust
          LeafOnly        good leaf without its intermediate
          Tls10Only       -tls1 -cipher DEFAULT@SECLEVEL=0
          NoSharedCipher  -tls1_2 -cipher CAMELLIA256-SHA (a suite no browser offers)
          WeakDh          -tls1_2 DHE-RSA-AES128-GCM-SHA256 with a 1024-bit DH group
          ClientCertTls12 / ClientCertTls13   -Verify 1 (client certificate required), one version each
          SniStrict       -servername good.test -servername_fatal -cert2 good.test: any other SNI gets
                          a fatal unrecognized_name (112) alert; no SNI gets the default (localhost) leaf
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] $Pki,
        [Parameter(Mandatory)]
        [ValidateSet('Good', 'GoodIPv6', 'Tls12Ecdhe', 'Expired', 'NotYetValid', 'WrongHost', 'SelfSigned', 'UntrustedRoot',
            'LeafOnly', 'Tls10Only', 'NoSharedCipher', 'WeakDh', 'ClientCertTls12', 'ClientCertTls13', 'SniStrict')]
        [string] $Scenario
    )
    $good = @{ Cert = $Pki.GoodCertPath; Key = $Pki.GoodKeyPath; Chain = $Pki.IntermediatePath }
    $a = switch ($Scenario) {
        'Good' { $good }
        'GoodIPv6' { $good + @{ IPv6 = $true } }
        'Tls12Ecdhe' { $good + @{ ExtraArgs = @('-tls1_2', '-cipher', 'ECDHE-RSA-AES128-GCM-SHA256') } }
        'Expired' { @{ Cert = $Pki.ExpiredCertPath; Key = $Pki.ExpiredKeyPath; Chain = $Pki.IntermediatePath } }
        'NotYetValid' { @{ Cert = $Pki.NotYetValidCertPath; Key = $Pki.NotYetValidKeyPath; Chain = $Pki.IntermediatePath } }
        'WrongHost' { @{ Cert = $Pki.WrongHostCertPath; Key = $Pki.WrongHostKeyPath; Chain = $Pki.IntermediatePath } }
        'SelfSigned' { @{ Cert = $Pki.SelfSignedCertPath; Key = $Pki.SelfSignedKeyPath } }
        'UntrustedRoot' { @{ Cert = $Pki.UntrustedCertPath; Key = $Pki.UntrustedKeyPath; Chain = $Pki.UntrustedIntermediatePath } }
        'LeafOnly' { @{ Cert = $Pki.GoodCertPath; Key = $Pki.GoodKeyPath } }
        'Tls10Only' { $good + @{ ExtraArgs = @('-tls1', '-cipher', 'DEFAULT@SECLEVEL=0') } }
        'NoSharedCipher' { $good + @{ ExtraArgs = @('-tls1_2', '-cipher', 'CAMELLIA256-SHA') } }
        'WeakDh' { $good + @{ ExtraArgs = @('-tls1_2', '-cipher', 'DHE-RSA-AES128-GCM-SHA256@SECLEVEL=0', '-dhparam', $Pki.DhParam1024Path) } }
        'ClientCertTls12' { $good + @{ ExtraArgs = @('-tls1_2', '-Verify', '1', '-CAfile', $Pki.RootCaPath) } }
        'ClientCertTls13' { $good + @{ ExtraArgs = @('-tls1_3', '-Verify', '1', '-CAfile', $Pki.RootCaPath) } }
        'SniStrict' { $good + @{ ExtraArgs = @('-servername', 'good.test', '-servername_fatal', '-cert2', $Pki.SniCertPath, '-key2', $Pki.SniKeyPath) } }
    }
    $a = @{} + $a
    $a.ExtraArgs = @('-serverpref') + @($a['ExtraArgs'] | Where-Object { $_ })
    Start-OpenSslServer @a -Name $Scenario
}

#endregion

#region Raw listeners

$script:RawListenerScript = {
    param($Listener, [string] $Mode, $Clients)
    function ReadRecord($stream) {
        # Reads one TLS record (5-byte header + body, body capped); returns the bytes read.
        $buf = [byte[]]::new(5)
        $n = 0
        while ($n -lt 5) { $r = $stream.Read($buf, $n, 5 - $n); if ($r -le 0) { return $null }; $n += $r }
        $len = [Math]::Min(16384 + 2048, ($buf[3] * 256 + $buf[4]))
        $body = [byte[]]::new($len)
        $n = 0
        while ($n -lt $len) { $r = $stream.Read($body, $n, $len - $n); if ($r -le 0) { break }; $n += $r }
        $buf + $body
    }
    while ($true) {
        try { $client = $Listener.AcceptTcpClient() } catch { break }
        [void] $Clients.Add($client)
        if ($Mode -eq 'Silent') { continue }            # hold the connection open, never answer
        try {
            $client.ReceiveTimeout = 3000
            $client.SendTimeout = 3000
            $stream = $client.GetStream()
            if ($Mode -eq 'ResetAfterHello') {
                $null = ReadRecord $stream
                # SO_LINGER 0: close() sends RST instead of FIN, what a DPI box or firewall does.
                $client.Client.LingerState = [System.Net.Sockets.LingerOption]::new($true, 0)
                $client.Client.Close()
            } elseif ($Mode -eq 'AlertOnly') {
                $null = ReadRecord $stream
                # TLS 1.2 record, Alert, fatal (2) internal_error (80).
                $alert = [byte[]] (0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x50)
                $stream.Write($alert, 0, $alert.Length)
                $stream.Flush()
                $client.Client.Shutdown([System.Net.Sockets.SocketShutdown]::Send)
                Start-Sleep -Milliseconds 100
                $client.Close()
            } elseif ($Mode -eq 'Http') {
                $buf = [byte[]]::new(4096)
                $null = $stream.Read($buf, 0, $buf.Length)
                # What nginx answers when the bytes are not HTTP (e.g. a ClientHello on a plain-HTTP port).
                $body = "<html>`r`n<head><title>400 Bad Request</title></head>`r`n<body>`r`n<center><h1>400 Bad Request</h1></center>`r`n<hr><center>nginx/1.22.1</center>`r`n</body>`r`n</html>`r`n"
                $head = "HTTP/1.1 400 Bad Request`r`nServer: nginx/1.22.1`r`nDate: $([DateTime]::UtcNow.ToString('r'))`r`nContent-Type: text/html`r`nContent-Length: $($body.Length)`r`nConnection: close`r`n`r`n"
                $bytes = [System.Text.Encoding]::ASCII.GetBytes($head + $body)
                $stream.Write($bytes, 0, $bytes.Length)
                $stream.Flush()
                $client.Client.Shutdown([System.Net.Sockets.SocketShutdown]::Send)
                Start-Sleep -Milliseconds 100
                $client.Close()
            }
        } catch {
            try { $client.Close() } catch { }
        }
    }
}

function Start-RawListener {
    <#
    .SYNOPSIS
        A plain TCP listener on 127.0.0.1 that misbehaves in one way, served from a background runspace.
    .PARAMETER Mode
        Silent          accepts and never answers
        ResetAfterHello reads the ClientHello record, then closes with SO_LINGER 0 (client sees RST)
        Http            answers anything with nginx's `HTTP/1.1 400 Bad Request`
        AlertOnly       answers the ClientHello with a fatal internal_error (80) alert record
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] [ValidateSet('Silent', 'ResetAfterHello', 'Http', 'AlertOnly')] [string] $Mode)
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start(64)
    $clients = [System.Collections.ArrayList]::Synchronized([System.Collections.ArrayList]::new())
    $ps = [powershell]::Create()
    $null = $ps.AddScript($script:RawListenerScript.ToString()).AddArgument($listener).AddArgument($Mode).AddArgument($clients)
    $handle = $ps.BeginInvoke()
    $port = $listener.LocalEndpoint.Port
    $server = [pscustomobject]@{
        Kind       = 'Raw'
        Name       = $Mode
        Address    = '127.0.0.1'
        Port       = $port
        Target     = "127.0.0.1:$port"
        Listener   = $listener
        PowerShell = $ps
        Handle     = $handle
        Clients    = $clients
    }
    $script:Running.Add($server)
    $server
}

#endregion


#region Network path: proxies, STARTTLS peers, PostgreSQL

function Start-TestProcess {
    # Starts a long-running native server (output to a log file), waits until Address:Port accepts.
    param([string] $Name, [string] $File, [string[]] $Arguments, [int] $Port, [string] $Cleanup, [string] $Address = '127.0.0.1')
    $log = Join-Path ([System.IO.Path]::GetTempPath()) "tlstools-$Name-$Port-$([guid]::NewGuid().ToString('N').Substring(0,8)).log"
    $quoted = (@($File) + $Arguments | ForEach-Object { "'" + ($_ -replace "'", "'\''") + "'" }) -join ' '
    $psi = [System.Diagnostics.ProcessStartInfo]::new('sh')
    $psi.ArgumentList.Add('-c')
    $psi.ArgumentList.Add("exec $quoted </dev/null >'$log' 2>&1")
    $psi.UseShellExecute = $false
    $proc = [System.Diagnostics.Process]::Start($psi)
    if (-not (Wait-TcpPort -Address $Address -Port $Port -Process $proc -TimeoutMs 15000)) {
        $text = if (Test-Path $log) { Get-Content -Raw $log } else { '' }
        if (-not $proc.HasExited) { $proc.Kill() }
        throw "$Name did not start on ${Address}:${Port}: $text"
    }
    $server = [pscustomobject]@{
        Kind = 'Process'; Name = $Name; Address = $Address; Port = $Port; Target = "${Address}:$Port"
        Process = $proc; LogPath = $log; Cleanup = $Cleanup
    }
    $script:Running.Add($server)
    $server
}

function Start-HttpProxy {
    <#
    .SYNOPSIS
        tinyproxy (Debian package) on 127.0.0.1: an HTTP CONNECT proxy. -Credential makes it demand Basic
        authentication (407 otherwise); -AllowedConnectPort limits CONNECT to those ports (403 otherwise).
    .OUTPUTS
        {Kind, Name, Address, Port, Target, Uri ('http://127.0.0.1:port'), Process, LogPath}
    #>
    [CmdletBinding()]
    param([pscredential] $Credential, [int[]] $AllowedConnectPort)
    if (-not (Get-Command tinyproxy -ErrorAction SilentlyContinue)) { throw 'tinyproxy is not installed (apt-get install tinyproxy).' }
    $port = Get-FreeTcpPort
    $dir = Join-Path ([System.IO.Path]::GetTempPath()) "tlstools-tinyproxy-$port"
    New-Item -ItemType Directory -Force -Path $dir | Out-Null
    $conf = @("Port $port", 'Listen 127.0.0.1', 'Timeout 30', 'MaxClients 50', 'Allow 127.0.0.1', 'LogLevel Info', 'DisableViaHeader Yes')
    if ($Credential) { $conf += "BasicAuth $($Credential.UserName) $($Credential.GetNetworkCredential().Password)" }
    foreach ($p in $AllowedConnectPort) { $conf += "ConnectPort $p" }
    $file = Join-Path $dir 'tinyproxy.conf'
    Set-Content -Path $file -Value $conf
    $server = Start-TestProcess -Name 'tinyproxy' -File 'tinyproxy' -Arguments @('-d', '-c', $file) -Port $port -Cleanup $dir
    $server | Add-Member -NotePropertyName Uri -NotePropertyValue "http://127.0.0.1:$port" -PassThru
}

function Start-Socks5Proxy {
    <#
    .SYNOPSIS
        microsocks (Debian package) on 127.0.0.1: a SOCKS5 proxy; -Credential demands user/password (RFC 1929).
    .OUTPUTS
        {Kind, Name, Address, Port, Target, Uri ('socks5://127.0.0.1:port'), Process, LogPath}
    #>
    [CmdletBinding()]
    param([pscredential] $Credential)
    if (-not (Get-Command microsocks -ErrorAction SilentlyContinue)) { throw 'microsocks is not installed (apt-get install microsocks).' }
    $port = Get-FreeTcpPort
    $argv = @('-i', '127.0.0.1', '-p', "$port", '-b', '127.0.0.1')
    if ($Credential) { $argv += @('-u', $Credential.UserName, '-P', $Credential.GetNetworkCredential().Password) }
    $server = Start-TestProcess -Name 'microsocks' -File 'microsocks' -Arguments $argv -Port $port
    $server | Add-Member -NotePropertyName Uri -NotePropertyValue "socks5://127.0.0.1:$port" -PassThru
}

$script:StartTlsPeerScript = {
    param($Listener, [string] $Protocol, [bool] $Offer, [int] $TlsPort, $Clients)
    function Line($stream) {
        $sb = [System.Text.StringBuilder]::new()
        $b = [byte[]]::new(1)
        while ($stream.Read($b, 0, 1) -eq 1 -and $b[0] -ne 10) { [void]$sb.Append([char]$b[0]) }
        $sb.ToString().TrimEnd("`r")
    }
    function Say($stream, [string] $text) { $bytes = [System.Text.Encoding]::ASCII.GetBytes($text); $stream.Write($bytes, 0, $bytes.Length); $stream.Flush() }
    while ($true) {
        try { $client = $Listener.AcceptTcpClient() } catch { break }
        [void] $Clients.Add($client)
        try {
            $client.ReceiveTimeout = 5000
            $s = $client.GetStream()
            $go = $false
            switch ($Protocol) {
                'Smtp' {
                    Say $s "220 mail.test ESMTP TlsTools test peer`r`n"
                    $null = Line $s
                    if ($Offer) { Say $s "250-mail.test`r`n250-PIPELINING`r`n250-STARTTLS`r`n250 8BITMIME`r`n" } else { Say $s "250-mail.test`r`n250-PIPELINING`r`n250 8BITMIME`r`n" }
                    if ($Offer -and (Line $s) -eq 'STARTTLS') { Say $s "220 2.0.0 Ready to start TLS`r`n"; $go = $true }
                }
                'Imap' {
                    Say $s "* OK [CAPABILITY IMAP4rev1$(if ($Offer) { ' STARTTLS' })] TlsTools test peer ready`r`n"
                    $tag = ((Line $s) -split ' ')[0]
                    if ($Offer) { Say $s "$tag OK Begin TLS negotiation now`r`n"; $go = $true } else { Say $s "$tag BAD STARTTLS not available`r`n" }
                }
            }
            if ($go) {
                # Hand the connection over to the real TLS server: relay bytes both ways until either side closes.
                $upstream = [System.Net.Sockets.TcpClient]::new('127.0.0.1', $TlsPort)
                [void] $Clients.Add($upstream)
                $u = $upstream.GetStream()
                $client.ReceiveTimeout = 0
                $a = $s.CopyToAsync($u)
                $b = $u.CopyToAsync($s)
                [void][System.Threading.Tasks.Task]::WaitAny(@($a, $b), 20000)
                $upstream.Close()
            }
            Start-Sleep -Milliseconds 100
            $client.Close()
        } catch {
            try { $client.Close() } catch { }
        }
    }
}

function Start-StartTlsPeer {
    <#
    .SYNOPSIS
        A scripted SMTP or IMAP server on 127.0.0.1 that offers STARTTLS (or, with -NoOffer, does not) and, after
        the switch, relays the connection to a real TLS server (-TlsServer, e.g. from Start-TlsScenarioServer).
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] [ValidateSet('Smtp', 'Imap')] [string] $Protocol, $TlsServer, [switch] $NoOffer)
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start(16)
    $clients = [System.Collections.ArrayList]::Synchronized([System.Collections.ArrayList]::new())
    $ps = [powershell]::Create()
    $tlsPort = if ($TlsServer) { [int]$TlsServer.Port } else { 0 }
    $null = $ps.AddScript($script:StartTlsPeerScript.ToString()).AddArgument($listener).AddArgument($Protocol).AddArgument(-not $NoOffer).AddArgument($tlsPort).AddArgument($clients)
    $handle = $ps.BeginInvoke()
    $port = $listener.LocalEndpoint.Port
    $server = [pscustomobject]@{
        Kind = 'Raw'; Name = "$Protocol-StartTls"; Address = '127.0.0.1'; Port = $port; Target = "127.0.0.1:$port"
        Listener = $listener; PowerShell = $ps; Handle = $handle; Clients = $clients
    }
    $script:Running.Add($server)
    $server
}

function Get-PostgresBinPath {
    <# .SYNOPSIS The bin folder of the newest PostgreSQL Debian installs (/usr/lib/postgresql/N/bin), or $null. #>
    Get-ChildItem /usr/lib/postgresql/*/bin/postgres -ErrorAction SilentlyContinue |
        Sort-Object { [int]($_.Directory.Parent.Name) } -Descending | Select-Object -First 1 | ForEach-Object { $_.DirectoryName }
}

function Start-PostgresServer {
    <#
    .SYNOPSIS
        A real PostgreSQL server (Debian's postgresql package) on 127.0.0.1 in a fresh cluster, run as the
        'postgres' user; -Cert/-Key turn on ssl, otherwise ssl = off.
    #>
    [CmdletBinding()]
    param([string] $Cert, [string] $Key)
    $bin = Get-PostgresBinPath
    if (-not $bin) { throw 'PostgreSQL is not installed (apt-get install postgresql).' }
    $port = Get-FreeTcpPort
    $dir = Join-Path ([System.IO.Path]::GetTempPath()) "tlstools-pg-$port"
    New-Item -ItemType Directory -Force -Path $dir | Out-Null
    & chown postgres $dir
    $out = & runuser -u postgres -- "$bin/initdb" -D "$dir/data" -A trust -U postgres --no-sync 2>&1
    if ($LASTEXITCODE -ne 0) { throw "initdb failed: $out" }
    $conf = @("listen_addresses = '127.0.0.1'", "port = $port", "unix_socket_directories = '$dir'", 'fsync = off')
    if ($Cert) {
        Copy-Item $Cert "$dir/data/server.crt"; Copy-Item $Key "$dir/data/server.key"
        & chown postgres "$dir/data/server.crt" "$dir/data/server.key"; & chmod 600 "$dir/data/server.key"
        $conf += @('ssl = on', "ssl_cert_file = 'server.crt'", "ssl_key_file = 'server.key'")
    } else { $conf += 'ssl = off' }
    Add-Content -Path "$dir/data/postgresql.conf" -Value $conf
    Start-TestProcess -Name 'postgres' -File 'runuser' -Arguments @('-u', 'postgres', '--', "$bin/postgres", '-D', "$dir/data") -Port $port -Cleanup $dir
}

function Start-LdapServer {
    <#
    .SYNOPSIS
        A real OpenLDAP server (Debian's slapd package) on 127.0.0.1 with an empty mdb database, configured by a
        slapd.conf of its own; -Cert/-Key/-Chain turn on TLS, so the StartTLS extended operation works,
        otherwise slapd refuses it.
    #>
    [CmdletBinding()]
    param([string] $Cert, [string] $Key, [string] $Chain)
    if (-not (Test-Path /usr/sbin/slapd)) { throw 'slapd is not installed (apt-get install slapd).' }
    $port = Get-FreeTcpPort
    $dir = Join-Path ([System.IO.Path]::GetTempPath()) "tlstools-slapd-$port"
    New-Item -ItemType Directory -Force -Path "$dir/db" | Out-Null
    $conf = @(
        'include /etc/ldap/schema/core.schema'
        "pidfile $dir/slapd.pid"
        "argsfile $dir/slapd.args"
        'modulepath /usr/lib/ldap'
        'moduleload back_mdb'
    )
    if ($Cert) { $conf += @("TLSCertificateFile $Cert", "TLSCertificateKeyFile $Key") + @(if ($Chain) { "TLSCACertificateFile $Chain" }) }
    $conf += @('database mdb', 'maxsize 10485760', 'suffix "dc=tlstools,dc=test"', "directory $dir/db")
    Set-Content -Path "$dir/slapd.conf" -Value $conf
    # -d 0: stay in the foreground (the test process owns it), no debug output.
    Start-TestProcess -Name 'slapd' -File '/usr/sbin/slapd' -Arguments @('-d', '0', '-f', "$dir/slapd.conf", '-h', "ldap://127.0.0.1:$port/") -Port $port -Cleanup $dir
}

function Start-MySqlServer {
    <#
    .SYNOPSIS
        A real MariaDB server (Debian's mariadb-server package) on 127.0.0.1 in a fresh data directory;
        -Cert/-Key turn on TLS (its greeting then carries CLIENT_SSL), otherwise the server has no TLS.
    #>
    [CmdletBinding()]
    param([string] $Cert, [string] $Key)
    if (-not (Get-Command mariadbd -ErrorAction SilentlyContinue)) { throw 'MariaDB is not installed (apt-get install mariadb-server).' }
    $port = Get-FreeTcpPort
    $dir = Join-Path ([System.IO.Path]::GetTempPath()) "tlstools-mariadb-$port"
    New-Item -ItemType Directory -Force -Path $dir | Out-Null
    $out = & mariadb-install-db --no-defaults --datadir="$dir/data" --user=root --skip-test-db --auth-root-authentication-method=normal 2>&1
    if ($LASTEXITCODE -ne 0) { throw "mariadb-install-db failed: $out" }
    $arguments = @('--no-defaults', "--datadir=$dir/data", "--port=$port", '--bind-address=127.0.0.1', "--socket=$dir/mysqld.sock",
        "--pid-file=$dir/mysqld.pid", '--user=root', '--skip-log-bin', '--innodb-buffer-pool-size=16M')
    if ($Cert) { $arguments += @("--ssl-cert=$Cert", "--ssl-key=$Key") }
    Start-TestProcess -Name 'mariadbd' -File 'mariadbd' -Arguments $arguments -Port $port -Cleanup $dir
}

function Start-MailServer {
    <#
    .SYNOPSIS
        A real Dovecot (Debian's dovecot-imapd and dovecot-pop3d) on 127.0.0.1 serving IMAP and POP3 with a config
        file of its own; -Cert (leaf and intermediates) and -Key turn on TLS, so IMAP lists STARTTLS and POP3 STLS;
        without them ssl = no and neither is offered. There is no ssl_dh, as on many real installs: DHE suites
        then fail inside the handshake (the server picks one and closes).
    .OUTPUTS
        The Start-TestProcess server object (Port: IMAP), with Pop3Port added.
    #>
    [CmdletBinding()]
    param([string] $Cert, [string] $Key)
    if (-not (Test-Path /usr/sbin/dovecot)) { throw 'Dovecot is not installed (apt-get install dovecot-imapd dovecot-pop3d).' }
    $imap = Get-FreeTcpPort
    $pop3 = Get-FreeTcpPort
    $dir = Join-Path ([System.IO.Path]::GetTempPath()) "tlstools-dovecot-$imap"
    New-Item -ItemType Directory -Force -Path "$dir/run", "$dir/state", "$dir/home" | Out-Null
    $tls = if ($Cert) { @('ssl = yes', "ssl_cert = <$Cert", "ssl_key = <$Key") } else { @('ssl = no') }
    $conf = @(
        "base_dir = $dir/run", "state_dir = $dir/state", "log_path = $dir/dovecot.log"
        'protocols = imap pop3', 'listen = 127.0.0.1', 'auth_mechanisms = plain', 'disable_plaintext_auth = no'
    ) + $tls + @(
        'passdb {', '  driver = static', '  args = nopassword=y', '}'
        'userdb {', '  driver = static', "  args = uid=nobody gid=nogroup home=$dir/home", '}'
        # No chroot: the login processes run from this temporary folder, not from the package's base_dir.
        'service imap-login {', '  chroot =', "  inet_listener imap {", "    port = $imap", '  }', '  inet_listener imaps {', '    port = 0', '  }', '}'
        'service pop3-login {', '  chroot =', "  inet_listener pop3 {", "    port = $pop3", '  }', '  inet_listener pop3s {', '    port = 0', '  }', '}'
    )
    Set-Content -Path "$dir/dovecot.conf" -Value $conf
    # -F: in the foreground, owned by the test process.
    $server = Start-TestProcess -Name 'dovecot' -File '/usr/sbin/dovecot' -Arguments @('-F', '-c', "$dir/dovecot.conf") -Port $imap -Cleanup $dir
    if (-not (Wait-TcpPort -Port $pop3 -Process $server.Process -TimeoutMs 15000)) { throw "Dovecot did not listen on POP3 port $pop3" }
    $server | Add-Member -NotePropertyName Pop3Port -NotePropertyValue $pop3 -PassThru
}

function Start-FtpServer {
    <#
    .SYNOPSIS
        A real vsftpd (Debian's vsftpd package) on 127.0.0.1, anonymous only, in the foreground; -Cert (leaf and
        intermediates) and -Key turn on ssl_enable, so AUTH TLS is answered 234; without them it is refused.
    #>
    [CmdletBinding()]
    param([string] $Cert, [string] $Key)
    if (-not (Test-Path /usr/sbin/vsftpd)) { throw 'vsftpd is not installed (apt-get install vsftpd).' }
    $port = Get-FreeTcpPort
    $dir = Join-Path ([System.IO.Path]::GetTempPath()) "tlstools-vsftpd-$port"
    New-Item -ItemType Directory -Force -Path "$dir/empty" | Out-Null
    $conf = @(
        'listen=YES', 'listen_ipv6=NO', 'listen_address=127.0.0.1', "listen_port=$port", 'background=NO'
        'anonymous_enable=YES', 'local_enable=NO', "secure_chroot_dir=$dir/empty", 'seccomp_sandbox=NO', 'xferlog_enable=NO'
    ) + $(if ($Cert) { @('ssl_enable=YES', 'allow_anon_ssl=YES', "rsa_cert_file=$Cert", "rsa_private_key_file=$Key") } else { @('ssl_enable=NO') })
    Set-Content -Path "$dir/vsftpd.conf" -Value $conf
    Start-TestProcess -Name 'vsftpd' -File '/usr/sbin/vsftpd' -Arguments @("$dir/vsftpd.conf") -Port $port -Cleanup $dir
}

function Start-XmppServer {
    <#
    .SYNOPSIS
        A real Prosody (Debian's prosody package) on 127.0.0.1 for the VirtualHost 'localhost', client port only,
        in the foreground; -Cert (leaf and intermediates) and -Key turn on STARTTLS (offered as required);
        without them the tls module is off and the stream features offer no STARTTLS.
    #>
    [CmdletBinding()]
    param([string] $Cert, [string] $Key)
    if (-not (Get-Command prosody -ErrorAction SilentlyContinue)) { throw 'Prosody is not installed (apt-get install prosody).' }
    $port = Get-FreeTcpPort
    $dir = Join-Path ([System.IO.Path]::GetTempPath()) "tlstools-prosody-$port"
    New-Item -ItemType Directory -Force -Path "$dir/data" | Out-Null
    $conf = @(
        'run_as_root = true', "pidfile = `"$dir/prosody.pid`"", "data_path = `"$dir/data`"", "log = { info = `"$dir/prosody.log`" }"
        'interfaces = { "127.0.0.1" }', "c2s_ports = { $port }", 's2s_ports = { }', 'component_ports = { }', 'http_ports = { }', 'https_ports = { }'
        'c2s_direct_tls_ports = { }', "certificates = `"$dir/none`""
        $(if ($Cert) { 'modules_enabled = { "tls"; "saslauth"; "disco" }' } else { 'modules_enabled = { "saslauth"; "disco" }' })
        $(if ($Cert) { 'modules_disabled = { "s2s"; "posix" }' } else { 'modules_disabled = { "s2s"; "posix"; "tls" }' })
        'VirtualHost "localhost"'
    ) + $(if ($Cert) { @("  ssl = { certificate = `"$Cert`"; key = `"$Key`"; }") } else { @() })
    Set-Content -Path "$dir/prosody.cfg.lua" -Value $conf
    Start-TestProcess -Name 'prosody' -File 'prosody' -Arguments @('-F', '--config', "$dir/prosody.cfg.lua") -Port $port -Cleanup $dir
}

#endregion

#region Stop

function Stop-TestServer {
    <# .SYNOPSIS Stops servers returned by Start-OpenSslServer / Start-RawListener (pipeline input welcome). #>
    [CmdletBinding()]
    param([Parameter(ValueFromPipeline)] [object[]] $Server)
    process {
        foreach ($s in $Server) {
            if ($null -eq $s) { continue }
            switch ($s.Kind) {
                'OpenSsl' {
                    if (-not $s.Process.HasExited) { try { $s.Process.Kill() } catch { } }
                    $null = $s.Process.WaitForExit(5000)
                    $s.Process.Dispose()
                    Remove-Item $s.LogPath -ErrorAction SilentlyContinue
                }
                'Process' {
                    # Kill the whole process tree (runuser and sh start the server as a child).
                    if (-not $s.Process.HasExited) { try { $s.Process.Kill($true) } catch { } }
                    $null = $s.Process.WaitForExit(5000)
                    $s.Process.Dispose()
                    Remove-Item $s.LogPath -ErrorAction SilentlyContinue
                    if ($s.Cleanup) { Remove-Item -Recurse -Force $s.Cleanup -ErrorAction SilentlyContinue }
                }
                'Raw' {
                    $s.Listener.Stop()
                    foreach ($c in @($s.Clients)) { try { $c.Close() } catch { } }
                    if ($s.Handle.AsyncWaitHandle.WaitOne(3000)) {
                        try { $null = $s.PowerShell.EndInvoke($s.Handle) } catch { }
                    } else {
                        $null = $s.PowerShell.BeginStop($null, $null)
                    }
                    $s.PowerShell.Dispose()
                }
            }
            $null = $script:Running.Remove($s)
        }
    }
}

function Stop-AllTestServer {
    <# .SYNOPSIS Stops every server this module started and has not stopped yet. #>
    @($script:Running) | Stop-TestServer
}

#endregion

#region Network namespace that drops SYNs

function Get-DropSynNamespaceSupport {
    <# .SYNOPSIS $null when New-DropSynNamespace can work here, otherwise the reason it cannot. #>
    if (-not $IsLinux) { return 'network namespaces need Linux' }
    if ((& id -u) -ne '0') { return 'creating a network namespace needs root' }
    if (-not (Get-Command ip -ErrorAction SilentlyContinue)) { return "'ip' (iproute2) is not installed" }
    if (-not (Get-Command nft -ErrorAction SilentlyContinue) -and -not (Get-Command iptables -ErrorAction SilentlyContinue)) {
        return 'neither nft nor iptables is installed'
    }
    $null = & ip netns list 2>&1
    if ($LASTEXITCODE -ne 0) { return "'ip netns' is not available" }
    $null
}

function Invoke-Ip {
    param([string[]] $Arguments, [string] $StdIn)
    $out = if ($PSBoundParameters.ContainsKey('StdIn')) { $StdIn | & ip @Arguments 2>&1 } else { & ip @Arguments 2>&1 }
    if ($LASTEXITCODE -ne 0) { throw "ip $($Arguments -join ' ') failed: $out" }
}

function Get-FreeNamespaceSubnet {
    <# .SYNOPSIS The x of a 10.254.x.0/30 subnet no interface on this machine uses, for a test namespace's veth pair. #>
    $used = (& ip -4 -o addr show) -join "`n"
    foreach ($i in 1..50) {
        $candidate = Get-Random -Minimum 1 -Maximum 255
        if ($used -notmatch "10\.254\.$candidate\.") { return $candidate }
    }
    throw 'No free 10.254.x.0/30 subnet.'
}

function New-DropSynNamespace {
    <#
    .SYNOPSIS
        A network namespace reached over a veth pair (host 10.254.x.1/30, namespace 10.254.x.2/30) whose
        firewall drops incoming TCP SYNs to port 443: a connect there times out, as behind a dropping firewall.
    .OUTPUTS
        {Name, Address, HostAddress, HostInterface}
    #>
    [CmdletBinding()]
    param([int] $Port = 443)
    $reason = Get-DropSynNamespaceSupport
    if ($reason) { throw "Cannot create a network namespace: $reason" }
    $octet = Get-FreeNamespaceSubnet
    $id = [guid]::NewGuid().ToString('N').Substring(0, 6)
    $ns = "tlstools-$id"
    $hostIf = "tt$($id)h"
    $nsIf = "tt$($id)n"
    $ns = [pscustomobject]@{ Name = $ns; Address = "10.254.$octet.2"; HostAddress = "10.254.$octet.1"; HostInterface = $hostIf }
    try {
        Invoke-Ip @('netns', 'add', $ns.Name)
        Invoke-Ip @('link', 'add', $hostIf, 'type', 'veth', 'peer', 'name', $nsIf)
        Invoke-Ip @('link', 'set', $nsIf, 'netns', $ns.Name)
        Invoke-Ip @('addr', 'add', "$($ns.HostAddress)/30", 'dev', $hostIf)
        Invoke-Ip @('link', 'set', $hostIf, 'up')
        Invoke-Ip @('-n', $ns.Name, 'addr', 'add', "$($ns.Address)/30", 'dev', $nsIf)
        Invoke-Ip @('-n', $ns.Name, 'link', 'set', $nsIf, 'up')
        Invoke-Ip @('-n', $ns.Name, 'link', 'set', 'lo', 'up')
        if (Get-Command nft -ErrorAction SilentlyContinue) {
            $rules = "table inet tlstools {`n  chain input {`n    type filter hook input priority 0; policy accept;`n    tcp dport $Port tcp flags & (syn|ack) == syn drop`n  }`n}`n"
            Invoke-Ip @('netns', 'exec', $ns.Name, 'nft', '-f', '-') -StdIn $rules
        } else {
            Invoke-Ip @('netns', 'exec', $ns.Name, 'iptables', '-A', 'INPUT', '-p', 'tcp', '--dport', "$Port", '--syn', '-j', 'DROP')
        }
    } catch {
        Remove-DropSynNamespace $ns
        throw
    }
    $ns
}

function Remove-DropSynNamespace {
    <# .SYNOPSIS Deletes the namespace (its end of the veth pair, and so the pair, goes with it). #>
    [CmdletBinding()]
    param([Parameter(ValueFromPipeline)] $Namespace)
    process {
        if ($null -eq $Namespace) { return }
        $null = & ip netns del $Namespace.Name 2>&1
        $null = & ip link del $Namespace.HostInterface 2>&1   # normally already gone with the namespace
    }
}

#endregion

#region Network namespace with a firewall (nftables)

function New-FirewallNamespace {
    <#
    .SYNOPSIS
        A network namespace reached over a veth pair (host 10.254.x.1/30, namespace 10.254.x.2/30) whose nftables
        table holds the given rules, for servers started inside it with Start-NamespaceTlsServer.
    .PARAMETER InputRules
        nft rule lines for the namespace's input hook (packets to its servers), e.g. a payload match that resets
        every segment beginning with a TLS handshake record: 'tcp dport 4433 @ih,0,16 0x1603 reject with tcp reset'.
    .PARAMETER OutputRules
        nft rule lines for its output hook (packets its servers send), e.g. 'tcp sport 4433 meta length > 1000 drop'.
    .PARAMETER NoSegmentOffload
        One TCP segment per packet on the namespace's side (gso_max_segs 1): netfilter then sees the real
        segment sizes, so a length rule behaves like a link with a small MTU.
    .OUTPUTS
        {Name, Address, HostAddress, HostInterface}; remove with Remove-DropSynNamespace.
    #>
    [CmdletBinding()]
    param([string[]] $InputRules = @(), [string[]] $OutputRules = @(), [switch] $NoSegmentOffload)
    $reason = Get-DropSynNamespaceSupport
    if ($reason) { throw "Cannot create a network namespace: $reason" }
    if (-not (Get-Command nft -ErrorAction SilentlyContinue)) { throw 'nft (nftables) is not installed' }
    $octet = Get-FreeNamespaceSubnet
    $id = [guid]::NewGuid().ToString('N').Substring(0, 6)
    $nsIf = "tt$($id)n"
    $ns = [pscustomobject]@{ Name = "tlstools-$id"; Address = "10.254.$octet.2"; HostAddress = "10.254.$octet.1"; HostInterface = "tt$($id)h" }
    try {
        Invoke-Ip @('netns', 'add', $ns.Name)
        Invoke-Ip @('link', 'add', $ns.HostInterface, 'type', 'veth', 'peer', 'name', $nsIf)
        Invoke-Ip @('link', 'set', $nsIf, 'netns', $ns.Name)
        Invoke-Ip @('addr', 'add', "$($ns.HostAddress)/30", 'dev', $ns.HostInterface)
        Invoke-Ip @('link', 'set', $ns.HostInterface, 'up')
        Invoke-Ip @('-n', $ns.Name, 'addr', 'add', "$($ns.Address)/30", 'dev', $nsIf)
        if ($NoSegmentOffload) { Invoke-Ip @('-n', $ns.Name, 'link', 'set', $nsIf, 'gso_max_segs', '1') }
        Invoke-Ip @('-n', $ns.Name, 'link', 'set', $nsIf, 'up')
        Invoke-Ip @('-n', $ns.Name, 'link', 'set', 'lo', 'up')
        $rules = "table inet tlstools {`n" +
            "  chain input {`n    type filter hook input priority 0; policy accept;`n" + (($InputRules | ForEach-Object { "    $_`n" }) -join '') + "  }`n" +
            "  chain output {`n    type filter hook output priority 0; policy accept;`n" + (($OutputRules | ForEach-Object { "    $_`n" }) -join '') + "  }`n}`n"
        Invoke-Ip @('netns', 'exec', $ns.Name, 'nft', '-f', '-') -StdIn $rules
    } catch {
        Remove-DropSynNamespace $ns
        throw
    }
    $ns
}

function Start-NamespaceTlsServer {
    <#
    .SYNOPSIS
        nginx inside a namespace of New-FirewallNamespace, serving TLS (good leaf + intermediate) on each port.
    .DESCRIPTION
        nginx rather than openssl s_server: s_server serves one connection at a time, so a connection a firewall
        rule left hanging would hold it, and every follow-up connection of the cmdlet would wait behind it.
        nginx answers a plain HTTP line on a TLS port with "400 The plain HTTP request was sent to HTTPS port".
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Namespace, [Parameter(Mandatory)] $Pki, [Parameter(Mandatory)] [int[]] $Port)
    $dir = Join-Path ([System.IO.Path]::GetTempPath()) "tlstools-nginx-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
    New-Item -ItemType Directory -Force -Path $dir | Out-Null
    $listen = ($Port | ForEach-Object { "    listen $($Namespace.Address):$_ ssl;" }) -join "`n"
    @"
pid $dir/nginx.pid;
error_log $dir/error.log;
worker_processes 1;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path $dir; proxy_temp_path $dir; fastcgi_temp_path $dir; uwsgi_temp_path $dir; scgi_temp_path $dir;
  server {
$listen
    ssl_certificate $($Pki.GoodFullChainPath);
    ssl_certificate_key $($Pki.GoodKeyPath);
    location / { return 200 "ok
"; }
  }
}
"@ | Set-Content -Path "$dir/nginx.conf"
    Start-TestProcess -Name "nginx-$($Namespace.Name)" -File 'ip' -Address $Namespace.Address -Port $Port[0] -Cleanup $dir -Arguments @(
        'netns', 'exec', $Namespace.Name, 'nginx', '-c', "$dir/nginx.conf", '-p', $dir, '-g', 'daemon off;')
}

function Start-NamespaceTestServer {
    <#
    .SYNOPSIS
        A Start-TlsTestServer scenario served from inside a namespace of New-FirewallNamespace, by a pwsh process
        started there with the built module (BouncyCastle writes each TLS record as it is made, so the ServerHello
        leaves in a segment of its own, unlike OpenSSL and nginx, which send the whole flight at once).
    .OUTPUTS
        The Start-TestProcess server object, with TrustedRootPath added.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Namespace, [Parameter(Mandatory)] [string] $ModulePath, [Parameter(Mandatory)] [int] $Port,
        [string] $Scenario = 'Good')
    $rootFile = Join-Path ([System.IO.Path]::GetTempPath()) "tlstools-ns-root-$([guid]::NewGuid().ToString('N').Substring(0, 8)).txt"
    $script = "Import-Module '$ModulePath'; `$s = Start-TlsTestServer -Scenario $Scenario -BindAddress $($Namespace.Address) -Port $Port -ErrorAction Stop; " +
        "Set-Content -LiteralPath '$rootFile' -Value `$s.TrustedRootPath; while (`$true) { Start-Sleep -Seconds 1 }"
    $server = Start-TestProcess -Name "tlstestserver-$Scenario" -File 'ip' -Address $Namespace.Address -Port $Port -Arguments @(
        'netns', 'exec', $Namespace.Name, 'dotnet', (Join-Path $PSHOME 'pwsh.dll'), '-NoProfile', '-NonInteractive', '-Command', $script)
    # The port opens just before the root file is written.
    $deadline = [DateTime]::UtcNow.AddSeconds(10)
    while (-not (Test-Path $rootFile) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
    $root = if (Test-Path $rootFile) { (Get-Content -LiteralPath $rootFile -Raw).Trim() } else { $null }
    Remove-Item -LiteralPath $rootFile -ErrorAction SilentlyContinue
    $server | Add-Member -NotePropertyName TrustedRootPath -NotePropertyValue $root -PassThru
}

function New-FirewallTestBed {
    <#
    .SYNOPSIS
        One namespace (New-FirewallNamespace) with a port per firewall symptom and nginx behind the rules:
        Ports.DropSyn (SYNs dropped), RejectSyn (SYNs rejected with a reset), DpiReset / DpiDrop (every segment
        whose payload starts with a TLS handshake record, 0x16 0x03, reset or dropped: a DPI box), MtuStall (the
        server's segments over 1000 bytes dropped: an MTU black hole) and Open. With -ModulePath also
        MtuStallAfterHello: the same rule in front of a Start-TlsTestServer, whose ServerHello fits in a small
        segment, so it arrives and the certificate flight does not.
    .OUTPUTS
        {Namespace, Address, Ports, Servers, RootCaPath, PkiDir}; remove with Remove-FirewallTestBed.
    #>
    [CmdletBinding()]
    param([int] $BasePort = 4431, [string] $ModulePath)
    $ports = @{ DropSyn = $BasePort; RejectSyn = $BasePort + 1; DpiReset = $BasePort + 2; DpiDrop = $BasePort + 3; MtuStall = $BasePort + 4; Open = $BasePort + 5
        MtuStallAfterHello = $BasePort + 6 }
    $pkiDir = Join-Path ([System.IO.Path]::GetTempPath()) "tlstools-firewall-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
    $pki = New-TestPki -Path $pkiDir
    $ns = New-FirewallNamespace -NoSegmentOffload -InputRules @(
        "tcp dport $($ports.DropSyn) tcp flags & (syn|ack) == syn drop"
        "tcp dport $($ports.RejectSyn) tcp flags & (syn|ack) == syn reject with tcp reset"
        "tcp dport $($ports.DpiReset) @ih,0,16 0x1603 reject with tcp reset"
        "tcp dport $($ports.DpiDrop) @ih,0,16 0x1603 drop"
    ) -OutputRules @(
        "tcp sport $($ports.MtuStall) meta length > 1000 drop"
        "tcp sport $($ports.MtuStallAfterHello) meta length > 1000 drop"
    )
    $servers = @(Start-NamespaceTlsServer -Namespace $ns -Pki $pki -Port $ports.Open, $ports.DpiReset, $ports.DpiDrop, $ports.MtuStall)
    if ($ModulePath) { $servers += Start-NamespaceTestServer -Namespace $ns -ModulePath $ModulePath -Port $ports.MtuStallAfterHello }
    [pscustomobject]@{ Namespace = $ns; Address = $ns.Address; Ports = $ports; Servers = $servers; RootCaPath = $pki.RootCaPath; PkiDir = $pkiDir }
}

function Remove-FirewallTestBed {
    param($Bed)
    if (-not $Bed) { return }
    if ($Bed.Servers) { Stop-TestServer $Bed.Servers }
    # A test server killed in its namespace could not delete its PKI folder itself.
    foreach ($root in @($Bed.Servers | ForEach-Object { $_.PSObject.Properties['TrustedRootPath']?.Value } | Where-Object { $_ })) {
        Remove-Item -LiteralPath (Split-Path -Parent $root) -Recurse -Force -ErrorAction SilentlyContinue
    }
    if ($Bed.Namespace) { Remove-DropSynNamespace $Bed.Namespace }
    if ($Bed.PkiDir -and (Test-Path $Bed.PkiDir)) { Remove-Item -Recurse -Force $Bed.PkiDir }
}

function Get-FirewallTestBedSupport {
    <# .SYNOPSIS $null when New-FirewallTestBed can work here, otherwise the reason it cannot. #>
    $reason = Get-DropSynNamespaceSupport
    if (-not $reason -and -not (Get-Command nft -ErrorAction SilentlyContinue)) { $reason = 'nft (nftables) is not installed' }
    $reason
}


#endregion

#region openssl s_client cross-check

$script:StdNames = $null

function ConvertTo-IanaCipherName {
    <# .SYNOPSIS Maps an OpenSSL cipher name to its IANA (RFC) name via `openssl ciphers -stdname`. #>
    param([Parameter(Mandatory)] [string] $OpenSslName)
    if (-not $script:StdNames) {
        $map = @{}
        foreach ($line in (Invoke-OpenSsl @('ciphers', '-stdname', 'ALL:COMPLEMENTOFALL:@SECLEVEL=0')) -split "`n") {
            # "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 - ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 Kx=ECDH ..."
            if ($line -match '^\s*(\S+)\s+-\s+(\S+)\s') { $map[$Matches[2]] = $Matches[1] }
        }
        $script:StdNames = $map
    }
    $script:StdNames[$OpenSslName]
}

function Invoke-OpenSslClient {
    <#
    .SYNOPSIS
        Connects with `openssl s_client` and returns what it negotiated: {Protocol, OpenSslCipher, CipherSuite
        (IANA), Verification ('OK' or the error), Output}. Protocol is mapped to TlsTools names (TLSv1.3 -> Tls13).
    #>
    param(
        [Parameter(Mandatory)] [string] $Connect,
        [string] $CAfile,
        [string] $ServerName,
        [string[]] $ExtraArgs = @()
    )
    # -brief prints 'Protocol version:' and 'Ciphersuite:' once the handshake is done, however quickly it quits.
    $argv = @('s_client', '-brief', '-connect', $Connect)
    if ($CAfile) { $argv += @('-CAfile', $CAfile) }
    if ($ServerName) { $argv += @('-servername', $ServerName) }
    $argv += @($ExtraArgs | Where-Object { $_ })
    $psi = [System.Diagnostics.ProcessStartInfo]::new('openssl')
    foreach ($a in $argv) { $psi.ArgumentList.Add($a) }
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $psi.RedirectStandardInput = $true
    $psi.UseShellExecute = $false
    $p = [System.Diagnostics.Process]::Start($psi)
    $p.StandardInput.Close()   # EOF on stdin: s_client quits after the handshake
    $errTask = $p.StandardError.ReadToEndAsync()
    $out = $p.StandardOutput.ReadToEnd()
    if (-not $p.WaitForExit(10000)) { $p.Kill() }
    $out += $errTask.GetAwaiter().GetResult()
    $proto = if ($out -match '(?m)^Protocol version:\s*(\S+)') { $Matches[1] } else { $null }
    $cipher = if ($out -match '(?m)^Ciphersuite:\s*(\S+)') { $Matches[1] } else { $null }
    $verify = if ($out -match '(?m)^Verification:\s*OK') { 'OK' } elseif ($out -match '(?m)^Verification error:\s*(.+)$') { $Matches[1].Trim() } else { $null }
    $protoMap = @{ 'SSLv3' = 'Ssl3'; 'TLSv1' = 'Tls10'; 'TLSv1.1' = 'Tls11'; 'TLSv1.2' = 'Tls12'; 'TLSv1.3' = 'Tls13' }
    [pscustomobject]@{
        Protocol         = if ($proto) { $protoMap[$proto] } else { $null }
        OpenSslCipher    = $cipher
        CipherSuite      = if ($cipher -and $cipher -ne '0000') { ConvertTo-IanaCipherName $cipher } else { $null }
        Verification     = $verify
        Output           = $out
    }
}

#endregion

#region Proxy environment

$script:ProxyVariables = 'HTTPS_PROXY', 'https_proxy', 'ALL_PROXY', 'all_proxy', 'NO_PROXY', 'no_proxy'

function Clear-ProxyEnvironment {
    <#
    .SYNOPSIS
        Clears the proxy environment variables, so no test can send traffic to a proxy of this machine's
        environment; returns what they were, for Restore-ProxyEnvironment.
    #>
    $saved = @{}
    foreach ($v in $script:ProxyVariables) { $saved[$v] = [Environment]::GetEnvironmentVariable($v); [Environment]::SetEnvironmentVariable($v, $null) }
    $saved
}

function Restore-ProxyEnvironment {
    param([hashtable] $Saved)
    if (-not $Saved) { return }
    foreach ($v in $Saved.Keys) { [Environment]::SetEnvironmentVariable($v, $Saved[$v]) }
}

#endregion

Export-ModuleMember -Function Test-IPv6Loopback, New-TestPki, Start-OpenSslServer, Start-TlsScenarioServer, Start-RawListener, Get-ClosedPort, Get-FreeTcpPort,
    Wait-TcpPort, Stop-TestServer, Stop-AllTestServer, Get-DropSynNamespaceSupport, New-DropSynNamespace,
    Remove-DropSynNamespace, Invoke-OpenSslClient, ConvertTo-IanaCipherName, Invoke-OpenSsl,
    Start-TestProcess, New-FirewallNamespace, Start-NamespaceTlsServer, Start-HttpProxy, Start-Socks5Proxy, Start-StartTlsPeer, Get-PostgresBinPath, Start-PostgresServer, Start-LdapServer, Start-MySqlServer, Start-MailServer, Start-FtpServer, Start-XmppServer,
    New-FirewallTestBed, Remove-FirewallTestBed, Start-NamespaceTestServer, Get-FirewallTestBedSupport, Clear-ProxyEnvironment, Restore-ProxyEnvironment
