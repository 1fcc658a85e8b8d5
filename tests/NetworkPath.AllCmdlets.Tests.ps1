<#
    The network path through Get-TlsProtocolSupport, Get-CipherSupport and Get-CertificateChain, as
    TestHandshake.*.Tests.ps1 prove it for Test-TlsHandshake: the same categories from the same real peers.
    - Firewall symptoms from real nftables rules in a namespace the test creates, nginx behind them (see
      TestHandshake.Firewall.Tests.ps1): SYN dropped, SYN rejected, the ClientHello reset or dropped by content
      while plain bytes pass, server segments over 1000 bytes dropped (an MTU black hole).
    - tinyproxy refusing the CONNECT, and a scripted SMTP server that does not offer STARTTLS.
    - Interception and -ExpectedThumbprint against the module's Interception, Good and Tls13Only test servers.
    - -CompareServerName against SniRequired, SniMismatch and Good.
#>

BeforeDiscovery {
    $Scanners = @(@{ Cmdlet = 'Get-TlsProtocolSupport' }, @{ Cmdlet = 'Get-CipherSupport' })
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers/TestHelpers.psm1') -Force
    $ModulePath = Import-TlsToolsModule

    $SavedProxyEnvironment = Clear-ProxyEnvironment

    # The three cmdlets, each as one call that returns the target's findings (the scanners' first row; the chain's
    # error or its leaf row), so one test body checks all three.
    function Invoke-Scan {
        param([Parameter(Mandatory)] [string] $Cmdlet, [Parameter(Mandatory)] [hashtable] $Arguments)
        $errors = $null
        $warnings = $null
        $rows = @(& $Cmdlet @Arguments -ErrorVariable errors -ErrorAction SilentlyContinue -WarningVariable warnings -WarningAction SilentlyContinue)
        [pscustomobject]@{ Rows = $rows; First = $rows | Select-Object -First 1; Errors = @($errors); Warnings = @($warnings) }
    }
}

AfterAll {
    Stop-AllTestServer
    Stop-TlsTestServer -All
    Restore-ProxyEnvironment $SavedProxyEnvironment
}

