<#
    Help, views and the help compiler.

    Runs against the built module ($env:TLSTOOLS_MODULE_PATH, set by tests/Invoke-PesterRun.ps1):
      - every cmdlet in the manifest has a docs/en-US page, and Get-Help -Full shows its synopsis, every
        parameter's description and every example; every example parses;
      - the documented parameters, parameter sets and parameter metadata equal the cmdlet's real ones, so a
        parameter added without docs fails;
      - Get-Help about_TlsTools works and names every FailureCategory;
      - the default views show exactly the agreed columns, fit 120 columns, and the list view shows every
        scalar property;
      - the help compiler rejects malformed markdown with the file and line.
#>

BeforeDiscovery {
    $script:RepoRoot = Split-Path -Parent $PSScriptRoot
    # Driven by the manifest, not by what happens to load: a cmdlet that is declared but missing fails.
    $script:Cmdlets = @((Import-PowerShellDataFile (Join-Path $RepoRoot 'TlsTools.psd1')).CmdletsToExport)
}

BeforeAll {
    $RepoRoot = Split-Path -Parent $PSScriptRoot
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers/TestHelpers.psm1') -Force
    $ModulePath = Import-TlsToolsModule
    $DocsPath = Join-Path $RepoRoot 'docs/en-US'

    $CommonParameters = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters

    function Get-MarkdownSection([string] $Markdown, [string] $Heading) {
        # The text of '## Heading' up to the next '## ' heading.
        $m = [regex]::Match($Markdown, '(?ms)^## ' + [regex]::Escape($Heading) + '\s*$(.*?)(?=^## |\z)')
        if (-not $m.Success) { throw "no '## $Heading' section" }
        $m.Groups[1].Value
    }

    function ConvertTo-OneLine([string] $Text) {
        # Markdown or help text -> single-spaced plain words, to compare what the reader sees.
        $t = $Text -replace '\[([^\]]+)\]\([^)]*\)', '$1' -replace '\*\*|`', ''
        ($t -replace '\s+', ' ').Trim()
    }
}

Describe 'The module' {
    It 'exports exactly the cmdlets of the manifest' {
        $manifest = Import-PowerShellDataFile (Join-Path $RepoRoot 'TlsTools.psd1')
        @((Get-Module TlsTools).ExportedCmdlets.Keys | Sort-Object) | Should -Be @($manifest.CmdletsToExport | Sort-Object)
    }

    It 'has a help page for every exported cmdlet and no page without a cmdlet' {
        $pages = @(Get-ChildItem $DocsPath -Filter *.md | Where-Object Name -NotLike 'about_*' | ForEach-Object BaseName | Sort-Object)
        $pages | Should -Be @((Get-Module TlsTools).ExportedCmdlets.Keys | Sort-Object)
    }
}

