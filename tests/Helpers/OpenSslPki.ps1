<#
.SYNOPSIS
    A small PKI made with the openssl CLI, for the certificate chain tests: roots, intermediates and leaves with
    chosen dates, keys, digests and extensions (AIA, CRL DP, EKU, basic constraints), and an OCSP index.
    Every certificate is issued with `openssl ca`, which alone lets a test set both start and end dates.
#>

function Invoke-OpenSsl {
    # Plain $args (not an advanced function), so openssl options such as -out are not taken for common parameters.
    $Arguments = @($args | ForEach-Object { $_ })
    $output = & openssl @Arguments 2>&1
    if ($LASTEXITCODE -ne 0) { throw "openssl $($Arguments -join ' ') failed: $output" }
    $output
}

function New-TestKey {
    # rsa:2048 (default), rsa:1024, ec:P-256, ec:P-224 ...
    param([string] $Dir, [string] $Name, [string] $Type = 'rsa:2048')
    $key = Join-Path $Dir "$Name.key"
    $kind, $size = $Type -split ':'
    if ($kind -eq 'rsa') { Invoke-OpenSsl genpkey -algorithm RSA -pkeyopt "rsa_keygen_bits:$size" -out $key | Out-Null }
    else { Invoke-OpenSsl genpkey -algorithm EC -pkeyopt "ec_paramgen_curve:$size" -out $key | Out-Null }
    $key
}

function ConvertTo-OpenSslDate([datetime] $Date) { $Date.ToUniversalTime().ToString('yyyyMMddHHmmss') + 'Z' }

<#
    Issues one certificate. -Issuer is the hashtable New-TestCertificate returned for the CA (omit it for a
    self-signed root). Returns @{ Name; Cert (PEM path); Key; Serial (hex); Subject; NotAfter }.
#>
function New-TestCertificate {
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
    Invoke-OpenSsl req -new -key $Key -subj "/CN=$CommonName" -out $csr | Out-Null
    $cert = Join-Path $Dir "$Name.pem"
    $signing = if ($Issuer) { @('-cert', $Issuer.Cert, '-keyfile', $Issuer.Key) } else { @('-selfsign', '-keyfile', $Key) }
    Invoke-OpenSsl ca -batch -notext -rand_serial -config $config @signing -in $csr -out $cert -md $Digest `
        -startdate (ConvertTo-OpenSslDate $NotBefore) -enddate (ConvertTo-OpenSslDate $NotAfter) -extfile $ext -extensions ext | Out-Null
    $serial = ((Invoke-OpenSsl x509 -in $cert -noout -serial) -replace '^serial=', '').Trim()
    @{ Name = $Name; Cert = $cert; Key = $Key; Serial = $serial; Subject = "/CN=$CommonName"; NotAfter = $NotAfter }
}

function Join-Pem {
    # Concatenates certificates (hashtables from New-TestCertificate) into one PEM bundle file.
    param([string] $Path, [hashtable[]] $Certificates)
    Set-Content -LiteralPath $Path -Value ($Certificates | ForEach-Object { Get-Content -Raw -LiteralPath $_.Cert }) -NoNewline
    $Path
}

function Write-OcspIndex {
    # The index `openssl ocsp` answers from: V (valid) or R (revoked) per certificate.
    param([string] $Path, [hashtable[]] $Valid = @(), [hashtable[]] $Revoked = @())
    $expiry = (Get-Date).ToUniversalTime().AddYears(1).ToString('yyMMddHHmmss') + 'Z'
    $revokedAt = (Get-Date).ToUniversalTime().AddDays(-1).ToString('yyMMddHHmmss') + 'Z'
    $lines = @($Valid | ForEach-Object { "V`t$expiry`t`t$($_.Serial)`tunknown`t$($_.Subject)" }) +
        @($Revoked | ForEach-Object { "R`t$expiry`t$revokedAt`t$($_.Serial)`tunknown`t$($_.Subject)" })
    Set-Content -LiteralPath $Path -Value $lines
    Set-Content -LiteralPath "$Path.attr" -Value 'unique_subject = no'
    $Path
}

