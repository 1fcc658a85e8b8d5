using System;

namespace TlsTools.Assessment.Profiles;

/// <summary>A profile file that cannot be used: which file, which field, and what is wrong with it.</summary>
public sealed class ProfileFormatException : Exception
{
    public ProfileFormatException(string path, string field, string problem, Exception? inner = null)
        : base($"{path}: {field}: {problem}", inner)
    {
        Path = path;
        Field = field;
        Problem = problem;
    }

    public string Path { get; }
    /// <summary>The JSON path of the field at fault (configurations.modern.tls_versions[1]).</summary>
    public string Field { get; }
    public string Problem { get; }
}
