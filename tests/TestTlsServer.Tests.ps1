<#
    Test-TlsServer as a cmdlet: pipeline in and out, one assessment per input in order, the cost in connections,
    what an unreachable or broken target gives, -Quiet / -MinimumGrade, -Profile errors, and the output for CSV and
    JSON. Against real servers on 127.0.0.1 (Start-TlsTestServer scenarios). The grade rules, the profiles, the
    findings and the GET of / have their own files (TestTlsServer.Grade/Profiles/Findings/Http.Tests.ps1).
#>

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers/TestHelpers.psm1') -Force
    $ModulePath = Import-TlsToolsModule
    $Servers = @(Start-TlsTestServer -Scenario Good, Tls10Only, Tls13Only)
    $Good = $Servers | Where-Object Scenario -EQ Good
    $Tls10 = $Servers | Where-Object Scenario -EQ Tls10Only
    $Tls13 = $Servers | Where-Object Scenario -EQ Tls13Only
    $ClosedPort = Get-ClosedPort
    $Work = Join-Path ([IO.Path]::GetTempPath()) "tlstools-server-$PID"
    New-Item -ItemType Directory -Force -Path $Work | Out-Null
    $GoodAssessment = $Good | Test-TlsServer
}

AfterAll {
    $Servers | Stop-TlsTestServer
    Remove-Item -Recurse -Force $Work -ErrorAction SilentlyContinue
}

Describe 'Test-TlsServer pipeline' {
    It 'writes one ServerAssessment per input, in input order' {
        $inputs = @($Tls13, $Good, $Tls10)
        $results = @($inputs | Test-TlsServer)
        $results.Count | Should -Be 3
        $results | ForEach-Object { $_ | Should -BeOfType ([TlsTools.ServerAssessment]) }
        @($results.Port) | Should -Be @($inputs.Port)
        @($results.ComputerName | Sort-Object -Unique) | Should -Be '127.0.0.1'
    }

    It 'binds ComputerName, Port and TrustedRootPath from CSV rows' {
        $csv = Join-Path $Work 'hosts.csv'
        $Good, $Tls10 | Select-Object ComputerName, Port, TrustedRootPath | Export-Csv -Path $csv -NoTypeInformation
        $results = @(Import-Csv $csv | Test-TlsServer)
        @($results.Port) | Should -Be @($Good.Port, $Tls10.Port)
        $results[0].Protocols | Should -Be 'TLS 1.2, TLS 1.3'
        $results[1].Protocols | Should -Be 'TLS 1.0'
    }

    It 'reads the versions from the probes and the chain from the one full handshake' {
        $GoodAssessment.FailureCategory | Should -Be 'None'
        @($GoodAssessment.ProtocolSupport | Where-Object Supported | ForEach-Object Protocol) | Should -Be @('Tls12', 'Tls13')
        @($GoodAssessment.ProtocolSupport | Where-Object { $_.Supported -eq $false } | ForEach-Object Protocol) | Should -Be @('Ssl2', 'Ssl3', 'Tls10', 'Tls11')
        @($GoodAssessment.CipherSuites | Where-Object Protocol -EQ Tls12 | ForEach-Object CipherSuite) |
            Should -Be @('TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256')
        $GoodAssessment.Chain[0].Role | Should -Be 'Leaf'
        $GoodAssessment.Chain[0].ChainValid | Should -BeTrue
        $GoodAssessment.Chain[0].KeyAlgorithm | Should -Be 'RSA'
    }

    It 'costs the scan''s connections and one full handshake, nothing twice' {
        # Get-CipherSupport -IncludeGroups asks exactly what the assessment's scan asks; its chain comes from a probe
        # (TLS 1.2 sends it in plaintext), so it adds no handshake, and the assessment adds exactly one.
        # The vulnerability checks add their own, each counted on its row (Compression: one ClientHello).
        $scan = @($Good | Get-CipherSupport -IncludeGroups)
        $checks = ($GoodAssessment.Vulnerabilities | Measure-Object -Property ConnectionCount -Sum).Sum
        ($GoodAssessment.Vulnerabilities | Where-Object Name -EQ 'Compression').ConnectionCount | Should -Be 1
        $GoodAssessment.ConnectionCount | Should -Be ($scan[0].Connections + 1 + $checks)
    }

    It 'gives an unreachable target an assessment with no grade and the cause, never an exception' {
        $result = Test-TlsServer -ComputerName 127.0.0.1 -Port $ClosedPort -WarningVariable warn -WarningAction SilentlyContinue
        $result | Should -BeOfType ([TlsTools.ServerAssessment])
        $result.Grade | Should -BeNullOrEmpty
        $result.Score | Should -BeNullOrEmpty
        $result.FailureCategory | Should -Be 'ConnectionRefused'
        $result.DiagnosisRule | Should -Be 'TransportRefused'
        $result.FailureReason | Should -Match 'refused'
        $result.Remedy | Should -Not -BeNullOrEmpty
        @($warn).Count | Should -Be 1
        "$($warn[0])" | Should -Match "127\.0\.0\.1:$ClosedPort.*ConnectionRefused"
    }

    It 'reports a malformed target as an InvalidTarget error and goes on with the next' {
        $results = @('127.0.0.1:70000', "127.0.0.1:$($Good.Port)" | Test-TlsServer -TrustedRootPath $Good.TrustedRootPath -ErrorVariable err -ErrorAction SilentlyContinue)
        $results.Count | Should -Be 1
        $results[0].Port | Should -Be $Good.Port
        $err[0].FullyQualifiedErrorId | Should -Match '^InvalidTarget'
    }
}

