<#
.SYNOPSIS
    The one helper library of the Pester tests, the demo and the benchmarks. Import this file, then call
    Import-TlsToolsModule: it is the one place that loads the built module.
.DESCRIPTION
    The parts, dot-sourced into this module so they share one scope:
      TestHelpers.psm1     Import-TlsToolsModule, Assert-TestTool
      TlsTestServers.ps1   PKIs (New-TestPki, New-TestCertificate), openssl s_server, raw listeners, OCSP and HTTP
                           servers, proxies, STARTTLS peers, real database/mail/FTP/XMPP servers, network namespaces
                           with nftables rules, openssl s_client cross-checks, the proxy environment
      PacketCapture.ps1    tcpdump on the loopback interface, tshark's reading of the file
      Nginx.ps1            a real nginx with the server-block directives a test gives (Start-NginxServer)
      CountingRelay.ps1    a loopback TCP relay that counts connections (the benchmarks)
    Everything listens on 127.0.0.1 / ::1 or inside a network namespace these helpers create.
#>
Set-StrictMode -Version Latest

function Import-TlsToolsModule {
    <#
    .SYNOPSIS
        Imports the module under test into the global scope and returns its manifest's full path.
    .PARAMETER Path
        The manifest; by default $env:TLSTOOLS_MODULE_PATH (set by tests/Invoke-PesterRun.ps1), else the build's
        out/TlsTools/TlsTools.psd1.
    #>
    [CmdletBinding()]
    param([string] $Path = $env:TLSTOOLS_MODULE_PATH)
    $full = Get-TlsToolsModulePath -Path $Path
    Import-Module $full -Force -Global
    $full
}

function Get-TlsToolsModulePath {
    <#
    .SYNOPSIS
        The full path of the built module's manifest, for tests that import it in a child process of their own.
    #>
    [CmdletBinding()]
    param([string] $Path = $env:TLSTOOLS_MODULE_PATH)
    if (-not $Path) { $Path = Join-Path $PSScriptRoot '../../out/TlsTools/TlsTools.psd1' }
    if (-not (Test-Path -LiteralPath $Path)) { throw "The built module is not at '$Path': run ./build.ps1 Build first." }
    (Resolve-Path -LiteralPath $Path).ProviderPath
}

function Assert-TestTool {
    <#
    .SYNOPSIS
        Returns the full path of a program a test needs; when it is missing, fails the test with the Debian
        package to install (build.ps1 Test installs every one of them; see the table at its top).
    .PARAMETER Name
        A command name (searched on PATH and in the sbin folders) or a path, which may hold a wildcard.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory, Position = 0)] [string] $Name, [Parameter(Mandatory)] [string] $Package)
    $found = if ($Name.Contains('/')) {
        Resolve-Path -Path $Name -ErrorAction Ignore | Sort-Object ProviderPath | Select-Object -Last 1 -ExpandProperty ProviderPath
    } else {
        $command = Get-Command -Name $Name -CommandType Application -ErrorAction Ignore | Select-Object -First 1
        if ($command) { $command.Source }
        else { @('/usr/sbin', '/sbin') | ForEach-Object { Join-Path $_ $Name } | Where-Object { Test-Path -LiteralPath $_ } | Select-Object -First 1 }
    }
    if (-not $found) {
        throw "'$Name' is not installed; it comes with the Debian package '$Package': apt-get install -y $Package (build.ps1 Test installs it as root)."
    }
    $found
}

. (Join-Path $PSScriptRoot 'TlsTestServers.ps1')
. (Join-Path $PSScriptRoot 'PacketCapture.ps1')
. (Join-Path $PSScriptRoot 'Nginx.ps1')
. (Join-Path $PSScriptRoot 'CountingRelay.ps1')

Export-ModuleMember -Function *