Describe 'Help for <_>' -ForEach $Cmdlets {
    BeforeAll {
        $Name = $_
        $Command = Get-Command -Name $Name -Module TlsTools -CommandType Cmdlet -ErrorAction Stop
        $Help = Get-Help -Name $Name -Full
        $FullText = ConvertTo-OneLine ($Help | Out-String -Width 4096)   # wide: wrapping at a hyphen would split words the text keeps whole
        $Markdown = Get-Content -Raw -LiteralPath (Join-Path $DocsPath "$Name.md")
        $RealParameters = @($Command.Parameters.Values | Where-Object Name -NotIn $CommonParameters)
        $HelpParameters = @($Help.parameters.parameter)
    }

    It 'comes from the compiled help, not a generated stub' {
        $Help.description | Should -Not -BeNullOrEmpty
        @($Help.examples.example).Count | Should -BeGreaterThan 0
    }

    It 'shows the synopsis of the page' {
        $synopsis = ConvertTo-OneLine (Get-MarkdownSection $Markdown 'SYNOPSIS')
        $synopsis | Should -Not -BeNullOrEmpty
        ConvertTo-OneLine $Help.Synopsis | Should -BeExactly $synopsis
        $FullText | Should -MatchExactly ([regex]::Escape($synopsis))
    }

    It 'documents exactly the real parameters' {
        @($HelpParameters.name | Sort-Object) | Should -Be @($RealParameters.Name | Sort-Object)
    }

    It 'shows a description for every parameter' {
        $missing = foreach ($p in $RealParameters) {
            $doc = $HelpParameters | Where-Object name -EQ $p.Name
            $text = ConvertTo-OneLine (@($doc.description.Text) -join ' ')
            if (-not $text -or $text -match '\{\{' -or -not $FullText.Contains("-$($p.Name) ") -or -not $FullText.Contains($text)) { $p.Name }
        }
        $missing | Should -BeNullOrEmpty -Because 'each parameter needs a real description that Get-Help -Full shows'
    }

    It 'documents each parameter''s type, position, pipeline input and aliases as the cmdlet declares them' {
        $differences = foreach ($p in $RealParameters) {
            $doc = $HelpParameters | Where-Object name -EQ $p.Name
            if (-not $doc) { continue }
            $sets = @($p.ParameterSets.Values)
            $position = @($sets | Where-Object Position -GE 0 | ForEach-Object Position | Select-Object -First 1)
            $expected = [ordered]@{
                type          = $p.ParameterType.FullName
                required      = ($sets.IsMandatory -contains $true).ToString().ToLowerInvariant()
                position      = if ($position.Count) { "$($position[0])" } else { 'named' }
                pipelineInput = $(
                    $kinds = @(if ($sets.ValueFromPipeline -contains $true) { 'ByValue' }; if ($sets.ValueFromPipelineByPropertyName -contains $true) { 'ByPropertyName' })
                    if ($kinds) { "True ($($kinds -join ', '))" } else { 'False' })
                aliases       = if ($p.Aliases.Count) { ($p.Aliases | Sort-Object) -join ', ' } else { 'none' }
            }
            $actual = [ordered]@{
                type          = $doc.type.name
                required      = "$($doc.required)".ToLowerInvariant()
                position      = "$($doc.position)".ToLowerInvariant()
                pipelineInput = "$($doc.pipelineInput)"
                aliases       = if ($doc.aliases -and $doc.aliases -ne 'none') { ($doc.aliases -split ',\s*' | Sort-Object) -join ', ' } else { 'none' }
            }
            foreach ($key in $expected.Keys) {
                if ($expected[$key] -ne $actual[$key]) { "-$($p.Name) ${key}: documented '$($actual[$key])', cmdlet '$($expected[$key])'" }
            }
        }
        $differences | Should -BeNullOrEmpty
    }

    It 'lists the accepted values of ValidateSet and enum parameters' {
        $differences = foreach ($p in $RealParameters) {
            $validateSet = $p.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] } | Select-Object -First 1
            $elementType = if ($p.ParameterType.IsArray) { $p.ParameterType.GetElementType() } else { $p.ParameterType }
            $syntaxParameter = @($Help.syntax.syntaxItem.parameter | Where-Object name -EQ $p.Name)[0]
            $documented = @($syntaxParameter.parameterValueGroup.parameterValue | ForEach-Object { "$_" } | Sort-Object)
            if ($validateSet) {
                if ((@($validateSet.ValidValues | Sort-Object) -join ',') -ne ($documented -join ',')) {
                    "-$($p.Name): documented {$($documented -join ', ')}, ValidateSet {$($validateSet.ValidValues -join ', ')}"
                }
            } elseif ($elementType.IsEnum) {
                $names = [enum]::GetNames($elementType)
                if (-not $documented) { "-$($p.Name): no AcceptedValues for enum $($elementType.Name)" }
                $documented | Where-Object { $_ -notin $names } | ForEach-Object { "-$($p.Name): '$_' is not a $($elementType.Name) value" }
            }
        }
        $differences | Should -BeNullOrEmpty
    }

    It 'has SYNTAX that matches the real parameter sets' {
        $real = @($Command.ParameterSets | ForEach-Object {
                (@($_.Parameters.Name | Where-Object { $_ -notin $CommonParameters } | Sort-Object) -join ' ')
            } | Sort-Object)
        $documented = @($Help.syntax.syntaxItem | ForEach-Object { (@($_.parameter.name | Sort-Object) -join ' ') } | Sort-Object)
        $documented | Should -Be $real
    }

    It 'has at least three examples, each shown by Get-Help -Full with its code' {
        $pageExamples = [regex]::Matches((Get-MarkdownSection $Markdown 'EXAMPLES'), '(?m)^### (.+?)\s*$') | ForEach-Object { $_.Groups[1].Value }
        @($pageExamples).Count | Should -BeGreaterOrEqual 3
        @($Help.examples.example).Count | Should -Be @($pageExamples).Count
        foreach ($title in $pageExamples) { $FullText | Should -MatchExactly ([regex]::Escape((ConvertTo-OneLine $title))) }
        foreach ($example in $Help.examples.example) {
            $FullText | Should -MatchExactly ([regex]::Escape((ConvertTo-OneLine $example.code)))
        }
    }

    It 'has an example that pipes into Export-Csv and an example from a scheduled script' {
        # Issue 7: every page shows how to save results to CSV and how to run the cmdlet unattended (a
        # scheduled or nightly job that alerts), not only interactive one-liners.
        $examples = @($Help.examples.example)
        $csv = @($examples | Where-Object { $_.code -match '\|\s*Export-Csv\b' })
        $csv.Count | Should -BeGreaterThan 0 -Because "$Name.md needs an example whose code pipes into Export-Csv"
        $scheduled = @($examples | Where-Object { "$($_.title) $(@($_.remarks.Text) -join ' ')" -match '\b(scheduled|nightly)\b' })
        $scheduled.Count | Should -BeGreaterThan 0 -Because "$Name.md needs an example whose title or text says it runs as a scheduled (nightly) script"
    }

    It 'has examples whose code parses' {
        $failures = foreach ($example in $Help.examples.example) {
            $tokens = $errors = $null
            [void] [System.Management.Automation.Language.Parser]::ParseInput($example.code, [ref] $tokens, [ref] $errors)
            foreach ($e in $errors) { "$($example.title.Trim(' -')): line $($e.Extent.StartLineNumber): $($e.Message)" }
        }
        $failures | Should -BeNullOrEmpty
    }

    It 'has examples that call the cmdlet with real parameters' {
        $unknown = foreach ($example in $Help.examples.example) {
            $ast = [System.Management.Automation.Language.Parser]::ParseInput($example.code, [ref] $null, [ref] $null)
            $calls = $ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.CommandAst] -and $n.GetCommandName() -eq $Name }, $true)
            foreach ($call in $calls) {
                foreach ($element in $call.CommandElements | Where-Object { $_ -is [System.Management.Automation.Language.CommandParameterAst] }) {
                    $known = $Command.Parameters.Keys + @($Command.Parameters.Values.Aliases)
                    if (-not ($known | Where-Object { $_ -like "$($element.ParameterName)*" })) { "-$($element.ParameterName) in '$($example.title.Trim(' -'))'" }
                }
            }
        }
        $unknown | Should -BeNullOrEmpty
    }
}

