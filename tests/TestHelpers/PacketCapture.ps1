<#
.SYNOPSIS
    Packet capture on the loopback interface for the Read-TlsCapture tests and benchmark (part of TestHelpers.psm1):
    tcpdump records, tshark reads the same file for the cross-check.
.DESCRIPTION
    No fixed waits: the capture counts as running once a marker datagram (UDP, to a port of this process's own,
    in the capture filter) is in the file, and as complete once every TCP connection on the ports is closed at
    both ends and a second marker, sent after them, is in the file. Read-TlsCapture and tshark's TLS filter
    ignore the UDP markers.
#>
Set-StrictMode -Version Latest

function Wait-CaptureMarker {
    # Sends a datagram with a fresh token to the capture's marker port until the token is in the capture file.
    param([Parameter(Mandatory)] $Capture, [int] $TimeoutMs = 10000)
    $token = [System.Text.Encoding]::ASCII.GetBytes("tlstools-marker-$([guid]::NewGuid().ToString('N'))")
    $needle = [System.Text.Encoding]::Latin1.GetString($token)
    $target = [System.Net.IPEndPoint]::new([System.Net.IPAddress]::Loopback, $Capture.MarkerPort)
    $deadline = [DateTime]::UtcNow.AddMilliseconds($TimeoutMs)
    while ([DateTime]::UtcNow -lt $deadline) {
        if ($Capture.Process.HasExited) { throw "tcpdump exited: $($Capture.Errors.Result)" }
        $null = $Capture.Marker.Send($token, $token.Length, $target)
        Start-Sleep -Milliseconds 50
        if (Test-Path -LiteralPath $Capture.Path) {
            $stream = [System.IO.File]::Open($Capture.Path, 'Open', 'Read', 'ReadWrite')
            try {
                $bytes = [byte[]]::new($stream.Length)
                $read = $stream.Read($bytes, 0, $bytes.Length)
                if ([System.Text.Encoding]::Latin1.GetString($bytes, 0, $read).Contains($needle)) { return }
            } finally { $stream.Dispose() }
        }
    }
    throw "tcpdump did not write the marker datagram to $($Capture.Path) within $($TimeoutMs / 1000) s."
}

function Start-PacketCapture {
    <# .SYNOPSIS Records TCP on the loopback interface for these ports into a pcap file; returns once packets reach the file. #>
    param([Parameter(Mandatory)] [string] $Path, [Parameter(Mandatory)] [int[]] $Ports)
    $tcpdump = Assert-TestTool tcpdump -Package tcpdump
    $null = Assert-TestTool kill -Package procps
    # The marker socket is bound, so the datagrams are received (unread) and no ICMP unreachable comes back.
    $marker = [System.Net.Sockets.UdpClient]::new([System.Net.IPEndPoint]::new([System.Net.IPAddress]::Loopback, 0))
    $markerPort = $marker.Client.LocalEndPoint.Port
    $filter = '(tcp and (' + (($Ports | ForEach-Object { "port $_" }) -join ' or ') + ")) or (udp and dst port $markerPort)"
    $psi = [System.Diagnostics.ProcessStartInfo]::new($tcpdump)
    foreach ($a in @('-i', 'lo', '-U', '-n', '-Z', 'root', '-w', $Path, $filter)) { $psi.ArgumentList.Add($a) }
    $psi.RedirectStandardError = $true
    $psi.RedirectStandardOutput = $true
    $psi.UseShellExecute = $false
    $process = [System.Diagnostics.Process]::Start($psi)
    $capture = [pscustomobject]@{ Process = $process; Path = $Path; Ports = $Ports; Marker = $marker; MarkerPort = $markerPort
        Errors = $process.StandardError.ReadToEndAsync() }   # drained, so tcpdump never blocks on a full pipe
    try { Wait-CaptureMarker $capture }
    catch { Stop-PacketCapture $capture; throw }
    $capture
}

function Wait-TcpConnectionsClosed {
    # True once no TCP connection to or from these loopback ports is open (TIME_WAIT is closed: its last ACK is sent).
    param([int[]] $Ports, [int] $TimeoutMs = 10000)
    $deadline = [DateTime]::UtcNow.AddMilliseconds($TimeoutMs)
    $properties = [System.Net.NetworkInformation.IPGlobalProperties]::GetIPGlobalProperties()
    while ([DateTime]::UtcNow -lt $deadline) {
        $open = @($properties.GetActiveTcpConnections() | Where-Object {
            ($Ports -contains $_.LocalEndPoint.Port -or $Ports -contains $_.RemoteEndPoint.Port) -and
            $_.State -notin [System.Net.NetworkInformation.TcpState]::TimeWait, [System.Net.NetworkInformation.TcpState]::Closed })
        if (-not $open) { return $true }
        Start-Sleep -Milliseconds 50
    }
    $false
}

function Stop-PacketCapture {
    <#
    .SYNOPSIS
        Waits until the connections on the capture's ports are closed and their last packets are in the file, then
        stops tcpdump with SIGINT (it flushes and closes the file) and waits for it.
    #>
    param([Parameter(Mandatory)] $Capture)
    try {
        if (-not $Capture.Process.HasExited) {
            if (-not (Wait-TcpConnectionsClosed -Ports $Capture.Ports)) { Write-Warning "Connections on ports $($Capture.Ports -join ', ') are still open; stopping the capture anyway." }
            Wait-CaptureMarker $Capture
        }
    } finally {
        if (-not $Capture.Process.HasExited) { & kill -INT $Capture.Process.Id 2>$null }
        if (-not $Capture.Process.WaitForExit(10000)) { $Capture.Process.Kill() }
        $Capture.Process.Dispose()
        $Capture.Marker.Dispose()
    }
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
    $tshark = Assert-TestTool tshark -Package tshark
    foreach ($line in (& $tshark @arguments 2>$null)) {
        $f = $line -split '\|'
        [pscustomobject]@{
            SourcePort = [int]$f[0]; DestinationPort = [int]$f[1]; Type = $f[2]; ServerName = if ($f[3]) { $f[3] } else { $null }
            Version = $f[4]; SupportedVersions = $f[5]; CipherSuites = $f[6]; Ja3 = $f[7]
        }
    }
}
