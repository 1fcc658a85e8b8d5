<#
.SYNOPSIS
    The one entry point for building, testing and demonstrating TlsTools.
.DESCRIPTION
    Works from a fresh clone with only the .NET SDK:
        dotnet tool restore && dotnet pwsh ./build.ps1 Demo
        dotnet tool restore && dotnet pwsh ./build.ps1 Test
    Tasks:
      Build    dotnet publish the module into out/TlsTools (manifest, format/types files and help beside it)
      Help     compile docs/en-US (platyPS markdown) into out/TlsTools/en-US (MAML + about_ help)
      Test     Install the programs the tests need ($Requirements below; apt-get, as root), Build, then xunit (Core)
               and Pester (cmdlets, in a fresh pwsh process); results under out/, last line 'N passed, N failed, N skipped'
      Demo     Build, start local misconfigured servers, diagnose each with Test-TlsHandshake
      Package  Build, then pack out/TlsTools into out/TlsTools.<version>.nupkg (PSResourceGet, manifest metadata)
      Clean    remove out/ and every bin/obj folder
      Bench    Install its peers ($Requirements), Build, then Get-CipherSupport vs sslscan, nmap ssl-enum-ciphers and
               testssl.sh on the same local server, Read-TlsCapture vs tshark on one large capture, the deadlines, and
               Test-TlsServer vs testssl.sh's default run on nginx, openssl s_server and two test-server scenarios,
               and every vulnerability check vs testssl.sh -U on one openssl s_server
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('Build', 'Help', 'Test', 'Demo', 'Package', 'Bench', 'Clean')]
    [string[]] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Pester tests to run (paths or names under tests/); all of them by default.
    [string[]] $TestPath
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$Root = $PSScriptRoot
$Out = Join-Path $Root 'out'
$ModuleOut = Join-Path $Out 'TlsTools'
$ToolsDir = Join-Path $Out '.tools'
$PesterVersion = '6.2.0'

function Write-Step([string] $Text) { Write-Host "==> $Text" -ForegroundColor Cyan }