Describe 'about_TlsTools' {
    BeforeAll {
        $AboutText = Get-Help -Name about_TlsTools | Out-String
    }

    It 'is found by Get-Help after Import-Module' {
        $AboutText | Should -Match 'about_TlsTools'
        $AboutText | Should -Match 'SHORT DESCRIPTION'
        $AboutText | Should -Match 'LONG DESCRIPTION'
    }

    It 'explains every FailureCategory' {
        $missing = [enum]::GetNames([TlsTools.FailureCategory]) | Where-Object { $_ -ne 'None' -and $AboutText -cnotmatch "\b$_\b" }
        $missing | Should -BeNullOrEmpty
    }

    It 'describes both engines and where the platform policy is set' {
        $AboutText | Should -Match 'BouncyCastle'
        $AboutText | Should -Match 'MinProtocol'
        $AboutText | Should -Match 'SCHANNEL'
    }
}

Describe 'Views of <Type>' -ForEach @(
    @{ Type = 'TlsTools.HandshakeResult'; Columns = @('ComputerName', 'Port', 'Succeeded', 'Protocol', 'CipherSuite', 'DaysUntilExpiry', 'FailureCategory') }
    @{ Type = 'TlsTools.TranscriptEntry'; Columns = @('OffsetMs', 'Direction', 'Message', 'Summary') }
    @{ Type = 'TlsTools.CapturedHandshake'; Columns = @('Time', 'ClientAddress', 'ServerAddress', 'ServerPort', 'ServerName', 'ServerVersion', 'Outcome', 'FailureCategory') }
    @{ Type = 'TlsTools.TlsErrorExplanation'; Columns = @('Source', 'Category', 'MatchedText', 'Remedy') }
    @{ Type = 'TlsTools.TestServer'; Columns = @('Scenario', 'ComputerName', 'Port', 'ServerName', 'ExpectedFailure') }
    @{ Type = 'TlsTools.TestServerScenario'; Columns = @('Scenario', 'ExpectedFailure', 'ExpectedRule', 'Description') }
    @{ Type = 'TlsTools.ChainCertificate'; Columns = @('Position', 'SentPosition', 'Role', 'Source', 'Subject', 'DaysUntilExpiry', 'Problems') }
    @{ Type = 'TlsTools.ProtocolSupportResult'; Columns = @('ComputerName', 'Port', 'Protocol', 'Supported', 'Rating', 'CipherSuite', 'Reason') }
    @{ Type = 'TlsTools.CipherSupportResult'; Columns = @('PreferenceOrder', 'CipherSuite', 'Code', 'Bits', 'KeyExchangeGroup', 'SuiteOrder', 'Rating') }
    @{ Type = 'TlsTools.ServerAssessment'; Columns = @('ComputerName', 'Port', 'Grade', 'Intermediate', 'Modern', 'FindingCount', 'TopFindings') }
    @{ Type = 'TlsTools.AssessmentFinding'; Columns = @('Severity', 'Id', 'Title') }
    @{ Type = 'TlsTools.ProfileDeviation'; Columns = @('Profile', 'Aspect', 'Expected', 'Actual') }
    @{ Type = 'TlsTools.ServerCheckResult'; Columns = @('Name', 'Verdict', 'Evidence') }
    @{ Type = 'TlsTools.GradeCap'; Columns = @('Cap', 'Rule', 'Reason') }
) {
    BeforeAll {
        $FormatData = Get-FormatData -TypeName $Type -PowerShellVersion $PSVersionTable.PSVersion
        $Views = @($FormatData.FormatViewDefinition)
        $Table = @($Views | Where-Object { $_.Control -is [System.Management.Automation.TableControl] })[0]
    }

    It 'has a default table view whose first view is the table' {
        $Views.Count | Should -BeGreaterThan 0
        $Views[0].Control | Should -BeOfType [System.Management.Automation.TableControl]
    }

    It 'shows exactly the agreed columns, in order' {
        @($Table.Control.Rows[0].Columns.DisplayEntry | ForEach-Object Value) | Should -Be $Columns
        @($Table.Control.Rows[0].Columns.DisplayEntry | ForEach-Object ValueType | Sort-Object -Unique) | Should -Be 'Property'
    }

    It 'fits a 120-column console' {
        $widths = @($Table.Control.Headers | ForEach-Object Width)
        # A column without a width (0) takes what is left; it needs at least its header.
        $fixed = ($widths | Measure-Object -Sum).Sum + ($widths.Count - 1)
        $fixed | Should -BeLessOrEqual 120
    }

    It 'names only real properties' {
        $type = [type] $Type
        $names = foreach ($view in $Views) {
            $entries = if ($view.Control -is [System.Management.Automation.TableControl]) { $view.Control.Rows.Columns.DisplayEntry } else { $view.Control.Entries.Items.DisplayEntry }
            $entries | Where-Object ValueType -EQ 'Property' | ForEach-Object Value
        }
        $unknown = $names | Where-Object { -not $type.GetProperty($_) }
        $unknown | Should -BeNullOrEmpty
    }
}

