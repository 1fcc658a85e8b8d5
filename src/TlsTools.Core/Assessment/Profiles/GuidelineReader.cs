using System;
using System.Collections.Generic;
using System.Linq;
using TlsTools.Catalog;

namespace TlsTools.Assessment.Profiles;

/// <summary>
/// Turns a guideline document (Mozilla's JSON, or a custom file of its shape) into configurations, refusing anything
/// the checker could not use: every error is a <see cref="ProfileFormatException"/> naming the field by its JSON
/// path. Members this reader does not know (5.7's ciphers.go and ciphers.caddy, whatever 6.1 adds) are ignored, so a
/// new guideline version stays readable; a misspelt required member is then reported as missing.
/// </summary>
internal sealed class GuidelineReader
{
    /// <summary>What the field of a syntax error at the document's root is called.</summary>
    public const string DocumentField = "(document)";

    /// <summary>A century: anything larger in hsts_min_age is a typo, not a policy.</summary>
    const long MaxHstsSeconds = 100L * 366 * 24 * 3600;

    readonly string _file;

    GuidelineReader(string file) { _file = file; }

    /// <param name="text">The document.</param>
    /// <param name="file">What error messages call the document (its path, or the embedded file's name).</param>
    /// <param name="source">The configurations' Source; null: the document's href, else <paramref name="file"/>.</param>
    public static MozillaGuideline Read(string text, string file, string? source)
    {
        JsonValue root;
        try { root = JsonText.Parse(text); }
        catch (JsonFormatException ex)
        {
            throw new ProfileFormatException(file, ex.Path.Length == 0 ? DocumentField : ex.Path,
                $"not valid JSON: {ex.Problem} at line {ex.Line}, column {ex.Column}", ex);
        }
        return new GuidelineReader(file).Guideline(root, source);
    }

    MozillaGuideline Guideline(JsonValue root, string? source)
    {
        Expect(root, JsonKind.Object);
        var versionValue = Required(root, "version");
        if (versionValue.Kind != JsonKind.Number && versionValue.Kind != JsonKind.String)
            throw Wrong(versionValue, "a version number such as 6.0");
        string version = versionValue.Text ?? "";
        if (version.Trim().Length == 0) throw Fault(versionValue, "the version is empty");
        var href = root.Member("href");
        if (href != null && !href.IsNull) Expect(href, JsonKind.String);
        string origin = source ?? (href?.Kind == JsonKind.String ? href.Text! : _file);

        var configurations = Required(root, "configurations");
        Expect(configurations, JsonKind.Object);
        if (configurations.Members.Count == 0) throw Fault(configurations, "names no configuration");
        return new MozillaGuideline
        {
            Version = version,
            Source = origin,
            Configurations = configurations.Members.Select(m => Configuration(m.Key, m.Value, version, origin)).ToList(),
        };
    }

    ProfileConfiguration Configuration(string name, JsonValue c, string version, string source)
    {
        Expect(c, JsonKind.Object);
        var ciphers = Required(c, "ciphers");
        Expect(ciphers, JsonKind.Object);
        var curves = List(c, "tls_curves", Text);
        var versions = List(c, "tls_versions", TlsVersion);
        if (versions.Count == 0) throw Fault(Required(c, "tls_versions"), "lists no TLS version");
        var types = List(c, "certificate_types", CertificateType);
        if (types.Count == 0) throw Fault(Required(c, "certificate_types"), "lists no certificate type");
        return new ProfileConfiguration
        {
            Name = name,
            Version = version,
            Source = source,
            TlsVersions = versions,
            CipherSuites = List(c, "ciphersuites", Tls13Suite),
            Ciphers = List(ciphers, "iana", LegacySuite),
            OpenSslCiphers = List(ciphers, "openssl", OpenSslSuite),
            TlsCurves = curves,
            Groups = List(c, "tls_curves", Group),
            CertificateTypes = types,
            CertificateCurves = List(c, "certificate_curves", CertificateCurve),
            CertificateSignatures = List(c, "certificate_signatures", Text),
            RsaKeySize = (int?)Size(c, "rsa_key_size"),
            DhParamSize = (int?)Size(c, "dh_param_size"),
            EcdhParamSize = (int?)Size(c, "ecdh_param_size"),
            HstsMinAge = Size(c, "hsts_min_age", MaxHstsSeconds),
            MaximumCertificateLifespan = (int?)Size(c, "maximum_certificate_lifespan"),
            RecommendedCertificateLifespan = (int?)Size(c, "recommended_certificate_lifespan"),
            OcspStaple = Flag(c, "ocsp_staple"),
            ServerPreferredOrder = Flag(c, "server_preferred_order"),
            OldestClients = List(c, "oldest_clients", Text),
        };
    }

