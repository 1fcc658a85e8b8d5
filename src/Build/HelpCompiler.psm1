<#
.SYNOPSIS
    A small compiler from platyPS 2.0 markdown (schema 2024-05-01) to PowerShell help.
.DESCRIPTION
    Used by build.ps1 Help when platyPS (Microsoft.PowerShell.PlatyPS) is not installed.

      docs/en-US/<Cmdlet>.md     -> <external help file> (MAML, the structure New-ExternalHelp writes)
      docs/en-US/about_<X>.md    -> about_<X>.help.txt  (plain text, wrapped at 80 columns)

    The reader is strict: anything it does not understand is an error that names the file and the line,
    because a help page that silently loses a section is worse than a failed build.

    Pipeline:  lines -> blocks (headings, paragraphs, lists, fenced code) -> sections -> command model -> XML.
#>

Set-StrictMode -Version Latest

$script:SchemaVersion = '2024-05-01'
$script:Namespaces = @{
    maml    = 'http://schemas.microsoft.com/maml/2004/10'
    command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
    dev     = 'http://schemas.microsoft.com/maml/dev/2004/10'
    MSHelp  = 'http://msdn.microsoft.com/mshelp'
}
$script:CommandSections = @('SYNOPSIS', 'SYNTAX', 'ALIASES', 'DESCRIPTION', 'EXAMPLES', 'PARAMETERS', 'INPUTS', 'OUTPUTS', 'NOTES', 'RELATED LINKS')
$script:OptionalCommandSections = @('ALIASES')
$script:ParameterKeys = @('Type', 'DefaultValue', 'SupportsWildcards', 'ParameterValue', 'Aliases', 'ParameterSets', 'DontShow', 'AcceptedValues', 'HelpMessage')
$script:ParameterSetKeys = @('Name', 'Position', 'IsRequired', 'ValueFromPipeline', 'ValueFromPipelineByPropertyName', 'ValueFromRemainingArguments')
$script:BooleanKeys = @('SupportsWildcards', 'DontShow', 'IsRequired', 'ValueFromPipeline', 'ValueFromPipelineByPropertyName', 'ValueFromRemainingArguments')

#region Errors

function Stop-Markdown {
    # Every reader error goes through here: "<file>:<line>: <what is wrong>".
    param([string] $File, [int] $Line, [string] $Message)
    $exception = [System.IO.InvalidDataException]::new("${File}:${Line}: $Message")
    $record = [System.Management.Automation.ErrorRecord]::new($exception, 'HelpMarkdownInvalid', 'InvalidData', $File)
    throw $record
}

#endregion

#region Markdown: lines -> front matter + blocks

function Read-FrontMatter {
    # The YAML front matter between the first two '---' lines: flat "key: value" pairs.
    param([string] $File, [string[]] $Lines)
    if ($Lines.Count -eq 0 -or $Lines[0].Trim() -ne '---') {
        Stop-Markdown $File 1 "expected YAML front matter starting with '---'."
    }
    $meta = [ordered]@{}
    for ($i = 1; $i -lt $Lines.Count; $i++) {
        $line = $Lines[$i]
        if ($line.Trim() -eq '---') { return [pscustomobject]@{ Metadata = $meta; BodyStart = $i + 1 } }
        if ($line.Trim() -eq '' -or $line.TrimStart().StartsWith('#')) { continue }
        if ($line -notmatch '^([^:\s][^:]*):\s*(.*)$') {
            Stop-Markdown $File ($i + 1) "front matter line is not 'key: value': '$line'."
        }
        $meta[$Matches[1].Trim()] = ConvertFrom-YamlScalar $Matches[2]
    }
    Stop-Markdown $File $Lines.Count "front matter is not closed with '---'."
}

function ConvertFrom-YamlScalar([string] $Text) {
    $t = $Text.Trim()
    if ($t.Length -ge 2 -and $t.StartsWith("'") -and $t.EndsWith("'")) { return $t.Substring(1, $t.Length - 2).Replace("''", "'") }
    if ($t.Length -ge 2 -and $t.StartsWith('"') -and $t.EndsWith('"')) { return $t.Substring(1, $t.Length - 2).Replace('\"', '"') }
    $t
}