Describe 'Every output type has a view' {
    It 'has a table view for what each exported cmdlet declares in [OutputType]' {
        # A new cmdlet or result type without a view fails here, before users see a wall of properties.
        $types = foreach ($name in $Cmdlets) {
            (Get-Command $name).OutputType.Type | Where-Object { $_ -and $_.Namespace -like 'TlsTools*' }
        }
        @($types | Sort-Object FullName -Unique).Count | Should -BeGreaterOrEqual 7 -Because 'every exported cmdlet declares its output type'
        $missing = $types | Sort-Object FullName -Unique | Where-Object {
            -not (Get-FormatData -TypeName $_.FullName -PowerShellVersion $PSVersionTable.PSVersion)
        } | ForEach-Object FullName
        $missing | Should -BeNullOrEmpty
    }
}

Describe 'Rendering a HandshakeResult' {
    BeforeAll {
        $Result = [TlsTools.HandshakeResult]::new()
        $Result.ComputerName = 'a-rather-long-host-name.intranet.example.org'
        $Result.Port = 8443
        $Result.Succeeded = $false
        $Result.HandshakeCompleted = $true
        $Result.Protocol = [TlsTools.TlsProtocol]::Tls12
        $Result.CipherSuite = 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256'
        $Result.DaysUntilExpiry = -3
        $Result.FailureCategory = [TlsTools.FailureCategory]::ClientCertificateRequired
        $Result.FailureReason = 'The server sent CertificateRequest and ended with a certificate_required alert.'
        $Result.Remedy = 'Present a client certificate.'
        $Result.Alert = 'received fatal certificate_required (116)'
    }

    It 'shows the table columns by default, within 120 columns' {
        $lines = @(($Result | Out-String -Width 120) -split '\r?\n' | Where-Object { $_.Trim() })
        $lines[0].Trim() -split '\s+' | Should -Be @('ComputerName', 'Port', 'Succeeded', 'Protocol', 'CipherSuite', 'Days', 'FailureCategory')
        $lines[2] | Should -Match 'ClientCertificateRequired\s*$'
        $lines[2] | Should -Match '\b8443\b.*\bTls12\b.*\s-3\s'
        ($lines | Measure-Object -Property Length -Maximum).Maximum | Should -BeLessOrEqual 120
    }

    It 'shows every scalar property in the list view' {
        $scalar = [TlsTools.HandshakeResult].GetProperties() | Where-Object {
            $t = if ([Nullable]::GetUnderlyingType($_.PropertyType)) { [Nullable]::GetUnderlyingType($_.PropertyType) } else { $_.PropertyType }
            $t.IsPrimitive -or $t.IsEnum -or $t -in [string], [datetime], [decimal], [timespan]
        } | ForEach-Object Name
        $list = @((Get-FormatData -TypeName TlsTools.HandshakeResult -PowerShellVersion $PSVersionTable.PSVersion).FormatViewDefinition |
                Where-Object { $_.Control -is [System.Management.Automation.ListControl] })[0]
        $listed = $list.Control.Entries.Items.DisplayEntry | ForEach-Object Value
        $scalar | Where-Object { $_ -notin $listed } | Should -BeNullOrEmpty
    }

    It 'shows the reason, remedy and alert in the list view' {
        $text = $Result | Format-List | Out-String -Width 200
        $text | Should -Match 'FailureReason\s*: The server sent CertificateRequest'
        $text | Should -Match 'Remedy\s*: Present a client certificate\.'
        $text | Should -Match 'Alert\s*: received fatal certificate_required \(116\)'
        $text | Should -Not -Match 'PlatformFailureReason' -Because 'the Platform* fields show only with -Engine Both'
    }

    It 'sorts by endpoint without -Property' {
        $b = [TlsTools.HandshakeResult]::new(); $b.ComputerName = 'b.example'; $b.Port = 443
        $a = [TlsTools.HandshakeResult]::new(); $a.ComputerName = 'a.example'; $a.Port = 443
        @($b, $a | Sort-Object).ComputerName | Should -Be @('a.example', 'b.example')
    }

    It 'shows a transcript as a table' {
        $entry = [TlsTools.TranscriptEntry]::new([timespan]::FromMilliseconds(12.34), [TlsTools.TranscriptDirection]::Sent, 'ClientHello', 'TLS 1.2-1.3, 17 suites, SNI a.example')
        $lines = @(($entry | Out-String -Width 120) -split '\r?\n' | Where-Object { $_.Trim() })
        $lines[0].Trim() -split '\s+' | Should -Be @('OffsetMs', 'Direction', 'Message', 'Summary')
        $lines[2] | Should -Match '^\s*12\.3\s+Sent\s+ClientHello\s+TLS 1\.2-1\.3, 17 suites, SNI a\.example'
    }
}