# Every program outside the .NET SDK that Test or Bench runs, one row each: how to find it (a command name, or a
# path that may hold a wildcard), the Debian package that brings it, the tasks that need it, and why.
$Requirements = @(
    @{ Program = 'openssl'; Package = 'openssl'; Tasks = 'Test', 'Bench'; Why = 'test servers (s_server, ocsp), certificates, s_client/verify cross-checks' }
    @{ Program = 'ip'; Package = 'iproute2'; Tasks = 'Test'; Why = 'network namespaces for the firewall and LAN tests' }
    @{ Program = 'nft'; Package = 'nftables'; Tasks = 'Test'; Why = 'firewall rules (dropped SYN, reset, DPI, MTU black hole) inside those namespaces' }
    @{ Program = 'curl'; Package = 'curl'; Tasks = 'Test'; Why = 'real curl error messages for Resolve-TlsError' }
    @{ Program = 'nginx'; Package = 'nginx'; Tasks = 'Test', 'Bench'; Why = 'a real nginx: cipher order, error log lines, server behind the firewall rules, the recommended configuration, the GET of / (HSTS); a Test-TlsServer bench server' }
    @{ Program = 'apache2'; Package = 'apache2'; Tasks = 'Test'; Why = 'a real Apache httpd that Test-TlsServer''s recommended configuration is proven on' }
    @{ Program = 'haproxy'; Package = 'haproxy'; Tasks = 'Test'; Why = 'a real HAProxy that Test-TlsServer''s recommended configuration is proven on' }
    @{ Program = 'python3'; Package = 'python3'; Tasks = 'Test'; Why = 'plain HTTP server (AIA, not-TLS port) and python ssl error messages' }
    @{ Program = 'java'; Package = 'default-jre-headless'; Tasks = 'Test'; Why = 'real Java (JSSE) error messages for Resolve-TlsError' }
    @{ Program = 'node'; Package = 'nodejs'; Tasks = 'Test'; Why = 'real Node.js (ERR_TLS_*, ERR_SSL_*) error messages for Resolve-TlsError' }
    @{ Program = 'wget'; Package = 'wget'; Tasks = 'Test'; Why = 'real wget (GnuTLS) error messages for Resolve-TlsError' }
    @{ Program = 'tinyproxy'; Package = 'tinyproxy-bin'; Tasks = 'Test'; Why = 'HTTP CONNECT proxy (-Proxy, HTTPS_PROXY)' }
    @{ Program = 'microsocks'; Package = 'microsocks'; Tasks = 'Test'; Why = 'SOCKS5 proxy (-Proxy socks5://)' }
    @{ Program = '/usr/lib/postgresql/*/bin/postgres'; Package = 'postgresql'; Tasks = 'Test'; Why = '-StartTls Postgres against a real PostgreSQL' }
    @{ Program = '/usr/sbin/slapd'; Package = 'slapd'; Tasks = 'Test'; Why = '-StartTls Ldap against a real OpenLDAP' }
    @{ Program = 'mariadbd'; Package = 'mariadb-server'; Tasks = 'Test'; Why = '-StartTls MySql against a real MariaDB' }
    @{ Program = '/usr/sbin/dovecot'; Package = 'dovecot-core'; Tasks = 'Test'; Why = 'the Dovecot server (dovecot-imapd and dovecot-pop3d bring it too)' }
    @{ Program = '/usr/lib/dovecot/imap-login'; Package = 'dovecot-imapd'; Tasks = 'Test'; Why = '-StartTls Imap against a real Dovecot' }
    @{ Program = '/usr/lib/dovecot/pop3-login'; Package = 'dovecot-pop3d'; Tasks = 'Test'; Why = '-StartTls Pop3 against a real Dovecot' }
    @{ Program = '/usr/sbin/vsftpd'; Package = 'vsftpd'; Tasks = 'Test'; Why = '-StartTls Ftp against a real vsftpd' }
    @{ Program = 'prosody'; Package = 'prosody'; Tasks = 'Test'; Why = '-StartTls Xmpp against a real Prosody' }
    @{ Program = 'tcpdump'; Package = 'tcpdump'; Tasks = 'Test', 'Bench'; Why = 'records loopback traffic for Read-TlsCapture' }
    @{ Program = 'kill'; Package = 'procps'; Tasks = 'Test', 'Bench'; Why = 'stops tcpdump with SIGINT, so it closes the capture file' }
    @{ Program = 'tshark'; Package = 'tshark'; Tasks = 'Test', 'Bench'; Why = 'Wireshark''s reading of the same capture, to cross-check Read-TlsCapture' }
    @{ Program = 'mergecap'; Package = 'wireshark-common'; Tasks = 'Bench'; Why = 'editcap/mergecap build the large capture Read-TlsCapture is timed on' }
    @{ Program = 'sslscan'; Package = 'sslscan'; Tasks = 'Bench'; Why = 'peer scanner Get-CipherSupport is compared with' }
    @{ Program = 'nmap'; Package = 'nmap'; Tasks = 'Bench'; Why = 'peer scanner (ssl-enum-ciphers)' }
    @{ Program = 'testssl'; Package = 'testssl.sh'; Tasks = 'Test', 'Bench'; Why = 'peer scanner: its default run is what Test-TlsServer is timed against; its single checks cross-check ours' }
)

function Test-Requirement([hashtable] $Row) {
    # Present when the path exists, or the command is on PATH or in an sbin folder (not on a normal user's PATH).
    if ($Row.Program.Contains('/')) { return [bool](Test-Path -Path $Row.Program) }
    if (Get-Command -Name $Row.Program -CommandType Application -ErrorAction Ignore) { return $true }
    [bool](@('/usr/sbin', '/sbin', '/usr/bin', '/bin') | Where-Object { Test-Path -LiteralPath (Join-Path $_ $Row.Program) })
}

function Stop-Build([string] $Message) {
    # One clear message and a non-zero exit code; no error record, no stack trace.
    $Host.UI.WriteErrorLine($Message)
    exit 1
}

