using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using TlsTools.Assessment;
using TlsTools.Assessment.Checks;
using TlsTools.Net;
using TlsTools.TestServers;
using Xunit;

namespace TlsTools.Core.Tests;

/// <summary>
/// The weak-cryptography checks (Poodle, Drown, Freak, Logjam, Sweet32, Rc4, Beast, Lucky13) on the evidence of real
/// scans: each test runs Test-TlsServer's engine (the scan, then the checks) against a Start-TlsTestServer scenario or
/// openssl s_server on 127.0.0.1 and asserts the verdict, the evidence and the connections. The evidence-only checks
/// make none; Logjam makes one to read the ServerKeyExchange's prime, which is matched against dh-primes.tsv (checked
/// here against BouncyCastle's and OpenSSL's own copies of the RFC groups).
/// </summary>
public class AssessmentChecksWeakCryptoTests
{
    static readonly string[] WeakCryptoChecks = { "Poodle", "Drown", "Freak", "Logjam", "Sweet32", "Rc4", "Beast", "Lucky13" };

    static async Task<ServerCheckResultList> Assess(int port)
    {
        var request = new ServerAssessmentRequest
        {
            Target = new TargetEndpoint("127.0.0.1", port, true),
            Options = new ConnectionOptions { Timeout = TimeSpan.FromSeconds(15), NoProxy = true },
            NoHttp = true,
            Checks = ServerCheckCatalog.Select(WeakCryptoChecks, null),
        };
        var assessment = await ServerAssessor.AssessAsync(request, CancellationToken.None);
        Assert.Equal(WeakCryptoChecks, assessment.Vulnerabilities.Select(v => v.Name));
        return assessment.Vulnerabilities;
    }

    static async Task<ServerCheckResultList> AssessScenario(string scenario)
    {
        var server = TestServerHost.Start(scenario, IPAddress.Loopback, 0);
        try { return await Assess(server.Port); }
        finally { TestServerHost.Stop(server); }
    }

    static ServerCheckResult Check(ServerCheckResultList results, string name) => results[name]!;

    static void AssertEvidenceOnly(ServerCheckResult result, CheckVerdict verdict, string evidence)
    {
        Assert.True(verdict == result.Verdict, $"{result.Name}: {result.Verdict}: {result.Evidence}");
        Assert.Equal(evidence, result.Evidence);
        Assert.Equal(0, result.ConnectionCount);
    }

    [Fact]
    public async Task WeakCiphers_3DES_DES_RC4_with_TLS10_to_12_is_Sweet32_Rc4_Beast_Lucky13_and_nothing_else()
    {
        var r = await AssessScenario("WeakCiphers");
        AssertEvidenceOnly(Check(r, "Sweet32"), CheckVerdict.Vulnerable,
            "from the scan: 64-bit block ciphers are accepted: TLS_RSA_WITH_3DES_EDE_CBC_SHA (TLS 1.0, TLS 1.1, TLS 1.2), TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA (TLS 1.0, TLS 1.1, TLS 1.2), TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA (TLS 1.0, TLS 1.1, TLS 1.2) and 1 more; a birthday collision after about 32 GB under one key reveals plaintext (Sweet32)");
        AssertEvidenceOnly(Check(r, "Rc4"), CheckVerdict.Vulnerable,
            "from the scan: RC4 suites are accepted: TLS_RSA_WITH_RC4_128_SHA (TLS 1.0, TLS 1.1, TLS 1.2), TLS_RSA_WITH_RC4_128_MD5 (TLS 1.0, TLS 1.1, TLS 1.2), TLS_ECDHE_RSA_WITH_RC4_128_SHA (TLS 1.0, TLS 1.1, TLS 1.2); RC4's keystream biases reveal repeated plaintext (RFC 7465 prohibits RC4)");
        var beast = Check(r, "Beast");
        Assert.Equal(CheckVerdict.Vulnerable, beast.Verdict);
        Assert.StartsWith("from the scan: CBC suites are accepted with TLS 1.0: TLS_RSA_WITH_3DES_EDE_CBC_SHA (TLS 1.0)", beast.Evidence);
        Assert.EndsWith("(BEAST). Current clients mitigate it with 1/n-1 record splitting; TLS 1.1 and later use explicit IVs", beast.Evidence);
        Assert.Equal(0, beast.ConnectionCount);
        var lucky = Check(r, "Lucky13");
        Assert.Equal(CheckVerdict.Vulnerable, lucky.Verdict);
        Assert.Contains("potentially vulnerable: their MAC-then-encrypt padding check leaks timing (Lucky Thirteen) unless the TLS library checks in constant time, which cannot be seen from the wire", lucky.Evidence);
        AssertEvidenceOnly(Check(r, "Freak"), CheckVerdict.NotVulnerable, "from the scan: no RSA export suite is accepted");
        AssertEvidenceOnly(Check(r, "Poodle"), CheckVerdict.NotVulnerable, "from the scan: SSLv3 is refused, so there is no SSLv3 CBC padding to attack");
        AssertEvidenceOnly(Check(r, "Drown"), CheckVerdict.NotVulnerable,
            "from the scan: SSLv2 is refused here; key reuse on other hosts cannot be checked from here (a server that shares this RSA key and accepts SSLv2 still decrypts these sessions)");
        // TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA is accepted: one connection reads BouncyCastle's default group.
        var logjam = Check(r, "Logjam");
        Assert.Equal(CheckVerdict.NotVulnerable, logjam.Verdict);
        Assert.Equal("the TLS 1.2 ServerKeyExchange for TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA carries the 2048-bit prime ffdhe2048 (RFC 7919 A.1): well known, but 2048 bits or more is beyond precomputation", logjam.Evidence);
        Assert.Equal(1, logjam.ConnectionCount);
    }

