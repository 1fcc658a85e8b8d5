using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using TlsTools;
using TlsTools.Catalog;
using Xunit;

namespace TlsTools.Core.Tests;

public class CatalogCipherSuiteTests
{
    [Fact]
    public void EcdheRsaAes128Gcm_IsFullyDescribed()
    {
        Assert.True(CipherSuiteCatalog.TryGet(0xC02F, out var s));
        Assert.Equal("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", s.Name);
        Assert.Equal("ECDHE-RSA-AES128-GCM-SHA256", s.OpenSslName);
        Assert.Equal("0xC02F", s.CodeText);
        Assert.Equal("ECDHE", s.KeyExchange);
        Assert.Equal("RSA", s.Authentication);
        Assert.Equal("AES_128_GCM", s.Encryption);
        Assert.Equal(128, s.Bits);
        Assert.Equal("AEAD", s.Mac);
        Assert.True(s.Aead);
        Assert.True(s.ForwardSecrecy);
        Assert.False(s.IsTls13);
        Assert.Equal(TlsProtocol.Tls12, s.Protocols);
        Assert.Equal(CipherSuiteRating.Recommended, s.Rating);
    }

    [Theory]
    [InlineData(0x000A, "TLS_RSA_WITH_3DES_EDE_CBC_SHA", "DES-CBC3-SHA", "3DES_EDE_CBC", 112, "64-bit block cipher (Sweet32)")]
    [InlineData(0x0005, "TLS_RSA_WITH_RC4_128_SHA", "RC4-SHA", "RC4_128", 128, "RC4 is broken (RFC 7465)")]
    [InlineData(0x0004, "TLS_RSA_WITH_RC4_128_MD5", "RC4-MD5", "RC4_128", 128, "RC4 is broken (RFC 7465)")]
    [InlineData(0x0003, "TLS_RSA_EXPORT_WITH_RC4_40_MD5", "EXP-RC4-MD5", "RC4_40", 40, "export-grade cryptography")]
    [InlineData(0x0001, "TLS_RSA_WITH_NULL_MD5", "NULL-MD5", "NULL", 0, "no encryption")]
    [InlineData(0x0034, "TLS_DH_anon_WITH_AES_128_CBC_SHA", "ADH-AES128-SHA", "AES_128_CBC", 128, "anonymous key exchange: the server is not authenticated")]
    [InlineData(0x0016, "TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA", "EDH-RSA-DES-CBC3-SHA", "3DES_EDE_CBC", 112, "64-bit block cipher (Sweet32)")]
    [InlineData(0x0009, "TLS_RSA_WITH_DES_CBC_SHA", "DES-CBC-SHA", "DES_CBC", 56, "single DES: 56-bit key or less")]
    public void BrokenSuites_AreInsecure(int code, string iana, string openssl, string encryption, int bits, string reason)
    {
        Assert.True(CipherSuiteCatalog.TryGet((ushort)code, out var s));
        Assert.Equal(iana, s.Name);
        Assert.Equal(openssl, s.OpenSslName);
        Assert.Equal(encryption, s.Encryption);
        Assert.Equal(bits, s.Bits);
        Assert.Equal(CipherSuiteRating.Insecure, s.Rating);
        Assert.Equal(reason, s.RatingReason);
    }

    [Theory]
    [InlineData(0x002F, "AES128-SHA", "RSA", "SHA1", CipherSuiteRating.Weak, "no forward secrecy")]
    [InlineData(0x009C, "AES128-GCM-SHA256", "RSA", "AEAD", CipherSuiteRating.Weak, "no forward secrecy")]
    [InlineData(0xC013, "ECDHE-RSA-AES128-SHA", "ECDHE", "SHA1", CipherSuiteRating.Weak, "not AEAD (CBC or stream cipher with separate MAC)")]
    [InlineData(0xC028, "ECDHE-RSA-AES256-SHA384", "ECDHE", "SHA384", CipherSuiteRating.Weak, "not AEAD (CBC or stream cipher with separate MAC)")]
    [InlineData(0xC061, "ECDHE-ARIA256-GCM-SHA384", "ECDHE", "AEAD", CipherSuiteRating.Secure, "forward secrecy and AEAD")]
    [InlineData(0xCCA8, "ECDHE-RSA-CHACHA20-POLY1305", "ECDHE", "AEAD", CipherSuiteRating.Recommended, "IANA recommended")]
    [InlineData(0xC0A2, "DHE-RSA-AES128-CCM8", "DHE", "AEAD", CipherSuiteRating.Secure, "forward secrecy and AEAD")]
    public void ModernAndLegacySuites_AreRatedByRule(int code, string openssl, string kx, string mac, CipherSuiteRating rating, string reason)
    {
        Assert.True(CipherSuiteCatalog.TryGet((ushort)code, out var s));
        Assert.Equal(openssl, s.OpenSslName);
        Assert.Equal(kx, s.KeyExchange);
        Assert.Equal(mac, s.Mac);
        Assert.Equal(rating, s.Rating);
        Assert.Equal(reason, s.RatingReason);
    }

    [Fact]
    public void Tls13Suite_KeepsIanaNameInOpenSsl()
    {
        Assert.True(CipherSuiteCatalog.TryGet(0x1301, out var s));
        Assert.Equal("TLS_AES_128_GCM_SHA256", s.Name);
        Assert.Equal("TLS_AES_128_GCM_SHA256", s.OpenSslName);
        Assert.True(s.IsTls13);
        Assert.Equal(TlsProtocol.Tls13, s.Protocols);
        Assert.Equal("any", s.KeyExchange);
        Assert.Equal("AES_128_GCM", s.Encryption);
        Assert.True(s.ForwardSecrecy);
        Assert.Equal(CipherSuiteRating.Recommended, s.Rating);

        Assert.True(CipherSuiteCatalog.TryGet(0x1305, out var ccm8));
        Assert.Equal(CipherSuiteRating.Secure, ccm8.Rating);   // IANA withdrew Recommended for CCM_8
        Assert.Equal("AES_128_CCM_8", ccm8.Encryption);
    }

