using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace TlsTools.Catalog;

/// <summary>The six kinds of JSON value (RFC 8259).</summary>
public enum JsonKind
{
    Object,
    Array,
    String,
    Number,
    Boolean,
    Null,
}

/// <summary>
/// One value of a parsed JSON document, with where it stood: its path from the root (configurations.modern.tls_versions[1])
/// and its line and column, so whoever reads it can say exactly which field is wrong.
/// </summary>
public sealed class JsonValue
{
    static readonly IReadOnlyList<JsonValue> NoItems = Array.Empty<JsonValue>();
    static readonly IReadOnlyList<KeyValuePair<string, JsonValue>> NoMembers = Array.Empty<KeyValuePair<string, JsonValue>>();

    internal JsonValue(JsonKind kind, string path, int line, int column, string? text = null,
        IReadOnlyList<JsonValue>? items = null, IReadOnlyList<KeyValuePair<string, JsonValue>>? members = null)
    {
        Kind = kind;
        Path = path;
        Line = line;
        Column = column;
        Text = text;
        Items = items ?? NoItems;
        Members = members ?? NoMembers;
    }

    public JsonKind Kind { get; }
    /// <summary>"" for the root, then member names joined with dots and [index] for array items.</summary>
    public string Path { get; }
    /// <summary>Where the value starts, 1-based.</summary>
    public int Line { get; }
    public int Column { get; }
    /// <summary>A string's value (escapes decoded), a number's text exactly as written ("6.0"), "true"/"false"; null otherwise.</summary>
    public string? Text { get; }
    /// <summary>An array's items; empty for every other kind.</summary>
    public IReadOnlyList<JsonValue> Items { get; }
    /// <summary>An object's members in document order (names are unique: the reader refuses duplicates).</summary>
    public IReadOnlyList<KeyValuePair<string, JsonValue>> Members { get; }

    /// <summary>The member of this name; null when absent or when this is not an object.</summary>
    public JsonValue? Member(string name) => Members.FirstOrDefault(m => m.Key == name).Value;

    public bool IsNull => Kind == JsonKind.Null;
    public bool Boolean => Kind == JsonKind.Boolean && Text == "true";

    /// <summary>A number written as a whole number (no fraction, no exponent) that fits in a long; null otherwise.</summary>
    public long? Integer =>
        Kind == JsonKind.Number && long.TryParse(Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value) ? value : (long?)null;

    /// <summary>"the root" or the path, for sentences.</summary>
    public string DisplayPath => Path.Length == 0 ? "the root" : Path;

    /// <summary>The kind as an error message names it: "a string", "an array".</summary>
    public static string Describe(JsonKind kind) => kind switch
    {
        JsonKind.Object => "an object",
        JsonKind.Array => "an array",
        JsonKind.String => "a string",
        JsonKind.Number => "a number",
        JsonKind.Boolean => "a boolean",
        _ => "null",
    };

    public override string ToString() => Kind switch
    {
        JsonKind.String => "\"" + Text + "\"",
        JsonKind.Object => $"{{{Members.Count} members}}",
        JsonKind.Array => $"[{Items.Count} items]",
        JsonKind.Null => "null",
        _ => Text ?? "",
    };
}

/// <summary>A document that is not valid JSON, or breaks a limit: what is wrong, where (line, column) and under which path.</summary>
public sealed class JsonFormatException : FormatException
{
    public JsonFormatException(string problem, string path, int line, int column)
        : base($"{problem} at line {line}, column {column}" + (path.Length == 0 ? "" : $" ({path})"))
    {
        Problem = problem;
        Path = path;
        Line = line;
        Column = column;
    }

    public string Problem { get; }
    /// <summary>The path of the value being read when the error was found ("" at the root).</summary>
    public string Path { get; }
    public int Line { get; }
    public int Column { get; }
}

/// <summary>The bounds a document must stay within, so a hostile or broken file cannot exhaust the stack or memory.</summary>
public sealed class JsonLimits
{
    public static readonly JsonLimits Default = new JsonLimits();
    /// <summary>Objects and arrays nested deeper than this are refused (the reader recurses per level).</summary>
    public int MaxDepth { get; set; } = 32;
    /// <summary>Documents longer than this many characters are refused before parsing.</summary>
    public int MaxLength { get; set; } = 1 << 20;
}