Describe 'Firewall symptoms in every network cmdlet' {
    BeforeAll {
        # The one skip: a platform without network namespaces. Anything else missing (root, ip, nft, nginx) fails.
        $Skip = Get-NamespaceSkipReason
        if (-not $Skip) {
            $Bed = New-FirewallTestBed -BasePort 4441 -ModulePath $ModulePath
            $Ns = $Bed.Namespace
            $P = $Bed.Ports
            $Root = $Bed.RootCaPath
        }
    }
    AfterAll { Remove-FirewallTestBed $Bed }
    BeforeEach { if ($Skip) { Set-ItResult -Skipped -Because $Skip } }

    It '<Cmdlet>: the open port scans cleanly, FailureCategory None' -ForEach $Scanners {
        $s = Invoke-Scan $Cmdlet @{ ComputerName = $Ns.Address; Port = $P.Open; ServerName = 'localhost'; TimeoutSec = 5; NoProxy = $true; TrustedRootPath = $Root }
        @($s.Rows | Where-Object { $_.Supported -or $_.CipherSuite }).Count | Should -BeGreaterThan 0
        $s.Rows.FailureCategory | Sort-Object -Unique | Should -Be ([TlsTools.FailureCategory]::None)
        $s.Rows.InterceptionSuspected | Sort-Object -Unique | Should -BeFalse
        $s.Warnings | Should -BeNullOrEmpty
    }
    It '<Cmdlet>: a rule that drops SYNs is ConnectTimeout on every row' -ForEach $Scanners {
        $s = Invoke-Scan $Cmdlet @{ ComputerName = $Ns.Address; Port = $P.DropSyn; TimeoutSec = 2; NoProxy = $true }
        $s.Rows.FailureCategory | Sort-Object -Unique | Should -Be ([TlsTools.FailureCategory]::ConnectTimeout)
        $s.First.FailureReason | Should -Match 'No answer to the TCP SYN'
        $s.Warnings -join "`n" | Should -Match 'ConnectTimeout'
    }
    It '<Cmdlet>: a rule that rejects with a TCP reset is ConnectionRefused' -ForEach $Scanners {
        $s = Invoke-Scan $Cmdlet @{ ComputerName = $Ns.Address; Port = $P.RejectSyn; TimeoutSec = 2; NoProxy = $true }
        $s.First.FailureCategory | Should -Be ([TlsTools.FailureCategory]::ConnectionRefused)
        $s.First.Remedy | Should -Not -BeNullOrEmpty
    }
    It '<Cmdlet>: a DPI rule that resets the ClientHello while plain bytes pass is MiddleboxBlocking' -ForEach $Scanners {
        $s = Invoke-Scan $Cmdlet @{ ComputerName = $Ns.Address; Port = $P.DpiReset; ServerName = 'localhost'; TimeoutSec = 3; NoProxy = $true }
        $s.Rows.FailureCategory | Sort-Object -Unique | Should -Be ([TlsTools.FailureCategory]::MiddleboxBlocking)
        $s.First.FailureReason | Should -Match '^The connection was reset \(TCP RST\) right after our \d+-byte ClientHello'
        $s.First.FailureReason | Should -Match 'blocks TLS by its content'
        $s.First.Remedy | Should -Match 'DPI'
        $s.First.Connections | Should -BeGreaterThan 2 -Because 'the diagnosis handshake and the plain-bytes connection are counted'
    }
    It '<Cmdlet>: a DPI rule that drops the ClientHello is MiddleboxBlocking too' -ForEach $Scanners {
        $s = Invoke-Scan $Cmdlet @{ ComputerName = $Ns.Address; Port = $P.DpiDrop; ServerName = 'localhost'; TimeoutSec = 2; NoProxy = $true }
        $s.First.FailureCategory | Should -Be ([TlsTools.FailureCategory]::MiddleboxBlocking)
        $s.First.FailureReason | Should -Match '^Our \d+-byte ClientHello got no answer in'
    }
    It '<Cmdlet>: large server segments dropped on the path are PathMtuStall, though the small alerts for old versions pass' -ForEach $Scanners {
        $s = Invoke-Scan $Cmdlet @{ ComputerName = $Ns.Address; Port = $P.MtuStall; ServerName = 'localhost'; TimeoutSec = 3; NoProxy = $true }
        $s.First.FailureCategory | Should -Be ([TlsTools.FailureCategory]::PathMtuStall)
        $s.First.DiagnosisRule | Should -Be 'SmallSegmentsGetThrough'
        $s.First.FailureReason | Should -Match '536-byte MSS got through'
        $s.First.Remedy | Should -Match 'ICMP'
    }

    It '<Cmdlet>: a path that passes the ServerHello but loses the certificate flight: versions found, PathMtuStall named, probes stop waiting after a second' -ForEach $Scanners {
        $arguments = @{ ComputerName = $Ns.Address; Port = $P.MtuStallAfterHello; ServerName = 'good.tlstools.test'; TimeoutSec = 6; NoProxy = $true; Protocol = 'Tls12', 'Tls13' }
        $warnings = $null
        $all = @(& $Cmdlet @arguments -Verbose -WarningVariable warnings -WarningAction SilentlyContinue 4>&1)
        $rows = @($all | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] })
        $narration = ($all | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n"
        @($rows | Where-Object { $_.Supported -or $_.CipherSuite }).Count | Should -BeGreaterThan 0 -Because 'the ServerHello names what the server accepts'
        $rows[0].FailureCategory | Should -Be ([TlsTools.FailureCategory]::PathMtuStall)
        $rows[0].FailureReason | Should -Match 'the ServerHello arrived \(\d+ bytes\) but the certificate chain never did'
        $warnings -join "`n" | Should -Match 'PathMtuStall'
        # Each TLS 1.2 probe gives the rest of its flight about a second, not the 6 s timeout, and says so.
        $narration | Should -Match 'ServerHello TLS 1\.2 \S+; the rest of the flight did not arrive within 1\.\d s'
    }
    It 'Get-CertificateChain: a path that passes the ServerHello but loses the certificate flight is PathMtuStall' {
        $s = Invoke-Scan Get-CertificateChain @{ ComputerName = $Ns.Address; Port = $P.MtuStallAfterHello; ServerName = 'good.tlstools.test'; TimeoutSec = 3; NoProxy = $true }
        $s.Errors[0].Exception.Message | Should -Match 'no certificate chain \(PathMtuStall\).*the ServerHello arrived'
    }
    It 'Get-CertificateChain: the open port gives the chain' {
        $s = Invoke-Scan Get-CertificateChain @{ ComputerName = $Ns.Address; Port = $P.Open; ServerName = 'localhost'; TrustedRootPath = $Root; TimeoutSec = 5; NoProxy = $true }
        $s.Errors | Should -BeNullOrEmpty
        $s.First.ChainValid | Should -BeTrue
    }
    It 'Get-CertificateChain: <Name> is a NoCertificateChain error naming <Category>' -ForEach @(
        @{ Name = 'a dropped SYN'; Port = 'DropSyn'; Category = 'ConnectTimeout'; Pattern = 'No answer to the TCP SYN'; Timeout = 2 }
        @{ Name = 'a rejected SYN'; Port = 'RejectSyn'; Category = 'ConnectionRefused'; Pattern = 'TCP RST'; Timeout = 2 }
        @{ Name = 'a reset ClientHello'; Port = 'DpiReset'; Category = 'MiddleboxBlocking'; Pattern = 'blocks TLS by its content'; Timeout = 3 }
        @{ Name = 'a dropped ClientHello'; Port = 'DpiDrop'; Category = 'MiddleboxBlocking'; Pattern = 'got no answer in'; Timeout = 2 }
        @{ Name = 'an MTU black hole'; Port = 'MtuStall'; Category = 'PathMtuStall'; Pattern = '536-byte MSS got through'; Timeout = 3 }
    ) {
        $s = Invoke-Scan Get-CertificateChain @{ ComputerName = $Ns.Address; Port = $P[$Port]; ServerName = 'localhost'; TimeoutSec = $Timeout; NoProxy = $true }
        $s.Rows | Should -BeNullOrEmpty
        $s.Errors.Count | Should -Be 1
        $s.Errors[0].FullyQualifiedErrorId | Should -Match '^NoCertificateChain'
        $s.Errors[0].Exception.Message | Should -Match "no certificate chain \($Category\)"
        $s.Errors[0].Exception.Message | Should -Match $Pattern
        $s.Errors[0].ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
    }
}

