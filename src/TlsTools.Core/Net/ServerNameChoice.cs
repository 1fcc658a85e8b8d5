namespace TlsTools.Net;

/// <summary>Which SNI name the options send to an endpoint: Net's reading of the shared options (the Model knows no endpoints).</summary>
public static class ServerNameChoice
{
    /// <summary>The SNI to send to this endpoint, or null for none.</summary>
    public static string? EffectiveServerName(this ConnectionOptions options, TargetEndpoint endpoint)
    {
        if (options.NoServerName) return null;
        if (!string.IsNullOrEmpty(options.ServerName)) return options.ServerName;
        return endpoint.IsIpLiteral ? null : endpoint.Host.TrimEnd('.');
    }
}
