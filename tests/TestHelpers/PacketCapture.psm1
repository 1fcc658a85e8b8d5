<#
.SYNOPSIS
    Packet capture on the loopback interface for the Read-TlsCapture tests: tcpdump (or dumpcap from the
    tshark package), installed from Debian's packages when missing, and tshark's view of the same file.
#>
Set-StrictMode -Version Latest

function Install-PacketCaptureTool {
    <# .SYNOPSIS 'tcpdump' or 'dumpcap', installing tcpdump and tshark with apt-get when neither is present; $null when that fails. #>
    if (-not (Get-Command tcpdump, dumpcap -ErrorAction SilentlyContinue) -or -not (Get-Command tshark -ErrorAction SilentlyContinue)) {
        if ((Get-Command apt-get -ErrorAction SilentlyContinue) -and (& id -u) -eq '0') {
            $env:DEBIAN_FRONTEND = 'noninteractive'
            & apt-get update -qq 2>&1 | Out-Null
            & apt-get install -y -qq tcpdump tshark 2>&1 | Out-Null
        }
    }
    foreach ($tool in 'tcpdump', 'dumpcap') { if (Get-Command $tool -ErrorAction SilentlyContinue) { return $tool } }
    $null
}

function Start-PacketCapture {
    <# .SYNOPSIS Records TCP on the loopback interface for these ports into a pcap file; returns once the tool listens. #>
    param([Parameter(Mandatory)] [string] $Tool, [Parameter(Mandatory)] [string] $Path, [Parameter(Mandatory)] [int[]] $Ports)
    $filter = 'tcp and (' + (($Ports | ForEach-Object { "port $_" }) -join ' or ') + ')'
    $psi = [System.Diagnostics.ProcessStartInfo]::new($Tool)
    $arguments = if ($Tool -eq 'tcpdump') { @('-i', 'lo', '-U', '-n', '-Z', 'root', '-w', $Path, $filter) }
                 else { @('-i', 'lo', '-F', 'pcap', '-w', $Path, '-f', $filter) }
    foreach ($a in $arguments) { $psi.ArgumentList.Add($a) }
    $psi.RedirectStandardError = $true
    $psi.RedirectStandardOutput = $true
    $psi.UseShellExecute = $false
    $process = [System.Diagnostics.Process]::Start($psi)
    # Both tools say so on stderr once the capture is running; packets before that would be lost.
    $deadline = [DateTime]::UtcNow.AddSeconds(10)
    $line = $process.StandardError.ReadLineAsync()
    while (-not $line.Wait(200)) {
        if ([DateTime]::UtcNow -gt $deadline -or $process.HasExited) { throw "$Tool did not start capturing on lo." }
    }
    if ($line.Result -notmatch 'listening|Capturing') { throw "$Tool failed: $($line.Result)" }
    $errors = $process.StandardError.ReadToEndAsync()   # keep draining so the tool never blocks on a full pipe
    [pscustomobject]@{ Process = $process; Path = $Path; Errors = $errors }
}

function Stop-PacketCapture {
    <# .SYNOPSIS Stops the capture with SIGINT (the tool flushes and closes the file) and waits for it. #>
    param([Parameter(Mandatory)] $Capture)
    Start-Sleep -Milliseconds 500   # the last packets (FIN, RST) of the last connection
    & kill -INT $Capture.Process.Id 2>$null
    if (-not $Capture.Process.WaitForExit(10000)) { $Capture.Process.Kill() }
    $Capture.Process.Dispose()
}

function Get-TsharkHandshakes {
    <#
    .SYNOPSIS
        tshark's reading of every ClientHello and ServerHello in the file: ports, handshake types, SNI,
        legacy and supported versions, cipher suites (hex, comma-joined) and JA3.
    #>
    param([Parameter(Mandatory)] [string] $Path, [int[]] $Ports)
    $arguments = @('-r', $Path)
    foreach ($p in $Ports | Sort-Object -Unique) { $arguments += @('-d', "tcp.port==$p,tls") }
    $arguments += @('-Y', 'tls.handshake.type == 1 || tls.handshake.type == 2', '-T', 'fields', '-E', 'separator=|', '-E', 'aggregator=,',
        '-e', 'tcp.srcport', '-e', 'tcp.dstport', '-e', 'tls.handshake.type', '-e', 'tls.handshake.extensions_server_name',
        '-e', 'tls.handshake.version', '-e', 'tls.handshake.extensions.supported_version', '-e', 'tls.handshake.ciphersuite', '-e', 'tls.handshake.ja3')
    foreach ($line in (& tshark @arguments 2>$null)) {
        $f = $line -split '\|'
        [pscustomobject]@{
            SourcePort = [int]$f[0]; DestinationPort = [int]$f[1]; Type = $f[2]; ServerName = if ($f[3]) { $f[3] } else { $null }
            Version = $f[4]; SupportedVersions = $f[5]; CipherSuites = $f[6]; Ja3 = $f[7]
        }
    }
}

Export-ModuleMember -Function Install-PacketCaptureTool, Start-PacketCapture, Stop-PacketCapture, Get-TsharkHandshakes