Describe 'Test-TlsServer -Quiet' {
    It 'is $false for a target that could not be assessed' {
        Test-TlsServer -ComputerName 127.0.0.1 -Port $ClosedPort -Quiet -MinimumGrade F -WarningAction SilentlyContinue | Should -BeExactly $false
    }

    It 'compares the grade with -MinimumGrade' {
        $grade = $GoodAssessment.Grade
        $grade | Should -Not -BeNullOrEmpty
        $Good | Test-TlsServer -Quiet -MinimumGrade F | Should -BeExactly $true
        # The Good scenario has no HSTS (no HTTP server behind it), so it cannot be A+.
        $Good | Test-TlsServer -Quiet -MinimumGrade 'A+' | Should -BeExactly $false
    }

    It 'answers one bool per target, in order' {
        $answers = @($Good, $Tls10 | Test-TlsServer -Quiet -MinimumGrade B -WarningAction SilentlyContinue)
        $answers.Count | Should -Be 2
        $answers[0] | Should -BeExactly $true
        # TLS 1.0 only: no TLS 1.2 caps the grade at C (guide 2009r), below B.
        $answers[1] | Should -BeExactly $false
    }

    It 'rejects a grade that is not a letter of the guide' {
        { Test-TlsServer -ComputerName 127.0.0.1 -Quiet -MinimumGrade G } | Should -Throw -ErrorId 'ParameterArgumentValidationError,TlsTools.Commands.TestTlsServerCommand'
    }
}

Describe 'Test-TlsServer -Profile' {
    It 'stops before connecting when the profile file does not exist' {
        { Test-TlsServer -ComputerName 127.0.0.1 -Port $Good.Port -Profile (Join-Path $Work 'none.json') -ErrorAction Stop } |
            Should -Throw -ErrorId 'ProfileNotFound,TlsTools.Commands.TestTlsServerCommand'
    }

    It 'checks only the built-in configuration named' {
        $result = $Good | Test-TlsServer -Profile intermediate
        @($result.Profiles.Name) | Should -Be 'intermediate'
        $result.Modern | Should -BeNullOrEmpty
        $result.Intermediate | Should -Not -BeNullOrEmpty
    }

    It 'completes the built-in names' {
        $completion = TabExpansion2 -inputScript 'Test-TlsServer -Profile mod' -cursorColumn 27
        @($completion.CompletionMatches.CompletionText) | Should -Be 'modern'
    }
}

Describe 'Test-TlsServer -Check and -ExcludeCheck' {
    It 'completes the check names' {
        $completion = TabExpansion2 -inputScript 'Test-TlsServer -Check Compr' -cursorColumn 27
        @($completion.CompletionMatches.CompletionText) | Should -Be 'Compression'
    }

    It 'runs only the checks named, each row with its verdict, evidence and connections' {
        $r = $Good | Test-TlsServer -NoHttp -Check Compression
        @($r.Vulnerabilities.Name) | Should -Be @('Compression')
        $r.Vulnerabilities[0].Verdict | Should -Be 'NotVulnerable'
        $r.Vulnerabilities[0].Evidence | Should -Be 'offered DEFLATE before null with TLS 1.2, the server chose null compression'
        $r.Vulnerabilities[0].Remedy | Should -BeNullOrEmpty
    }

    It 'stops before connecting when a name matches no check, listing the checks' {
        { $Good | Test-TlsServer -Check Heartbleeed -ErrorAction Stop } | Should -Throw "*-Check: there is no check 'Heartbleeed'. The checks are: Compression*"
        try { $Good | Test-TlsServer -Check Heartbleeed -ErrorAction Stop } catch { $_.FullyQualifiedErrorId | Should -Match '^InvalidCheck' }
    }
}

