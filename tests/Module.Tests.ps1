<#
    The module as users receive it: what the built folder contains, what the manifest promises, that the
    package installs and imports by name in a fresh process, that results survive remoting serialization,
    and that tab completion offers the values of the enum-like parameters.
#>

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers/TestHelpers.psm1') -Force
    $ModuleFile = Import-TlsToolsModule
    $ModuleDir = Split-Path $ModuleFile
    $Manifest = Import-PowerShellDataFile $ModuleFile
    $PwshDll = Join-Path $PSHOME 'pwsh.dll'
}

Describe 'The built module folder' {
    It 'never ships System.Management.Automation.dll' {
        Get-ChildItem $ModuleDir -Recurse -Filter 'System.Management.Automation.dll' | Should -BeNullOrEmpty
    }
    It 'contains only the module: assemblies, manifest, format/types files and help' {
        $allowed = '^(TlsTools\.dll|TlsTools\.Loader\.dll|deps[\\/](TlsTools\.Core|BouncyCastle\.Cryptography)\.dll|TlsTools\.psd1|TlsTools\.format\.ps1xml|TlsTools\.types\.ps1xml|en-US[\\/].+\.(xml|txt))$'
        $files = Get-ChildItem $ModuleDir -Recurse -File | ForEach-Object { [System.IO.Path]::GetRelativePath($ModuleDir, $_.FullName) }
        $files | Where-Object { $_ -notmatch $allowed } | Should -BeNullOrEmpty -Because 'no test, build or debug files belong in the module'
        $files | Should -Contain 'TlsTools.dll'
        $files | Should -Contain (Join-Path 'en-US' 'TlsTools.dll-Help.xml')
    }
    It 'keeps Core and BouncyCastle in deps/, out of the way of the default load context, and the cmdlets and loader at the top' {
        $files = Get-ChildItem $ModuleDir -Recurse -Filter *.dll | ForEach-Object { [System.IO.Path]::GetRelativePath($ModuleDir, $_.FullName) } | Sort-Object
        $files | Should -Be (@('TlsTools.dll', 'TlsTools.Loader.dll', (Join-Path 'deps' 'TlsTools.Core.dll'), (Join-Path 'deps' 'BouncyCastle.Cryptography.dll')) | Sort-Object)
    }
}

Describe 'The manifest' {
    It 'loads in Windows PowerShell 5.1 and PowerShell 7' {
        $Manifest.CompatiblePSEditions | Should -Be @('Desktop', 'Core')
        $Manifest.PowerShellVersion | Should -Be '5.1'
    }
    It 'exports an explicit list of cmdlets, no wildcards, and exactly what the assembly defines' {
        $Manifest.CmdletsToExport | Should -Not -BeNullOrEmpty
        $Manifest.CmdletsToExport | Where-Object { $_ -match '\*' } | Should -BeNullOrEmpty
        $defined = [TlsTools.Commands.TestTlsHandshakeCommand].Assembly.GetTypes() |
            Where-Object { $_.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false) } |
            ForEach-Object { $a = $_.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]; "$($a.VerbName)-$($a.NounName)" }
        ($defined | Sort-Object) | Should -Be ($Manifest.CmdletsToExport | Sort-Object)
    }
    It 'imports the loader as a nested module (before the cmdlets) instead of naming Core and BouncyCastle as RequiredAssemblies' {
        $Manifest.RootModule | Should -Be 'TlsTools.dll'
        $Manifest.NestedModules | Should -Be 'TlsTools.Loader.dll'
        $Manifest.ContainsKey('RequiredAssemblies') | Should -BeFalse -Because 'a RequiredAssembly loads into the default context, where another module''s BouncyCastle may already be'
    }
    It 'carries the gallery metadata' {
        $Manifest.PrivateData.PSData.Tags | Should -Contain 'TLS'
        $Manifest.PrivateData.PSData.ReleaseNotes | Should -Match $Manifest.ModuleVersion
        $Manifest.FormatsToProcess | Should -Be 'TlsTools.format.ps1xml'
        $Manifest.TypesToProcess | Should -Be 'TlsTools.types.ps1xml'
    }
}

Describe 'The package' {
    BeforeAll {
        $Work = Join-Path ([System.IO.Path]::GetTempPath()) "tlstools-pkg-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
        $Repo = Join-Path $Work 'repo'
        $Modules = Join-Path $Work 'modules'
        New-Item -ItemType Directory -Path $Repo, $Modules | Out-Null
        $RepoName = "TlsToolsTest$PID"
        Register-PSResourceRepository -Name $RepoName -Uri $Repo -Trusted
        Publish-PSResource -Path $ModuleDir -Repository $RepoName
        Save-PSResource -Name TlsTools -Repository $RepoName -Path $Modules -TrustRepository
    }
    AfterAll {
        Unregister-PSResourceRepository -Name $RepoName -ErrorAction SilentlyContinue
        Remove-Item -Recurse -Force $Work -ErrorAction SilentlyContinue
    }

    It 'is a nupkg named after the manifest version' {
        Get-ChildItem $Repo -Filter "TlsTools.$($Manifest.ModuleVersion).nupkg" | Should -HaveCount 1
    }
    It 'installs from a PSResource repository and imports by name in a fresh process with exactly the manifest cmdlets' {
        $script = @"
`$env:PSModulePath = '$Modules' + [System.IO.Path]::PathSeparator + `$env:PSModulePath
`$watch = [System.Diagnostics.Stopwatch]::StartNew()
Import-Module TlsTools -ErrorAction Stop
`$ms = `$watch.ElapsedMilliseconds
(Get-Module TlsTools).ModuleBase
(Get-Command -Module TlsTools | Sort-Object Name).Name -join ','
"import-ms=`$ms"
"@
        $out = & dotnet $PwshDll -NoProfile -NonInteractive -Command $script
        $LASTEXITCODE | Should -Be 0
        $out[0] | Should -BeLike "$Modules*"
        $out[1] | Should -Be (($Manifest.CmdletsToExport | Sort-Object) -join ',')
        Write-Host "    Import-Module TlsTools (fresh process, installed package): $($out[2])"
    }
}