function Install-Requirement([string] $ForTask) {
    # What $ForTask needs from the table: present, or installed with apt-get (as root), or one error naming all of it.
    $rows = @($Requirements | Where-Object { $_.Tasks -contains $ForTask })
    $missing = @($rows | Where-Object { -not (Test-Requirement $_) })
    $isRoot = -not $IsLinux -or ((& id -u) -eq '0')
    $apt = [bool](Get-Command apt-get -CommandType Application -ErrorAction Ignore)
    if ($missing -and $isRoot -and $apt) {
        $packages = @($missing.Package | Select-Object -Unique)
        Write-Step "Installing what $ForTask needs (apt-get): $($packages -join ' ')"
        $env:DEBIAN_FRONTEND = 'noninteractive'
        & apt-get update -qq | Out-Host
        if ($LASTEXITCODE -ne 0) { Stop-Build "'apt-get update' failed (exit code $LASTEXITCODE); $ForTask needs: apt-get install -y $($packages -join ' ')" }
        & apt-get install -y -qq @packages | Out-Host
        if ($LASTEXITCODE -ne 0) { Stop-Build "'apt-get install -y $($packages -join ' ')' failed (exit code $LASTEXITCODE)." }
        $missing = @($rows | Where-Object { -not (Test-Requirement $_) })
        if ($missing) { Stop-Build "apt-get installed $($packages -join ' '), but these are still missing: $(($missing | ForEach-Object { "$($_.Program) ($($_.Package))" }) -join ', ')." }
    }
    $problems = @()
    if ($missing) {
        $problems += "build.ps1 $ForTask needs programs that are not installed:"
        $problems += $missing | ForEach-Object { "  {0,-36} Debian package {1,-22} {2}" -f $_.Program, $_.Package, $_.Why }
        $problems += 'Install them all with:'
        $problems += "  apt-get install -y $(@($missing.Package | Select-Object -Unique) -join ' ')"
        $problems += if (-not $apt) { '(apt-get is not on this machine: the tests expect Debian 12 or a derivative.)' }
                     else { '(build.ps1 runs that itself when it runs as root.)' }
    }
    if (-not $isRoot) {
        $problems += "build.ps1 $ForTask must run as root: the tests create network namespaces and nftables rules, capture loopback traffic with tcpdump and start servers as their own users."
    }
    if ($problems) { Stop-Build ($problems -join [Environment]::NewLine) }
}

function Invoke-Native {
    # Runs a native command and stops the build when it fails.
    param([string] $File, [string[]] $Arguments)
    & $File @Arguments | Out-Host   # never into the caller's output
    if ($LASTEXITCODE -ne 0) { throw "'$File $($Arguments -join ' ')' failed with exit code $LASTEXITCODE." }
}

function Invoke-Clean {
    Write-Step 'Clean'
    foreach ($dir in @($Out) + @(Get-ChildItem -Path (Join-Path $Root 'src'), (Join-Path $Root 'tests') -Directory -Recurse -Include bin, obj -ErrorAction SilentlyContinue | ForEach-Object FullName)) {
        if (Test-Path $dir) { Remove-Item -Recurse -Force $dir }
    }
}

function Invoke-Build {
    Write-Step "Build ($Configuration)"
    $publish = Join-Path $Out 'publish'
    if (Test-Path $publish) { Remove-Item -Recurse -Force $publish }
    Invoke-Native dotnet @('publish', (Join-Path $Root 'src/TlsTools/TlsTools.csproj'), '-c', $Configuration, '-o', $publish, '--nologo', '-v', 'quiet')

    if (Test-Path $ModuleOut) { Remove-Item -Recurse -Force $ModuleOut }
    New-Item -ItemType Directory -Path $ModuleOut | Out-Null
    # The module is the assemblies, the manifest and the format/types files. The PowerShell reference
    # assembly must never ship: PowerShell brings its own System.Management.Automation.
    # The cmdlets and their loader sit at the top, in PowerShell's own load context; everything else (Core and what it
    # depends on, BouncyCastle) goes to deps/, which no load context probes: the loader loads it from there into the
    # module's own AssemblyLoadContext (src/TlsTools.Loader), so another module's BouncyCastle never clashes with ours.
    $topLevel = @('TlsTools.dll', 'TlsTools.Loader.dll')
    $deps = New-Item -ItemType Directory -Path (Join-Path $ModuleOut 'deps')
    foreach ($dll in Get-ChildItem $publish -Filter *.dll | Where-Object Name -NE 'System.Management.Automation.dll') {
        $target = if ($topLevel -contains $dll.Name) { $ModuleOut } else { $deps }
        Copy-Item $dll.FullName -Destination $target
    }
    Copy-Item (Join-Path $Root 'TlsTools.psd1') $ModuleOut
    Copy-Item (Join-Path $Root 'src/TlsTools/TlsTools.format.ps1xml'), (Join-Path $Root 'src/TlsTools/TlsTools.types.ps1xml') $ModuleOut
    Invoke-Help
    Write-Host "Module built in $ModuleOut"
}

