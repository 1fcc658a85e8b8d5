using TlsTools.Catalog;

namespace TlsTools.Assessment.Checks;

/// <summary>Wording the checks' evidence shares.</summary>
internal static class CheckWording
{
    /// <summary>"a TLS 1.2", "an SSLv3": the version's name with the article it is read with.</summary>
    public static string AVersion(TlsProtocol version)
    {
        var name = ProtocolVersions.DisplayName(version);
        return (name.StartsWith("SSL", System.StringComparison.Ordinal) ? "an " : "a ") + name;
    }
}
