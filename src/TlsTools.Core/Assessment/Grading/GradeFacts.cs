using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using TlsTools.Catalog;
using TlsTools.Protocol;

namespace TlsTools.Assessment.Grading;

/// <summary>One accepted (version, suite) row with what the grade asks of it, read from the row and the catalogs.</summary>
public sealed class GradedSuite
{
    internal GradedSuite(CipherSupportResult row, bool export)
    {
        Row = row;
        Export = export;
    }

    public CipherSupportResult Row { get; }
    public TlsProtocol Protocol => Row.Protocol;
    public string Name => Row.CipherSuite ?? Row.Code ?? "?";
    public int Bits => Row.Bits ?? 0;
    public bool Export { get; }
    public bool Anonymous => string.Equals(Row.Authentication, "anon", StringComparison.OrdinalIgnoreCase);
    public bool Rc4 => Encryption.StartsWith("RC4", StringComparison.OrdinalIgnoreCase);
    /// <summary>A 64-bit block cipher (Sweet32): 3DES, DES, IDEA, RC2.</summary>
    public bool Block64 => Block64Ciphers.Any(c => Encryption.StartsWith(c, StringComparison.OrdinalIgnoreCase));
    public bool Cbc => Encryption.IndexOf("CBC", StringComparison.OrdinalIgnoreCase) >= 0;
    string Encryption => Row.Encryption ?? "";

    static readonly string[] Block64Ciphers = { "3DES", "DES", "IDEA", "RC2" };
}

/// <summary>
/// The evidence as the grade reads it: the accepted suites with their catalog facts, the leaf's key as RSA-equivalent
/// bits, and the key-exchange strength of every suite (the guide's "key or DH parameter strength"). Pure: no I/O.
/// </summary>
public sealed class GradeFacts
{
    public GradeFacts(ServerEvidence evidence)
    {
        Evidence = evidence;
        Suites = evidence.Suites.Where(r => r.CipherSuite != null || r.Code != null).Select(r => new GradedSuite(r, IsExport(r))).ToList();
        var leaf = evidence.Leaf;
        LeafKeyBits = leaf == null ? null : ScoreTables.CertificateKeyBits(leaf.KeyAlgorithm, leaf.KeySize);
    }

    public ServerEvidence Evidence { get; }
    public IReadOnlyList<GradedSuite> Suites { get; }
    /// <summary>The leaf's key in RSA-equivalent bits; null without a chain or for an unknown key type.</summary>
    public int? LeafKeyBits { get; }

    public bool HasChain => Evidence.Chain != null && Evidence.Leaf != null;

    public IEnumerable<GradedSuite> With(TlsProtocol version) => Suites.Where(s => s.Protocol == version);
    /// <summary>The suites accepted with TLS 1.1 or later (what SSL Labs calls the modern protocols).</summary>
    public IEnumerable<GradedSuite> ModernProtocolSuites => Suites.Where(s => s.Protocol >= TlsProtocol.Tls11);

    /// <summary>
    /// The key exchange's strength of one suite in RSA-equivalent bits: the weaker of the server key and the
    /// ephemeral parameters (the guide's note: with DHE, "the strength of the key exchange will never go above" the
    /// DH parameters). Export suites are limited to 512 bits. Null when neither is known.
    /// </summary>
    public int? KeyExchangeBits(GradedSuite suite)
    {
        var parts = new List<int>();
        if (LeafKeyBits is int key && !suite.Anonymous) parts.Add(key);
        if (ParameterBits(suite) is int parameter) parts.Add(parameter);
        if (suite.Export) parts.Add(512);
        return parts.Count == 0 ? (int?)null : parts.Min();
    }

    /// <summary>
    /// The ephemeral parameters of a suite as the server chose them for our probe: its DH prime, else its group (as SSL
    /// Labs grades what its handshakes negotiate, not every group a client could ask for). Null for static key exchange.
    /// </summary>
    public int? ParameterBits(GradedSuite suite) => suite.Row.DhBits ?? ScoreTables.GroupBits(suite.Row.KeyExchangeGroup);

    /// <summary>The parameters in words: "DH 1024 bits", "secp160r1, as strong as RSA 1024 bits".</summary>
    public string ParameterText(GradedSuite suite) =>
        suite.Row.DhBits is int dh ? $"DH {dh} bits"
        : ScoreTables.GroupBits(suite.Row.KeyExchangeGroup) is int bits ? $"{suite.Row.KeyExchangeGroup}, as strong as RSA {bits} bits" : "unknown";

    /// <summary>Up to three names, then how many more: the evidence part of a reason.</summary>
    public static string List(IEnumerable<string> names)
    {
        var all = names.Distinct().ToList();
        var shown = string.Join(", ", all.Take(3));
        return all.Count > 3 ? $"{shown} and {all.Count - 3} more" : shown;
    }

    public static string Version(TlsProtocol version) => ProtocolVersions.DisplayName(version);

    static bool IsExport(CipherSupportResult row)
    {
        if (row.Protocol == TlsProtocol.Ssl2)
            return CodeOf(row) is int kind && Ssl2CipherKindCatalog.Find((Ssl2CipherKind)kind)?.Export == true;
        if (CodeOf(row) is int code && code <= ushort.MaxValue && CipherSuiteCatalog.TryGet((ushort)code, out var suite)) return suite.Export;
        return CipherSuiteCatalog.Find(row.CipherSuite)?.Export == true;
    }

    static int? CodeOf(CipherSupportResult row) =>
        row.Code != null && row.Code.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
        && int.TryParse(row.Code.Substring(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int code) ? code : (int?)null;
}
