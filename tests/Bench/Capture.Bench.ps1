<#
.SYNOPSIS
    Benchmark of Read-TlsCapture: bytes per second on a large capture, against tshark on the same file.
.DESCRIPTION
    Records real loopback TLS traffic (handshakes and one bulk download from openssl s_server) with tcpdump,
    replays it into a large file with Wireshark's own editcap/mergecap (copies shifted in time), then reads
    that file with Read-TlsCapture and with `tshark -Y tls.handshake -T fields` (which also reassembles TCP
    and decodes TLS). Prints the ratio and writes it into docs/benchmarks.md between the
    "read-tlscapture" markers, leaving other sections alone. Only 127.0.0.1 is used.

    Run directly:  dotnet pwsh -File tests/Bench/Capture.Bench.ps1 -ModulePath out/TlsTools/TlsTools.psd1
    From build.ps1: . tests/Bench/Capture.Bench.ps1; Invoke-CaptureBenchmark -ModulePath ... -ReportPath ...
#>
[CmdletBinding()]
param(
    [string] $ModulePath,
    [int] $SizeMB = 512,
    [string] $ReportPath = (Join-Path $PSScriptRoot '../../docs/benchmarks.md')
)

function New-LoopbackSample {
    # One short capture of real traffic: a few handshakes plus a 16 MiB download over TLS 1.3.
    param([string] $Directory)
    foreach ($tool in 'tshark', 'editcap', 'mergecap') { $null = Assert-TestTool $tool -Package $(if ($tool -eq 'tshark') { 'tshark' } else { 'wireshark-common' }) }
    $cert = Join-Path $Directory 'cert.pem'; $key = Join-Path $Directory 'key.pem'
    Invoke-OpenSsl @('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', $key, '-out', $cert, '-days', '2', '-subj', '/CN=bench.test') | Out-Null
    $www = Join-Path $Directory 'www'
    New-Item -ItemType Directory -Path $www | Out-Null
    $bytes = [byte[]]::new(16MB); [System.Random]::new(1).NextBytes($bytes)
    [System.IO.File]::WriteAllBytes((Join-Path $www 'big.bin'), $bytes)

    # s_server -WWW serves files from its working directory, so it is started here rather than by the test helper.
    $port = Get-FreeTcpPort
    $psi = [System.Diagnostics.ProcessStartInfo]::new('sh')
    $psi.ArgumentList.Add('-c')
    $psi.ArgumentList.Add("exec openssl s_server -accept 127.0.0.1:$port -WWW -cert '$cert' -key '$key' </dev/null >/dev/null 2>&1")
    $psi.WorkingDirectory = $www
    $psi.UseShellExecute = $false
    $server = [System.Diagnostics.Process]::Start($psi)
    $sample = Join-Path $Directory 'sample.pcap'
    try {
        if (-not (Wait-TcpPort -Port $port -Process $server)) { throw 'openssl s_server -WWW did not start.' }
        $capture = Start-PacketCapture -Path $sample -Ports $port
        try {
            foreach ($i in 1..20) { $null = Invoke-OpenSslClient -Connect "127.0.0.1:$port" -ServerName "bench$i.test" }
            & sh -c "printf 'GET /big.bin HTTP/1.0\r\n\r\n' | openssl s_client -quiet -connect 127.0.0.1:$port -servername bulk.test >/dev/null 2>&1"
        } finally {
            Stop-PacketCapture $capture
        }
    } finally {
        if (-not $server.HasExited) { $server.Kill() }
        $server.WaitForExit()
    }
    $server = [pscustomobject]@{ Port = $port }
    [pscustomobject]@{ Path = $sample; Port = $server.Port }
}

function New-LargeCapture {
    # Copies of the sample, each shifted one minute later, concatenated: the same ports reappear after a
    # close, as on a busy server. editcap and mergecap do the work, so the file is Wireshark's own.
    param([string] $Sample, [string] $Directory, [int] $SizeMB)
    $copies = [math]::Max(1, [math]::Ceiling($SizeMB * 1MB / (Get-Item $Sample).Length))
    $parts = foreach ($i in 0..($copies - 1)) {
        $part = Join-Path $Directory "part$i.pcap"
        & editcap -t ($i * 60) $Sample $part
        $part
    }
    $large = Join-Path $Directory 'large.pcap'
    & mergecap -a -F pcap -w $large @parts
    $parts | Remove-Item
    $large
}

function Measure-Seconds([scriptblock] $Block) {
    $sw = [System.Diagnostics.Stopwatch]::StartNew()
    $out = & $Block
    $sw.Stop()
    [pscustomobject]@{ Seconds = $sw.Elapsed.TotalSeconds; Output = $out }
}

