<#
    Test-TlsServer's intolerance checks and ExtendedMasterSecret against real servers on 127.0.0.1: openssl s_server
    (tolerant, with the extended master secret; TLS 1.3 and TLS 1.2-only) and the scenarios Intolerant (refuses an
    unknown extension and GREASE) and VersionIntolerant (refuses a TLS 1.3 offer). Vulnerable means
    "intolerant" (and, for ExtendedMasterSecret, "no extended master secret"). One cross-check with testssl.sh: its
    server defaults (-S) list the extended master secret our check sees on the same s_server.
#>

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers/TestHelpers.psm1') -Force
    $ModulePath = Import-TlsToolsModule
    $Checks = 'UnknownExtensionIntolerance', 'GreaseIntolerance', 'HelloSize256Intolerance', 'ManySuitesIntolerance', 'Tls13HelloIntolerance', 'ExtendedMasterSecret'
    $Work = Join-Path ([IO.Path]::GetTempPath()) ('tlstools-intolerance-' + [guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory -Force -Path $Work | Out-Null
    $Root = New-TestCertificate -Dir $Work -Name root -CommonName 'Intolerance Test Root' -Ca -NotAfter (Get-Date).AddYears(1)
    $Leaf = New-TestCertificate -Dir $Work -Name leaf -CommonName 'localhost' -Issuer $Root -DnsNames 'localhost' -IpAddresses '127.0.0.1'
    $OpenSsl = Start-OpenSslServer -Cert $Leaf.Cert -Key $Leaf.Key
    $OpenSsl12 = Start-OpenSslServer -Cert $Leaf.Cert -Key $Leaf.Key -ExtraArgs '-tls1_2'
    $Servers = @(Start-TlsTestServer -Scenario Intolerant, VersionIntolerant)
    function Get-Checks($Target) {
        $r = if ($Target.Scenario) { $Target | Test-TlsServer -NoHttp -Check $Checks }
             else { Test-TlsServer -ComputerName 127.0.0.1 -Port $Target.Port -TrustedRootPath $Root.Cert -NoHttp -Check $Checks }
        $rows = @{}
        foreach ($row in $r.Vulnerabilities) { $rows[$row.Name] = $row }
        [pscustomobject]@{ Assessment = $r; Rows = $rows }
    }
    $A = @{
        OpenSsl         = Get-Checks $OpenSsl
        OpenSsl12       = Get-Checks $OpenSsl12
        Intolerant      = Get-Checks ($Servers | Where-Object Scenario -EQ Intolerant)
        VersionIntolerant = Get-Checks ($Servers | Where-Object Scenario -EQ VersionIntolerant)
    }
}

AfterAll {
    $Servers | Stop-TlsTestServer
    $OpenSsl, $OpenSsl12 | Stop-TestServer
    Remove-Item -Recurse -Force $Work -ErrorAction SilentlyContinue
}

Describe 'openssl s_server: tolerant, with the extended master secret' {
    It 'answers every varied ClientHello with TLS 1.3, one connection each: NotVulnerable' {
        foreach ($name in 'UnknownExtensionIntolerance', 'GreaseIntolerance', 'HelloSize256Intolerance', 'ManySuitesIntolerance') {
            $row = $A.OpenSsl.Rows[$name]
            $row.Verdict | Should -Be 'NotVulnerable' -Because "$name`: $($row.Evidence)"
            $row.Evidence | Should -Match '^tolerant: a ClientHello with .+ got a TLS 1\.3 ServerHello \(TLS_'
            $row.ConnectionCount | Should -Be 1
            $row.Remedy | Should -BeNullOrEmpty
        }
        $A.OpenSsl.Rows['GreaseIntolerance'].Evidence | Should -BeLike '*supported_versions, key_share and two extensions*'
    }

    It 'is NotApplicable to Tls13HelloIntolerance with TLS 1.3, NotVulnerable without it' {
        $A.OpenSsl.Rows['Tls13HelloIntolerance'].Verdict | Should -Be 'NotApplicable'
        $A.OpenSsl.Rows['Tls13HelloIntolerance'].ConnectionCount | Should -Be 0
        $row = $A.OpenSsl12.Rows['Tls13HelloIntolerance']
        $row.Verdict | Should -Be 'NotVulnerable'
        $row.Evidence | Should -BeLike 'tolerant: a ClientHello with its offer of TLS 1.3 (supported_versions TLS 1.3, TLS 1.2, key_share, TLS 1.3 suites) got a TLS 1.2 ServerHello (TLS_*'
    }

    It 'echoes extended_master_secret in TLS 1.2: NotVulnerable' {
        foreach ($a in $A.OpenSsl, $A.OpenSsl12) {
            $a.Rows['ExtendedMasterSecret'].Verdict | Should -Be 'NotVulnerable'
            $a.Rows['ExtendedMasterSecret'].Evidence | Should -Be 'has it: the TLS 1.2 ServerHello echoes extended_master_secret (23), so the master secret is bound to the handshake (RFC 7627)'
        }
    }

    It 'raises none of the findings of these checks' {
        @($A.OpenSsl.Assessment.Findings.Id) | Should -Not -Contain 'ClientHelloIntolerance'
        @($A.OpenSsl12.Assessment.Findings.Id) | Should -Not -Contain 'VersionIntolerance'
        @($A.OpenSsl12.Assessment.Findings.Id) | Should -Not -Contain 'NoExtendedMasterSecret'
    }

    It 'agrees with testssl.sh -S, which lists extended master secret among the TLS extensions' {
        $testssl = Assert-TestTool testssl -Package testssl.sh
        $json = Join-Path $Work 'testssl-ems.json'
        $null = & $testssl --quiet --color 0 --warnings off --nodns none --ip 127.0.0.1 --openssl /usr/bin/openssl -S --jsonfile $json "127.0.0.1:$($OpenSsl12.Port)" 2>&1
        $extensions = (Get-Content -Raw $json | ConvertFrom-Json) | Where-Object id -EQ 'TLS_extensions'
        "$($extensions.finding)" | Should -BeLike '*extended master secret/#23*'
    }
}

Describe 'The Intolerant scenario: refuses an unknown extension and GREASE' {
    It 'is Vulnerable (intolerant) to <Name>, shown by the variant refused and its control accepted' -ForEach @(
        @{ Name = 'UnknownExtensionIntolerance'; Difference = 'an empty extension of the unassigned type 0x1234' }
        @{ Name = 'GreaseIntolerance'; Difference = 'GREASE values (RFC 8701, 0x0A0A-0x5A5A) in cipher_suites, supported_groups, signature_algorithms and two extensions' }
    ) {
        $row = $A.Intolerant.Rows[$Name]
        $row.Verdict | Should -Be 'Vulnerable'
        $row.Evidence | Should -BeLike "intolerant: the server refused a ClientHello that differs from an accepted one only by $Difference`: alert handshake_failure (40) (the same ClientHello without it got a TLS 1.2 ServerHello (TLS_ECDHE_RSA_*))"
        $row.ConnectionCount | Should -Be 2
        $row.Remedy | Should -BeLike 'Update the TLS software or the firmware in front of it*'
    }

    It 'answers the unpadded 256..511-byte hello, 160 suites and the TLS 1.3 offer, and has the extended master secret' {
        $A.Intolerant.Rows['ManySuitesIntolerance'].Verdict | Should -Be 'NotVulnerable'
        $A.Intolerant.Rows['ManySuitesIntolerance'].Evidence | Should -BeLike 'tolerant: a ClientHello with its cipher list: 160 suites, the 3 accepted ones last after 157 assigned ones it does not accept got a TLS 1.2 ServerHello (TLS_ECDHE_RSA_*)'

        $A.Intolerant.Rows['HelloSize256Intolerance'].Verdict | Should -Be 'NotVulnerable'
        $A.Intolerant.Rows['Tls13HelloIntolerance'].Verdict | Should -Be 'NotVulnerable'
        $A.Intolerant.Rows['ExtendedMasterSecret'].Verdict | Should -Be 'NotVulnerable'
    }

    It 'raises one ClientHelloIntolerance finding (High) for the two checks' {
        $finding = @($A.Intolerant.Assessment.Findings | Where-Object Id -EQ 'ClientHelloIntolerance')
        $finding.Count | Should -Be 1
        $finding[0].Severity | Should -Be 'High'
        $A.Intolerant.Assessment.Vulnerabilities.ToString() | Should -Be 'Vulnerable: UnknownExtensionIntolerance, GreaseIntolerance'
    }
}

Describe 'The VersionIntolerant scenario: refuses a TLS 1.3 offer instead of negotiating TLS 1.2' {
    It 'is Vulnerable to Tls13HelloIntolerance and raises VersionIntolerance' {
        $row = $A.VersionIntolerant.Rows['Tls13HelloIntolerance']
        $row.Verdict | Should -Be 'Vulnerable'
        $row.Evidence | Should -BeLike 'intolerant: the server refused a ClientHello that differs from an accepted one only by its offer of TLS 1.3 (supported_versions TLS 1.3, TLS 1.2, key_share, TLS 1.3 suites): alert handshake_failure (40) (the same ClientHello without it got a TLS 1.2 ServerHello (TLS_ECDHE_RSA_*))'
        $row.ConnectionCount | Should -Be 2
        @($A.VersionIntolerant.Assessment.Findings.Id) | Should -Contain 'VersionIntolerance'
    }

    It 'tolerates the rest, which its TLS 1.2 hellos carry without supported_versions' {
        foreach ($name in 'UnknownExtensionIntolerance', 'GreaseIntolerance', 'HelloSize256Intolerance', 'ManySuitesIntolerance', 'ExtendedMasterSecret') {
            $A.VersionIntolerant.Rows[$name].Verdict | Should -Be 'NotVulnerable' -Because "$name`: $($A.VersionIntolerant.Rows[$name].Evidence)"
        }
    }
}