function Get-FreeTcpPort {
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start()
    try { $listener.LocalEndpoint.Port } finally { $listener.Stop() }
}

function Wait-TcpPort([int] $Port, [int] $TimeoutSec = 15) {
    $deadline = (Get-Date).AddSeconds($TimeoutSec)
    while ((Get-Date) -lt $deadline) {
        $client = [System.Net.Sockets.TcpClient]::new()
        try { $client.Connect([System.Net.IPAddress]::Loopback, $Port); return } catch { Start-Sleep -Milliseconds 100 } finally { $client.Dispose() }
    }
    throw "Nothing listens on 127.0.0.1:$Port after $TimeoutSec s."
}

<#
    Starts `openssl s_server` on 127.0.0.1 serving -Cert with -Chain appended (as given: order, duplicates
    and roots kept). Returns @{ Process; Port }. Stop it with Stop-TestProcess.
#>
function Start-TestTlsServer {
    param([hashtable] $Leaf, [string] $ChainFile, [string[]] $ExtraArguments = @())
    $port = Get-FreeTcpPort
    $arguments = @('s_server', '-accept', "127.0.0.1:$port", '-cert', $Leaf.Cert, '-key', $Leaf.Key, '-www', '-quiet') + $ExtraArguments
    if ($ChainFile) { $arguments += @('-cert_chain', $ChainFile) }
    $process = Start-Process -FilePath openssl -ArgumentList $arguments -PassThru -RedirectStandardOutput ([IO.Path]::GetTempFileName()) -RedirectStandardError ([IO.Path]::GetTempFileName())
    Wait-TcpPort $port
    @{ Process = $process; Port = $port }
}

<# A static HTTP server on 127.0.0.1 (python3 -m http.server) for AIA and CRL URLs. Returns @{ Process; Port; Url }. #>
function Start-TestHttpServer([string] $Root) {
    $port = Get-FreeTcpPort
    $process = Start-Process -FilePath python3 -ArgumentList @('-m', 'http.server', $port, '--bind', '127.0.0.1', '--directory', $Root) -PassThru `
        -RedirectStandardOutput ([IO.Path]::GetTempFileName()) -RedirectStandardError ([IO.Path]::GetTempFileName())
    Wait-TcpPort $port
    @{ Process = $process; Port = $port; Url = "http://127.0.0.1:$port" }
}

<#
    `openssl ocsp` as a responder for certificates issued by -Ca, answering from -Index. OpenSSL 3.0's -port
    takes a number only (it listens on every address); the tests only ever reach it at 127.0.0.1, on an
    ephemeral port, for the length of one test file.
#>
function Start-TestOcspResponder([hashtable] $Ca, [string] $Index, [int] $Port) {
    $log = [IO.Path]::GetTempFileName()
    $process = Start-Process -FilePath openssl -ArgumentList @('ocsp', '-index', $Index, '-port', $Port, '-rsigner', $Ca.Cert, '-rkey', $Ca.Key, '-CA', $Ca.Cert, '-ndays', '1') -PassThru `
        -RedirectStandardOutput $log -RedirectStandardError ([IO.Path]::GetTempFileName())
    # Not Wait-TcpPort: the responder serves one connection at a time and would wait forever on an empty probe.
    $deadline = (Get-Date).AddSeconds(15)
    while (-not (Select-String -LiteralPath $log -Pattern 'ACCEPT' -Quiet)) {
        if ((Get-Date) -gt $deadline -or $process.HasExited) { throw "openssl ocsp did not start on port $Port." }
        Start-Sleep -Milliseconds 100
    }
    @{ Process = $process; Port = $Port }
}

function Stop-TestProcess($Server) {
    if ($Server -and $Server.Process -and -not $Server.Process.HasExited) { Stop-Process -Id $Server.Process.Id -Force -ErrorAction SilentlyContinue }
}
