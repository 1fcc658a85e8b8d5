using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace TlsTools.Assessment.Grading;

/// <summary>
/// The numbers of the SSL Labs SSL Server Rating Guide (github.com/ssllabs/research/wiki/SSL-Server-Rating-Guide,
/// version 2009r; the tables are unchanged since 2009 except SSL 2.0, which 2009c set to 0 %). Each table is a list
/// of rows, read top to bottom: the first row whose bound the value is under gives the score.
/// </summary>
public static class ScoreTables
{
    /// <summary>Category weights, "Criteria categories": 30 % protocol support, 30 % key exchange, 40 % cipher strength.</summary>
    public const int ProtocolWeight = 30, KeyExchangeWeight = 30, CipherWeight = 40;

    /// <summary>
    /// "Protocol support rating guide". The guide has no TLS 1.3 row (it predates it); TLS 1.3 scores as TLS 1.2,
    /// the best row, as SSL Labs scores it (a TLS 1.2 + 1.3 server shows 100 %).
    /// </summary>
    public static readonly IReadOnlyList<(TlsProtocol Protocol, int Score)> Protocols = new[]
    {
        (TlsProtocol.Ssl2, 0),
        (TlsProtocol.Ssl3, 80),
        (TlsProtocol.Tls10, 90),
        (TlsProtocol.Tls11, 95),
        (TlsProtocol.Tls12, 100),
        (TlsProtocol.Tls13, 100),
    };

    /// <summary>"Key exchange rating guide": key or DH parameter strength in (RSA-equivalent) bits, under the bound.</summary>
    public static readonly IReadOnlyList<(int Under, int Score)> KeyExchange = new[]
    {
        (512, 20),
        (1024, 40),
        (2048, 80),
        (4096, 90),
        (int.MaxValue, 100),
    };

    /// <summary>"Key exchange rating guide": anonymous key exchange (no authentication) scores 0 %.</summary>
    public const int AnonymousKeyExchangeScore = 0;
    /// <summary>"Key exchange rating guide": exportable key exchange (limited to 512 bits) scores 40 %.</summary>
    public const int ExportKeyExchangeScore = 40;

    /// <summary>"Cipher strength rating guide": 0 bits (no encryption) 0 %, under 128 bits 20 %, under 256 bits 80 %, else 100 %.</summary>
    public static readonly IReadOnlyList<(int Under, int Score)> CipherStrength = new[]
    {
        (1, 0),
        (128, 20),
        (256, 80),
        (int.MaxValue, 100),
    };

    /// <summary>"Letter grade translation": the lowest score of each letter, best first.</summary>
    public static readonly IReadOnlyList<(int AtLeast, string Letter)> Letters = new[]
    {
        (80, "A"),
        (65, "B"),
        (50, "C"),
        (35, "D"),
        (20, "E"),
        (0, "F"),
    };

    /// <summary>
    /// The guide's key table is in RSA (and finite-field DH) bits. An elliptic-curve key or group is compared at the
    /// RSA size of the same security strength, NIST SP 800-57 Part 1 Rev. 5, Table 2: 80-bit security = RSA 1024,
    /// 112 = 2048, 128 = 3072, 192 = 7680, 256 = 15360 (so a P-256 or X25519 key exchange counts as 3072 bits).
    /// </summary>
    public static readonly IReadOnlyList<(int SecurityBits, int RsaBits)> RsaEquivalent = new[]
    {
        (256, 15360),
        (192, 7680),
        (128, 3072),
        (112, 2048),
        (80, 1024),
        (0, 512),
    };

    /// <summary>
    /// Security strength of the named groups whose strength is not half their name's number: the Montgomery curves
    /// (RFC 7748 §1: X25519 about 128 bits, X448 about 224) and the hybrids, which are at least as strong as their
    /// classical part (draft-ietf-tls-ecdhe-mlkem).
    /// </summary>
    static readonly Dictionary<string, int> GroupSecurityBits = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase)
    {
        ["x25519"] = 128,
        ["x448"] = 224,
        ["X25519MLKEM768"] = 128,
        ["SecP256r1MLKEM768"] = 128,
        ["SecP384r1MLKEM1024"] = 192,
    };

    public static int ProtocolScore(TlsProtocol version) => Protocols.First(row => row.Protocol == version).Score;

    public static int KeyExchangeScore(int rsaEquivalentBits) => KeyExchange.First(row => rsaEquivalentBits < row.Under).Score;

    public static int CipherScore(int bits) => CipherStrength.First(row => bits < row.Under).Score;

    public static string Letter(int score) => Letters.First(row => score >= row.AtLeast).Letter;

    /// <summary>The RSA size of the same security strength (SP 800-57 Table 2).</summary>
    public static int RsaBitsForSecurity(int securityBits) => RsaEquivalent.First(row => securityBits >= row.SecurityBits).RsaBits;

    /// <summary>
    /// A certificate key as RSA-equivalent bits: RSA and DSA as they are, EC at half its field size of security,
    /// EdDSA at its curve's; null when the algorithm is unknown.
    /// </summary>
    public static int? CertificateKeyBits(string algorithm, int size)
    {
        switch (algorithm)
        {
            case "RSA":
            case "DSA": return size;
            case "EC": return RsaBitsForSecurity(size / 2);
            case "Ed25519": return RsaBitsForSecurity(128);
            case "Ed448": return RsaBitsForSecurity(224);
            default: return null;
        }
    }

    /// <summary>
    /// A key-exchange group as RSA-equivalent bits: RFC 7919 ffdhe groups at their prime size, curves and hybrids at
    /// their security strength; a curve named by its size (secp256r1, brainpoolP384r1, sect283k1) at half of it.
    /// Null when the name says nothing of its size.
    /// </summary>
    public static int? GroupBits(string? group)
    {
        if (string.IsNullOrEmpty(group)) return null;
        if (GroupSecurityBits.TryGetValue(group!, out int security)) return RsaBitsForSecurity(security);
        var dh = Regex.Match(group, @"^(?:ffdhe|DH )(\d+)", RegexOptions.IgnoreCase);
        if (dh.Success) return int.Parse(dh.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var curve = Regex.Match(group, @"^(?:secp|sect|brainpoolP|prime)(\d+)", RegexOptions.IgnoreCase);
        if (curve.Success) return RsaBitsForSecurity(int.Parse(curve.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) / 2);
        return null;
    }
}
