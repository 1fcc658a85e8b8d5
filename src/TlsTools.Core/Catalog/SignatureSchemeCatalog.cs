using System;
using System.Collections.Generic;
using System.Linq;
using System.Diagnostics.CodeAnalysis;

namespace TlsTools.Catalog;

/// <summary>A signature algorithm (TLS SignatureScheme registry).</summary>
public sealed class SignatureSchemeInfo : RegistryEntry
{
    /// <remarks>Names: rsa_pss_rsae_sha256, ecdsa_secp256r1_sha256, ed25519...</remarks>
    internal SignatureSchemeInfo(RegistryRow row) : base(row) { }
}

/// <summary>Signature schemes from the embedded IANA registry.</summary>
public static class SignatureSchemeCatalog
{
    private static readonly Lazy<RegistryIndex<SignatureSchemeInfo>> Index = new Lazy<RegistryIndex<SignatureSchemeInfo>>(
        () => new RegistryIndex<SignatureSchemeInfo>(
            RegistryCsv.LoadRows("iana-tls-signature-schemes.csv").Select(r => new SignatureSchemeInfo(r)),
            s => s.Code, s => new[] { s.Name }), isThreadSafe: true);

    public static IReadOnlyList<SignatureSchemeInfo> All => Index.Value.All;
    public static bool TryGet(ushort code, [MaybeNullWhen(false)] out SignatureSchemeInfo scheme) => Index.Value.TryGet(code, out scheme);
    public static SignatureSchemeInfo? Find(string? name) => Index.Value.Find(name);
    public static string NameOf(ushort code) => TryGet(code, out var scheme) ? scheme.Name : CodeFormat.Unknown(code);
}