Describe 'A refusal in the server''s own words is not a network failure' {
    BeforeAll { $Good = Start-TlsTestServer -Scenario Good }
    AfterAll { $Good | Stop-TlsTestServer }

    It '<Cmdlet>: a current server asked only for TLS 1.0 and 1.1 refuses with alerts: no diagnosis, no warning, no extra connection' -ForEach $Scanners {
        $s = Invoke-Scan $Cmdlet @{ ComputerName = $Good.ComputerName; Port = $Good.Port; ServerName = $Good.ServerName; TimeoutSec = 5; Protocol = 'Tls10', 'Tls11' }
        @($s.Rows | Where-Object { $_.Supported -or $_.CipherSuite }).Count | Should -Be 0
        $s.Rows.FailureCategory | Sort-Object -Unique | Should -Be ([TlsTools.FailureCategory]::None)
        $s.Warnings | Should -BeNullOrEmpty
        $s.First.Connections | Should -Be 2
    }
}

Describe 'Proxy refusals and STARTTLS refusals in every network cmdlet' {
    BeforeAll {
        $Good = Start-TlsTestServer -Scenario Good
        $Only443 = Start-HttpProxy -AllowedConnectPort 443
        $SmtpPlain = Start-StartTlsPeer -Protocol Smtp -NoOffer
    }
    AfterAll { Stop-TestServer $Only443, $SmtpPlain; $Good | Stop-TlsTestServer }

    It '<Cmdlet>: a proxy whose policy forbids the port is ProxyRefused with its 403' -ForEach $Scanners {
        $s = Invoke-Scan $Cmdlet @{ ComputerName = 'localhost'; Port = $Good.Port; Proxy = $Only443.Uri; TimeoutSec = 5; Protocol = 'Tls12', 'Tls13' }
        $s.First.FailureCategory | Should -Be ([TlsTools.FailureCategory]::ProxyRefused)
        $s.First.FailureReason | Should -Match '403'
    }
    It 'Get-CertificateChain: the same proxy refusal is its error' {
        $s = Invoke-Scan Get-CertificateChain @{ ComputerName = 'localhost'; Port = $Good.Port; Proxy = $Only443.Uri; TimeoutSec = 5 }
        $s.Errors[0].Exception.Message | Should -Match 'no certificate chain \(ProxyRefused\).*403'
        $s.Errors[0].CategoryInfo.Category | Should -Be 'PermissionDenied'
    }
    It '<Cmdlet>: SMTP without STARTTLS is StartTlsNotOffered, quoting the EHLO reply' -ForEach ($Scanners + @(@{ Cmdlet = 'Get-CertificateChain' })) {
        $s = Invoke-Scan $Cmdlet @{ ComputerName = 'localhost'; Port = $SmtpPlain.Port; StartTls = 'Smtp'; TimeoutSec = 5 }
        $text = if ($Cmdlet -eq 'Get-CertificateChain') { $s.Errors[0].Exception.Message } else { $s.First.FailureCategory | Should -Be ([TlsTools.FailureCategory]::StartTlsNotOffered); $s.First.FailureReason }
        $text | Should -Match 'STARTTLS is not among the extensions the server lists'
        $text | Should -Match '250-mail\.test'
    }
}