Describe 'Test-TlsServer output' {
    It 'exports one CSV row per server, the lists as their text' {
        $csv = Join-Path $Work 'grades.csv'
        $GoodAssessment, ($Tls10 | Test-TlsServer) | Export-Csv -Path $csv -NoTypeInformation
        $rows = @(Import-Csv $csv)
        $rows.Count | Should -Be 2
        $rows[0].Grade | Should -Be $GoodAssessment.Grade
        $rows[0].Findings | Should -Be $GoodAssessment.Findings.ToString()
        $rows[1].Findings | Should -Not -Match 'TlsTools\.'
        $rows[1].GradeCaps | Should -Match 'TLS 1\.2'
    }

    It 'converts to JSON cleanly at -Depth 4: no truncation warning, no certificate blobs, and it reads back' {
        $warnings = $null
        $json = $GoodAssessment | ConvertTo-Json -Depth 4 -EnumsAsStrings -WarningVariable warnings -WarningAction SilentlyContinue
        @($warnings).Count | Should -Be 0 -Because 'every nested list ends within four levels, and no row refers back to its parent'
        $json | Should -Not -Match '"RawData"|"PublicKey"' -Because 'the chain rows carry the certificate facts as columns, not the X509Certificate2'
        $back = $json | ConvertFrom-Json
        $back.Grade | Should -Be $GoodAssessment.Grade
        $back.Port | Should -Be $Good.Port
        @($back.ProtocolSupport).Count | Should -Be 6
        @($back.Findings).Count | Should -Be $GoodAssessment.FindingCount
        $back.Chain[0].Subject | Should -Be $GoodAssessment.Chain[0].Subject
        $back.Chain[0].Role | Should -Be 'Leaf'
        $back.Profiles[0].Deviations[0].Aspect | Should -Be $GoodAssessment.Profiles[0].Deviations[0].Aspect.ToString()
    }

    It 'keeps the full chain rows behind GetCertificateChain(), for Export-CertificateChain' {
        $GoodAssessment.Chain[0].Certificate | Should -BeNullOrEmpty
        $full = @($GoodAssessment.GetCertificateChain())
        $full.Count | Should -Be $GoodAssessment.Chain.Count
        $full[0].Certificate.Thumbprint | Should -Not -BeNullOrEmpty
        $full[0].CertificateThumbprint | Should -Be $GoodAssessment.Chain[0].CertificateThumbprint
        $pem = Join-Path $Work 'assessed-fullchain.pem'
        $full | Export-CertificateChain -Path $pem
        (Get-Content -Raw $pem) | Should -Match '-----BEGIN CERTIFICATE-----'
    }

    It 'shows the grade, the profile verdicts and the top findings by default' {
        $lines = @(($GoodAssessment | Out-String -Width 120) -split '\r?\n' | Where-Object { $_.Trim() })
        $lines[0].Trim() -split '\s+' | Should -Be @('ComputerName', 'Port', 'Grade', 'Intermediate', 'Modern', 'Findings', 'TopFindings')
        $lines[2] | Should -Match ([regex]::Escape($GoodAssessment.Grade))
    }
}

Describe 'The check table is documented' {
    It 'about_TlsTools describes every check of checks.tsv' {
        $table = Join-Path $PSScriptRoot '../src/TlsTools.Core/Assessment/Checks/Data/checks.tsv'
        $names = @(Get-Content -LiteralPath $table | Where-Object { $_ -and -not $_.StartsWith('#') } | Select-Object -Skip 1 | ForEach-Object { ($_ -split "`t")[0] })
        $names.Count | Should -BeGreaterThan 0
        $about = Get-Content -Raw -LiteralPath (Join-Path $PSScriptRoot '../docs/en-US/about_TlsTools.md')
        foreach ($name in $names) { $about | Should -Match "- \*\*$name\*\* \(" -Because "$name needs its line under 'The checks:'" }
    }
}
