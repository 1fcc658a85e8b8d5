using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;

namespace TlsTools.Catalog;

/// <summary>One assigned code point of an IANA registry, as the CSV states it.</summary>
internal sealed class RegistryRow
{
    public RegistryRow(ushort code, string description, bool recommended)
    {
        Code = code;
        Description = description;
        Recommended = recommended;
    }

    public ushort Code { get; }
    public string Description { get; }
    /// <summary>The registry's Recommended column is "Y".</summary>
    public bool Recommended { get; }
}

/// <summary>
/// Reads the IANA registry CSVs embedded in this assembly. The CSVs are RFC 4180: quoted fields may hold
/// commas ("0x00,0x2F") and line breaks (some "Reserved to avoid conflicts..." descriptions).
/// Rows that are bookkeeping rather than assignments (ranges, Unassigned, Reserved, private use, GREASE)
/// are skipped here, so every catalog sees only real code points.
/// </summary>
internal static class RegistryCsv
{
    private const string ResourcePrefix = "TlsTools.Catalog.Data.";

    /// <summary>Descriptions that mark bookkeeping rows. GREASE (RFC 8701) rows are "Reserved" too.</summary>
    private static readonly string[] BookkeepingPrefixes = { "Unassigned", "Reserved" };

    public static IEnumerable<RegistryRow> LoadRows(string fileName)
    {
        using (var stream = typeof(RegistryCsv).Assembly.GetManifestResourceStream(ResourcePrefix + fileName))
        {
            if (stream == null)
                throw new InvalidOperationException($"Embedded registry '{fileName}' is missing from the assembly.");
            using (var reader = new StreamReader(stream, Encoding.UTF8))
            {
                var records = ReadRecords(reader).GetEnumerator();
                if (!records.MoveNext()) yield break;
                var header = records.Current;
                int valueColumn = IndexOf(header, "Value");
                int descriptionColumn = IndexOf(header, "Description");
                int recommendedColumn = IndexOf(header, "Recommended");
                while (records.MoveNext())
                {
                    var fields = records.Current;
                    if (fields.Count <= descriptionColumn) continue;
                    var description = fields[descriptionColumn].Trim();
                    if (IsBookkeeping(description)) continue;
                    if (!TryParseCode(fields[valueColumn], out var code)) continue;
                    bool recommended = recommendedColumn >= 0 && recommendedColumn < fields.Count
                        && fields[recommendedColumn].Trim() == "Y";
                    yield return new RegistryRow(code, description, recommended);
                }
            }
        }
    }

    private static bool IsBookkeeping(string description)
    {
        if (description.Length == 0) return true;
        foreach (var prefix in BookkeepingPrefixes)
            if (description.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) return true;
        return false;
    }

    /// <summary>
    /// The three registries write codes three ways: "0xC0,0x2F" (cipher suites), "0x0403" (signature
    /// schemes) and "23" (groups). Ranges ("0x00,0x47-4F", "42-255", "0x01-09,*") are not single codes.
    /// </summary>
    internal static bool TryParseCode(string text, out ushort code)
    {
        code = 0;
        text = text.Trim();
        if (text.IndexOf('-') >= 0 || text.IndexOf('*') >= 0) return false;
        var parts = text.Split(',');
        if (parts.Length == 2)
        {
            if (!TryParseHex(parts[0], out var high) || !TryParseHex(parts[1], out var low)) return false;
            if (high > 0xFF || low > 0xFF) return false;
            code = (ushort)((high << 8) | low);
            return true;
        }
        if (parts.Length != 1) return false;
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            if (!TryParseHex(text, out var value) || value > 0xFFFF) return false;
            code = (ushort)value;
            return true;
        }
        return ushort.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out code);
    }

    private static bool TryParseHex(string text, out int value)
    {
        text = text.Trim();
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) text = text.Substring(2);
        return int.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
    }

    private static int IndexOf(List<string> header, string column) =>
        header.FindIndex(h => string.Equals(h.Trim(), column, StringComparison.OrdinalIgnoreCase));

    /// <summary>RFC 4180 records: quoted fields, doubled quotes, line breaks inside quotes.</summary>
    internal static IEnumerable<List<string>> ReadRecords(TextReader reader)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        bool inQuotes = false, fieldStarted = false;
        int c;
        while ((c = reader.Read()) != -1)
        {
            char ch = (char)c;
            if (inQuotes)
            {
                if (ch != '"') { field.Append(ch); continue; }
                if (reader.Peek() == '"') { reader.Read(); field.Append('"'); }
                else inQuotes = false;
                continue;
            }
            switch (ch)
            {
                case '"': inQuotes = true; fieldStarted = true; break;
                case ',': fields.Add(field.ToString()); field.Clear(); fieldStarted = true; break;
                case '\r': break;
                case '\n':
                    if (fieldStarted || field.Length > 0 || fields.Count > 0)
                    {
                        fields.Add(field.ToString());
                        yield return fields;
                    }
                    fields = new List<string>(); field.Clear(); fieldStarted = false;
                    break;
                default: field.Append(ch); fieldStarted = true; break;
            }
        }
        if (fieldStarted || field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            yield return fields;
        }
    }
}