Describe 'Interception in every network cmdlet' {
    BeforeAll {
        $Inspected = Start-TlsTestServer -Scenario Interception
        $Good = Start-TlsTestServer -Scenario Good
        $Tls13 = Start-TlsTestServer -Scenario Tls13Only
        $GoodLeaf = $Good | Test-TlsHandshake -TimeoutSec 5
    }
    AfterAll { $Inspected, $Good, $Tls13 | Stop-TlsTestServer }

    It '<Cmdlet>: a chain issued by an inspection CA is InterceptionSuspected on every row, with a warning' -ForEach $Scanners {
        $s = Invoke-Scan $Cmdlet @{ ComputerName = $Inspected.ComputerName; Port = $Inspected.Port; ServerName = $Inspected.ServerName; TimeoutSec = 5 }
        $s.Rows.InterceptionSuspected | Sort-Object -Unique | Should -BeTrue
        $s.First.InterceptionEvidence | Should -Match "^The chain contains 'CN=TlsTools Inspection CA [^']+', which names Generic TLS inspection"
        $s.First.FailureCategory | Should -Be ([TlsTools.FailureCategory]::None) -Because 'the server was scanned; interception is a finding, not a failure to scan'
        $s.Warnings -join "`n" | Should -Match 'interception suspected'
        $s.First.Connections | Should -Be (Invoke-Scan $Cmdlet @{ ComputerName = $Good.ComputerName; Port = $Good.Port; ServerName = $Good.ServerName; TimeoutSec = 5 }).First.Connections -Because 'the chain came from a probe in plaintext: no extra connection'
    }
    It 'Compare-TlsResult: a scan re-signed on one side only is an Interception row (live and through CSV)' {
        $clean = Get-TlsProtocolSupport $Good.ComputerName -Port $Good.Port -ServerName $Good.ServerName -TimeoutSec 5
        $inspected = Get-TlsProtocolSupport $Inspected.ComputerName -Port $Inspected.Port -ServerName $Inspected.ServerName -TimeoutSec 5 -WarningAction SilentlyContinue
        foreach ($row in $inspected) { $row.Port = $Good.Port }
        $csv = Join-Path $TestDrive 'inside.csv'
        $inspected | Export-Csv -NoTypeInformation $csv
        foreach ($difference in @($inspected), @(Import-Csv $csv)) {
            $row = @(Compare-TlsResult $clean $difference) | Where-Object Aspect -EQ 'Interception'
            $row.ReferenceValue | Should -Be 'False'
            $row.DifferenceValue | Should -Be 'True'
        }
    }
    It 'Get-CertificateChain: the inspection CA is the InterceptionSuspected problem, and the chain is not valid' {
        $s = Invoke-Scan Get-CertificateChain @{ ComputerName = $Inspected.ComputerName; Port = $Inspected.Port; ServerName = $Inspected.ServerName; TimeoutSec = 5 }
        $leaf = $s.Rows | Where-Object Position -EQ 0
        $leaf.ProblemList | Should -Contain ([TlsTools.ChainProblem]::InterceptionSuspected)
        $leaf.ProblemDetails | Should -Match 'names Generic TLS inspection, a TLS inspection product'
        $leaf.ChainValid | Should -BeFalse
        $s.Warnings -join "`n" | Should -Match 'interception suspected'
    }
    It '<Cmdlet>: the expected thumbprint passes, another one is InterceptionSuspected naming both' -ForEach $Scanners {
        $thumb = $GoodLeaf.CertificateThumbprint
        $ok = Invoke-Scan $Cmdlet @{ ComputerName = $Good.ComputerName; Port = $Good.Port; ServerName = $Good.ServerName; TimeoutSec = 5; ExpectedThumbprint = $thumb.ToLowerInvariant() }
        $ok.First.InterceptionSuspected | Should -BeFalse
        $expected = 'AB' * 20
        $bad = Invoke-Scan $Cmdlet @{ ComputerName = $Good.ComputerName; Port = $Good.Port; ServerName = $Good.ServerName; TimeoutSec = 5; ExpectedThumbprint = $expected }
        $bad.First.InterceptionSuspected | Should -BeTrue
        $bad.First.InterceptionEvidence | Should -Match "thumbprint $thumb\), not the expected certificate $expected"
    }
    It '<Cmdlet>: a TLS 1.3-only server (chain encrypted in every probe) is checked with one extra handshake' -ForEach $Scanners {
        $plain = Invoke-Scan $Cmdlet @{ ComputerName = $Tls13.ComputerName; Port = $Tls13.Port; ServerName = $Tls13.ServerName; TimeoutSec = 5; Protocol = 'Tls12', 'Tls13' }
        $plain.First.InterceptionSuspected | Should -BeFalse
        $s = Invoke-Scan $Cmdlet @{ ComputerName = $Tls13.ComputerName; Port = $Tls13.Port; ServerName = $Tls13.ServerName; TimeoutSec = 5; Protocol = 'Tls12', 'Tls13'; ExpectedThumbprint = 'CD' * 32 }
        $s.First.InterceptionSuspected | Should -BeTrue
        $s.First.InterceptionEvidence | Should -Match 'CN=tls13only\.tlstools\.test'
        $s.First.Connections | Should -Be $plain.First.Connections
    }
    It 'Get-CertificateChain: -ExpectedThumbprint, by SHA-256 as its Thumbprint column prints it' {
        $rows = Get-CertificateChain $Good.ComputerName -Port $Good.Port -ServerName $Good.ServerName -TrustedRootPath $Good.TrustedRootPath -TimeoutSec 5
        $leaf = $rows | Where-Object Position -EQ 0
        $ok = Get-CertificateChain $Good.ComputerName -Port $Good.Port -ServerName $Good.ServerName -TrustedRootPath $Good.TrustedRootPath -TimeoutSec 5 -ExpectedThumbprint $leaf.Thumbprint
        ($ok | Where-Object Position -EQ 0).ChainValid | Should -BeTrue
        $bad = Get-CertificateChain $Good.ComputerName -Port $Good.Port -ServerName $Good.ServerName -TrustedRootPath $Good.TrustedRootPath -TimeoutSec 5 -ExpectedThumbprint ('EF' * 32) -WarningAction SilentlyContinue
        $badLeaf = $bad | Where-Object Position -EQ 0
        $badLeaf.Problems | Should -Match 'InterceptionSuspected'
        $badLeaf.ChainValid | Should -BeFalse
    }
    It 'Get-CertificateChain -Path: a file whose leaf is not the expected certificate' {
        $rows = Get-CertificateChain $Good.ComputerName -Port $Good.Port -ServerName $Good.ServerName -TrustedRootPath $Good.TrustedRootPath -TimeoutSec 5
        $file = Join-Path $TestDrive 'good.pem'
        $rows | Export-CertificateChain -Path $file
        $fromFile = Get-CertificateChain -Path $file -TrustedRootPath $Good.TrustedRootPath -ExpectedThumbprint ('01' * 20) -WarningAction SilentlyContinue
        ($fromFile | Where-Object Position -EQ 0).ProblemList | Should -Contain ([TlsTools.ChainProblem]::InterceptionSuspected)
    }
    It '<Cmdlet>: a malformed thumbprint is a non-terminating InvalidThumbprint error and the pipeline goes on' -ForEach ($Scanners + @(@{ Cmdlet = 'Get-CertificateChain' })) {
        $rows = @(
            [pscustomobject]@{ ComputerName = $Good.ComputerName; Port = $Good.Port; ServerName = $Good.ServerName; TrustedRootPath = $Good.TrustedRootPath; Thumbprint = 'not-a-thumbprint' }
            [pscustomobject]@{ ComputerName = $Good.ComputerName; Port = $Good.Port; ServerName = $Good.ServerName; TrustedRootPath = $Good.TrustedRootPath; Thumbprint = $GoodLeaf.CertificateThumbprint }
        )
        $errors = $null
        $out = $rows | & $Cmdlet -TimeoutSec 5 -ErrorVariable errors -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -Match '^InvalidThumbprint'
        $errors[0].Exception.Message | Should -Match "'not-a-thumbprint' is not a certificate thumbprint"
        @($out).Count | Should -BeGreaterThan 0 -Because 'the second row was still scanned'
    }
}