function Split-MarkdownBlocks {
    <#
    Turns the body lines into blocks, each with the 1-based line it starts on:
      Heading (Level, Text), Code (Lang, Lines), Para (Lines), List (Items)
    Blank lines end paragraphs and lists; fenced code is kept verbatim.
    #>
    param([string] $File, [string[]] $Lines, [int] $FirstLine)
    $blocks = [System.Collections.Generic.List[object]]::new()
    $current = $null
    $i = $FirstLine
    while ($i -lt $Lines.Count) {
        $line = $Lines[$i]
        $lineNo = $i + 1
        if ($line -match '^(\s*)(`{3,}|~{3,})\s*([^\s`]*)\s*$') {
            $current = $null
            $fence = $Matches[2]
            $lang = $Matches[3]
            $code = [System.Collections.Generic.List[string]]::new()
            $indent = $Matches[1].Length
            $i++
            while ($i -lt $Lines.Count -and $Lines[$i] -notmatch ('^\s*' + [regex]::Escape($fence) + '\s*$')) {
                $code.Add($(if ($Lines[$i].Length -ge $indent -and $Lines[$i].Substring(0, $indent).Trim() -eq '') { $Lines[$i].Substring($indent) } else { $Lines[$i].TrimStart() }))
                $i++
            }
            if ($i -ge $Lines.Count) { Stop-Markdown $File $lineNo "code fence '$fence' is never closed." }
            $blocks.Add([pscustomobject]@{ Kind = 'Code'; Line = $lineNo; Lang = $lang; Lines = $code.ToArray() })
            $i++
            continue
        }
        if ($line -match '^(#{1,6})\s+(.*?)\s*#*\s*$') {
            $current = $null
            $blocks.Add([pscustomobject]@{ Kind = 'Heading'; Line = $lineNo; Level = $Matches[1].Length; Text = $Matches[2] })
        } elseif ($line.Trim() -eq '') {
            $current = $null
        } elseif ($line -match '^\s{0,3}(?:[-*+]|\d+[.)])\s+(.*)$') {
            if (-not $current -or $current.Kind -ne 'List') {
                $current = [pscustomobject]@{ Kind = 'List'; Line = $lineNo; Items = [System.Collections.Generic.List[string]]::new() }
                $blocks.Add($current)
            }
            $current.Items.Add($line.Trim())
        } elseif ($current -and $current.Kind -eq 'List') {
            # A continuation line of the last list item.
            $current.Items[$current.Items.Count - 1] += ' ' + $line.Trim()
        } else {
            if (-not $current) {
                $current = [pscustomobject]@{ Kind = 'Para'; Line = $lineNo; Lines = [System.Collections.Generic.List[string]]::new() }
                $blocks.Add($current)
            }
            $current.Lines.Add($line.Trim())
        }
        $i++
    }
    $blocks
}

function Get-MarkdownSections {
    <#
    Groups blocks under the H1 / H2 / H3 headings:
      Title, TitleLine, Sections: [ordered] H2 text -> @{ Line; Body = blocks; Subsections = list of @{ Title; Line; Body } }
    #>
    param([string] $File, [object[]] $Blocks, [int] $LastLine)
    $doc = [pscustomobject]@{ Title = $null; TitleLine = 0; Sections = [ordered]@{} }
    $section = $null
    $subsection = $null
    foreach ($block in $Blocks) {
        if ($block.Kind -eq 'Heading') {
            switch ($block.Level) {
                1 {
                    if ($doc.Title) { Stop-Markdown $File $block.Line "second '# ' title '$($block.Text)'; a page has exactly one." }
                    $doc.Title = $block.Text; $doc.TitleLine = $block.Line
                }
                2 {
                    if (-not $doc.Title) { Stop-Markdown $File $block.Line "section '## $($block.Text)' comes before the '# ' title." }
                    if ($doc.Sections.Contains($block.Text)) { Stop-Markdown $File $block.Line "section '## $($block.Text)' appears twice." }
                    $section = [pscustomobject]@{ Title = $block.Text; Line = $block.Line; Body = [System.Collections.Generic.List[object]]::new(); Subsections = [System.Collections.Generic.List[object]]::new() }
                    $doc.Sections[$block.Text] = $section
                    $subsection = $null
                }
                3 {
                    if (-not $section) { Stop-Markdown $File $block.Line "heading '### $($block.Text)' is outside any '## ' section." }
                    $subsection = [pscustomobject]@{ Title = $block.Text; Line = $block.Line; Body = [System.Collections.Generic.List[object]]::new() }
                    $section.Subsections.Add($subsection)
                }
                default {
                    $target = if ($subsection) { $subsection } elseif ($section) { $section } else { $null }
                    if (-not $target) { Stop-Markdown $File $block.Line "heading '$($block.Text)' is outside any section." }
                    # Deeper headings are kept as text (a bold-ish line).
                    $target.Body.Add([pscustomobject]@{ Kind = 'Para'; Line = $block.Line; Lines = @($block.Text) })
                }
            }
            continue
        }
        if ($subsection) { $subsection.Body.Add($block) }
        elseif ($section) { $section.Body.Add($block) }
        else { Stop-Markdown $File $block.Line "text before the first '## ' section." }
    }
    if (-not $doc.Title) { Stop-Markdown $File $LastLine "no '# ' title." }
    $doc
}

function ConvertFrom-InlineMarkdown([string] $Text) {
    # Help is plain text: links keep their text (and an absolute URL), emphasis and code marks go.
    $t = $Text -replace '\[([^\]]+)\]\((https?://[^)\s]+)\)', '$1 ($2)'
    $t = $t -replace '\[([^\]]+)\]\([^)]*\)', '$1'
    $t = $t -replace '(\*\*|__)(.+?)\1', '$2'
    $t = $t -replace '`([^`]+)`', '$1'
    $t -replace '\\([\\`*_{}\[\]()#+\-.!<>|])', '$1'
}

