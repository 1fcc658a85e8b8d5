using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace TlsTools.Catalog;

/// <summary>
/// Reads the tab-separated knowledge tables this project authors (Catalog/Data/*.tsv, embedded in the assembly).
/// Lines starting with '#' are comments; the first other line names the columns. TSV rather than CSV because the
/// fields are sentences and regular expressions full of commas and quotes.
/// </summary>
internal static class TsvTable
{
    private const string ResourcePrefix = "TlsTools.Catalog.Data.";

    /// <summary>Each data row as column name -> value (missing trailing fields are empty strings).</summary>
    public static List<Dictionary<string, string>> Load(string fileName) => LoadResource(ResourcePrefix, fileName);

    /// <summary>The same, for a table embedded under another resource prefix (a layer's own Data folder).</summary>
    public static List<Dictionary<string, string>> LoadResource(string resourcePrefix, string fileName)
    {
        using (var stream = typeof(TsvTable).Assembly.GetManifestResourceStream(resourcePrefix + fileName))
        {
            if (stream == null)
                throw new InvalidOperationException($"Embedded table '{fileName}' is missing from the assembly.");
            using (var reader = new StreamReader(stream, Encoding.UTF8))
                return Parse(reader, fileName);
        }
    }

    private static List<Dictionary<string, string>> Parse(TextReader reader, string fileName)
    {
        var rows = new List<Dictionary<string, string>>();
        string[]? header = null;
        string? line;
        int lineNumber = 0;
        while ((line = reader.ReadLine()) != null)
        {
            lineNumber++;
            if (line.Length == 0 || line[0] == '#') continue;
            var fields = line.Split('\t');
            if (header == null) { header = fields; continue; }
            if (fields.Length > header.Length)
                throw new InvalidDataException($"{fileName} line {lineNumber}: {fields.Length} fields, the header has {header.Length}.");
            var row = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["#line"] = lineNumber.ToString(System.Globalization.CultureInfo.InvariantCulture) };
            for (int i = 0; i < header.Length; i++)
                row[header[i]] = i < fields.Length ? fields[i].Trim() : string.Empty;
            rows.Add(row);
        }
        return rows;
    }
}