function Invoke-CaptureBenchmark {
    <#
    .SYNOPSIS
        Runs the capture benchmark and returns {SizeBytes, Connections, OursMBps, TsharkMBps, Ratio}; writes
        the figures into -ReportPath.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] [string] $ModulePath, [int] $SizeMB = 512, [string] $ReportPath)
    Import-Module (Join-Path $PSScriptRoot '../TestHelpers/TestHelpers.psm1') -Force
    $ModulePath = Import-TlsToolsModule -Path $ModulePath
    $dir = Join-Path ([System.IO.Path]::GetTempPath()) "tlstools-bench-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
    New-Item -ItemType Directory -Path $dir | Out-Null
    try {
        $sample = New-LoopbackSample -Directory $dir
        $large = New-LargeCapture -Sample $sample.Path -Directory $dir -SizeMB $SizeMB
        $size = (Get-Item $large).Length

        # Warm the file cache and the JIT once, so both readers start from the same state.
        $null = Read-TlsCapture -LiteralPath $sample.Path
        $null = & cat $large > /dev/null

        $ours = Measure-Seconds { @(Read-TlsCapture -LiteralPath $large).Count }
        Write-Verbose ((Read-TlsCapture -LiteralPath $sample.Path | Group-Object Outcome | ForEach-Object { "$($_.Name)=$($_.Count)" }) -join ' ')
        $tsharkArgs = @('-r', $large, '-d', "tcp.port==$($sample.Port),tls", '-Y', 'tls.handshake', '-T', 'fields',
            '-e', 'tls.handshake.extensions_server_name', '-e', 'tls.handshake.type', '-e', 'tls.handshake.ciphersuite')
        $theirs = Measure-Seconds { @(& tshark @tsharkArgs 2>$null).Count }

        $result = [pscustomobject]@{
            SizeBytes   = $size
            Connections = $ours.Output
            OursSeconds = [math]::Round($ours.Seconds, 2)
            OursMBps    = [math]::Round($size / 1MB / $ours.Seconds, 1)
            TsharkSeconds = [math]::Round($theirs.Seconds, 2)
            TsharkMBps  = [math]::Round($size / 1MB / $theirs.Seconds, 1)
            Ratio       = [math]::Round($theirs.Seconds / $ours.Seconds, 2)
            Tshark      = ((& tshark --version 2>$null) | Select-Object -First 1)
        }
        Write-Host ("Read-TlsCapture: {0:N0} MiB, {1} connections: {2} MiB/s; tshark {3} MiB/s; ratio {4}x" -f ($size / 1MB), $result.Connections, $result.OursMBps, $result.TsharkMBps, $result.Ratio)
        if ($ReportPath) { Write-CaptureBenchmarkReport -Result $result -Path $ReportPath }
        $result
    } finally {
        Remove-Item -Recurse -Force $dir -ErrorAction SilentlyContinue
    }
}

function Write-CaptureBenchmarkReport {
    # Replaces only this benchmark's section, so the scanners' benchmark can share the file.
    param($Result, [string] $Path)
    $begin = '<!-- read-tlscapture:begin -->'; $end = '<!-- read-tlscapture:end -->'
    $section = @"
$begin
## Read-TlsCapture vs tshark

Real loopback traffic (21 TLS connections, one of them a 16 MiB download) recorded with tcpdump, replayed
with editcap/mergecap into one $([math]::Round($Result.SizeBytes / 1MB)) MiB pcap; both read the same file, after one warm-up read.
tshark: ``tshark -r large.pcap -Y tls.handshake -T fields -e tls.handshake.extensions_server_name -e tls.handshake.type -e tls.handshake.ciphersuite``.

| reader | seconds | MiB/s |
|---|---:|---:|
| Read-TlsCapture ($($Result.Connections) connections) | $($Result.OursSeconds) | $($Result.OursMBps) |
| $($Result.Tshark) | $($Result.TsharkSeconds) | $($Result.TsharkMBps) |

**Ratio: Read-TlsCapture reads $($Result.Ratio)x as fast as tshark** (measured $(Get-Date -Format 'yyyy-MM-dd'), $([Environment]::ProcessorCount) CPU cores shared with other work).
$end
"@
    $text = if (Test-Path $Path) { Get-Content -Raw $Path } else { "# Benchmarks`n`nProduced by ``build.ps1 Bench``; ratios, not absolute times, are what carry between machines.`n" }
    $pattern = [regex]::Escape($begin) + '[\s\S]*?' + [regex]::Escape($end)
    $text = if ($text -match $pattern) { [regex]::Replace($text, $pattern, { $section }) } else { $text.TrimEnd() + "`n`n" + $section + "`n" }
    Set-Content -Path $Path -Value $text -NoNewline
}

# Run as a script (not dot-sourced): benchmark now.
if ($MyInvocation.InvocationName -ne '.' -and $ModulePath) {
    Invoke-CaptureBenchmark -ModulePath $ModulePath -SizeMB $SizeMB -ReportPath $ReportPath
}