function ConvertTo-Paragraphs {
    # Blocks -> plain-text paragraphs: a paragraph is one line, a list one item per line, code indented.
    param([object[]] $Blocks)
    foreach ($block in $Blocks) {
        switch ($block.Kind) {
            'Para' { ConvertFrom-InlineMarkdown ($block.Lines -join ' ') }
            'List' { ($block.Items | ForEach-Object { ConvertFrom-InlineMarkdown $_ }) -join "`n" }
            'Code' { $block.Lines -join "`n" }
        }
    }
}

function Read-MarkdownFile {
    param([string] $Path)
    $file = (Resolve-Path -LiteralPath $Path).ProviderPath
    $lines = [System.IO.File]::ReadAllLines($file)
    $front = Read-FrontMatter $file $lines
    $blocks = @(Split-MarkdownBlocks $file $lines $front.BodyStart)
    $doc = Get-MarkdownSections $file $blocks $lines.Count
    $doc | Add-Member -NotePropertyMembers @{ File = $file; Metadata = $front.Metadata; LastLine = $lines.Count }
    $doc
}

#endregion

#region Parameter metadata: the ```yaml block under each ### -Name

function Read-ParameterYaml {
    <#
    The subset of YAML platyPS writes for a parameter: "Key: scalar", "Key: []", "Key: [a, b]",
    "Key:" followed by "- scalar" items, and ParameterSets as "- Name: x" maps with indented "Key: value".
    #>
    param([string] $File, [object] $CodeBlock)
    $result = [ordered]@{}
    $key = $null
    $item = $null
    for ($n = 0; $n -lt $CodeBlock.Lines.Count; $n++) {
        $line = $CodeBlock.Lines[$n]
        $lineNo = $CodeBlock.Line + 1 + $n
        if ($line.Trim() -eq '') { continue }
        if ($line -match '^(\w+):\s*(.*)$') {
            $key = $Matches[1]; $value = $Matches[2].Trim(); $item = $null
            if ($key -notin $script:ParameterKeys) { Stop-Markdown $File $lineNo "unknown parameter key '$key'; expected one of: $($script:ParameterKeys -join ', ')." }
            if ($value -eq '') { $result[$key] = [System.Collections.Generic.List[object]]::new() }
            elseif ($value -match '^\[(.*)\]$') { $result[$key] = @($Matches[1].Split(',') | ForEach-Object { ConvertFrom-YamlScalar $_ } | Where-Object { $_ -ne '' }) }
            else { $result[$key] = ConvertFrom-YamlScalar $value; Assert-YamlValue $File $lineNo $key $result[$key] }
        } elseif ($line -match '^-\s+(\w+):\s*(.*)$') {
            if (-not $key -or $result[$key] -isnot [System.Collections.Generic.List[object]]) { Stop-Markdown $File $lineNo "list item '$line' belongs to no list key." }
            $item = [ordered]@{}
            $result[$key].Add($item)
            Add-ParameterSetKey $File $lineNo $item $Matches[1] $Matches[2]
        } elseif ($line -match '^\s+(\w+):\s*(.*)$') {
            if ($null -eq $item) { Stop-Markdown $File $lineNo "indented '$($line.Trim())' belongs to no '- Name:' item." }
            Add-ParameterSetKey $File $lineNo $item $Matches[1] $Matches[2]
        } elseif ($line -match '^-\s+(.*)$') {
            if (-not $key -or $result[$key] -isnot [System.Collections.Generic.List[object]]) { Stop-Markdown $File $lineNo "list item '$line' belongs to no list key." }
            $result[$key].Add((ConvertFrom-YamlScalar $Matches[1]))
        } else {
            Stop-Markdown $File $lineNo "cannot read parameter metadata line '$line'."
        }
    }
    $result
}

function Add-ParameterSetKey([string] $File, [int] $Line, $Item, [string] $Key, [string] $Value) {
    if ($Key -notin $script:ParameterSetKeys) { Stop-Markdown $File $Line "unknown parameter-set key '$Key'; expected one of: $($script:ParameterSetKeys -join ', ')." }
    $Item[$Key] = ConvertFrom-YamlScalar $Value
    Assert-YamlValue $File $Line $Key $Item[$Key]
}

function Assert-YamlValue([string] $File, [int] $Line, [string] $Key, [string] $Value) {
    # Checked while reading, so the error names the line of the bad value.
    if ($Key -in $script:BooleanKeys -and $Value -notin @('true', 'false', '')) {
        Stop-Markdown $File $Line "$Key must be true or false, not '$Value'."
    }
    if ($Key -eq 'Position' -and $Value -notmatch '^(\d+|Named|)$') {
        Stop-Markdown $File $Line "Position must be a number or Named, not '$Value'."
    }
}