    [Fact]
    public void IntegrityOnlyTls13Suite_IsNullEncryption()
    {
        var s = CipherSuiteCatalog.Find("TLS_SHA256_SHA256");
        Assert.NotNull(s);
        Assert.Equal(0xC0B4, s.Code);
        Assert.True(s.IsTls13);
        Assert.Equal("NULL", s.Encryption);
        Assert.Equal(CipherSuiteRating.Insecure, s.Rating);
    }

    [Fact]
    public void Find_AcceptsIanaAndOpenSslNames_CaseInsensitive()
    {
        static ushort CodeOf(string name)
        {
            var suite = CipherSuiteCatalog.Find(name);
            Assert.NotNull(suite);
            return suite.Code;
        }

        Assert.Equal(0x0035, CodeOf("aes256-sha"));
        Assert.Equal(0x0035, CodeOf("TLS_RSA_WITH_AES_256_CBC_SHA"));
        Assert.Equal(0xC030, CodeOf("tls_ecdhe_rsa_with_aes_256_gcm_sha384"));
        Assert.Equal(0x1303, CodeOf("TLS_CHACHA20_POLY1305_SHA256"));
        Assert.Null(CipherSuiteCatalog.Find("NOT-A-SUITE"));
        Assert.Null(CipherSuiteCatalog.Find(null));
    }

    [Fact]
    public void NameOf_UnknownCode_SaysSo()
    {
        Assert.Equal("TLS_RSA_WITH_AES_128_CBC_SHA", CipherSuiteCatalog.NameOf(0x002F));
        Assert.Equal("0x0A0A (unknown)", CipherSuiteCatalog.NameOf(0x0A0A));   // GREASE is bookkeeping, not a suite
        Assert.Equal("0xFFFE (unknown)", CipherSuiteCatalog.NameOf(0xFFFE));
    }

    [Fact]
    public void Catalog_HoldsOnlyAssignedRows_AndAllOfThem()
    {
        var all = CipherSuiteCatalog.All;
        Assert.DoesNotContain(all, s => s.Name.StartsWith("Unassigned") || s.Name.StartsWith("Reserved"));
        Assert.Equal(all.Count, all.Select(s => s.Code).Distinct().Count());
        Assert.All(all, s => Assert.StartsWith("TLS_", s.Name));
        // The embedded CSV has 352 rows of the form "0xHH,0xHH",TLS_... (counted with grep); a parsing slip moves this.
        Assert.Equal(352, all.Count);
        Assert.Equal(5, all.Count(s => s.Code >= 0x1301 && s.Code <= 0x1305));
        Assert.Equal(2, all.Count(s => s.IsSignaling));
        Assert.True(CipherSuiteCatalog.TryGet(0x00FF, out var scsv));
        Assert.Equal("TLS_EMPTY_RENEGOTIATION_INFO_SCSV", scsv.Name);
    }

    [Fact]
    public void EveryKeyExchangeAndCipherFamily_IsKnownToTheTables()
    {
        var kx = new HashSet<string> { "NULL", "RSA", "DH", "DHE", "ECDH", "ECDHE", "PSK", "SRP", "KRB5", "ECCPWD", "GOST", "any" };
        var unknownKx = CipherSuiteCatalog.All.Where(s => !kx.Contains(s.KeyExchange)).Select(s => s.Name).ToList();
        Assert.Empty(unknownKx);
        var unsized = CipherSuiteCatalog.All.Where(s => s.Encryption != "NULL" && s.Bits == 0).Select(s => s.Name).ToList();
        Assert.Empty(unsized);
    }

    [Fact]
    public void OpenSslNames_AgreeWithOpenSslItself()
    {
        // Cross-check with a tool nobody here wrote: every suite this machine's OpenSSL knows.
        var lines = RunOpenSsl("ciphers -V ALL:COMPLEMENTOFALL:@SECLEVEL=0");
        var mismatches = new List<string>();
        int checkedCount = 0;
        foreach (var line in lines.Split('\n').Where(l => l.Contains("0x")))
        {
            var fields = line.Trim().Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);
            var bytes = fields[0].Split(',');
            ushort code = (ushort)((Convert.ToByte(bytes[0], 16) << 8) | Convert.ToByte(bytes[1], 16));
            string opensslName = fields[2];
            checkedCount++;
            if (!CipherSuiteCatalog.TryGet(code, out var s)) { mismatches.Add($"{fields[0]} missing"); continue; }
            if (s.OpenSslName != opensslName) mismatches.Add($"{s.CodeText} {s.Name}: ours {s.OpenSslName}, openssl {opensslName}");
        }
        Assert.True(checkedCount > 100, "openssl listed too few suites: " + checkedCount);
        Assert.Empty(mismatches);
    }

    internal static string RunOpenSsl(string arguments)
    {
        var psi = new ProcessStartInfo("openssl", arguments)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        using (var p = Process.Start(psi) ?? throw new InvalidOperationException("openssl did not start"))
        {
            string output = p.StandardOutput.ReadToEnd();
            p.WaitForExit(10000);
            return output;
        }
    }
}