    [Fact]
    public async Task ExportCiphers_is_Freak_and_Poodle_with_SSLv3_CBC_export_suites()
    {
        var r = await AssessScenario("ExportCiphers");
        AssertEvidenceOnly(Check(r, "Freak"), CheckVerdict.Vulnerable,
            "from the scan: RSA export suites are accepted: TLS_RSA_EXPORT_WITH_RC4_40_MD5 (SSLv3, TLS 1.0), TLS_RSA_EXPORT_WITH_RC2_CBC_40_MD5 (SSLv3, TLS 1.0), TLS_RSA_EXPORT_WITH_DES40_CBC_SHA (SSLv3, TLS 1.0); a man in the middle can force a 512-bit RSA key exchange (FREAK)");
        AssertEvidenceOnly(Check(r, "Poodle"), CheckVerdict.Vulnerable,
            "from the scan: SSLv3 is accepted with CBC suites: TLS_RSA_EXPORT_WITH_RC2_CBC_40_MD5 (SSLv3), TLS_RSA_EXPORT_WITH_DES40_CBC_SHA (SSLv3); SSLv3's CBC padding is not covered by the MAC (POODLE, RFC 7568)");
        Assert.Equal(CheckVerdict.Vulnerable, Check(r, "Rc4").Verdict);
        Assert.Equal(CheckVerdict.Vulnerable, Check(r, "Sweet32").Verdict);
        Assert.StartsWith("from the scan: CBC suites are accepted with SSLv3 and TLS 1.0: ", Check(r, "Beast").Evidence);
        AssertEvidenceOnly(Check(r, "Logjam"), CheckVerdict.NotApplicable, "from the scan: no DHE suite is accepted (Logjam needs finite-field DHE; ECDHE is not affected)");
    }

    [Fact]
    public async Task Ssl2Enabled_is_Drown_from_the_scan()
    {
        var r = await AssessScenario("Ssl2Enabled");
        AssertEvidenceOnly(Check(r, "Drown"), CheckVerdict.Vulnerable,
            "from the scan: SSLv2 is accepted (SSL_CK_RC4_128_WITH_MD5, SSL_CK_DES_192_EDE3_CBC_WITH_MD5) with this server's RSA key, whose SSLv2 handshakes decrypt its TLS sessions too (DROWN)");
        // The SSLv2 cipher kinds count for the cipher checks too: RC4-MD5 and DES-CBC3-MD5.
        Assert.Equal(CheckVerdict.Vulnerable, Check(r, "Rc4").Verdict);
        Assert.Contains("SSL_CK_DES_192_EDE3_CBC_WITH_MD5 (SSLv2)", Check(r, "Sweet32").Evidence);
    }