function ConvertTo-Bool($Value) { "$Value" -eq 'true' }

#endregion

#region Command page -> command model

function Read-CommandMarkdown {
    param([string] $Path)
    $doc = Read-MarkdownFile $Path
    $file = $doc.File
    $meta = $doc.Metadata

    if ($meta['document type'] -ne 'cmdlet') { Stop-Markdown $file 1 "front matter 'document type' must be 'cmdlet', not '$($meta['document type'])'." }
    if ($meta['PlatyPS schema version'] -ne $script:SchemaVersion) { Stop-Markdown $file 1 "front matter 'PlatyPS schema version' must be '$($script:SchemaVersion)', not '$($meta['PlatyPS schema version'])'." }
    if ($meta.Contains('title') -and $meta['title'] -ne $doc.Title) { Stop-Markdown $file $doc.TitleLine "title '# $($doc.Title)' differs from front matter title '$($meta['title'])'." }
    if (-not $meta['external help file']) { Stop-Markdown $file 1 "front matter needs 'external help file'." }

    foreach ($name in $doc.Sections.Keys) {
        if ($name -cnotin $script:CommandSections) { Stop-Markdown $file $doc.Sections[$name].Line "unknown section '## $name'; expected: $($script:CommandSections -join ', ')." }
    }
    foreach ($name in $script:CommandSections) {
        if (-not $doc.Sections.Contains($name) -and $name -notin $script:OptionalCommandSections) { Stop-Markdown $file $doc.LastLine "missing section '## $name'." }
    }

    $synopsis = @(ConvertTo-Paragraphs $doc.Sections['SYNOPSIS'].Body)
    if ($synopsis.Count -eq 0) { Stop-Markdown $file $doc.Sections['SYNOPSIS'].Line 'SYNOPSIS is empty.' }

    $parameters = @(Read-ParametersSection $file $doc.Sections['PARAMETERS'])
    $syntax = @(Read-SyntaxSection $file $doc.Sections['SYNTAX'] $parameters)

    $verb, $noun = $doc.Title.Split('-', 2)
    [pscustomobject]@{
        File           = $file
        Name           = $doc.Title
        Verb           = $verb
        Noun           = $noun
        HelpFile       = $meta['external help file']
        HelpUri        = $meta['HelpUri']
        Synopsis       = $synopsis -join ' '
        Description    = @(ConvertTo-Paragraphs $doc.Sections['DESCRIPTION'].Body)
        Syntax         = $syntax
        Parameters     = $parameters
        Examples       = @(Read-ExamplesSection $file $doc.Sections['EXAMPLES'])
        Inputs         = @(Read-TypesSection $doc.Sections['INPUTS'])
        Outputs        = @(Read-TypesSection $doc.Sections['OUTPUTS'])
        Notes          = @(ConvertTo-Paragraphs $doc.Sections['NOTES'].Body)
        Links          = @(Read-LinksSection $file $doc.Sections['RELATED LINKS'])
        CommonParameters = @($doc.Sections['PARAMETERS'].Subsections | Where-Object Title -EQ 'CommonParameters').Count -gt 0
    }
}

function Read-ParametersSection {
    param([string] $File, $Section)
    foreach ($sub in $Section.Subsections) {
        if ($sub.Title -eq 'CommonParameters') { continue }
        if ($sub.Title -notmatch '^-(\w+)$') { Stop-Markdown $File $sub.Line "parameter heading must be '### -Name' or '### CommonParameters', not '### $($sub.Title)'." }
        $name = $Matches[1]
        $yamlBlocks = @($sub.Body | Where-Object { $_.Kind -eq 'Code' -and $_.Lang -eq 'yaml' })
        if ($yamlBlocks.Count -ne 1) { Stop-Markdown $File $sub.Line "parameter -$name needs exactly one fenced yaml block, found $($yamlBlocks.Count)." }
        $description = @(ConvertTo-Paragraphs @($sub.Body | Where-Object { $_ -ne $yamlBlocks[0] }))
        if ($description.Count -eq 0) { Stop-Markdown $File $sub.Line "parameter -$name has no description." }

        $yaml = Read-ParameterYaml $File $yamlBlocks[0]
        $yamlLine = $yamlBlocks[0].Line
        if (-not $yaml['Type']) { Stop-Markdown $File $yamlLine "parameter -$name has no Type." }
        if (-not $yaml.Contains('ParameterSets') -or @($yaml['ParameterSets']).Count -eq 0) { Stop-Markdown $File $yamlLine "parameter -$name has no ParameterSets." }

        $sets = foreach ($set in $yaml['ParameterSets']) {
            if ($set -isnot [System.Collections.IDictionary] -or -not $set['Name']) { Stop-Markdown $File $yamlLine "parameter -${name}: every ParameterSets item needs a Name." }
            $position = if ($set['Position'] -and $set['Position'] -ne 'Named') { $set['Position'] } else { 'named' }
            [pscustomobject]@{
                Name                 = $set['Name']
                Position             = $position
                Required             = ConvertTo-Bool $set['IsRequired']
                ByValue              = ConvertTo-Bool $set['ValueFromPipeline']
                ByPropertyName       = ConvertTo-Bool $set['ValueFromPipelineByPropertyName']
                ValueFromRemaining   = ConvertTo-Bool $set['ValueFromRemainingArguments']
            }
        }
        [pscustomobject]@{
            Name              = $name
            Line              = $sub.Line
            Description       = $description
            Type              = $yaml['Type']
            DefaultValue      = if ($yaml.Contains('DefaultValue')) { "$($yaml['DefaultValue'])" } else { '' }
            SupportsWildcards = ConvertTo-Bool $yaml['SupportsWildcards']
            Aliases           = @(if ($yaml.Contains('Aliases')) { $yaml['Aliases'] })
            AcceptedValues    = @(if ($yaml.Contains('AcceptedValues')) { $yaml['AcceptedValues'] })
            DontShow          = ConvertTo-Bool $yaml['DontShow']
            Sets              = @($sets)
        }
    }
}

