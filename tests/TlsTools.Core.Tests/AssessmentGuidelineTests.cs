using System;
using System.IO;
using System.Linq;
using System.Text;
using TlsTools.Assessment.Profiles;
using Xunit;

namespace TlsTools.Core.Tests;

/// <summary>
/// Mozilla's guideline files as embedded (5.7, 5.8, 6.0), every field of them read into ProfileConfiguration; and
/// custom files written to disk with one field broken each: MozillaGuideline.Load names that field.
/// </summary>
public sealed class AssessmentGuidelineTests : IDisposable
{
    readonly string _dir = Path.Combine(Path.GetTempPath(), "tlstools-guideline-" + Guid.NewGuid().ToString("N").Substring(0, 8));

    public AssessmentGuidelineTests() => Directory.CreateDirectory(_dir);
    public void Dispose() => Directory.Delete(_dir, recursive: true);

    static string Published(string version) =>
        File.ReadAllText(Path.Combine(ProtocolTestData.DataDirectory(), "..", "..", "..", "src", "TlsTools.Core", "Assessment", "Profiles", "Data", $"server-side-tls-{version}.json"));

    [Fact]
    public void EmbedsThePublishedVersions()
    {
        Assert.Equal(new[] { "5.7", "5.8", "6.0" }, MozillaGuideline.EmbeddedVersions);
        Assert.Equal("6.0", MozillaGuideline.BuiltInVersion);
    }

    [Fact]
    public void TheBuiltInGuidelineIs60ModernAndIntermediate()
    {
        var builtIn = MozillaGuideline.BuiltIn;
        Assert.Equal("6.0", builtIn.Version);
        Assert.Equal("https://ssl-config.mozilla.org/guidelines/6.0.json", builtIn.Source);
        Assert.Equal(new[] { "modern", "intermediate" }, builtIn.Configurations.Select(c => c.Name));
        Assert.All(builtIn.Configurations, c => Assert.Equal(("6.0", builtIn.Source), (c.Version, c.Source)));
    }

    [Fact]
    public void Reads60ModernField()
    {
        var modern = MozillaGuideline.Embedded("6.0").Configurations.Single(c => c.Name == "modern");
        Assert.Equal(new[] { TlsProtocol.Tls13 }, modern.TlsVersions);
        Assert.Equal(new[] { "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256" }, modern.CipherSuites);
        Assert.Empty(modern.Ciphers);
        Assert.Empty(modern.OpenSslCiphers);
        Assert.Equal(new[] { "X25519MLKEM768", "X25519", "prime256v1", "secp384r1" }, modern.TlsCurves);
        Assert.Equal(new[] { "X25519MLKEM768", "x25519", "secp256r1", "secp384r1" }, modern.Groups);
        Assert.Equal(new[] { "ecdsa" }, modern.CertificateTypes);
        Assert.Equal(new[] { "prime256v1", "secp384r1" }, modern.CertificateCurves);
        Assert.Equal(new[] { "ecdsa-with-SHA256", "ecdsa-with-SHA384", "ecdsa-with-SHA512" }, modern.CertificateSignatures);
        Assert.Null(modern.RsaKeySize);
        Assert.Null(modern.DhParamSize);
        Assert.Equal(256, modern.EcdhParamSize);
        Assert.Equal(63072000, modern.HstsMinAge);
        Assert.Equal(90, modern.MaximumCertificateLifespan);
        Assert.Equal(90, modern.RecommendedCertificateLifespan);
        Assert.True(modern.OcspStaple);
        Assert.False(modern.ServerPreferredOrder);
        Assert.Equal(8, modern.OldestClients.Count);
        Assert.Equal("Firefox 63", modern.OldestClients[0]);
    }

    [Fact]
    public void Reads60IntermediateField()
    {
        var intermediate = MozillaGuideline.Embedded("6.0").Configurations.Single(c => c.Name == "intermediate");
        Assert.Equal(new[] { TlsProtocol.Tls12, TlsProtocol.Tls13 }, intermediate.TlsVersions);
        Assert.Equal(new[]
        {
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
        }, intermediate.Ciphers);
        Assert.Equal("ECDHE-ECDSA-CHACHA20-POLY1305", intermediate.OpenSslCiphers[4]);
        Assert.Equal(new[] { "ecdsa", "rsa" }, intermediate.CertificateTypes);
        Assert.Equal("sha256WithRSAEncryption", intermediate.CertificateSignatures[0]);
        Assert.Equal((2048, 2048, 256), (intermediate.RsaKeySize, intermediate.DhParamSize, intermediate.EcdhParamSize));
        Assert.Equal(366, intermediate.MaximumCertificateLifespan);
        Assert.True(intermediate.OcspStaple);
        Assert.False(intermediate.ServerPreferredOrder);
        Assert.Equal("IE 11 on Windows 10", intermediate.OldestClients[4]);
    }