Describe 'Results survive remoting serialization' {
    BeforeAll {
        $PkiDir = Join-Path ([System.IO.Path]::GetTempPath()) "tlstools-ser-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
        $Pki = New-TestPki -Path $PkiDir
        $Good = Start-TlsScenarioServer -Pki $Pki -Scenario Good
    }
    AfterAll {
        Stop-AllTestServer
        Remove-Item -Recurse -Force $PkiDir -ErrorAction SilentlyContinue
    }

    It 'a PSSerializer round trip of a HandshakeResult keeps every scalar column' {
        $results = @(
            Test-TlsHandshake 127.0.0.1 -Port $Good.Port -ServerName localhost -TrustedRootPath $Pki.RootCaPath -TimeoutSec 5
            Test-TlsHandshake 127.0.0.1 -Port (Get-ClosedPort) -TimeoutSec 5
        )
        $results[0].Succeeded | Should -BeTrue
        foreach ($r in $results) {
            $copy = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($r))
            $copy.PSObject.TypeNames[0] | Should -Be 'Deserialized.TlsTools.HandshakeResult'
            $scalars = $r.PSObject.Properties | Where-Object {
                $t = $_.TypeNameOfValue
                $t -match '^System\.(String|Int32|Double|Boolean|DateTime)$' -or $t -match 'Nullable' -or $t -match '^TlsTools\.(FailureCategory|TlsProtocol)$'
            }
            $scalars.Count | Should -BeGreaterThan 20
            foreach ($p in $scalars) {
                "$($copy.($p.Name))" | Should -Be "$($p.Value)" -Because "$($p.Name) must survive the round trip"
            }
        }
    }
}

Describe 'Every result type survives remoting serialization' {
    BeforeAll {
        $Server = Start-TlsTestServer -Scenario Good
        function Test-RoundTrip($Object) {
            $copy = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($Object))
            $copy.PSObject.TypeNames[0] | Should -Be "Deserialized.$($Object.GetType().FullName)"
            $scalars = @($Object.PSObject.Properties | Where-Object {
                    $_.TypeNameOfValue -match '^System\.(String|Int32|Int64|Double|Boolean|DateTime|DateTimeOffset|UInt16)$' -or
                    $_.TypeNameOfValue -match 'Nullable' -or $_.Value -is [enum] })
            $scalars.Count | Should -BeGreaterThan 3
            foreach ($p in $scalars) {
                "$($copy.($p.Name))" | Should -Be "$($p.Value)" -Because "$($Object.GetType().Name).$($p.Name) must survive the round trip"
            }
        }
    }
    AfterAll { $Server | Stop-TlsTestServer }

    It '<Name>' -ForEach @(
        @{ Name = 'TestServer'; Make = { $Server } }
        @{ Name = 'ProtocolSupportResult'; Make = { Get-TlsProtocolSupport 127.0.0.1 -Port $Server.Port -Protocol Tls12 } }
        @{ Name = 'CipherSupportResult'; Make = { Get-CipherSupport 127.0.0.1 -Port $Server.Port -Protocol Tls12 | Select-Object -First 1 } }
        @{ Name = 'ChainCertificate'; Make = { $Server | Get-CertificateChain -NoFetch | Select-Object -First 1 } }
        @{ Name = 'TlsErrorExplanation'; Make = { Resolve-TlsError -Message 'error:0A000410:SSL routines::sslv3 alert handshake failure' } }
        @{ Name = 'CapturedHandshake'; Make = { Read-TlsCapture -Path (Join-Path $PSScriptRoot 'TlsTools.Core.Tests/Data/loopback-scenarios.pcap') | Select-Object -First 1 } }
    ) {
        $object = & $Make
        $object | Should -Not -BeNullOrEmpty
        $object.GetType().Name | Should -Be $Name
        Test-RoundTrip $object
    }
}

Describe 'Tab completion' {
    It 'offers the <Parameter> values of Test-TlsHandshake' -ForEach @(
        @{ Parameter = 'Protocol'; Prefix = 'Tls1'; Expected = @('Tls10', 'Tls11', 'Tls12', 'Tls13') }
        @{ Parameter = 'Engine'; Prefix = ''; Expected = @('Managed', 'Platform', 'Both') }
    ) {
        $line = "Test-TlsHandshake example.com -$Parameter $Prefix"
        $completions = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
        foreach ($value in $Expected) { $completions | Should -Contain $value }
    }

    It 'offers the scenarios of Start-TlsTestServer' {
        $line = 'Start-TlsTestServer -Scenario Tls1'
        $completions = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
        $completions | Should -Contain 'Tls10Only'
        $completions | Should -Contain 'Tls13Only'
        $completions | Should -Not -Contain 'Good'
    }
}
