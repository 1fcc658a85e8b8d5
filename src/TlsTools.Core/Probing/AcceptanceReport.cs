using System.Collections.Generic;
using System.Linq;
using TlsTools.Catalog;

namespace TlsTools.Probing;

/// <summary>Whether the server accepts one protocol version, and which suites it chose for it.</summary>
public sealed class VersionAcceptance
{
    internal VersionAcceptance(TlsProtocol protocol, IReadOnlyList<ushort> suites, string? rejection, bool complete, bool unanswered = false)
    {
        Unanswered = suites.Count == 0 && unanswered;
        Protocol = protocol;
        Suites = suites;
        Accepted = suites.Count > 0;
        Rejection = Accepted ? null : rejection;
        Complete = complete;
    }

    public TlsProtocol Protocol { get; }
    /// <summary>"TLS 1.2".</summary>
    public string ProtocolName => ProtocolVersions.DisplayName(Protocol);
    public bool Accepted { get; }
    /// <summary>Why not accepted: "alert protocol_version (70)", "connection closed", "server answered TLS 1.0"...; null when accepted.</summary>
    public string? Rejection { get; }
    /// <summary>
    /// Nothing was accepted, but not because the server said no: the probe timed out, could not connect, or ran out of the
    /// target's time. "Not accepted" is then unproven, and a verdict must not rest on it.
    /// </summary>
    public bool Unanswered { get; }
    /// <summary>True when the server refused every remaining suite, so <see cref="Suites"/> is all it accepts.</summary>
    public bool Complete { get; }
    /// <summary><see cref="Suites"/> as IANA names joined with ", " (for CSV).</summary>
    public string SuiteNames => string.Join(", ", Suites.Select(CipherSuiteCatalog.NameOf));
    /// <summary>Accepted suite codes in the order the server chose them (its preference, if it enforces one).</summary>
    public IReadOnlyList<ushort> Suites { get; }

    public override string ToString() => Accepted ? $"{ProtocolName}: {SuiteNames}" : $"{ProtocolName}: not accepted ({Rejection})";
}

/// <summary>What a server accepts, version by version.</summary>
public sealed class AcceptanceReport
{
    internal AcceptanceReport(IReadOnlyList<VersionAcceptance> versions, int connections)
    { Versions = versions; Connections = connections; }

    /// <summary>The versions accepted, as flags.</summary>
    public TlsProtocol AcceptedProtocols =>
        Versions.Where(v => v.Accepted).Aggregate(TlsProtocol.None, (all, v) => all | v.Protocol);
    /// <summary>TCP connections made to find this out.</summary>
    public int Connections { get; }
    /// <summary>One entry per probed version, oldest first.</summary>
    public IReadOnlyList<VersionAcceptance> Versions { get; }

    /// <summary>The entry of one version; null for a version that was not probed (SSLv2).</summary>
    public VersionAcceptance? For(TlsProtocol protocol) => Versions.FirstOrDefault(v => v.Protocol == protocol);
}
