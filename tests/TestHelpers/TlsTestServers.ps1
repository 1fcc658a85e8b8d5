<#
.SYNOPSIS
    Real, local test peers for the TlsTools Pester tests, the demo and the benchmarks (part of TestHelpers.psm1).
.DESCRIPTION
    Everything here listens on 127.0.0.1 / ::1 or inside a network namespace these helpers create.
      Invoke-OpenSsl           the openssl CLI, throwing with its output when it fails
      New-TestPki              root CA, intermediate CA and the misconfigured leaves the scenarios need
      New-TestCertificate      one certificate with chosen dates, key, digest and extensions (AIA, CRL DP, EKU, CA),
                               issued with `openssl ca`; Join-Pem bundles them, Write-OcspIndex writes an OCSP index
      Start-OpenSslServer      openssl s_server -www on a free loopback port, waits until it accepts
      Start-StaticHttpServer   python3 -m http.server on 127.0.0.1 (AIA and CRL URLs, a plain-HTTP port)
      Start-OcspResponder      openssl ocsp answering from an index, waits for its ACCEPT line
      Start-RawListener        Silent | ResetAfterHello | CloseAfterHello | Http | AlertOnly listeners on a background runspace
      Get-FreeTcpPort, Get-ClosedPort, Wait-TcpPort
      Stop-TestServer          stops any server returned above; Stop-AllTestServer stops every one still running
      New-DropSynNamespace, New-FirewallNamespace, New-FirewallTestBed   network namespaces with nftables rules
      Invoke-OpenSslClient     openssl s_client, for cross-checking Protocol and CipherSuite
    A program these need and do not find fails with its Debian package (Assert-TestTool).
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

function New-TestKey {
    # rsa:2048, rsa:1024, ec:P-256, ec:P-224 ... into <Dir>/<Name>.key; returns the path.
    param([string] $Dir, [string] $Name, [string] $Type = 'rsa:2048')
    $key = Join-Path $Dir "$Name.key"
    $kind, $size = $Type -split ':'
    if ($kind -eq 'rsa') { Invoke-OpenSsl @('genpkey', '-algorithm', 'RSA', '-pkeyopt', "rsa_keygen_bits:$size", '-out', $key) | Out-Null }
    else { Invoke-OpenSsl @('genpkey', '-algorithm', 'EC', '-pkeyopt', "ec_paramgen_curve:$size", '-out', $key) | Out-Null }
    $key
}

function ConvertTo-OpenSslDate([datetime] $Date) { $Date.ToUniversalTime().ToString('yyyyMMddHHmmss') + 'Z' }