function Read-SyntaxSection {
    # One '### SetName' per parameter set, each with one fenced syntax line; the parameters it names must be
    # exactly those the PARAMETERS section puts in that set.
    param([string] $File, $Section, [object[]] $Parameters)
    if ($Section.Subsections.Count -eq 0) { Stop-Markdown $File $Section.Line "SYNTAX needs one '### ParameterSetName' per parameter set." }
    foreach ($sub in $Section.Subsections) {
        $setName = $sub.Title -replace '\s*\(Default\)$', ''
        $code = @($sub.Body | Where-Object Kind -EQ 'Code')
        if ($code.Count -ne 1) { Stop-Markdown $File $sub.Line "syntax '### $($sub.Title)' needs exactly one fenced block, found $($code.Count)." }
        $inSet = @($Parameters | Where-Object { $_.Sets | Where-Object { $_.Name -eq $setName -or $_.Name -eq '(All)' } })
        $named = @([regex]::Matches(($code[0].Lines -join ' '), '(?<![\w<])-(\w+)') | ForEach-Object { $_.Groups[1].Value } | Sort-Object -Unique)
        $expected = @($inSet | Where-Object { -not $_.DontShow } | ForEach-Object Name | Sort-Object -Unique)
        $diff = Compare-Object $expected $named
        if ($diff) {
            $missing = @($diff | Where-Object SideIndicator -EQ '<=' | ForEach-Object InputObject)
            $extra = @($diff | Where-Object SideIndicator -EQ '=>' | ForEach-Object InputObject)
            Stop-Markdown $File ($code[0].Line + 1) "syntax of set '$setName' does not match PARAMETERS (missing: $($missing -join ', '); not in this set: $($extra -join ', '))."
        }
        [pscustomobject]@{ Name = $setName; Parameters = $inSet }
    }
}

function Read-ExamplesSection {
    param([string] $File, $Section)
    if ($Section.Subsections.Count -eq 0) { Stop-Markdown $File $Section.Line "EXAMPLES has no '### Example N: title'." }
    foreach ($sub in $Section.Subsections) {
        $codeBlocks = @($sub.Body | Where-Object { $_.Kind -eq 'Code' -and $_.Lang -in @('powershell', 'PowerShell', 'pwsh', 'ps', '') })
        if ($codeBlocks.Count -eq 0) { Stop-Markdown $File $sub.Line "example '$($sub.Title)' has no fenced powershell code." }
        [pscustomobject]@{
            Title   = $sub.Title
            Line    = $sub.Line
            Code    = ($codeBlocks | ForEach-Object { $_.Lines -join "`n" }) -join "`n`n"
            Remarks = @(ConvertTo-Paragraphs @($sub.Body | Where-Object { $_ -notin $codeBlocks }))
        }
    }
}

function Read-TypesSection($Section) {
    foreach ($sub in $Section.Subsections) {
        [pscustomobject]@{ Type = $sub.Title; Description = @(ConvertTo-Paragraphs $sub.Body) }
    }
}

function Read-LinksSection([string] $File, $Section) {
    foreach ($block in $Section.Body) {
        $items = if ($block.Kind -eq 'List') { $block.Items } elseif ($block.Kind -eq 'Para') { $block.Lines } else { @() }
        foreach ($item in $items) {
            if ($item -notmatch '\[([^\]]+)\]\(([^)]*)\)') { Stop-Markdown $File $block.Line "related link '$item' is not '[text](uri)'." }
            $text, $target = $Matches[1], $Matches[2]
            # Only absolute URIs are links Get-Help -Online can follow; page-relative ones keep just their text.
            [pscustomobject]@{ Text = $text; Uri = $(if ($target -match '^https?://') { $target } else { '' }) }
        }
    }
}

#endregion

#region Command model -> MAML

