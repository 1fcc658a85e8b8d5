using System;
using System.Collections.Generic;

namespace TlsTools.Assessment.Profiles;

/// <summary>One configuration of a Mozilla Server Side TLS guideline (modern, intermediate), as its JSON gives it.</summary>
public sealed class ProfileConfiguration
{
    public string Name { get; set; } = "";
    /// <summary>The guideline's version ("6.0").</summary>
    public string Version { get; set; } = "";
    /// <summary>Where it was read from: the guideline's href, or the custom file's path.</summary>
    public string Source { get; set; } = "";
}

/// <summary>A guideline: its version and its configurations.</summary>
public sealed class MozillaGuideline
{
    public string Version { get; set; } = "";
    public string Source { get; set; } = "";
    public IReadOnlyList<ProfileConfiguration> Configurations { get; set; } = Array.Empty<ProfileConfiguration>();

    /// <summary>The built-in guideline (6.0). (Placeholder until the JSON reader lands.)</summary>
    public static MozillaGuideline BuiltIn { get; } = new MozillaGuideline
    {
        Version = "6.0",
        Source = "https://ssl-config.mozilla.org/guidelines/6.0.json",
        Configurations = new[]
        {
            new ProfileConfiguration { Name = "modern", Version = "6.0", Source = "https://ssl-config.mozilla.org/guidelines/6.0.json" },
            new ProfileConfiguration { Name = "intermediate", Version = "6.0", Source = "https://ssl-config.mozilla.org/guidelines/6.0.json" },
        },
    };

    /// <summary>A custom guideline file of the same shape as Mozilla's; a malformed one throws <see cref="ProfileFormatException"/> naming the field.</summary>
    public static MozillaGuideline Load(string path) => throw new ProfileFormatException(path, "version", "custom profile files are not read yet");
}

/// <summary>A profile file that cannot be used: which file, which field, and what is wrong with it.</summary>
public sealed class ProfileFormatException : Exception
{
    public ProfileFormatException(string path, string field, string problem)
        : base($"{path}: {field}: {problem}")
    {
        Path = path;
        Field = field;
    }

    public string Path { get; }
    /// <summary>The JSON path of the field at fault (configurations.modern.tls_versions[1]).</summary>
    public string Field { get; }
}