function New-TestCertificate {
    <#
    .SYNOPSIS
        Issues one certificate with the openssl CLI (`openssl ca`, which alone lets a test set both start and end
        dates), for the certificate chain tests.
    .PARAMETER Issuer
        The hashtable New-TestCertificate returned for the CA; omit it for a self-signed root.
    .OUTPUTS
        @{ Name; Cert (PEM path); Key; Serial (hex); Subject; NotAfter }
    #>
    param(
        [Parameter(Mandatory)] [string] $Dir,
        [Parameter(Mandatory)] [string] $Name,
        [Parameter(Mandatory)] [string] $CommonName,
        [hashtable] $Issuer,
        [switch] $Ca,
        [switch] $NoBasicConstraints,
        [string[]] $DnsNames = @(),
        [string[]] $IpAddresses = @(),
        [datetime] $NotBefore = (Get-Date).ToUniversalTime().AddDays(-10),
        [datetime] $NotAfter = (Get-Date).ToUniversalTime().AddDays(90),
        [string] $KeyType = 'rsa:2048',
        [string] $Digest = 'sha256',
        [string] $ExtendedKeyUsage,
        [string] $CaIssuersUrl,
        [string] $OcspUrl,
        [string] $CrlUrl,
        [string] $Key
    )
    if (-not $Key) { $Key = New-TestKey -Dir $Dir -Name $Name -Type $KeyType }
    $lines = @()
    if (-not $NoBasicConstraints) { $lines += if ($Ca) { 'basicConstraints = critical, CA:TRUE' } else { 'basicConstraints = critical, CA:FALSE' } }
    $lines += if ($Ca) { 'keyUsage = critical, keyCertSign, cRLSign' } else { 'keyUsage = critical, digitalSignature, keyEncipherment' }
    $lines += 'subjectKeyIdentifier = hash'
    if ($Issuer) { $lines += 'authorityKeyIdentifier = keyid' }
    if ($ExtendedKeyUsage) { $lines += "extendedKeyUsage = $ExtendedKeyUsage" }
    elseif (-not $Ca) { $lines += 'extendedKeyUsage = serverAuth' }
    $san = @($DnsNames | ForEach-Object { "DNS:$_" }) + @($IpAddresses | ForEach-Object { "IP:$_" })
    if ($san) { $lines += "subjectAltName = $($san -join ', ')" }
    $aia = @(if ($CaIssuersUrl) { "caIssuers;URI:$CaIssuersUrl" }; if ($OcspUrl) { "OCSP;URI:$OcspUrl" })
    if ($aia) { $lines += "authorityInfoAccess = $($aia -join ', ')" }
    if ($CrlUrl) { $lines += "crlDistributionPoints = URI:$CrlUrl" }
    $ext = Join-Path $Dir "$Name.ext"
    Set-Content -LiteralPath $ext -Value (@('[ext]') + $lines)

    # A throw-away CA database per issuance: `openssl ca` needs one, the tests keep their own OCSP index.
    $db = Join-Path $Dir "$Name.db"
    New-Item -ItemType Directory -Force -Path $db | Out-Null
    Set-Content -LiteralPath (Join-Path $db 'index.txt') -Value $null
    Set-Content -LiteralPath (Join-Path $db 'serial') -Value '1000'
    $config = Join-Path $db 'ca.cnf'
    Set-Content -LiteralPath $config -Value @"
[ca]
default_ca = d
[d]
database = $db/index.txt
serial = $db/serial
new_certs_dir = $db
default_md = $Digest
policy = p
unique_subject = no
[p]
commonName = supplied
"@
    $csr = Join-Path $Dir "$Name.csr"
    Invoke-OpenSsl @('req', '-new', '-key', $Key, '-subj', "/CN=$CommonName", '-out', $csr) | Out-Null
    $cert = Join-Path $Dir "$Name.pem"
    $signing = if ($Issuer) { @('-cert', $Issuer.Cert, '-keyfile', $Issuer.Key) } else { @('-selfsign', '-keyfile', $Key) }
    Invoke-OpenSsl (@('ca', '-batch', '-notext', '-rand_serial', '-config', $config) + $signing + @('-in', $csr, '-out', $cert, '-md', $Digest,
        '-startdate', (ConvertTo-OpenSslDate $NotBefore), '-enddate', (ConvertTo-OpenSslDate $NotAfter), '-extfile', $ext, '-extensions', 'ext')) | Out-Null
    $serial = ((Invoke-OpenSsl @('x509', '-in', $cert, '-noout', '-serial')) -replace '^serial=', '').Trim()
    @{ Name = $Name; Cert = $cert; Key = $Key; Serial = $serial; Subject = "/CN=$CommonName"; NotAfter = $NotAfter }
}

function Join-Pem {
    <# .SYNOPSIS Concatenates certificates (hashtables from New-TestCertificate) into one PEM bundle file; returns its path. #>
    param([string] $Path, [hashtable[]] $Certificates)
    Set-Content -LiteralPath $Path -Value ($Certificates | ForEach-Object { Get-Content -Raw -LiteralPath $_.Cert }) -NoNewline
    $Path
}

