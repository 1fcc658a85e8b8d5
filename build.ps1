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
      Test     Build, then xunit (Core) and Pester (cmdlets, in a fresh pwsh process); results under out/
      Demo     Build, start local misconfigured servers, diagnose each with Test-TlsHandshake
      Package  Build, then pack out/TlsTools into out/TlsTools.<version>.nupkg (PSResourceGet, manifest metadata)
      Clean    remove out/ and every bin/obj folder
      Bench    Build, then Get-CipherSupport vs sslscan, nmap ssl-enum-ciphers and testssl.sh on the same local server,
               and Read-TlsCapture vs tshark on one large capture
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
        -ResultPath $pesterXml -Path $paths
    $pesterExit = $LASTEXITCODE
    $pesterCounts = if (Test-Path $pesterXml) { Get-TestCounts $pesterXml } else { [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0 } }
    if ($pesterExit -ne 0 -and $pesterCounts.Failed -eq 0) { $pesterCounts.Failed = 1 }

    $passed = $xunit.Passed + $pesterCounts.Passed
    $failed = $xunit.Failed + $pesterCounts.Failed
    Write-Host "xunit: $($xunit.Passed) passed, $($xunit.Failed) failed; Pester: $($pesterCounts.Passed) passed, $($pesterCounts.Failed) failed; results in $results"
    Write-Host "$passed passed, $failed failed"
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
    # Peers installed from Debian's packages only when Bench runs; the benchmarks are tests/Bench.ps1 (scanners)
    # and tests/Bench/Capture.Bench.ps1 (Read-TlsCapture vs tshark), each rewriting its own part of docs/benchmarks.md.
    Invoke-Build
    $missing = @('sslscan', 'nmap', 'testssl') | Where-Object { -not (Get-Command $_ -ErrorAction SilentlyContinue) }
    if ($missing) {
        Write-Step "Installing sslscan, nmap, testssl.sh (apt-get)"
        Invoke-Native apt-get @('update')
        Invoke-Native apt-get @('install', '-y', 'sslscan', 'nmap', 'testssl.sh')
    }
    Write-Step 'Bench'
    $pwsh = Join-Path $PSHOME 'pwsh.dll'
    $module = Join-Path $ModuleOut 'TlsTools.psd1'
    & dotnet $pwsh -NoProfile -NonInteractive -File (Join-Path $Root 'tests/Bench.ps1') -ModulePath $module
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
    & dotnet $pwsh -NoProfile -NonInteractive -File (Join-Path $Root 'tests/Bench/Capture.Bench.ps1') -ModulePath $module -ReportPath (Join-Path $Root 'docs/benchmarks.md')
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