    [Fact]
    public void Reads58WithOld()
    {
        var guideline = MozillaGuideline.Embedded("5.8");
        Assert.Equal("5.8", guideline.Version);
        Assert.Equal(new[] { "modern", "intermediate", "old" }, guideline.Configurations.Select(c => c.Name));
        var old = guideline.Configurations.Single(c => c.Name == "old");
        Assert.Equal(new[] { TlsProtocol.Tls10, TlsProtocol.Tls11, TlsProtocol.Tls12, TlsProtocol.Tls13 }, old.TlsVersions);
        Assert.Equal(21, old.Ciphers.Count);
        Assert.Contains("TLS_RSA_WITH_3DES_EDE_CBC_SHA", old.Ciphers);
        Assert.Contains("DES-CBC3-SHA", old.OpenSslCiphers);
        Assert.Equal(new[] { "rsa" }, old.CertificateTypes);
        Assert.True(old.ServerPreferredOrder);
        Assert.Equal(2048, old.DhParamSize);
    }

    [Fact]
    public void Reads57WithItsDheSuitesAndIgnoresTheGoAndCaddyLists()
    {
        var guideline = MozillaGuideline.Embedded("5.7");
        Assert.Equal("https://ssl-config.mozilla.org/guidelines/5.7.json", guideline.Source);
        var intermediate = guideline.Configurations.Single(c => c.Name == "intermediate");
        Assert.Equal(9, intermediate.Ciphers.Count);
        Assert.Equal("TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256", intermediate.Ciphers[8]);
        Assert.Equal(new[] { "x25519", "secp256r1", "secp384r1" }, intermediate.Groups);
        Assert.Equal(1024, guideline.Configurations.Single(c => c.Name == "old").DhParamSize);
    }

    [Fact]
    public void LoadsACustomFileWithItsPathAsSource()
    {
        string path = Write("custom.json", Published("6.0").Replace("\"maximum_certificate_lifespan\": 90", "\"maximum_certificate_lifespan\": 30"));
        var guideline = MozillaGuideline.Load(path);
        Assert.Equal(path, guideline.Source);
        var modern = guideline.Configurations.Single(c => c.Name == "modern");
        Assert.Equal(30, modern.MaximumCertificateLifespan);
        Assert.Equal(path, modern.Source);
    }

    /// <summary>One field broken per case, in a copy of 6.0: the field's JSON path and the problem.</summary>
    [Theory]
    [InlineData("\"tls_versions\": [\"TLSv1.3\"]", "\"tls_versions\": [\"TLSv1.3\", \"TLSv9\"]",
        "configurations.modern.tls_versions[1]", "'TLSv9' is not a TLS version (SSLv2, SSLv3, TLSv1, TLSv1.1, TLSv1.2, TLSv1.3)")]
    [InlineData("\"tls_versions\": [\"TLSv1.3\"]", "\"tls_version\": [\"TLSv1.3\"]",
        "configurations.modern.tls_versions", "a required field is missing")]
    [InlineData("\"tls_versions\": [\"TLSv1.3\"]", "\"tls_versions\": \"TLSv1.3\"",
        "configurations.modern.tls_versions", "a string where an array is expected")]
    [InlineData("\"tls_versions\": [\"TLSv1.3\"]", "\"tls_versions\": []",
        "configurations.modern.tls_versions", "lists no TLS version")]
    [InlineData("\"ocsp_staple\": true,\n            \"oldest_clients\": [\"Firefox 63\"", "\"ocsp_staple\": \"yes\",\n            \"oldest_clients\": [\"Firefox 63\"",
        "configurations.modern.ocsp_staple", "a string where a boolean is expected")]
    [InlineData("\"maximum_certificate_lifespan\": 90", "\"maximum_certificate_lifespan\": 90.5",
        "configurations.modern.maximum_certificate_lifespan", "90.5 is not a whole number from 1 to 1000000")]
    [InlineData("\"maximum_certificate_lifespan\": 90", "\"maximum_certificate_lifespan\": \"90\"",
        "configurations.modern.maximum_certificate_lifespan", "a string where a whole number or null is expected")]
    [InlineData("\"TLS_AES_128_GCM_SHA256\",", "\"TLS_AES_512_GCM_SHA1024\",",
        "configurations.modern.ciphersuites[0]", "'TLS_AES_512_GCM_SHA1024' is not a cipher suite of the IANA registry")]
    [InlineData("\"TLS_AES_128_GCM_SHA256\",", "\"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256\",",
        "configurations.modern.ciphersuites[0]", "'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256' is not a TLS 1.3 suite: the suites of TLS 1.2 and older go in ciphers.iana")]
    [InlineData("\"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256\",", "\"ECDHE-ECDSA-AES128-GCM-SHA256\",",
        "configurations.intermediate.ciphers.iana[0]", "'ECDHE-ECDSA-AES128-GCM-SHA256' is not the IANA name of the suite (write TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256)")]
    [InlineData("\"ECDHE-ECDSA-AES128-GCM-SHA256\",", "\"ECDHE-ECDSA-AES128-GCM-SHA257\",",
        "configurations.intermediate.ciphers.openssl[0]", "'ECDHE-ECDSA-AES128-GCM-SHA257' is not a cipher suite of the IANA registry")]
    [InlineData("\"tls_curves\": [\"X25519MLKEM768\", \"X25519\", \"prime256v1\", \"secp384r1\"],\n            \"tls_versions\": [\"TLSv1.3\"]",
        "\"tls_curves\": [\"X25519MLKEM768\", \"X25519\", \"prime255v1\", \"secp384r1\"],\n            \"tls_versions\": [\"TLSv1.3\"]",
        "configurations.modern.tls_curves[2]", "'prime255v1' is not a group of the IANA registry, nor an OpenSSL curve name such as prime256v1")]
    [InlineData("\"certificate_types\": [\"ecdsa\"]", "\"certificate_types\": [\"dsa\"]",
        "configurations.modern.certificate_types[0]", "'dsa' is not a certificate type (rsa, ecdsa, ed25519, ed448)")]
    [InlineData("\"certificate_curves\": [\"prime256v1\", \"secp384r1\"],\n            \"certificate_signatures\": [\"ecdsa-with-SHA256\",",
        "\"certificate_curves\": [\"prime256v1\", \"ffdhe2048\"],\n            \"certificate_signatures\": [\"ecdsa-with-SHA256\",",
        "configurations.modern.certificate_curves[1]", "'ffdhe2048' is not an elliptic curve a certificate key can be on (prime256v1, secp384r1, secp521r1)")]
    [InlineData("\"version\": 6.0,", "\"version\": true,", "version", "a boolean where a version number such as 6.0 is expected")]
    [InlineData("\"version\": 6.0,", "", "version", "a required field is missing")]
    [InlineData("\"ciphers\": {\n                \"iana\": [],", "\"ciphers\": {\n                \"iana\": [1],",
        "configurations.modern.ciphers.iana[0]", "a number where a string is expected")]
    public void NamesTheFieldOfABrokenCustomFile(string original, string broken, string field, string problem)
    {
        string text = Published("6.0");
        int at = text.IndexOf(original, StringComparison.Ordinal);
        Assert.True(at >= 0, $"6.0.json has no '{original}'");
        string path = Write("broken.json", text.Substring(0, at) + broken + text.Substring(at + original.Length));
        var ex = Assert.Throws<ProfileFormatException>(() => MozillaGuideline.Load(path));
        Assert.Equal(field, ex.Field);
        Assert.Equal(path, ex.Path);
        Assert.StartsWith(problem, ex.Problem);
        Assert.StartsWith($"{path}: {field}: {problem}", ex.Message);
    }