function Write-OcspIndex {
    <# .SYNOPSIS The index `openssl ocsp` answers from: V (valid) or R (revoked) per certificate; returns its path. #>
    param([string] $Path, [hashtable[]] $Valid = @(), [hashtable[]] $Revoked = @())
    $expiry = (Get-Date).ToUniversalTime().AddYears(1).ToString('yyMMddHHmmss') + 'Z'
    $revokedAt = (Get-Date).ToUniversalTime().AddDays(-1).ToString('yyMMddHHmmss') + 'Z'
    $lines = @($Valid | ForEach-Object { "V`t$expiry`t`t$($_.Serial)`tunknown`t$($_.Subject)" }) +
        @($Revoked | ForEach-Object { "R`t$expiry`t$revokedAt`t$($_.Serial)`tunknown`t$($_.Subject)" })
    Set-Content -LiteralPath $Path -Value $lines
    Set-Content -LiteralPath "$Path.attr" -Value 'unique_subject = no'
    $Path
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
    param($Listener, [string] $Mode, $Clients, [byte] $AlertDescription, [int] $HelloVersion, [int] $HelloSuite)
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
            } elseif ($Mode -eq 'CloseAfterHello') {
                $null = ReadRecord $stream
                # An orderly close (FIN) without a word: the server hangs up first, then the client answers with its own FIN.
                $client.Client.Shutdown([System.Net.Sockets.SocketShutdown]::Send)
                $null = $stream.Read([byte[]]::new(16), 0, 16)   # the client's FIN (end of stream), then close
                $client.Close()
            } elseif ($Mode -eq 'AlertOnly') {
                $null = ReadRecord $stream
                # TLS 1.2 record, Alert, fatal (2), the description asked for (internal_error (80) by default).
                $alert = [byte[]] (0x15, 0x03, 0x03, 0x00, 0x02, 0x02, $AlertDescription)
                $stream.Write($alert, 0, $alert.Length)
                $stream.Flush()
                $client.Client.Shutdown([System.Net.Sockets.SocketShutdown]::Send)
                Start-Sleep -Milliseconds 100
                $client.Close()
            } elseif ($Mode -eq 'ServerHello') {
                $null = ReadRecord $stream
                # One ServerHello (version and suite as asked, no extensions), then wait for the client's answer (its alert or FIN).
                $body = [byte[]] (@([byte]($HelloVersion -shr 8), [byte]($HelloVersion -band 0xFF)) + @(1..32 | ForEach-Object { [byte]$_ }) +
                    @([byte]0, [byte]($HelloSuite -shr 8), [byte]($HelloSuite -band 0xFF), [byte]0))
                $hs = [byte[]] (@([byte]2, [byte]0, [byte]0, [byte]$body.Length) + $body)
                $record = [byte[]] (@([byte]0x16, [byte]0x03, [byte]0x03, [byte]0, [byte]$hs.Length) + $hs)
                $stream.Write($record, 0, $record.Length)
                $stream.Flush()
                try { $null = $stream.Read([byte[]]::new(64), 0, 64) } catch { }
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
        CloseAfterHello reads the ClientHello record, then closes its side (client sees FIN) before the client does
        Http            answers anything with nginx's `HTTP/1.1 400 Bad Request`
        AlertOnly       answers the ClientHello with a fatal alert record (-AlertDescription, internal_error (80) by default)
        ServerHello     answers the ClientHello with one ServerHello (-HelloVersion, -HelloSuite), then waits for the client's answer
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] [ValidateSet('Silent', 'ResetAfterHello', 'CloseAfterHello', 'Http', 'AlertOnly', 'ServerHello')] [string] $Mode,
        [byte] $AlertDescription = 80, [int] $HelloVersion = 0x0303, [int] $HelloSuite = 0xC02F)
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start(64)
    $clients = [System.Collections.ArrayList]::Synchronized([System.Collections.ArrayList]::new())
    $ps = [powershell]::Create()
    $null = $ps.AddScript($script:RawListenerScript.ToString()).AddArgument($listener).AddArgument($Mode).AddArgument($clients).AddArgument($AlertDescription).AddArgument($HelloVersion).AddArgument($HelloSuite)
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

function Wait-LogLine {
    <# .SYNOPSIS True once the file holds a line matching -Pattern; false when -Process exits first or after -TimeoutMs. #>
    param([Parameter(Mandatory)] [string] $Path, [Parameter(Mandatory)] [string] $Pattern, [int] $TimeoutMs = 15000, [System.Diagnostics.Process] $Process)
    $deadline = [DateTime]::UtcNow.AddMilliseconds($TimeoutMs)
    while ([DateTime]::UtcNow -lt $deadline) {
        if ((Test-Path -LiteralPath $Path) -and (Select-String -LiteralPath $Path -Pattern $Pattern -Quiet)) { return $true }
        if ($Process -and $Process.HasExited) { return $false }
        Start-Sleep -Milliseconds 50
    }
    $false
}

