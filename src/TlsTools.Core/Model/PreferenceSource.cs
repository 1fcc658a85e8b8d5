namespace TlsTools;

/// <summary>Whose order decides which of several acceptable suites (or groups) the server picks.</summary>
public enum PreferenceSource
{
    /// <summary>The server picks by its own preference, whatever order the client offers.</summary>
    Server,
    /// <summary>The server picks the first acceptable entry of the client's list.</summary>
    Client,
    /// <summary>Fewer than two entries accepted, or the probes broke off: there is no order to tell.</summary>
    Undetermined,
    /// <summary>Neither rule explains the answers (e.g. ChaCha20 preferred only when the client puts it first).</summary>
    Mixed,
}
