using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace TlsTools.Assessment.Findings;

/// <summary>
/// One product's configuration template (Data/&lt;product&gt;.*.txt): named sections of configuration text with
/// placeholders. The syntax, kept small on purpose so the templates read as the configuration they produce:
///   "@@ Name"       starts a section (a finding's Fix, or Recommended);
///   "@# ..."        a note about the template, dropped;
///   {{value}}       a value, its items joined with spaces; {{value:format}} joined or spelled as
///                   <see cref="Formats"/> says;
///   {{?value}} or {{?!value}} at the start of a line: the line is kept only when the value is set (not set).
/// A value is set when it has an item that is not "false".
/// </summary>
public sealed class ConfigurationTemplate
{
    private const string ResourcePrefix = "TlsTools.Assessment.Findings.Data.";
    private static readonly Regex Placeholder = new Regex(@"\{\{(?<name>[a-z0-9_]+)(:(?<format>[a-z]+))?\}\}", RegexOptions.Compiled);
    private static readonly Regex Condition = new Regex(@"^\{\{\?(?<not>!)?(?<name>[a-z0-9_]+)\}\}", RegexOptions.Compiled);

    /// <summary>How a value's items are written: the spellings the products' configuration languages need.</summary>
    private static readonly Dictionary<string, Func<IReadOnlyList<string>, string>> Formats = new Dictionary<string, Func<IReadOnlyList<string>, string>>
    {
        [""] = items => string.Join(" ", items),
        ["colon"] = items => string.Join(":", items),
        ["comma"] = items => string.Join(", ", items),
        // PowerShell string literals: 'TLS 1.0', 'TLS 1.1'
        ["ps"] = items => string.Join(", ", items.Select(i => "'" + i.Replace("'", "''") + "'")),
        // Apache's SSLProtocol: +TLSv1.2 +TLSv1.3
        ["plus"] = items => string.Join(" ", items.Select(i => "+" + i)),
        ["on"] = items => IsSet(items) ? "on" : "off",
        ["yes"] = items => IsSet(items) ? "yes" : "no",
    };

    private readonly Dictionary<string, string[]> _sections;

    private ConfigurationTemplate(string fileName, Dictionary<string, string[]> sections)
    {
        FileName = fileName;
        _sections = sections;
    }

    public string FileName { get; }
    public IReadOnlyCollection<string> Sections => _sections.Keys;
    public bool Has(string section) => _sections.ContainsKey(section);

    public static ConfigurationTemplate Load(string fileName)
    {
        using (var stream = typeof(ConfigurationTemplate).Assembly.GetManifestResourceStream(ResourcePrefix + fileName))
        {
            if (stream == null) throw new InvalidOperationException($"Embedded template '{fileName}' is missing from the assembly.");
            using (var reader = new StreamReader(stream, Encoding.UTF8))
                return Parse(fileName, reader.ReadToEnd());
        }
    }

    public static ConfigurationTemplate Parse(string fileName, string text)
    {
        var sections = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        List<string>? current = null;
        int lineNumber = 0;
        foreach (var line in text.Replace("\r\n", "\n").Split('\n'))
        {
            lineNumber++;
            if (line.StartsWith("@#", StringComparison.Ordinal)) continue;
            if (line.StartsWith("@@ ", StringComparison.Ordinal))
            {
                var name = line.Substring(3).Trim();
                if (sections.ContainsKey(name)) throw new InvalidDataException($"{fileName} line {lineNumber}: section '{name}' appears twice.");
                sections[name] = current = new List<string>();
                continue;
            }
            if (current == null)
            {
                if (line.Trim().Length == 0) continue;
                throw new InvalidDataException($"{fileName} line {lineNumber}: text before the first '@@' section.");
            }
            current.Add(line);
        }
        return new ConfigurationTemplate(fileName, sections.ToDictionary(s => s.Key, s => TrimBlankEnds(s.Value)));
    }

    /// <summary>The section with its values filled in; null when the template has no such section.</summary>
    public string? Render(string section, TemplateValues values)
    {
        if (!_sections.TryGetValue(section, out var lines)) return null;
        var output = new List<string>();
        foreach (var line in lines)
        {
            var text = line;
            var condition = Condition.Match(text);
            if (condition.Success)
            {
                bool set = IsSet(values.Get(condition.Groups["name"].Value, FileName, section));
                if (set == condition.Groups["not"].Success) continue;
                text = text.Substring(condition.Length);
            }
            output.Add(Placeholder.Replace(text, m => Format(m, values, section)));
        }
        return string.Join("\n", output);
    }

    private string Format(Match placeholder, TemplateValues values, string section)
    {
        var items = values.Get(placeholder.Groups["name"].Value, FileName, section);
        var format = placeholder.Groups["format"].Value;
        if (!Formats.TryGetValue(format, out var write))
            throw new InvalidDataException($"{FileName} section {section}: unknown format ':{format}' (known: {string.Join(", ", Formats.Keys.Where(k => k.Length > 0))}).");
        return write(items);
    }

    private static bool IsSet(IReadOnlyList<string> items) => items.Any(i => i.Length > 0 && !string.Equals(i, "false", StringComparison.OrdinalIgnoreCase));

    private static string[] TrimBlankEnds(List<string> lines)
    {
        int start = 0, end = lines.Count;
        while (start < end && lines[start].Trim().Length == 0) start++;
        while (end > start && lines[end - 1].Trim().Length == 0) end--;
        return lines.Skip(start).Take(end - start).ToArray();
    }
}

/// <summary>
/// The values a template is filled with, by name: each a list of items (a scalar is one item). An unknown name is
/// a mistake in the template, so it throws rather than leaving a hole in a configuration someone will paste.
/// </summary>
public sealed class TemplateValues
{
    private readonly Dictionary<string, IReadOnlyList<string>> _values = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);

    public TemplateValues() { }
    private TemplateValues(Dictionary<string, IReadOnlyList<string>> values) { _values = new Dictionary<string, IReadOnlyList<string>>(values, StringComparer.Ordinal); }

    public TemplateValues Set(string name, IEnumerable<string> items) { _values[name] = items.ToList(); return this; }
    public TemplateValues Set(string name, string item) => Set(name, new[] { item });
    public TemplateValues Set(string name, bool flag) => Set(name, flag ? "true" : "false");

    public IReadOnlyCollection<string> Names => _values.Keys;

    /// <summary>A copy to add a finding's own values to.</summary>
    public TemplateValues With(TemplateValues more)
    {
        var copy = new TemplateValues(_values);
        foreach (var pair in more._values) copy._values[pair.Key] = pair.Value;
        return copy;
    }

    internal IReadOnlyList<string> Get(string name, string file, string section) =>
        _values.TryGetValue(name, out var items) ? items
        : throw new InvalidDataException($"{file} section {section}: no value '{name}' (known: {string.Join(", ", _values.Keys.OrderBy(k => k, StringComparer.Ordinal))}).");
}