function Invoke-Help {
    Write-Step 'Help'
    $docs = Join-Path $Root 'docs/en-US'
    $helpOut = Join-Path $ModuleOut 'en-US'
    New-Item -ItemType Directory -Force -Path $helpOut | Out-Null
    $platy = Get-Module -ListAvailable -Name Microsoft.PowerShell.PlatyPS | Select-Object -First 1
    $compiler = Join-Path $Root 'src/Build/HelpCompiler.psm1'
    if ($platy) {
        # platyPS writes <OutputFolder>/<ModuleName>/<file>.xml: compile to a scratch folder, then take the XML.
        Import-Module $platy -Force
        $scratch = Join-Path $Out 'platyps'
        Get-ChildItem $docs -Filter *.md | Where-Object Name -NotLike 'about_*' |
            ForEach-Object { Import-MarkdownCommandHelp -Path $_.FullName } |
            Export-MamlCommandHelp -OutputFolder $scratch -Force | Out-Null
        Get-ChildItem $scratch -Recurse -Filter *.xml | Copy-Item -Destination $helpOut -Force
    }
    if (Test-Path $compiler) {
        Import-Module $compiler -Force
        Build-TlsToolsHelp -DocsPath $docs -OutputPath $helpOut -SkipMaml:([bool]$platy)
    } elseif (-not $platy) {
        Write-Warning 'No help compiler found; help not built.'
    }
}

function Get-Pester {
    $manifest = Join-Path $ToolsDir "pester/$PesterVersion/tools/Pester.psd1"
    if (-not (Test-Path $manifest)) {
        Write-Step "Fetching Pester $PesterVersion from NuGet"
        Invoke-Native dotnet @('package', 'download', "Pester@$PesterVersion", '-o', $ToolsDir)
    }
    $manifest
}

function Get-TestCounts([string] $JUnitPath) {
    # Totals from a JUnit XML file: every <testsuite> carries tests/failures/errors/skipped attributes.
    [xml] $xml = Get-Content -Raw $JUnitPath
    $suites = @($xml.SelectNodes('//testsuite'))
    $tests = ($suites | ForEach-Object { [int]$_.tests } | Measure-Object -Sum).Sum
    $failed = ($suites | ForEach-Object { [int]$_.failures + [int]$_.errors } | Measure-Object -Sum).Sum
    $skipped = ($suites | ForEach-Object { if ($_.skipped) { [int]$_.skipped } else { 0 } } | Measure-Object -Sum).Sum
    [pscustomobject]@{ Passed = $tests - $failed - $skipped; Failed = $failed; Skipped = $skipped }
}

function Invoke-Test {
    Install-Requirement Test
    Invoke-Build
    $results = Join-Path $Out 'test-results'
    if (Test-Path $results) { Remove-Item -Recurse -Force $results }
    New-Item -ItemType Directory -Path $results | Out-Null

    Write-Step 'xunit (TlsTools.Core)'
    $xunitXml = Join-Path $results 'xunit.junit.xml'
    & dotnet test (Join-Path $Root 'tests/TlsTools.Core.Tests/TlsTools.Core.Tests.csproj') -c $Configuration --nologo `
        --logger "junit;LogFilePath=$xunitXml" --logger 'console;verbosity=minimal'
    $xunitExit = $LASTEXITCODE
    $xunit = if (Test-Path $xunitXml) { Get-TestCounts $xunitXml } else { [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0 } }
    if ($xunitExit -ne 0 -and $xunit.Failed -eq 0) { $xunit.Failed = 1 }   # a build failure counts as a failure

    Write-Step 'Pester (cmdlets, fresh pwsh process)'
    $pester = Get-Pester
    $pesterXml = Join-Path $results 'pester.junit.xml'
    $paths = if ($TestPath) { $TestPath } else { @(Join-Path $Root 'tests') }
    $runner = Join-Path $Root 'tests/Invoke-PesterRun.ps1'
    $pwsh = Join-Path $PSHOME 'pwsh.dll'
    & dotnet $pwsh -NoProfile -NonInteractive -File $runner -PesterManifest $pester -ModulePath (Join-Path $ModuleOut 'TlsTools.psd1') `
        -ResultPath $pesterXml -Path ($paths -join ',')   # one argument: pwsh -File takes an array as one comma-joined string
    $pesterExit = $LASTEXITCODE
    $pesterCounts = if (Test-Path $pesterXml) { Get-TestCounts $pesterXml } else { [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0 } }
    if ($pesterExit -ne 0 -and $pesterCounts.Failed -eq 0) { $pesterCounts.Failed = 1 }

    $passed = $xunit.Passed + $pesterCounts.Passed
    $failed = $xunit.Failed + $pesterCounts.Failed
    $skipped = $xunit.Skipped + $pesterCounts.Skipped
    Write-Host ("xunit: {0} passed, {1} failed, {2} skipped; Pester: {3} passed, {4} failed, {5} skipped; results in {6}" -f
        $xunit.Passed, $xunit.Failed, $xunit.Skipped, $pesterCounts.Passed, $pesterCounts.Failed, $pesterCounts.Skipped, $results)
    Write-Host "$passed passed, $failed failed, $skipped skipped"
    if ($failed -gt 0) { exit 1 }
}

