<#
    Every diagnosis rule has a test that fires it on real bytes. The names come from the module itself: the rows
    of the ordered rule tables (HandshakeDiagnoser.Rules, PlatformDiagnoser.Rules) and the named rules outside them (DiagnosisRules: a
    completed handshake, the network-path and SNI follow-ups, transport failures, what only a capture shows).
    A name is covered when a test server scenario expects it (TestServers.Tests.ps1 proves every scenario's
    DiagnosisRule against the real server) or when a test file that runs real bytes names it (DiagnosisRulesTests.cs, on hand-built evidence, does not count). Adding a rule
    without such a test fails here.
#>

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers/TestHelpers.psm1') -Force
    $null = Import-TlsToolsModule
    $constants = [TlsTools.Diagnosis.DiagnosisRules].GetFields([System.Reflection.BindingFlags]'Public,Static') |
        Where-Object IsLiteral | ForEach-Object { [string]$_.GetRawConstantValue() }
    $transport = [enum]::GetValues([TlsTools.Net.TransportError]) | Where-Object { $_ -ne 'None' } |
        ForEach-Object { [TlsTools.Diagnosis.DiagnosisRules]::Transport($_) }
    $all = @(@([TlsTools.Diagnosis.HandshakeDiagnoser]::Rules.Name) + @([TlsTools.Diagnosis.PlatformDiagnoser]::Rules.Name) + $constants + $transport | Sort-Object -Unique)
    # Rules no real peer can be made to produce on purpose, each with the reason; they stay listed here, visibly.
    $script:Unprovable = @{
        TransportOther = 'an operating-system socket error outside the ones the connector names; no server can cause it on demand'
        TestFault      = 'a bug of this module caught by the last-resort handler; a correct module has no input that reaches it'
        NoRuleMatched  = 'the fallback: every failure a real peer causes ends in an alert, a FIN, a RST or the deadline, and a rule names each; it stays so that an unforeseen failure still shows its evidence (DiagnosisRulesTests.cs fires it on hand-built evidence)'
    }
    $script:UnprovableCases = @($Unprovable.Keys | ForEach-Object { @{ Name = $_; Reason = $Unprovable[$_]; All = $all } })
    $script:RuleNames = @($all | Where-Object { -not $Unprovable.ContainsKey($_) })
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers/TestHelpers.psm1') -Force
    $null = Import-TlsToolsModule
    $ScenarioRules = @((Get-TlsTestServer -ListAvailable).ExpectedRule)
    # The hand-built observations of DiagnosisRulesTests.cs pin the table's logic, not bytes: they do not count here.
    $testFiles = Get-ChildItem -Path $PSScriptRoot -Recurse -Include *.Tests.ps1, *.cs -File |
        Where-Object { $_.FullName -notmatch '[\\/](bin|obj)[\\/]' -and $_.Name -notin 'DiagnosisRules.Tests.ps1', 'DiagnosisRulesTests.cs' }
    $TestText = ($testFiles | ForEach-Object { Get-Content -LiteralPath $_.FullName -Raw }) -join "`n"
}

Describe 'Diagnosis rules' {
    It 'the table has rules, each with a distinct name' {
        $names = @([TlsTools.Diagnosis.HandshakeDiagnoser]::Rules.Name)
        $names.Count | Should -BeGreaterThan 10
        ($names | Sort-Object -Unique).Count | Should -Be $names.Count
    }

    It 'a rule left unproved is a real rule, with its reason: <Name> (<Reason>)' -ForEach $UnprovableCases {
        $All | Should -Contain $Name
    }

    It '<_> is fired by a test on real bytes' -ForEach $RuleNames {
        $name = $_
        # Asserted by name: 'Name' or "Name" in a Pester table or Should, "Name" or DiagnosisRules.Name in an xunit Assert.
        $asserted = $TestText -match "['""]$name['""]|DiagnosisRules\.$name\b"
        ($ScenarioRules -contains $name -or $asserted) | Should -BeTrue -Because "a rule without a test can silently stop firing; add a scenario with ExpectedRule '$name' or assert DiagnosisRule '$name' on a real result"
    }
}
