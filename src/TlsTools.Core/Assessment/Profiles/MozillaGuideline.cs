using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace TlsTools.Assessment.Profiles;

/// <summary>
/// A Mozilla Server Side TLS guideline: its version and its configurations. The published versions are embedded as
/// Mozilla's own JSON (Data/server-side-tls-*.json, MPL-2.0) and read by the same reader as a custom -Profile file,
/// so a new version is a data change: one file, and <see cref="BuiltInVersion"/> if it is to be the default.
/// </summary>
public sealed class MozillaGuideline
{
    /// <summary>The guideline Test-TlsServer checks unless told otherwise.</summary>
    public const string BuiltInVersion = "6.0";

    /// <summary>Guideline files are small (6.0 is 3 KB): anything past this is not one.</summary>
    public const int MaxFileBytes = 1 << 20;

    const string ResourcePrefix = "TlsTools.Assessment.Profiles.Data.server-side-tls-";
    const string ResourceSuffix = ".json";

    static readonly Lazy<MozillaGuideline> BuiltInGuideline = new Lazy<MozillaGuideline>(() => Embedded(BuiltInVersion), isThreadSafe: true);

    public string Version { get; set; } = "";
    /// <summary>The guideline's href, or the custom file's path.</summary>
    public string Source { get; set; } = "";
    public IReadOnlyList<ProfileConfiguration> Configurations { get; set; } = Array.Empty<ProfileConfiguration>();

    /// <summary>The built-in guideline (<see cref="BuiltInVersion"/>: modern, intermediate).</summary>
    public static MozillaGuideline BuiltIn => BuiltInGuideline.Value;

    /// <summary>The versions embedded in the module, oldest first ("5.7", "5.8", "6.0").</summary>
    public static IReadOnlyList<string> EmbeddedVersions =>
        typeof(MozillaGuideline).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(ResourceSuffix, StringComparison.Ordinal))
            .Select(n => n.Substring(ResourcePrefix.Length, n.Length - ResourcePrefix.Length - ResourceSuffix.Length))
            .OrderBy(v => System.Version.TryParse(v, out var parsed) ? parsed : new System.Version(0, 0))
            .ToList();

    /// <summary>An embedded guideline version; its configurations' Source is the guideline's href.</summary>
    public static MozillaGuideline Embedded(string version)
    {
        string name = ResourcePrefix + version + ResourceSuffix;
        using var stream = typeof(MozillaGuideline).Assembly.GetManifestResourceStream(name)
            ?? throw new ArgumentException($"No Mozilla guideline {version} is embedded (there are {string.Join(", ", EmbeddedVersions)}).", nameof(version));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return GuidelineReader.Read(reader.ReadToEnd(), $"server-side-tls-{version}.json (embedded)", source: null);
    }

    /// <summary>A custom guideline file of the same shape as Mozilla's; a malformed one throws <see cref="ProfileFormatException"/> naming the field.</summary>
    public static MozillaGuideline Load(string path)
    {
        string text;
        try
        {
            var file = new FileInfo(path);
            if (!file.Exists) throw new ProfileFormatException(path, GuidelineReader.DocumentField, "the file does not exist");
            if (file.Length > MaxFileBytes)
                throw new ProfileFormatException(path, GuidelineReader.DocumentField, $"the file is {file.Length} bytes, more than a guideline's limit of {MaxFileBytes}");
            // Strict UTF-8 (RFC 8259 section 8.1): a byte that is not UTF-8 is an error, not a silent U+FFFD.
            text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(File.ReadAllBytes(path));
        }
        catch (DecoderFallbackException ex)
        {
            throw new ProfileFormatException(path, GuidelineReader.DocumentField, "the file is not UTF-8 text", ex);
        }
        catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
        {
            throw new ProfileFormatException(path, GuidelineReader.DocumentField, $"the file cannot be read: {ex.Message}", ex);
        }
        return GuidelineReader.Read(text, path, source: path);
    }

    /// <summary>A guideline document given as text; <paramref name="name"/> is what errors and Source call it.</summary>
    public static MozillaGuideline Parse(string json, string name) => GuidelineReader.Read(json, name, source: name);

    public override string ToString() => $"Mozilla Server Side TLS {Version}: {string.Join(", ", Configurations.Select(c => c.Name))}";
}
