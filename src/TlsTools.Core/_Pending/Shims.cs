// TEMPORARY: stand-ins for APIs being built on other branches (catalog, certs). Deleted at merge.
using System;
using System.Collections.Generic;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;

namespace TlsTools.Catalog
{
    public static class AlertCatalog { public static string Describe(byte level, byte description) => $"{(level == 2 ? "fatal" : "warning")} alert ({description})"; }
    public static class CipherSuiteCatalog { public static string NameOf(ushort code) => $"0x{code:X4}"; }
    public static class NamedGroupCatalog { public static string NameOf(ushort code) => $"group {code}"; }
}
namespace TlsTools.Probing
{
    public sealed class VersionAcceptance { public TlsProtocol Protocol { get; set; } public bool Accepted { get; set; } public IReadOnlyList<ushort> Suites { get; set; } = Array.Empty<ushort>(); public string Rejection { get; set; } }
    public sealed class AcceptanceReport { public IReadOnlyList<VersionAcceptance> Versions { get; set; } = Array.Empty<VersionAcceptance>(); public int Connections { get; set; } }
    public sealed class AcceptanceProber
    {
        public static Task<AcceptanceReport> ProbeAsync(IPEndPoint endpoint, string serverName, TimeSpan perConnectionTimeout, CancellationToken ct, int maxSuitesPerVersion = 8)
            => Task.FromResult(new AcceptanceReport());
    }
}