    [Fact]
    public async Task Good_passes_every_weak_crypto_check()
    {
        var r = await AssessScenario("Good");
        AssertEvidenceOnly(Check(r, "Sweet32"), CheckVerdict.NotVulnerable, $"from the scan: none of the {CountSuites(r)} accepted suites uses a 64-bit block cipher (3DES, DES, IDEA, RC2)");
        AssertEvidenceOnly(Check(r, "Rc4"), CheckVerdict.NotVulnerable, "from the scan: no RC4 suite is accepted");
        AssertEvidenceOnly(Check(r, "Beast"), CheckVerdict.NotVulnerable, "from the scan: neither SSLv3 nor TLS 1.0 is accepted (BEAST needs their chained CBC IVs)");
        AssertEvidenceOnly(Check(r, "Lucky13"), CheckVerdict.NotVulnerable, "from the scan: no CBC suite is accepted with SSLv3 to TLS 1.2");
        AssertEvidenceOnly(Check(r, "Poodle"), CheckVerdict.NotVulnerable, "from the scan: SSLv3 is refused, so there is no SSLv3 CBC padding to attack");
        Assert.Equal(CheckVerdict.NotVulnerable, Check(r, "Drown").Verdict);
        Assert.Equal(CheckVerdict.NotVulnerable, Check(r, "Freak").Verdict);
        Assert.NotEqual(CheckVerdict.Vulnerable, Check(r, "Logjam").Verdict);
    }

    static int CountSuites(ServerCheckResultList r) =>
        int.Parse(Regex.Match(r["Sweet32"]!.Evidence, @"none of the (\d+) accepted").Groups[1].Value);

    [Fact]
    public async Task WeakDh_serves_the_RFC_2409_Oakley_Group_2_prime_and_Logjam_names_it_in_one_connection()
    {
        var r = await AssessScenario("WeakDh");
        var logjam = Check(r, "Logjam");
        Assert.Equal(CheckVerdict.Vulnerable, logjam.Verdict);
        Assert.Equal("the TLS 1.2 ServerKeyExchange for TLS_DHE_RSA_WITH_AES_128_GCM_SHA256 carries the 1024-bit prime modp1024 (RFC 2409 6.2 (Oakley Group 2)): a well-known prime under 2048 bits, which one precomputation breaks for every server that uses it (Logjam)", logjam.Evidence);
        Assert.Equal(1, logjam.ConnectionCount);
    }

    [Fact]
    public async Task Openssl_with_the_RFC_5114_1024_bit_group_is_Logjam_Vulnerable()
    {
        var pem = Rfc5114Pem(1);
        using var server = OpenSslTestServer.Start($"-tls1_2 -cipher DHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0 -dhparam \"{pem}\"");
        var logjam = Check(await Assess(server.EndPoint.Port), "Logjam");
        Assert.Equal(CheckVerdict.Vulnerable, logjam.Verdict);
        Assert.Equal("the TLS 1.2 ServerKeyExchange for TLS_DHE_RSA_WITH_AES_128_GCM_SHA256 carries the 1024-bit prime rfc5114-1024-160 (RFC 5114 2.1 (1024-bit MODP group with 160-bit prime order subgroup)): a well-known prime under 2048 bits, which one precomputation breaks for every server that uses it (Logjam)", logjam.Evidence);
        Assert.Equal(1, logjam.ConnectionCount);
    }

    [Fact]
    public async Task Openssl_with_its_default_DH_is_Logjam_NotVulnerable_naming_the_RFC_3526_group()
    {
        using var server = OpenSslTestServer.Start("-tls1_2 -cipher DHE-RSA-AES128-GCM-SHA256");
        var logjam = Check(await Assess(server.EndPoint.Port), "Logjam");
        Assert.Equal(CheckVerdict.NotVulnerable, logjam.Verdict);
        Assert.Equal("the TLS 1.2 ServerKeyExchange for TLS_DHE_RSA_WITH_AES_128_GCM_SHA256 carries the 2048-bit prime modp2048 (RFC 3526 3 (group 14)): well known, but 2048 bits or more is beyond precomputation", logjam.Evidence);
    }

