using System;
using System.Collections.Generic;
using System.Linq;
using System.Diagnostics.CodeAnalysis;
using TlsTools.Protocol;

namespace TlsTools.Catalog;

/// <summary>A key-exchange group (TLS supported_groups registry).</summary>
public sealed class NamedGroupInfo : RegistryEntry
{
    /// <remarks>Names: x25519, secp256r1, ffdhe2048, X25519MLKEM768...</remarks>
    internal NamedGroupInfo(RegistryRow row) : base(row) { }
    /// <summary>RFC 7919 finite-field groups live at 0x0100-0x01FF; everything else is elliptic or hybrid.</summary>
    public bool IsFiniteField => Code >= 0x0100 && Code <= 0x01FF;
}

/// <summary>Groups from the embedded IANA supported-groups registry.</summary>
public static class NamedGroupCatalog
{
    public const ushort X25519 = TlsNamedGroup.X25519;
    public const ushort Secp256r1 = TlsNamedGroup.Secp256r1;

    /// <summary>
    /// Other names of the same curves, which <see cref="Find"/> also accepts: OpenSSL's X9.62 name (what `openssl
    /// x509 -text`, certificate inspection and Mozilla's guideline JSON write) and the NIST names. Case is ignored
    /// anyway, so X25519 already finds x25519.
    /// </summary>
    private static readonly Dictionary<ushort, string[]> Aliases = new Dictionary<ushort, string[]>
    {
        [23] = new[] { "prime256v1", "P-256" },
        [24] = new[] { "P-384" },
        [25] = new[] { "P-521" },
    };

    private static readonly Lazy<RegistryIndex<NamedGroupInfo>> Index = new Lazy<RegistryIndex<NamedGroupInfo>>(
        () => new RegistryIndex<NamedGroupInfo>(
            RegistryCsv.LoadRows("iana-tls-supported-groups.csv").Select(r => new NamedGroupInfo(r)),
            g => g.Code, g => new[] { g.Name }.Concat(Aliases.TryGetValue(g.Code, out var other) ? other : Array.Empty<string>())), isThreadSafe: true);

    public static IReadOnlyList<NamedGroupInfo> All => Index.Value.All;
    public static bool TryGet(ushort code, [MaybeNullWhen(false)] out NamedGroupInfo group) => Index.Value.TryGet(code, out group);
    public static NamedGroupInfo? Find(string? name) => Index.Value.Find(name);
    public static string NameOf(ushort code) => TryGet(code, out var group) ? group.Name : CodeFormat.Unknown(code);
}
