<#
    Interception: the module's Interception test server (a leaf re-signed by a "TlsTools Inspection CA ... (TLS-intercepting
    proxy)", as an inspecting proxy would), and -ExpectedThumbprint against the Good server.
#>

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers/TestHelpers.psm1') -Force
    $ModulePath = Import-TlsToolsModule
    $Inspected = Start-TlsTestServer -Scenario Interception
    $Good = Start-TlsTestServer -Scenario Good
    $Root = $Good.TrustedRootPath
}

AfterAll { Stop-TlsTestServer -All }

Describe 'Test-TlsHandshake: TLS interception' {
    It 'a chain issued by an inspection CA is InterceptionSuspected, naming it' {
        $r = $Inspected | Test-TlsHandshake -TimeoutSec 5
        $r.HandshakeCompleted | Should -BeTrue
        $r.Succeeded | Should -BeFalse
        $r.FailureCategory | Should -Be ([TlsTools.FailureCategory]::InterceptionSuspected)
        $r.InterceptionSuspected | Should -BeTrue
        $r.InterceptionEvidence | Should -Match "^The chain contains 'CN=TlsTools Inspection CA [^']+', which names Generic TLS inspection, a TLS inspection product"
        $r.FailureReason | Should -Be $r.InterceptionEvidence
        $r.Remedy | Should -Match 'exempt this host from inspection'
        $r.CertificateProblems | Should -Match 'root' -Because 'the certificate problems found are still listed'
    }
    It 'the right certificate by SHA-1 thumbprint, with separators, succeeds' {
        $first = $Good | Test-TlsHandshake -TimeoutSec 5
        $first.Succeeded | Should -BeTrue
        $first.CertificateThumbprint | Should -Be ([Convert]::ToHexString([System.Security.Cryptography.SHA256]::HashData($first.Certificate.RawData)))
        $spaced = ($first.Certificate.Thumbprint -split '(..)' | Where-Object { $_ }) -join ':'
        $r = $Good | Test-TlsHandshake -ExpectedThumbprint $spaced.ToLowerInvariant() -TimeoutSec 5
        $r.Succeeded | Should -BeTrue
        $r.InterceptionSuspected | Should -BeFalse
    }
    It 'the right certificate by SHA-256 succeeds' {
        $first = $Good | Test-TlsHandshake -TimeoutSec 5
        $sha256 = [System.Security.Cryptography.SHA256]::HashData($first.Certificate.RawData)
        $r = $Good | Test-TlsHandshake -ExpectedThumbprint ([Convert]::ToHexString($sha256)) -TimeoutSec 5
        $r.Succeeded | Should -BeTrue
    }
    It 'another certificate than the expected one is InterceptionSuspected with both thumbprints' {
        $expected = 'AB' * 20
        $r = $Good | Test-TlsHandshake -ExpectedThumbprint $expected -TimeoutSec 5
        $r.Succeeded | Should -BeFalse
        $r.FailureCategory | Should -Be ([TlsTools.FailureCategory]::InterceptionSuspected)
        $r.FailureReason | Should -Match "thumbprint $($r.CertificateThumbprint)\), not the expected certificate $expected"
    }
    It 'binds -ExpectedThumbprint from a Thumbprint column' {
        $row = [pscustomobject]@{ ComputerName = $Good.ComputerName; Port = $Good.Port; ServerName = $Good.ServerName; TrustedRootPath = $Root; Thumbprint = 'CD' * 20 }
        $r = $row | Test-TlsHandshake -TimeoutSec 5
        $r.FailureCategory | Should -Be ([TlsTools.FailureCategory]::InterceptionSuspected)
    }
}