    [Fact]
    public async Task Openssl_with_a_1024_bit_prime_of_its_own_is_Logjam_NotVulnerable_but_weak()
    {
        var pem = Path.Combine(Path.GetTempPath(), $"tlstools-own-dh-{Guid.NewGuid():N}.pem");
        RunOpenSsl($"dhparam -out \"{pem}\" 1024");   // PKCS #3 (-dsaparam writes X9.42, which s_server -dhparam does not read)
        using var server = OpenSslTestServer.Start($"-tls1_2 -cipher DHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0 -dhparam \"{pem}\"");
        var logjam = Check(await Assess(server.EndPoint.Port), "Logjam");
        Assert.Equal(CheckVerdict.NotVulnerable, logjam.Verdict);
        Assert.Equal($"the TLS 1.2 ServerKeyExchange for TLS_DHE_RSA_WITH_AES_128_GCM_SHA256 carries a 1024-bit prime that is none of the {WellKnownDhPrimes.All.Count} well-known primes; under 2048 bits it is still weak", logjam.Evidence);
    }

    [Fact]
    public async Task Logjam_against_a_server_that_accepts_and_stays_silent_is_Inconclusive()
    {
        using var server = CraftedTlsServer.Start(_ => Task.CompletedTask);   // accepts, then says nothing
        var evidence = new ServerEvidence
        {
            Target = new TargetEndpoint("127.0.0.1", server.Port, true),
            Protocols = new[] { new ProtocolSupportResult { Protocol = TlsProtocol.Tls12, Supported = true } },
            Suites = new[] { new CipherSupportResult { Protocol = TlsProtocol.Tls12, CipherSuite = "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", KeyExchange = "DHE", Encryption = "AES_128_GCM", DhBits = 2048 } },
        };
        var options = new ConnectionOptions { Timeout = TimeSpan.FromSeconds(1.5), NoProxy = true };
        var result = (await ServerCheckRunner.RunAsync(new[] { ServerCheckCatalog.Find("Logjam")! }, evidence, options, TargetDeadline.Start(options.Timeout), null, CancellationToken.None)).Single();
        Assert.Equal(CheckVerdict.Inconclusive, result.Verdict);
        Assert.StartsWith("a TLS 1.2 ClientHello offering the 1 DHE suite the scan saw accepted got no answer within", result.Evidence);
        Assert.Equal(1, result.ConnectionCount);
    }

    [Fact]
    public async Task An_incomplete_scan_that_saw_no_flaw_is_Inconclusive_never_NotVulnerable()
    {
        var evidence = new ServerEvidence
        {
            Target = new TargetEndpoint("127.0.0.1", 9, true),
            Protocols = new[] { new ProtocolSupportResult { Protocol = TlsProtocol.Tls12, Supported = true } },
            Suites = new[] { new CipherSupportResult { Protocol = TlsProtocol.Tls12, CipherSuite = "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", KeyExchange = "ECDHE", Encryption = "AES_128_GCM" } },
            ScanProblem = "enumeration incomplete: TLS 1.2: connection reset",
        };
        var options = new ConnectionOptions { Timeout = TimeSpan.FromSeconds(2), NoProxy = true };
        var results = await ServerCheckRunner.RunAsync(ServerCheckCatalog.Select(new[] { "Sweet32", "Rc4", "Logjam" }, null), evidence, options, TargetDeadline.Start(options.Timeout), null, CancellationToken.None);
        Assert.All(results, r => Assert.Equal(CheckVerdict.Inconclusive, r.Verdict));
        Assert.Equal("from the scan: no RC4 suite is accepted, but the enumeration was incomplete (enumeration incomplete: TLS 1.2: connection reset)", results.Single(r => r.Name == "Rc4").Evidence);
        Assert.All(results, r => Assert.Equal(0, r.ConnectionCount));
    }