function Add-Xml {
    # Appends <prefix:name> (with text when given) to $Parent and returns it.
    param($Parent, [string] $QualifiedName, [string] $Text, [hashtable] $Attributes)
    $doc = if ($Parent -is [System.Xml.XmlDocument]) { $Parent } else { $Parent.OwnerDocument }
    $prefix, $local = $QualifiedName.Split(':')
    $element = $doc.CreateElement($prefix, $local, $script:Namespaces[$prefix])
    if ($Attributes) {
        foreach ($k in $Attributes.Keys | Sort-Object) {
            if ($k -match '^(\w+):(\w+)$') { [void] $element.SetAttribute($Matches[2], $script:Namespaces[$Matches[1]], $Attributes[$k]) }
            else { $element.SetAttribute($k, $Attributes[$k]) }
        }
    }
    if ($PSBoundParameters.ContainsKey('Text')) { $element.InnerText = $Text }
    [void] $Parent.AppendChild($element)
    $element
}

function Add-Paragraphs($Parent, [string[]] $Paragraphs) {
    $description = Add-Xml $Parent 'maml:description'
    if (-not $Paragraphs) { $Paragraphs = @('') }
    foreach ($p in $Paragraphs) { [void] (Add-Xml $description 'maml:para' $p) }
}

function Get-ShortTypeName([string] $Type) {
    # "System.Management.Automation.SwitchParameter" -> "SwitchParameter", "TlsTools.TlsProtocol[]" -> "TlsProtocol[]"
    ($Type -split '\.')[-1]
}

function Add-MamlParameter {
    param($Parent, $Parameter, $Set, [switch] $InSyntax)
    $sets = if ($Set) { @($Set) } else { $Parameter.Sets }
    $first = $sets[0]
    $pipeline = @(if ($sets.ByValue -contains $true) { 'ByValue' }; if ($sets.ByPropertyName -contains $true) { 'ByPropertyName' })
    $isSwitch = (Get-ShortTypeName $Parameter.Type) -eq 'SwitchParameter'
    $element = Add-Xml $Parent 'command:parameter' -Attributes @{
        required      = "$(if ($sets.Required -contains $true) { 'true' } else { 'false' })"
        variableLength = "$(if ($Parameter.Type.EndsWith('[]')) { 'true' } else { 'false' })"
        globbing      = "$($Parameter.SupportsWildcards.ToString().ToLowerInvariant())"
        pipelineInput = $(if ($pipeline) { "True ($($pipeline -join ', '))" } else { 'False' })
        position      = $first.Position
        aliases       = $(if ($Parameter.Aliases) { $Parameter.Aliases -join ', ' } else { 'none' })
    }
    [void] (Add-Xml $element 'maml:name' $Parameter.Name)
    Add-Paragraphs $element $Parameter.Description
    if ($InSyntax -and $Parameter.AcceptedValues) {
        $group = Add-Xml $element 'command:parameterValueGroup'
        foreach ($v in $Parameter.AcceptedValues) { [void] (Add-Xml $group 'command:parameterValue' $v @{ required = 'false'; 'command:variableLength' = 'false' }) }
    }
    if (-not ($InSyntax -and $isSwitch)) {
        [void] (Add-Xml $element 'command:parameterValue' (Get-ShortTypeName $Parameter.Type) @{ required = "$(if ($isSwitch) { 'false' } else { 'true' })"; variableLength = 'false' })
    }
    $type = Add-Xml $element 'dev:type'
    [void] (Add-Xml $type 'maml:name' $Parameter.Type)
    [void] (Add-Xml $type 'maml:uri')
    $default = if ($Parameter.DefaultValue) { $Parameter.DefaultValue } elseif ($isSwitch) { 'False' } else { 'None' }
    [void] (Add-Xml $element 'dev:defaultValue' $default)
}