function Start-TestProcess {
    <#
    .SYNOPSIS
        Starts a long-running native server (output to a log file) and waits until it is ready: until Address:Port
        accepts a connection, or, with -ReadyPattern, until its log holds a line that matches (for a server that a
        probe connection would disturb). Throws with the log when the deadline passes or the process exits.
    #>
    param([string] $Name, [string] $File, [string[]] $Arguments, [int] $Port, [string] $Cleanup, [string] $Address = '127.0.0.1',
        [string] $ReadyPattern, [int] $TimeoutMs = 15000)
    $log = Join-Path ([System.IO.Path]::GetTempPath()) "tlstools-$Name-$Port-$([guid]::NewGuid().ToString('N').Substring(0,8)).log"
    $quoted = (@($File) + $Arguments | ForEach-Object { "'" + ($_ -replace "'", "'\''") + "'" }) -join ' '
    $psi = [System.Diagnostics.ProcessStartInfo]::new('sh')
    $psi.ArgumentList.Add('-c')
    $psi.ArgumentList.Add("exec $quoted </dev/null >'$log' 2>&1")
    $psi.UseShellExecute = $false
    $proc = [System.Diagnostics.Process]::Start($psi)
    $ready = if ($ReadyPattern) { Wait-LogLine -Path $log -Pattern $ReadyPattern -Process $proc -TimeoutMs $TimeoutMs }
             else { Wait-TcpPort -Address $Address -Port $Port -Process $proc -TimeoutMs $TimeoutMs }
    if (-not $ready) {
        $text = if (Test-Path $log) { Get-Content -Raw $log } else { '' }
        if (-not $proc.HasExited) { $proc.Kill($true) }
        $what = if ($ReadyPattern) { "log line '$ReadyPattern'" } else { "${Address}:${Port}" }
        throw "$Name did not start ($what not seen within $($TimeoutMs / 1000) s): $text"
    }
    $server = [pscustomobject]@{
        Kind = 'Process'; Name = $Name; Address = $Address; Port = $Port; Target = "${Address}:$Port"
        Process = $proc; LogPath = $log; Cleanup = $Cleanup
    }
    $script:Running.Add($server)
    $server
}

function Start-StaticHttpServer {
    <#
    .SYNOPSIS
        A static HTTP server (python3 -m http.server) on 127.0.0.1 serving -Root: AIA and CRL URLs, or a port that
        answers a ClientHello with HTTP. The Start-TestProcess object with Url ('http://127.0.0.1:port') added.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] [string] $Root)
    $python = Assert-TestTool python3 -Package python3
    $port = Get-FreeTcpPort
    $server = Start-TestProcess -Name 'http.server' -File $python -Arguments @('-m', 'http.server', "$port", '--bind', '127.0.0.1', '--directory', $Root) -Port $port
    $server | Add-Member -NotePropertyName Url -NotePropertyValue "http://127.0.0.1:$port" -PassThru
}

function Start-OcspResponder {
    <#
    .SYNOPSIS
        `openssl ocsp` as a responder for the certificates -Ca issued, answering from -Index (Write-OcspIndex).
    .DESCRIPTION
        OpenSSL 3.0's -port takes a number only (it listens on every address); the tests only ever reach it at
        127.0.0.1, on an ephemeral port, for the length of one test file. Ready once it logs ACCEPT: it serves one
        connection at a time, so a probe connection (Wait-TcpPort) would hold it.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] [hashtable] $Ca, [Parameter(Mandatory)] [string] $Index, [Parameter(Mandatory)] [int] $Port)
    Start-TestProcess -Name 'ocsp' -File 'openssl' -Port $Port -ReadyPattern 'ACCEPT' -Arguments @(
        'ocsp', '-index', $Index, '-port', "$Port", '-rsigner', $Ca.Cert, '-rkey', $Ca.Key, '-CA', $Ca.Cert, '-ndays', '1')
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
    $tinyproxy = Assert-TestTool tinyproxy -Package tinyproxy-bin
    $port = Get-FreeTcpPort
    $dir = Join-Path ([System.IO.Path]::GetTempPath()) "tlstools-tinyproxy-$port"
    New-Item -ItemType Directory -Force -Path $dir | Out-Null
    $conf = @("Port $port", 'Listen 127.0.0.1', 'Timeout 30', 'MaxClients 50', 'Allow 127.0.0.1', 'LogLevel Info', 'DisableViaHeader Yes')
    if ($Credential) { $conf += "BasicAuth $($Credential.UserName) $($Credential.GetNetworkCredential().Password)" }
    foreach ($p in $AllowedConnectPort) { $conf += "ConnectPort $p" }
    $file = Join-Path $dir 'tinyproxy.conf'
    Set-Content -Path $file -Value $conf
    $server = Start-TestProcess -Name 'tinyproxy' -File $tinyproxy -Arguments @('-d', '-c', $file) -Port $port -Cleanup $dir
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
    $microsocks = Assert-TestTool microsocks -Package microsocks
    $port = Get-FreeTcpPort
    $argv = @('-i', '127.0.0.1', '-p', "$port", '-b', '127.0.0.1')
    if ($Credential) { $argv += @('-u', $Credential.UserName, '-P', $Credential.GetNetworkCredential().Password) }
    $server = Start-TestProcess -Name 'microsocks' -File $microsocks -Arguments $argv -Port $port
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
    if (-not $bin) { $bin = Split-Path -Parent (Assert-TestTool '/usr/lib/postgresql/*/bin/postgres' -Package postgresql) }
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
    $slapd = Assert-TestTool /usr/sbin/slapd -Package slapd
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
    Start-TestProcess -Name 'slapd' -File $slapd -Arguments @('-d', '0', '-f', "$dir/slapd.conf", '-h', "ldap://127.0.0.1:$port/") -Port $port -Cleanup $dir
}