Describe 'Help compiler' {
    BeforeAll {
        Import-Module (Join-Path $RepoRoot 'src/Build/HelpCompiler.psm1') -Force
        $ValidPage = @'
---
document type: cmdlet
external help file: Demo.dll-Help.xml
HelpUri: ''
Locale: en-US
Module Name: Demo
ms.date: 05/14/2025
PlatyPS schema version: 2024-05-01
title: Get-Demo
---

# Get-Demo

## SYNOPSIS

Gets a demo.

## SYNTAX

### __AllParameterSets

```
Get-Demo [-Name] <string> [<CommonParameters>]
```

## ALIASES

## DESCRIPTION

Gets a **demo** by `name`.

## EXAMPLES

### Example 1: One demo

```powershell
Get-Demo -Name x
```

Gets x.

## PARAMETERS

### -Name

The name.

```yaml
Type: System.String
DefaultValue: ''
SupportsWildcards: true
Aliases:
- N
ParameterSets:
- Name: (All)
  Position: 0
  IsRequired: true
  ValueFromPipeline: true
  ValueFromPipelineByPropertyName: false
  ValueFromRemainingArguments: false
DontShow: false
AcceptedValues: []
HelpMessage: ''
```

### CommonParameters

This cmdlet supports the common parameters.

## INPUTS

### System.String

A name.

## OUTPUTS

### System.Object

A demo.

## NOTES

None.

## RELATED LINKS

- [Online](https://example.org/get-demo)
'@

        function Invoke-Compiler([string] $Page, [string] $FileName = 'Get-Demo.md') {
            $docs = Join-Path $TestDrive ([guid]::NewGuid())
            New-Item -ItemType Directory -Path $docs | Out-Null
            Set-Content -LiteralPath (Join-Path $docs $FileName) -Value $Page -NoNewline
            Build-TlsToolsHelp -DocsPath $docs -OutputPath (Join-Path $docs 'out') -PassThru
        }
        function Get-LineOf([string] $Page, [string] $Text) {
            $lines = $Page -split '\r?\n'
            for ($i = 0; $i -lt $lines.Count; $i++) { if ($lines[$i] -eq $Text) { return $i + 1 } }
            throw "'$Text' not in page"
        }
    }

    It 'writes the MAML structure New-ExternalHelp writes' {
        $file = Invoke-Compiler $ValidPage
        $file.Name | Should -Be 'Demo.dll-Help.xml'
        [xml] $xml = Get-Content -Raw $file.FullName
        $ns = [System.Xml.XmlNamespaceManager]::new($xml.NameTable)
        $ns.AddNamespace('h', 'http://msh')
        $ns.AddNamespace('command', 'http://schemas.microsoft.com/maml/dev/command/2004/10')
        $ns.AddNamespace('maml', 'http://schemas.microsoft.com/maml/2004/10')
        $ns.AddNamespace('dev', 'http://schemas.microsoft.com/maml/dev/2004/10')
        $cmd = $xml.SelectSingleNode('/h:helpItems[@schema="maml"]/command:command', $ns)
        $cmd.SelectSingleNode('command:details/command:name', $ns).InnerText | Should -Be 'Get-Demo'
        $cmd.SelectSingleNode('command:details/command:verb', $ns).InnerText | Should -Be 'Get'
        $cmd.SelectSingleNode('command:details/command:noun', $ns).InnerText | Should -Be 'Demo'
        $cmd.SelectSingleNode('command:details/maml:description/maml:para', $ns).InnerText | Should -Be 'Gets a demo.'
        $cmd.SelectSingleNode('maml:description/maml:para', $ns).InnerText | Should -Be 'Gets a demo by name.'
        $p = $cmd.SelectSingleNode('command:syntax/command:syntaxItem/command:parameter', $ns)
        $p.GetAttribute('required') | Should -Be 'true'
        $p.GetAttribute('position') | Should -Be '0'
        $p.GetAttribute('globbing') | Should -Be 'true'
        $p.GetAttribute('pipelineInput') | Should -Be 'True (ByValue)'
        $p.GetAttribute('aliases') | Should -Be 'N'
        $cmd.SelectSingleNode('command:parameters/command:parameter/dev:type/maml:name', $ns).InnerText | Should -Be 'System.String'
        $cmd.SelectSingleNode('command:inputTypes/command:inputType/dev:type/maml:name', $ns).InnerText | Should -Be 'System.String'
        $cmd.SelectSingleNode('command:returnValues/command:returnValue/dev:type/maml:name', $ns).InnerText | Should -Be 'System.Object'
        $cmd.SelectSingleNode('maml:alertSet/maml:alert/maml:para', $ns).InnerText | Should -Be 'None.'
        $cmd.SelectSingleNode('command:examples/command:example/dev:code', $ns).InnerText | Should -Be 'Get-Demo -Name x'
        $cmd.SelectSingleNode('command:examples/command:example/dev:remarks/maml:para', $ns).InnerText | Should -Be 'Gets x.'
        $cmd.SelectSingleNode('maml:relatedLinks/maml:navigationLink/maml:uri', $ns).InnerText | Should -Be 'https://example.org/get-demo'
    }

    It 'rejects <Case> naming the file and line' -ForEach @(
        @{ Case = 'an unclosed code fence'; Find = '```yaml'; Cut = "HelpMessage: ''`n``````"; With = "HelpMessage: ''"; Expect = 'is never closed' }
        @{ Case = 'a parameter without a yaml block'; Find = '### -Name'; Cut = '```yaml'; With = '```text'; Expect = 'parameter -Name needs exactly one fenced yaml block' }
        @{ Case = 'an unknown section'; Find = '## OOPS'; Cut = '## NOTES'; With = '## OOPS'; Expect = "unknown section '## OOPS'" }
        @{ Case = 'a misspelt metadata key'; Find = '  IsRequred: true'; Cut = 'IsRequired: true'; With = 'IsRequred: true'; Expect = "unknown parameter-set key 'IsRequred'" }
        @{ Case = 'a syntax that names an undocumented parameter'; Find = 'Get-Demo [-Name] <string> [-Force] [<CommonParameters>]'; Cut = 'Get-Demo [-Name] <string> [<CommonParameters>]'; With = 'Get-Demo [-Name] <string> [-Force] [<CommonParameters>]'; Expect = 'not in this set: Force' }
        @{ Case = 'a non-boolean flag'; Find = 'SupportsWildcards: maybe'; Cut = 'SupportsWildcards: true'; With = 'SupportsWildcards: maybe'; Expect = "SupportsWildcards must be true or false, not 'maybe'" }
    ) {
        $page = $ValidPage.Replace($Cut, $With)
        $page | Should -Not -Be $ValidPage
        # The line the error must name: where the broken construct starts.
        $line = Get-LineOf $page $Find
        { Invoke-Compiler $page } | Should -Throw -ExpectedMessage "*Get-Demo.md:${line}: *$Expect*"
    }

    It 'rejects a page without front matter at line 1' {
        { Invoke-Compiler ($ValidPage -replace '(?s)^---.*?---\r?\n', '') } | Should -Throw -ExpectedMessage '*Get-Demo.md:1: *front matter*'
    }

    It 'writes an about topic whose short description follows its heading' {
        $about = "---`ntitle: about_Demo`n---`n`n# about_Demo`n`n## Short description`n`nDemo things.`n`n## Long description`n`nMore.`n`n### A subtopic`n`n- one`n- two`n`n## See also`n"
        $file = Invoke-Compiler $about 'about_Demo.md'
        $file.Name | Should -Be 'about_Demo.help.txt'
        $lines = Get-Content $file.FullName
        $lines[0..4] | Should -Be @('TOPIC', '    about_Demo', '', 'SHORT DESCRIPTION', '    Demo things.')
        $lines | Should -Contain '    - two'
    }

    It 'rejects an about topic whose title differs from its file name' {
        $about = "---`ntitle: about_Other`n---`n`n# about_Other`n`n## Short description`n`nX.`n`n## Long description`n`nY.`n`n## See also`n"
        { Invoke-Compiler $about 'about_Demo.md' } | Should -Throw -ExpectedMessage "*about_Demo.md:5: title '# about_Other' must be the file name 'about_Demo'*"
    }

    It 'compiles the real docs/en-US pages without error' {
        $out = Join-Path $TestDrive 'real'
        $files = Build-TlsToolsHelp -DocsPath $DocsPath -OutputPath $out -PassThru
        @($files.Name | Sort-Object) | Should -Be @('about_TlsTools.help.txt', 'TlsTools.dll-Help.xml')
    }
}
