<#
.SYNOPSIS
    Records tests/TlsTools.Core.Tests/Data/loopback-endings.pcap: connections that end in the ways Read-TlsCapture must
    tell apart by who acted, after which message and after how long a silence. Run it after `build.ps1 Build`; the
    xunit tests (CaptureEndingTests) read the file it writes. Only 127.0.0.1 is used.

      tls12only.test   s_client -tls1_2 against s_server -tls1: TLS 1.0 ServerHello, the client's protocol_version
      gaveup.test      s_client against the Silent scenario, ended by `timeout 3`: client FIN, then the server's
      quick.test       the same, ended after 0.3 s: the client closes without waiting
      closed.test      a listener that reads the ClientHello and closes first (server FIN)
      expired.tlstools.test   s_client -tls1_2 -verify_return_error -CAfile <test root> against Expired: certificate_expired
#>
param([string] $OutFile = (Join-Path $PSScriptRoot '../TlsTools.Core.Tests/Data/loopback-endings.pcap'))
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot '../TestHelpers/TestHelpers.psm1') -Force
$null = Import-TlsToolsModule

$work = Join-Path ([System.IO.Path]::GetTempPath()) "tlstools-endings-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
New-Item -ItemType Directory -Path $work | Out-Null
$cert = Join-Path $work 'cert.pem'; $key = Join-Path $work 'key.pem'
Invoke-OpenSsl @('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', $key, '-out', $cert, '-days', '30', '-subj', '/CN=capture.test') | Out-Null
$old = Start-OpenSslServer -Cert $cert -Key $key -Name tls10only -ExtraArgs @('-tls1', '-cipher', 'DEFAULT@SECLEVEL=0')
$closing = Start-RawListener -Mode CloseAfterHello
$servers = @(Start-TlsTestServer -Scenario Silent, Expired)
$silent = $servers | Where-Object Scenario -EQ Silent
$expired = $servers | Where-Object Scenario -EQ Expired
$capture = Start-PacketCapture -Path $OutFile -Ports @($old.Port, $closing.Port, $silent.Port, $expired.Port)
try {
    $null = Invoke-OpenSslClient -Connect "127.0.0.1:$($old.Port)" -ServerName tls12only.test -ExtraArgs @('-tls1_2')
    $null = & timeout 3 openssl s_client -connect "127.0.0.1:$($silent.Port)" -servername gaveup.test 2>&1
    $null = & timeout 0.3 openssl s_client -connect "127.0.0.1:$($silent.Port)" -servername quick.test 2>&1
    $null = Invoke-OpenSslClient -Connect "127.0.0.1:$($closing.Port)" -ServerName closed.test
    $null = Invoke-OpenSslClient -Connect "127.0.0.1:$($expired.Port)" -ServerName $expired.ServerName -CAfile $expired.TrustedRootPath -ExtraArgs @('-tls1_2', '-verify_return_error')
} finally {
    Stop-PacketCapture $capture
    Stop-AllTestServer
    $servers | Stop-TlsTestServer
    Remove-Item -Recurse -Force $work
}
Get-Item $OutFile
