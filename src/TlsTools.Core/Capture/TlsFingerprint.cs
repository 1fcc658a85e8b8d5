using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using TlsTools.Protocol;

namespace TlsTools.Capture;

/// <summary>
/// Client fingerprints of a ClientHello. JA3 (Salesforce): MD5 of
/// "version,ciphers,extensions,groups,point formats" in decimal, in wire order. JA4 (FoxIO, technical_details/JA4.md):
/// "t{version}{d|i}{ciphers:00}{extensions:00}{alpn}_{sha256(sorted ciphers)[:12]}_{sha256(sorted extensions_sigalgs)[:12]}".
/// Both ignore GREASE values (RFC 8701) everywhere.
/// </summary>
public static class TlsFingerprint
{
    private const ushort SupportedVersionsExtension = 0x002B, EcPointFormatsExtension = 0x000B;
    private const ushort ServerNameExtension = 0x0000, AlpnExtension = 0x0010;

    /// <summary>JA4 version codes; anything else is "00".</summary>
    private static readonly Dictionary<ushort, string> Ja4Versions = new Dictionary<ushort, string>
    {
        [0x0304] = "13", [0x0303] = "12", [0x0302] = "11", [0x0301] = "10", [0x0300] = "s3", [0x0002] = "s2",
        [0xFEFF] = "d1", [0xFEFD] = "d2", [0xFEFC] = "d3",
    };

    /// <summary>RFC 8701: 0x0A0A, 0x1A1A, ... 0xFAFA.</summary>
    public static bool IsGrease(ushort value) => ClientHello.IsGrease(value);

    /// <summary>The JA3 string ("771,4865-4866,0-11-10,29-23,0").</summary>
    public static string Ja3Text(ClientHello hello)
    {
        var formats = hello.Extensions.FirstOrDefault(e => e.Type == EcPointFormatsExtension);
        var pointFormats = formats != null && formats.Data.Length >= 1
            ? formats.Data.Skip(1).Take(formats.Data[0]).Select(b => (ushort)b) : Enumerable.Empty<ushort>();
        return string.Join(",",
            hello.LegacyVersion.ToString(CultureInfo.InvariantCulture),
            Decimal(hello.CipherSuites),
            Decimal(hello.Extensions.Select(e => e.Type)),
            Decimal(hello.SupportedGroups),
            Decimal(pointFormats));
    }

    /// <summary>JA3: the MD5 of <see cref="Ja3Text"/>, lower-case hex.</summary>
    public static string Ja3(ClientHello hello)
    {
        using (var md5 = MD5.Create())
            return Hex(md5.ComputeHash(Encoding.ASCII.GetBytes(Ja3Text(hello))));
    }

    /// <summary>JA4 of a ClientHello carried over TCP ("t13d1516h2_8daaf6152771_e5627efa2ab1").</summary>
    public static string Ja4(ClientHello hello)
    {
        var ciphers = hello.CipherSuites.Where(c => !IsGrease(c)).ToList();
        var extensions = hello.Extensions.Select(e => e.Type).Where(t => !IsGrease(t)).ToList();
        var versions = hello.HasExtension(SupportedVersionsExtension) ? hello.SupportedVersions.Where(v => !IsGrease(v)).ToList() : new List<ushort>();
        ushort version = versions.Count > 0 ? versions.Max() : hello.LegacyVersion;

        string a = "t" + (Ja4Versions.TryGetValue(version, out var v) ? v : "00")
            + (hello.HasExtension(ServerNameExtension) ? "d" : "i")
            + Math.Min(ciphers.Count, 99).ToString("00", CultureInfo.InvariantCulture)
            + Math.Min(extensions.Count, 99).ToString("00", CultureInfo.InvariantCulture)
            + AlpnMarker(hello);
        string b = ciphers.Count == 0 ? "000000000000" : Sha256Prefix(SortedHex(ciphers));
        var hashed = extensions.Where(t => t != ServerNameExtension && t != AlpnExtension).ToList();
        var signatures = hello.SignatureSchemes.Where(s => !IsGrease(s)).Select(s => s.ToString("x4")).ToList();
        string c = hashed.Count == 0 ? "000000000000"
            : Sha256Prefix(SortedHex(hashed) + (signatures.Count > 0 ? "_" + string.Join(",", signatures) : ""));
        return $"{a}_{b}_{c}";
    }

    /// <summary>First and last character of the first ALPN value; hex digits instead when either is not alphanumeric.</summary>
    private static string AlpnMarker(ClientHello hello)
    {
        var alpn = hello.Extensions.FirstOrDefault(e => e.Type == AlpnExtension);
        // The raw value, not the decoded string: the rule is about bytes. Layout: list length(2), name length(1), name.
        if (alpn == null || alpn.Data.Length < 4 || alpn.Data[2] == 0 || alpn.Data.Length < 3 + alpn.Data[2]) return "00";
        byte first = alpn.Data[3], last = alpn.Data[2 + alpn.Data[2]];
        if (IsAlphanumeric(first) && IsAlphanumeric(last)) return $"{(char)first}{(char)last}";
        string hex = first.ToString("x2") + last.ToString("x2");
        return $"{hex[0]}{hex[3]}";
    }

    private static bool IsAlphanumeric(byte b) => (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A);

    private static string Decimal(IEnumerable<ushort> values) =>
        string.Join("-", values.Where(x => !IsGrease(x)).Select(x => x.ToString(CultureInfo.InvariantCulture)));

    private static string SortedHex(IEnumerable<ushort> values) =>
        string.Join(",", values.Select(x => x.ToString("x4")).OrderBy(x => x, StringComparer.Ordinal));

    internal static string Sha256Prefix(string text)
    {
        using (var sha = SHA256.Create())
            return Hex(sha.ComputeHash(Encoding.ASCII.GetBytes(text))).Substring(0, 12);
    }

    private static string Hex(byte[] bytes) => BitConverter.ToString(bytes).Replace("-", "").ToLowerInvariant();
}