Describe '-CompareServerName in every network cmdlet' {
    BeforeAll {
        $Required = Start-TlsTestServer -Scenario SniRequired
        $Mismatch = Start-TlsTestServer -Scenario SniMismatch
        $Good = Start-TlsTestServer -Scenario Good
        $Root = $Good.TrustedRootPath
    }
    AfterAll { $Required, $Mismatch, $Good | Stop-TlsTestServer }

    It '<Cmdlet>: <Scenario> is <Behavior> on every row' -ForEach @(
        @{ Cmdlet = 'Get-TlsProtocolSupport'; Scenario = 'SniRequired'; Name = 'snirequired.tlstools.test'; Behavior = 'Required' }
        @{ Cmdlet = 'Get-CipherSupport'; Scenario = 'SniRequired'; Name = 'snirequired.tlstools.test'; Behavior = 'Required' }
        @{ Cmdlet = 'Get-TlsProtocolSupport'; Scenario = 'SniMismatch'; Name = 'snimismatch.tlstools.test'; Behavior = 'DefaultCertificateDiffers' }
        @{ Cmdlet = 'Get-CipherSupport'; Scenario = 'Good'; Name = 'good.tlstools.test'; Behavior = 'Ignored' }
    ) {
        $server = @{ SniRequired = $Required; SniMismatch = $Mismatch; Good = $Good }[$Scenario]
        $plain = Invoke-Scan $Cmdlet @{ ComputerName = $server.ComputerName; Port = $server.Port; ServerName = $Name; TimeoutSec = 5; Protocol = 'Tls12', 'Tls13' }
        $plain.First.ServerNameBehavior | Should -Be ([TlsTools.ServerNameBehavior]::NotCompared)
        $s = Invoke-Scan $Cmdlet @{ ComputerName = $server.ComputerName; Port = $server.Port; ServerName = $Name; TimeoutSec = 5; Protocol = 'Tls12', 'Tls13'; CompareServerName = $true }
        $s.Rows.ServerNameBehavior | Sort-Object -Unique | Should -Be ([TlsTools.ServerNameBehavior]$Behavior)
        $s.First.ServerNameComparison | Should -Match "^With SNI '$([regex]::Escape($Name))'"
        $s.First.Connections | Should -Be ($plain.First.Connections + 3) -Because 'the three SNI handshakes are counted'
    }
    It 'Get-TlsProtocolSupport: without SNI a server that requires it refuses every version, and the comparison says why' {
        $s = Invoke-Scan Get-TlsProtocolSupport @{ ComputerName = $Required.ComputerName; Port = $Required.Port; ServerName = 'snirequired.tlstools.test'; NoServerName = $true; TimeoutSec = 5; Protocol = 'Tls12', 'Tls13'; CompareServerName = $true }
        $s.Rows.Supported | Sort-Object -Unique | Should -BeFalse
        $s.Rows.Reason | Sort-Object -Unique | Should -Match 'unrecognized_name \(112\)'
        $s.First.FailureCategory | Should -Be ([TlsTools.FailureCategory]::None) -Because 'the server refused in its own words (alerts): nothing on the path to diagnose'
        $s.First.ServerNameBehavior | Should -Be ([TlsTools.ServerNameBehavior]::Required)
        $s.First.Connections | Should -Be 5 -Because 'two probes and the three SNI handshakes, no diagnosis handshake'
    }
    It 'Get-CertificateChain: the default certificate served for lack of SNI is SniRouting, not NameMismatch' {
        $plain = Get-CertificateChain $Mismatch.ComputerName -Port $Mismatch.Port -ServerName snimismatch.tlstools.test -NoServerName -TrustedRootPath $Root -TimeoutSec 5
        ($plain | Where-Object Position -EQ 0).ProblemList | Should -Contain ([TlsTools.ChainProblem]::NameMismatch)
        $rows = Get-CertificateChain $Mismatch.ComputerName -Port $Mismatch.Port -ServerName snimismatch.tlstools.test -NoServerName -TrustedRootPath $Root -TimeoutSec 5 -CompareServerName
        $leaf = $rows | Where-Object Position -EQ 0
        $leaf.Subject | Should -Match 'CN=default\.tlstools\.test'
        $leaf.ProblemList | Should -Contain ([TlsTools.ChainProblem]::SniRouting)
        $leaf.ProblemList | Should -Not -Contain ([TlsTools.ChainProblem]::NameMismatch)
        $leaf.ProblemDetails | Should -Match '^No SNI was sent, so the server presented its default certificate'
        $leaf.ChainValid | Should -BeFalse
        $rows.ServerNameBehavior | Sort-Object -Unique | Should -Be ([TlsTools.ServerNameBehavior]::DefaultCertificateDiffers)
    }
    It 'Get-CertificateChain: no chain without SNI from a server that requires it; the error carries the comparison' {
        $errors = $null
        $rows = Get-CertificateChain $Required.ComputerName -Port $Required.Port -ServerName snirequired.tlstools.test -NoServerName -TimeoutSec 5 -CompareServerName -ErrorVariable errors -ErrorAction SilentlyContinue
        $rows | Should -BeNullOrEmpty
        $errors.Count | Should -Be 1
        $errors[0].Exception.Message | Should -Match 'no certificate chain \(UnrecognizedName\)'
        $errors[0].Exception.Message | Should -Match 'So the server requires SNI\.$'
    }
    It 'Get-CertificateChain: a server that ignores SNI keeps a plain NameMismatch for a name it does not have' {
        $rows = Get-CertificateChain $Good.ComputerName -Port $Good.Port -ServerName other.tlstools.test -TrustedRootPath $Root -TimeoutSec 5 -CompareServerName
        $leaf = $rows | Where-Object Position -EQ 0
        $leaf.ServerNameBehavior | Should -Be ([TlsTools.ServerNameBehavior]::Ignored)
        $leaf.ProblemList | Should -Contain ([TlsTools.ChainProblem]::NameMismatch)
    }
    It 'Get-CertificateChain: -CompareServerName belongs to the network parameter set only' {
        { Get-CertificateChain -Path (Join-Path $TestDrive 'none.pem') -CompareServerName -ErrorAction Stop } | Should -Throw -ErrorId 'AmbiguousParameterSet,TlsTools.Commands.GetCertificateChainCommand'
    }
}