function Add-MamlCommand {
    param($HelpItems, $Command)
    $cmd = Add-Xml $HelpItems 'command:command'
    foreach ($prefix in 'maml', 'command', 'dev', 'MSHelp') {
        # Declared once here, as New-ExternalHelp does, instead of on every element.
        $declaration = $cmd.OwnerDocument.CreateAttribute('xmlns', $prefix, 'http://www.w3.org/2000/xmlns/')
        $declaration.Value = $script:Namespaces[$prefix]
        [void] $cmd.Attributes.Append($declaration)
    }
    $details = Add-Xml $cmd 'command:details'
    [void] (Add-Xml $details 'command:name' $Command.Name)
    [void] (Add-Xml $details 'command:verb' $Command.Verb)
    [void] (Add-Xml $details 'command:noun' $Command.Noun)
    Add-Paragraphs $details @($Command.Synopsis)
    Add-Paragraphs $cmd $Command.Description

    $syntax = Add-Xml $cmd 'command:syntax'
    foreach ($set in $Command.Syntax) {
        $item = Add-Xml $syntax 'command:syntaxItem'
        [void] (Add-Xml $item 'maml:name' $Command.Name)
        # Positional parameters first, in position order; then the named ones as the page lists them.
        $ordered = $set.Parameters | Where-Object { -not $_.DontShow } | ForEach-Object {
            $s = @($_.Sets | Where-Object { $_.Name -eq $set.Name -or $_.Name -eq '(All)' })[0]
            [pscustomobject]@{ Parameter = $_; Set = $s; Order = if ($s.Position -eq 'named') { [int]::MaxValue } else { [int]$s.Position } }
        } | Sort-Object -Property Order -Stable
        foreach ($p in $ordered) { Add-MamlParameter $item $p.Parameter $p.Set -InSyntax }
    }

    $parameters = Add-Xml $cmd 'command:parameters'
    foreach ($p in $Command.Parameters) { Add-MamlParameter $parameters $p }

    $inputs = Add-Xml $cmd 'command:inputTypes'
    foreach ($t in $Command.Inputs) {
        $el = Add-Xml $inputs 'command:inputType'
        $type = Add-Xml $el 'dev:type'
        [void] (Add-Xml $type 'maml:name' $t.Type)
        Add-Paragraphs $el $t.Description
    }
    $outputs = Add-Xml $cmd 'command:returnValues'
    foreach ($t in $Command.Outputs) {
        $el = Add-Xml $outputs 'command:returnValue'
        $type = Add-Xml $el 'dev:type'
        [void] (Add-Xml $type 'maml:name' $t.Type)
        Add-Paragraphs $el $t.Description
    }

    $alertSet = Add-Xml $cmd 'maml:alertSet'
    $alert = Add-Xml $alertSet 'maml:alert'
    foreach ($p in $(if ($Command.Notes) { $Command.Notes } else { @('') })) { [void] (Add-Xml $alert 'maml:para' $p) }

    $examples = Add-Xml $cmd 'command:examples'
    foreach ($ex in $Command.Examples) {
        $el = Add-Xml $examples 'command:example'
        [void] (Add-Xml $el 'maml:title' "--------- $($ex.Title) ---------")
        [void] (Add-Xml $el 'dev:code' $ex.Code)
        $remarks = Add-Xml $el 'dev:remarks'
        # The trailing empty paragraph puts a blank line between examples, as in PowerShell's own help.
        foreach ($p in @($ex.Remarks) + '') { [void] (Add-Xml $remarks 'maml:para' $p) }
    }

    $links = Add-Xml $cmd 'maml:relatedLinks'
    if ($Command.HelpUri) {
        $nav = Add-Xml $links 'maml:navigationLink'
        [void] (Add-Xml $nav 'maml:linkText' 'Online Version:')
        [void] (Add-Xml $nav 'maml:uri' $Command.HelpUri)
    }
    foreach ($l in $Command.Links) {
        $nav = Add-Xml $links 'maml:navigationLink'
        [void] (Add-Xml $nav 'maml:linkText' $l.Text)
        [void] (Add-Xml $nav 'maml:uri' $l.Uri)
    }
}

function ConvertTo-Maml {
    param([object[]] $Commands)
    $doc = [System.Xml.XmlDocument]::new()
    [void] $doc.AppendChild($doc.CreateXmlDeclaration('1.0', 'utf-8', $null))
    $helpItems = $doc.CreateElement('helpItems', 'http://msh')
    $helpItems.SetAttribute('schema', 'maml')
    [void] $doc.AppendChild($helpItems)
    foreach ($c in $Commands) { Add-MamlCommand $helpItems $c }
    $doc
}

function Save-Xml([System.Xml.XmlDocument] $Document, [string] $Path) {
    $settings = [System.Xml.XmlWriterSettings]::new()
    $settings.Indent = $true
    $settings.Encoding = [System.Text.UTF8Encoding]::new($false)
    $writer = [System.Xml.XmlWriter]::Create($Path, $settings)
    try { $Document.Save($writer) } finally { $writer.Dispose() }
}

#endregion

#region About topic -> help.txt

function Format-Wrapped {
    # Word-wraps $Text to $Width columns, every line indented by $Indent (the first by $FirstIndent).
    param([string] $Text, [int] $Indent, [int] $FirstIndent = $Indent, [int] $Width = 80)
    $lines = [System.Collections.Generic.List[string]]::new()
    $line = ' ' * $FirstIndent
    $empty = $true
    foreach ($word in ($Text -split '\s+' | Where-Object { $_ })) {
        if (-not $empty -and $line.Length + 1 + $word.Length -gt $Width) {
            $lines.Add($line); $line = (' ' * $Indent) + $word
        } else {
            $line += $(if ($empty) { $word } else { " $word" })
        }
        $empty = $false
    }
    $lines.Add($line)
    $lines -join [Environment]::NewLine
}