function Invoke-Package {
    Invoke-Build
    Write-Step 'Package'
    # PSResourceGet packs from a repository; a throw-away local one keeps the user's repository list untouched.
    $repoName = "TlsToolsBuild$PID"
    $repoPath = Join-Path $Out 'psrepo'
    if (Test-Path $repoPath) { Remove-Item -Recurse -Force $repoPath }
    New-Item -ItemType Directory -Path $repoPath | Out-Null
    Register-PSResourceRepository -Name $repoName -Uri $repoPath -Trusted
    try {
        Publish-PSResource -Path $ModuleOut -Repository $repoName
    } finally {
        Unregister-PSResourceRepository -Name $repoName
    }
    $package = Get-ChildItem $repoPath -Filter 'TlsTools.*.nupkg' | Select-Object -First 1
    Move-Item $package.FullName (Join-Path $Out $package.Name) -Force
    Remove-Item -Recurse -Force $repoPath
    Write-Host "Package: $(Join-Path $Out $package.Name)"
}

function Invoke-Demo {
    Invoke-Build
    Write-Step 'Demo'
    $pwsh = Join-Path $PSHOME 'pwsh.dll'
    # Every Start-TlsTestServer scenario diagnosed, then the same causes reproduced with openssl s_server.
    foreach ($script in 'tests/Demo.TestServers.ps1', 'tests/Demo.ps1') {
        & dotnet $pwsh -NoProfile -NonInteractive -File (Join-Path $Root $script) -ModulePath (Join-Path $ModuleOut 'TlsTools.psd1')
        if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
    }
}

function Invoke-Bench {
    # The peers come from $Requirements (Bench rows); the benchmarks are tests/Bench.ps1 (scanners)
    # and tests/Bench/Capture.Bench.ps1 (Read-TlsCapture vs tshark), each rewriting its own part of docs/benchmarks.md;
    # tests/Bench/Deadline.Bench.ps1 times every network cmdlet against silent and drip-feeding servers (TimeoutSec + 1 s);
    # tests/Bench/TestTlsServer.Bench.ps1 times Test-TlsServer against testssl.sh's default run (issue 15);
    # tests/Bench/Checks.Bench.ps1 times every vulnerability check against testssl.sh -U on one server (issue 16).
    Install-Requirement Bench
    Invoke-Build
    Write-Step 'Bench'
    $pwsh = Join-Path $PSHOME 'pwsh.dll'
    $module = Join-Path $ModuleOut 'TlsTools.psd1'
    & dotnet $pwsh -NoProfile -NonInteractive -File (Join-Path $Root 'tests/Bench.ps1') -ModulePath $module
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
    & dotnet $pwsh -NoProfile -NonInteractive -File (Join-Path $Root 'tests/Bench/Capture.Bench.ps1') -ModulePath $module -ReportPath (Join-Path $Root 'docs/benchmarks.md')
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
    & dotnet $pwsh -NoProfile -NonInteractive -File (Join-Path $Root 'tests/Bench/Deadline.Bench.ps1') -ModulePath $module
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
    & dotnet $pwsh -NoProfile -NonInteractive -File (Join-Path $Root 'tests/Bench/TestTlsServer.Bench.ps1') -ModulePath $module
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
    & dotnet $pwsh -NoProfile -NonInteractive -File (Join-Path $Root 'tests/Bench/Checks.Bench.ps1') -ModulePath $module
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
}

foreach ($t in $Task) {
    switch ($t) {
        'Clean' { Invoke-Clean }
        'Build' { Invoke-Build }
        'Help' { Invoke-Help }
        'Test' { Invoke-Test }
        'Demo' { Invoke-Demo }
        'Package' { Invoke-Package }
        'Bench' { Invoke-Bench }
    }
}