    [Fact]
    public void NamesTheLineAndPathOfAJsonSyntaxError()
    {
        string path = Write("syntax.json", Published("6.0").Replace("\"rsa_key_size\": null,", "\"rsa_key_size\": null,,"));
        var ex = Assert.Throws<ProfileFormatException>(() => MozillaGuideline.Load(path));
        Assert.Equal("configurations.modern", ex.Field);
        Assert.Equal("not valid JSON: expected a member name in double quotes, found ',' at line 25, column 34", ex.Problem);
    }

    [Fact]
    public void RefusesAFileThatIsNotUtf8()
    {
        var bytes = Encoding.UTF8.GetBytes(Published("6.0")).ToList();
        bytes.Insert(bytes.IndexOf((byte)'F'), 0xFF);   // before "Firefox 63"
        string path = Path.Combine(_dir, "latin.json");
        File.WriteAllBytes(path, bytes.ToArray());
        var ex = Assert.Throws<ProfileFormatException>(() => MozillaGuideline.Load(path));
        Assert.Equal(("(document)", "the file is not UTF-8 text"), (ex.Field, ex.Problem));
    }

    [Fact]
    public void RefusesAFileLargerThanAGuideline()
    {
        string path = Write("huge.json", "[" + new string(' ', MozillaGuideline.MaxFileBytes) + "]");
        var ex = Assert.Throws<ProfileFormatException>(() => MozillaGuideline.Load(path));
        Assert.Equal("(document)", ex.Field);
        Assert.Equal($"the file is {MozillaGuideline.MaxFileBytes + 2} bytes, more than a guideline's limit of {MaxFileBytes}", ex.Problem);
    }

    const int MaxFileBytes = MozillaGuideline.MaxFileBytes;

    [Fact]
    public void RefusesAFileWithoutConfigurations()
    {
        string path = Write("empty.json", "{\"version\": 6.1, \"configurations\": {}}");
        var ex = Assert.Throws<ProfileFormatException>(() => MozillaGuideline.Load(path));
        Assert.Equal(("configurations", "names no configuration (line 1, column 36)"), (ex.Field, ex.Problem));
        var root = Assert.Throws<ProfileFormatException>(() => MozillaGuideline.Load(Write("array.json", "[]")));
        Assert.Equal(("(document)", "an array where an object is expected (line 1, column 1)"), (root.Field, root.Problem));
    }

    string Write(string name, string text)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }
}