    // --- one item of a list -------------------------------------------------------------------------------------

    string Text(JsonValue item)
    {
        Expect(item, JsonKind.String);
        if (item.Text!.Trim().Length == 0) throw Fault(item, "an empty name");
        return item.Text;
    }

    TlsProtocol TlsVersion(JsonValue item) =>
        ProfileVocabulary.TlsVersions.TryGetValue(Text(item), out var version) ? version
            : throw Fault(item, $"'{item.Text}' is not a TLS version ({string.Join(", ", ProfileVocabulary.TlsVersions.Keys)})");

    string Tls13Suite(JsonValue item)
    {
        var suite = Suite(item);
        if (!suite.IsTls13) throw Fault(item, $"'{item.Text}' is not a TLS 1.3 suite: the suites of TLS 1.2 and older go in ciphers.iana");
        return IanaName(item, suite);
    }

    string LegacySuite(JsonValue item)
    {
        var suite = Suite(item);
        if (suite.IsTls13) throw Fault(item, $"'{item.Text}' is a TLS 1.3 suite: it goes in ciphersuites");
        return IanaName(item, suite);
    }

    string OpenSslSuite(JsonValue item)
    {
        var suite = Suite(item);
        if (!string.Equals(suite.OpenSslName, item.Text, StringComparison.Ordinal))
            throw Fault(item, $"'{item.Text}' is not OpenSSL's name of a suite" + (suite.OpenSslName == null ? "" : $" (OpenSSL calls it {suite.OpenSslName})"));
        return item.Text!;
    }

    CipherSuiteInfo Suite(JsonValue item) =>
        CipherSuiteCatalog.Find(Text(item)) ?? throw Fault(item, $"'{item.Text}' is not a cipher suite of the IANA registry");

    string IanaName(JsonValue item, CipherSuiteInfo suite) =>
        string.Equals(suite.Name, item.Text, StringComparison.Ordinal) ? suite.Name
            : throw Fault(item, $"'{item.Text}' is not the IANA name of the suite (write {suite.Name})");

    string Group(JsonValue item) =>
        NamedGroupCatalog.Find(Text(item))?.Name
            ?? throw Fault(item, $"'{item.Text}' is not a group of the IANA registry, nor an OpenSSL curve name such as prime256v1");

    string CertificateType(JsonValue item) =>
        ProfileVocabulary.CertificateTypes.ContainsKey(Text(item)) ? item.Text!
            : throw Fault(item, $"'{item.Text}' is not a certificate type ({string.Join(", ", ProfileVocabulary.CertificateTypes.Keys)})");

    string CertificateCurve(JsonValue item)
    {
        var group = NamedGroupCatalog.Find(Text(item));
        // A certificate's key is on an elliptic curve: finite-field and ML-KEM groups exist only in key exchange.
        if (group == null || group.IsFiniteField || group.Name.IndexOf("MLKEM", StringComparison.OrdinalIgnoreCase) >= 0)
            throw Fault(item, $"'{item.Text}' is not an elliptic curve a certificate key can be on (prime256v1, secp384r1, secp521r1)");
        return item.Text!;
    }

    // --- one member of an object --------------------------------------------------------------------------------

    List<T> List<T>(JsonValue owner, string name, Func<JsonValue, T> item)
    {
        var list = Required(owner, name);
        Expect(list, JsonKind.Array);
        return list.Items.Select(item).Distinct().ToList();
    }

    /// <summary>A positive whole number, or null (not checked).</summary>
    long? Size(JsonValue owner, string name, long max = 1_000_000)
    {
        var value = Required(owner, name);
        if (value.IsNull) return null;
        if (value.Kind != JsonKind.Number) throw Wrong(value, "a whole number or null");
        long? n = value.Integer;
        if (n == null || n <= 0 || n > max) throw Fault(value, $"{value.Text} is not a whole number from 1 to {max}");
        return n;
    }

    bool Flag(JsonValue owner, string name)
    {
        var value = Required(owner, name);
        Expect(value, JsonKind.Boolean);
        return value.Boolean;
    }

    JsonValue Required(JsonValue owner, string name) =>
        owner.Member(name) ?? throw new ProfileFormatException(_file, JsonText.MemberPath(owner.Path, name), "a required field is missing");

    void Expect(JsonValue value, JsonKind kind)
    {
        if (value.Kind != kind) throw Wrong(value, JsonValue.Describe(kind));
    }

    ProfileFormatException Wrong(JsonValue value, string expected) =>
        Fault(value, $"{JsonValue.Describe(value.Kind)} where {expected} is expected");

    ProfileFormatException Fault(JsonValue value, string problem) =>
        new ProfileFormatException(_file, value.Path.Length == 0 ? DocumentField : value.Path, $"{problem} (line {value.Line}, column {value.Column})");
}