function Start-MySqlServer {
    <#
    .SYNOPSIS
        A real MariaDB server (Debian's mariadb-server package) on 127.0.0.1 in a fresh data directory;
        -Cert/-Key turn on TLS (its greeting then carries CLIENT_SSL), otherwise the server has no TLS.
    #>
    [CmdletBinding()]
    param([string] $Cert, [string] $Key)
    $mariadbd = Assert-TestTool mariadbd -Package mariadb-server
    $installDb = Assert-TestTool mariadb-install-db -Package mariadb-server
    $port = Get-FreeTcpPort
    $dir = Join-Path ([System.IO.Path]::GetTempPath()) "tlstools-mariadb-$port"
    New-Item -ItemType Directory -Force -Path $dir | Out-Null
    $out = & $installDb --no-defaults --datadir="$dir/data" --user=root --skip-test-db --auth-root-authentication-method=normal 2>&1
    if ($LASTEXITCODE -ne 0) { throw "mariadb-install-db failed: $out" }
    $arguments = @('--no-defaults', "--datadir=$dir/data", "--port=$port", '--bind-address=127.0.0.1', "--socket=$dir/mysqld.sock",
        "--pid-file=$dir/mysqld.pid", '--user=root', '--skip-log-bin', '--innodb-buffer-pool-size=16M')
    if ($Cert) { $arguments += @("--ssl-cert=$Cert", "--ssl-key=$Key") }
    Start-TestProcess -Name 'mariadbd' -File $mariadbd -Arguments $arguments -Port $port -Cleanup $dir
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
    $dovecot = Assert-TestTool /usr/sbin/dovecot -Package dovecot-core
    $null = Assert-TestTool /usr/lib/dovecot/imap-login -Package dovecot-imapd
    $null = Assert-TestTool /usr/lib/dovecot/pop3-login -Package dovecot-pop3d
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
    $server = Start-TestProcess -Name 'dovecot' -File $dovecot -Arguments @('-F', '-c', "$dir/dovecot.conf") -Port $imap -Cleanup $dir
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
    $vsftpd = Assert-TestTool /usr/sbin/vsftpd -Package vsftpd
    $port = Get-FreeTcpPort
    $dir = Join-Path ([System.IO.Path]::GetTempPath()) "tlstools-vsftpd-$port"
    New-Item -ItemType Directory -Force -Path "$dir/empty" | Out-Null
    $conf = @(
        'listen=YES', 'listen_ipv6=NO', 'listen_address=127.0.0.1', "listen_port=$port", 'background=NO'
        'anonymous_enable=YES', 'local_enable=NO', "secure_chroot_dir=$dir/empty", 'seccomp_sandbox=NO', 'xferlog_enable=NO'
    ) + $(if ($Cert) { @('ssl_enable=YES', 'allow_anon_ssl=YES', "rsa_cert_file=$Cert", "rsa_private_key_file=$Key") } else { @('ssl_enable=NO') })
    Set-Content -Path "$dir/vsftpd.conf" -Value $conf
    Start-TestProcess -Name 'vsftpd' -File $vsftpd -Arguments @("$dir/vsftpd.conf") -Port $port -Cleanup $dir
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
    $prosody = Assert-TestTool prosody -Package prosody
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
    Start-TestProcess -Name 'prosody' -File $prosody -Arguments @('-F', '--config', "$dir/prosody.cfg.lua") -Port $port -Cleanup $dir
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

function Get-NamespaceSkipReason {
    <#
    .SYNOPSIS
        Why the network-namespace tests cannot run on this platform ($null on Linux, where they must run). The one
        skip these tests allow: network namespaces and nftables exist only in the Linux kernel.
    #>
    if (-not $IsLinux) { 'network namespaces and nftables exist only on Linux' }
}

function Assert-NamespaceSupport {
    <# .SYNOPSIS Fails, saying what is missing, unless this process can create a network namespace with nftables rules. #>
    if (-not $IsLinux) { throw 'network namespaces need Linux' }
    if ((& id -u) -ne '0') { throw 'creating a network namespace needs root (build.ps1 Test runs as root)' }
    $ip = Assert-TestTool ip -Package iproute2
    $null = Assert-TestTool nft -Package nftables
    $out = & $ip netns list 2>&1
    if ($LASTEXITCODE -ne 0) { throw "'ip netns list' failed: $out" }
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
    Assert-NamespaceSupport
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
        $rules = "table inet tlstools {`n  chain input {`n    type filter hook input priority 0; policy accept;`n    tcp dport $Port tcp flags & (syn|ack) == syn drop`n  }`n}`n"
        Invoke-Ip @('netns', 'exec', $ns.Name, 'nft', '-f', '-') -StdIn $rules
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
    Assert-NamespaceSupport
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
    $nginx = Assert-TestTool nginx -Package nginx
    Start-TestProcess -Name "nginx-$($Namespace.Name)" -File 'ip' -Address $Namespace.Address -Port $Port[0] -Cleanup $dir -Arguments @(
        'netns', 'exec', $Namespace.Name, $nginx, '-c', "$dir/nginx.conf", '-p', $dir, '-g', 'daemon off;')
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
    # The port opens just before the root file is written: wait for its line.
    $null = Wait-LogLine -Path $rootFile -Pattern '\S' -Process $server.Process -TimeoutMs 10000
    $root = if (Test-Path $rootFile) { (Get-Content -LiteralPath $rootFile -Raw).Trim() } else { $null }
    Remove-Item -LiteralPath $rootFile -ErrorAction SilentlyContinue
    if (-not $root) { Stop-TestServer $server; throw "The test server in namespace $($Namespace.Name) did not write its root certificate path." }
    $server | Add-Member -NotePropertyName TrustedRootPath -NotePropertyValue $root -PassThru
}

function New-FirewallTestBed {
    <#
    .SYNOPSIS
        One namespace (New-FirewallNamespace) with a port per firewall symptom and nginx behind the rules:
        Ports.DropSyn (SYNs dropped), RejectSyn (SYNs rejected with a reset), Unreachable (SYNs answered with ICMP
        host-unreachable, as a router without a route does), DpiReset / DpiDrop (every segment
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
        MtuStallAfterHello = $BasePort + 6; Unreachable = $BasePort + 7 }
    $pkiDir = Join-Path ([System.IO.Path]::GetTempPath()) "tlstools-firewall-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
    $pki = New-TestPki -Path $pkiDir
    $ns = New-FirewallNamespace -NoSegmentOffload -InputRules @(
        "tcp dport $($ports.DropSyn) tcp flags & (syn|ack) == syn drop"
        "tcp dport $($ports.RejectSyn) tcp flags & (syn|ack) == syn reject with tcp reset"
        "tcp dport $($ports.Unreachable) tcp flags & (syn|ack) == syn reject with icmp type host-unreachable"
        "tcp dport $($ports.DpiReset) @ih,0,16 0x1603 reject with tcp reset"
        "tcp dport $($ports.DpiDrop) @ih,0,16 0x1603 drop"
    ) -OutputRules @(
        "tcp sport $($ports.MtuStall) meta length > 1000 drop"
        "tcp sport $($ports.MtuStallAfterHello) meta length > 1000 drop"
    )
    $bed = [pscustomobject]@{ Namespace = $ns; Address = $ns.Address; Ports = $ports; Servers = @(); RootCaPath = $pki.RootCaPath; PkiDir = $pkiDir }
    try {
        $bed.Servers = @(Start-NamespaceTlsServer -Namespace $ns -Pki $pki -Port $ports.Open, $ports.DpiReset, $ports.DpiDrop, $ports.MtuStall)
        if ($ModulePath) { $bed.Servers += Start-NamespaceTestServer -Namespace $ns -ModulePath $ModulePath -Port $ports.MtuStallAfterHello }
    } catch {
        Remove-FirewallTestBed $bed
        throw
    }
    $bed
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
