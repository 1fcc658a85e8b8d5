<#
    Compare-TlsResult on real results: openssl s_server scenarios (Good: TLS 1.2+1.3; Tls12Ecdhe: the same certificate,
    TLS 1.2 with one suite; WrongHost: another certificate). Two vantage points are simulated by giving the second
    set the first set's endpoint (the result objects are plain settable classes, as Import-Clixml/Import-Csv give back).
#>

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers/TestHelpers.psm1') -Force
    $ModulePath = Import-TlsToolsModule
    $PkiDir = Join-Path ([System.IO.Path]::GetTempPath()) "tlstools-compare-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
    $Pki = New-TestPki -Path $PkiDir
    $Good = Start-TlsScenarioServer -Pki $Pki -Scenario Good
    $Tls12 = Start-TlsScenarioServer -Pki $Pki -Scenario Tls12Ecdhe
    $Wrong = Start-TlsScenarioServer -Pki $Pki -Scenario WrongHost

    function As-Endpoint($results, $port) { foreach ($r in $results) { $r.Port = $port; $r } }
    $common = @{ TrustedRootPath = $Pki.RootCaPath; TimeoutSec = 5 }
}

AfterAll {
    Stop-AllTestServer
    if ($PkiDir -and (Test-Path $PkiDir)) { Remove-Item -Recurse -Force $PkiDir }
}

Describe 'Compare-TlsResult' {
    It 'handshakes: names the protocol and suite that differ, and nothing that is the same' {
        $ref = Test-TlsHandshake localhost -Port $Good.Port @common
        $diff = As-Endpoint (Test-TlsHandshake localhost -Port $Tls12.Port @common) $Good.Port
        $rows = @(Compare-TlsResult -ReferenceObject $ref -DifferenceObject $diff)
        $rows.Aspect | Should -Be @('Protocol', 'CipherSuite')
        $rows[0].ReferenceValue | Should -Be 'Tls13'
        $rows[0].DifferenceValue | Should -Be 'Tls12'
        $rows[0].Description | Should -Be 'Protocol: Tls13 in the reference set, Tls12 in the difference set.'
        $rows[1].DifferenceValue | Should -Be 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'
        $rows | ForEach-Object { $_.ComputerName | Should -Be 'localhost'; $_.Port | Should -Be $Good.Port; $_.Differs | Should -BeTrue }
    }
    It 'handshakes: another certificate is a Certificate row with both subjects and thumbprints, and the outcome differs' {
        $ref = Test-TlsHandshake localhost -Port $Good.Port @common
        $diff = As-Endpoint (Test-TlsHandshake localhost -Port $Wrong.Port @common) $Good.Port
        $rows = @($diff | Compare-TlsResult -ReferenceObject $ref)
        $rows.Aspect | Should -Contain 'Certificate'
        $rows.Aspect | Should -Contain 'Outcome'
        $cert = $rows | Where-Object Aspect -EQ 'Certificate'
        $cert.ReferenceValue | Should -Match ([regex]::Escape($ref.CertificateThumbprint))
        $cert.DifferenceValue | Should -Match 'CN=wronghost\.test'
        ($rows | Where-Object Aspect -EQ 'Outcome').Description | Should -Be 'Outcome: None in the reference set, NameMismatch in the difference set.'
    }
    It '-IncludeEqual writes the same aspects too' {
        $ref = Test-TlsHandshake localhost -Port $Good.Port @common
        $diff = As-Endpoint (Test-TlsHandshake localhost -Port $Tls12.Port @common) $Good.Port
        $rows = @(Compare-TlsResult $ref $diff -IncludeEqual)
        $rows.Aspect | Should -Be @('Outcome', 'Certificate', 'Protocol', 'CipherSuite', 'Interception')
        ($rows | Where-Object Aspect -EQ 'Certificate').Differs | Should -BeFalse
        ($rows | Where-Object Aspect -EQ 'Interception').Differs | Should -BeFalse
    }
    It 'CSV round trips compare the same way (the certificate by thumbprint)' {
        $dir = Join-Path $PkiDir 'csv'; New-Item -ItemType Directory -Force $dir | Out-Null
        Test-TlsHandshake localhost -Port $Good.Port @common | Export-Csv "$dir/a.csv" -NoTypeInformation
        As-Endpoint (Test-TlsHandshake localhost -Port $Wrong.Port @common) $Good.Port | Export-Csv "$dir/b.csv" -NoTypeInformation
        $rows = @(Compare-TlsResult (Import-Csv "$dir/a.csv") (Import-Csv "$dir/b.csv"))
        $rows.Aspect | Should -Contain 'Certificate'
        $rows.Aspect | Should -Contain 'Outcome'
    }
    It 'Import-Clixml results (from another machine) compare like live ones' {
        $file = Join-Path $PkiDir 'ref.xml'
        Test-TlsHandshake localhost -Port $Good.Port @common | Export-Clixml $file
        $diff = As-Endpoint (Test-TlsHandshake localhost -Port $Tls12.Port @common) $Good.Port
        $rows = @(Compare-TlsResult (Import-Clixml $file) $diff)
        $rows.Aspect | Should -Be @('Protocol', 'CipherSuite')
        $rows[0].ReferenceValue | Should -Be 'Tls13'
    }
    It 'protocol support: the versions only one side accepts' {
        $ref = Get-TlsProtocolSupport localhost -Port $Good.Port -TimeoutSec 5
        $diff = As-Endpoint (Get-TlsProtocolSupport localhost -Port $Tls12.Port -TimeoutSec 5) $Good.Port
        $rows = @(Compare-TlsResult $ref $diff)
        $rows.Count | Should -Be 1
        $rows[0].Aspect | Should -Be 'Versions'
        $rows[0].Description | Should -Be 'Versions: only in the reference set: Tls13.'
    }
    It 'cipher support: the suites only one side accepts' {
        $ref = Get-CipherSupport localhost -Port $Good.Port -TimeoutSec 5
        $diff = As-Endpoint (Get-CipherSupport localhost -Port $Tls12.Port -TimeoutSec 5) $Good.Port
        $row = @(Compare-TlsResult $ref $diff) | Where-Object Aspect -EQ 'Suites'
        $row.Description | Should -Match '^Suites: only in the reference set: .*Tls13 TLS_AES_256_GCM_SHA384'
        $row.Description | Should -Not -Match 'only in the difference set'
        $row.DifferenceValue | Should -Be 'Tls12 TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'
    }
    It 'an endpoint in one set only is a Target row' {
        $ref = Test-TlsHandshake localhost -Port $Good.Port @common
        $other = Test-TlsHandshake localhost -Port $Tls12.Port @common
        $rows = @(Compare-TlsResult $ref $ref, $other)
        $rows.Count | Should -Be 1
        $rows[0].Aspect | Should -Be 'Target'
        $rows[0].Port | Should -Be $Tls12.Port
        $rows[0].Description | Should -Be 'Only in the difference set.'
    }
    It 'an object that is not a result is a non-terminating NotATlsResult error' {
        $ref = Test-TlsHandshake localhost -Port $Good.Port @common
        $rows = @(Compare-TlsResult $ref 'not a result', $ref -ErrorVariable errs -ErrorAction SilentlyContinue)
        $rows.Count | Should -Be 0
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'NotATlsResult,*'
        $errs[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
    }
}