    [Fact]
    public void The_RFC_2409_3526_7919_primes_are_BouncyCastles()
    {
        var groups = new (string Name, Org.BouncyCastle.Tls.Crypto.DHGroup Group)[]
        {
            ("modp768", Org.BouncyCastle.Tls.Crypto.DHStandardGroups.rfc2409_768), ("modp1024", Org.BouncyCastle.Tls.Crypto.DHStandardGroups.rfc2409_1024),
            ("modp1536", Org.BouncyCastle.Tls.Crypto.DHStandardGroups.rfc3526_1536), ("modp2048", Org.BouncyCastle.Tls.Crypto.DHStandardGroups.rfc3526_2048),
            ("modp3072", Org.BouncyCastle.Tls.Crypto.DHStandardGroups.rfc3526_3072), ("modp4096", Org.BouncyCastle.Tls.Crypto.DHStandardGroups.rfc3526_4096),
            ("modp6144", Org.BouncyCastle.Tls.Crypto.DHStandardGroups.rfc3526_6144), ("modp8192", Org.BouncyCastle.Tls.Crypto.DHStandardGroups.rfc3526_8192),
            ("ffdhe2048", Org.BouncyCastle.Tls.Crypto.DHStandardGroups.rfc7919_ffdhe2048), ("ffdhe3072", Org.BouncyCastle.Tls.Crypto.DHStandardGroups.rfc7919_ffdhe3072),
            ("ffdhe4096", Org.BouncyCastle.Tls.Crypto.DHStandardGroups.rfc7919_ffdhe4096), ("ffdhe6144", Org.BouncyCastle.Tls.Crypto.DHStandardGroups.rfc7919_ffdhe6144),
            ("ffdhe8192", Org.BouncyCastle.Tls.Crypto.DHStandardGroups.rfc7919_ffdhe8192),
        };
        foreach (var (name, group) in groups)
        {
            var row = WellKnownDhPrimes.Find(group.P.ToByteArrayUnsigned());
            Assert.True(row != null, $"BouncyCastle's {name} prime is not in dh-primes.tsv");
            Assert.Equal(name, row!.Name);
            Assert.Equal(group.P.BitLength, row.Bits);
        }
        Assert.Equal(17, WellKnownDhPrimes.All.Count);
        Assert.Equal(WellKnownDhPrimes.All.Count, WellKnownDhPrimes.All.Select(p => p.Prime).Distinct().Count());
    }

    [Theory]
    [InlineData(1, "rfc5114-1024-160")]
    [InlineData(2, "rfc5114-2048-224")]
    [InlineData(3, "rfc5114-2048-256")]
    public void The_RFC_5114_primes_are_OpenSSLs(int group, string name)
    {
        Assert.Equal(name, WellKnownDhPrimes.Find(PrimeOf(Rfc5114Pem(group)))?.Name);
    }

    /// <summary>OpenSSL's own copy of an RFC 5114 group (genpkey dh_rfc5114:1..3), as a DH PARAMETERS PEM.</summary>
    static string Rfc5114Pem(int group)
    {
        var path = Path.Combine(Path.GetTempPath(), $"tlstools-rfc5114-{group}-{Guid.NewGuid():N}.pem");
        RunOpenSsl($"genpkey -genparam -algorithm DH -pkeyopt dh_rfc5114:{group} -out \"{path}\"");
        return path;
    }

    /// <summary>The prime p of a DH parameters PEM, as openssl asn1parse prints it.</summary>
    static byte[] PrimeOf(string pem)
    {
        var text = RunOpenSsl($"asn1parse -in \"{pem}\"");
        var hex = Regex.Match(text, @"INTEGER\s+:([0-9A-F]+)").Groups[1].Value;
        return Enumerable.Range(0, hex.Length / 2).Select(i => Convert.ToByte(hex.Substring(i * 2, 2), 16)).ToArray();
    }

    static string RunOpenSsl(string arguments)
    {
        var psi = new ProcessStartInfo("openssl", arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var process = Process.Start(psi)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(60000), "openssl did not finish");
        Assert.True(process.ExitCode == 0, $"openssl {arguments}: {error}");
        return output;
    }
}