function ConvertTo-AboutText {
    <#
    platyPS about schema: front matter; '# about_X'; '## Short description'; '## Long description'
    (with '### ' subtopics); '## See also' (may be empty). Output is the classic about_*.help.txt layout:
    upper-case section names at column 0, text indented by 4 and wrapped at 80 columns.
    #>
    param([string] $Path)
    $doc = Read-MarkdownFile $Path
    $file = $doc.File
    $topic = [System.IO.Path]::GetFileNameWithoutExtension($file)
    if ($doc.Title -ne $topic) { Stop-Markdown $file $doc.TitleLine "title '# $($doc.Title)' must be the file name '$topic'." }
    foreach ($required in 'Short description', 'Long description', 'See also') {
        if (-not $doc.Sections.Contains($required)) { Stop-Markdown $file $doc.LastLine "missing section '## $required'." }
    }
    if (@($doc.Sections['Short description'].Body).Count -eq 0) { Stop-Markdown $file $doc.Sections['Short description'].Line 'Short description is empty.' }

    $nl = [Environment]::NewLine
    $out = [System.Text.StringBuilder]::new()
    [void] $out.Append("TOPIC$nl    $topic$nl")
    foreach ($section in $doc.Sections.Values) {
        [void] $out.Append("$nl$($section.Title.ToUpperInvariant())$nl")
        Add-AboutBlocks $out $section.Body
        foreach ($sub in $section.Subsections) {
            [void] $out.Append("$nl  $($sub.Title)$nl  $('-' * $sub.Title.Length)$nl$nl")
            Add-AboutBlocks $out $sub.Body
        }
    }
    $out.ToString()
}

function Add-AboutBlocks([System.Text.StringBuilder] $Out, [object[]] $Blocks) {
    $nl = [Environment]::NewLine
    $first = $true
    foreach ($block in $Blocks) {
        # A blank line between blocks, none after the heading: Get-Help takes the line right after
        # SHORT DESCRIPTION as the topic's synopsis.
        if (-not $first) { [void] $Out.Append($nl) }
        $first = $false
        switch ($block.Kind) {
            'Para' { [void] $Out.Append((Format-Wrapped (ConvertFrom-InlineMarkdown ($block.Lines -join ' ')) 4) + $nl) }
            'List' {
                foreach ($item in $block.Items) {
                    # "- text" / "1. text": the marker hangs, the text wraps under itself.
                    $marker, $text = $item -split '\s+', 2
                    $hang = 4 + $marker.Length + 1
                    $wrapped = Format-Wrapped (ConvertFrom-InlineMarkdown $text) $hang
                    [void] $Out.Append('    ' + $marker + ' ' + $wrapped.Substring($hang) + $nl)
                }
            }
            'Code' { foreach ($l in $block.Lines) { [void] $Out.Append("        $l".TrimEnd() + $nl) } }
        }
    }
}

#endregion

function Build-TlsToolsHelp {
    <#
    .SYNOPSIS
        Compiles docs/<locale>/*.md into MAML (one file per 'external help file') and about_*.help.txt.
    .PARAMETER SkipMaml
        Compile only the about_ topics (platyPS already wrote the MAML).
    .PARAMETER PassThru
        Write a System.IO.FileInfo for every file written.
    .EXAMPLE
        Build-TlsToolsHelp -DocsPath docs/en-US -OutputPath out/TlsTools/en-US -Verbose
    #>
    [CmdletBinding()]
    [OutputType([System.IO.FileInfo])]
    param(
        [Parameter(Mandatory)] [string] $DocsPath,
        [Parameter(Mandatory)] [string] $OutputPath,
        [switch] $SkipMaml,
        [switch] $PassThru
    )
    if (-not (Test-Path -LiteralPath $DocsPath -PathType Container)) { throw "Docs folder '$DocsPath' does not exist." }
    New-Item -ItemType Directory -Force -Path $OutputPath | Out-Null
    $OutputPath = (Resolve-Path -LiteralPath $OutputPath).ProviderPath
    $pages = @(Get-ChildItem -LiteralPath $DocsPath -Filter *.md -File | Sort-Object Name)

    # Plain loops, not pipelines: a reader error then surfaces as itself, not wrapped by Where-Object.
    if (-not $SkipMaml) {
        $commands = foreach ($page in $pages) { if ($page.Name -notlike 'about_*') { Read-CommandMarkdown $page.FullName } }
        foreach ($group in @($commands) | Group-Object HelpFile) {
            $target = Join-Path $OutputPath $group.Name
            Save-Xml (ConvertTo-Maml $group.Group) $target
            Write-Verbose "MAML: $target ($($group.Count) command(s))"
            if ($PassThru) { Get-Item -LiteralPath $target }
        }
    }
    foreach ($page in $pages) {
        if ($page.Name -notlike 'about_*') { continue }
        $target = Join-Path $OutputPath ($page.BaseName + '.help.txt')
        [System.IO.File]::WriteAllText($target, (ConvertTo-AboutText $page.FullName), [System.Text.UTF8Encoding]::new($false))
        Write-Verbose "about: $target"
        if ($PassThru) { Get-Item -LiteralPath $target }
    }
}

Export-ModuleMember -Function Build-TlsToolsHelp
