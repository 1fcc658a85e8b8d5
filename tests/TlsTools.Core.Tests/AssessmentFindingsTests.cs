using System;
using System.IO;
using System.Linq;
using TlsTools.Assessment.Findings;
using TlsTools.Assessment.Grading;
using TlsTools.Assessment.Profiles;
using Xunit;

namespace TlsTools.Core.Tests;

/// <summary>
/// The finding tables and the product templates hold together: every Id, cause, section and value a row or a template
/// names exists, and the templates render to configuration text with nothing left unfilled. (What the findings say
/// about real servers, and that the rendered configurations work on them, is tests/TestTlsServer.Findings.Tests.ps1.)
/// </summary>
public class AssessmentFindingsTests
{
    /// <summary>The built-in guideline's configurations (Mozilla Server Side TLS 6.0): the data the templates are filled from.</summary>
    static ProfileConfiguration Intermediate() => MozillaGuideline.BuiltIn.Configurations.Single(c => c.Name == "intermediate");
    static ProfileConfiguration Modern() => MozillaGuideline.BuiltIn.Configurations.Single(c => c.Name == "modern");

    static TemplateValues FindingValues(ProfileConfiguration profile) => ProfileTemplateValues.For(profile, 8443).With(new TemplateValues()
        .Set("found_protocols", new[] { "TLSv1", "TLSv1.1" })
        .Set("found_schannel", new[] { "TLS 1.0", "TLS 1.1" })
        .Set("found_openssl", new[] { "AES128-SHA" })
        .Set("found_iana", new[] { "TLS_RSA_WITH_AES_128_CBC_SHA" }));

    [Fact]
    public void EveryFindingHasASeverityATitleAResolvedRemedyAndAFixSection()
    {
        var all = FindingCatalog.All;
        Assert.True(all.Count >= 40, $"{all.Count} findings");
        Assert.Equal(all.Count, all.Select(f => f.Id).Distinct().Count());
        var nginx = ServerProducts.Find("nginx")!.Template;
        Assert.All(all, f =>
        {
            Assert.Matches("^[A-Z][A-Za-z0-9]+$", f.Id);
            Assert.False(string.IsNullOrWhiteSpace(f.Title));
            Assert.DoesNotContain("=", f.Remedy.Substring(0, 1));
            Assert.True(f.Remedy.Length > 20, f.Id);
            // nginx has a section for every fix: it is the product every other one is held against.
            Assert.True(f.Fix == FindingCatalog.NoFix || nginx.Has(f.Fix), $"{f.Id}: nginx.conf.txt has no section {f.Fix}");
        });
    }

    [Fact]
    public void RemediesSaidElsewhereAreReadFromThere()
    {
        Assert.Equal(TlsTools.Catalog.ProtocolVersions.Find(TlsProtocol.Tls10)!.Remedy, FindingCatalog.Get("Tls10Enabled").Remedy);
        Assert.Equal(TlsTools.Catalog.FailureCategoryCatalog.RemedyFor(FailureCategory.IncompleteChain), FindingCatalog.Get("IncompleteChain").Remedy);
    }

    [Fact]
    public void EveryChainProblemAndProfileAspectRaisesAFindingOfTheCatalog()
    {
        foreach (ChainProblem problem in Enum.GetValues(typeof(ChainProblem)))
            Assert.True(FindingCauses.Find(CauseSource.Chain, problem.ToString()) != null, $"chain problem {problem} has no row in finding-causes.tsv");
        foreach (ProfileAspect aspect in Enum.GetValues(typeof(ProfileAspect)))
            Assert.True(FindingCauses.Find(CauseSource.Profile, aspect.ToString()) != null, $"profile aspect {aspect} has no row in finding-causes.tsv");
        Assert.All(FindingCauses.All, row =>
        {
            Assert.True(FindingCatalog.Contains(row.Finding), $"{row.Source} {row.Cause}: {row.Finding} is not in findings.tsv");
            Assert.All(row.ExplainedBy, id => Assert.True(FindingCatalog.Contains(id), $"{row.Source} {row.Cause}: {id} is not in findings.tsv"));
        });
        Assert.All(FindingDetectors.Ids, id => Assert.True(FindingCatalog.Contains(id), id));
    }

    [Fact]
    public void EveryGradeRuleRaisesAFindingOfTheCatalog() =>
        Assert.All(GradeRuleTable.All, rule => Assert.True(FindingCauses.Find(CauseSource.Grade, rule.Name) != null, $"grade rule {rule.Name} has no row in finding-causes.tsv"));

    [Fact]
    public void EveryTemplateSectionIsAFixOrTheRecommendedConfiguration()
    {
        var fixes = FindingCatalog.All.Select(f => f.Fix).ToHashSet();
        foreach (var product in ServerProducts.All)
        {
            Assert.True(product.Template.Has(FindingBuilder.RecommendedSection), $"{product}: no Recommended section");
            Assert.All(product.Template.Sections, s => Assert.True(s == FindingBuilder.RecommendedSection || fixes.Contains(s), $"{product.Template.FileName}: section {s} fixes no finding"));
        }
    }

    [Theory]
    [InlineData("intermediate")]
    [InlineData("modern")]
    public void EverySectionOfEveryProductRendersWithNothingLeftUnfilled(string profileName)
    {
        var profile = profileName == "modern" ? Modern() : Intermediate();
        foreach (var product in ServerProducts.All)
            foreach (var section in product.Template.Sections)
            {
                var text = product.Template.Render(section, FindingValues(profile))!;
                Assert.False(string.IsNullOrWhiteSpace(text), $"{product} {section}");
                Assert.DoesNotContain("{{", text);
                Assert.DoesNotContain("@@", text);
            }
    }

    [Fact]
    public void TheRecommendedNginxConfigurationSpellsTheProfile()
    {
        var text = ServerProducts.Find("nginx")!.Template.Render(FindingBuilder.RecommendedSection, ProfileTemplateValues.For(Intermediate(), 8443))!;
        var lines = text.Split('\n').Select(l => l.Trim()).ToList();
        Assert.Contains("listen 8443 ssl;", lines);
        Assert.Contains("ssl_protocols TLSv1.2 TLSv1.3;", lines);
        Assert.Contains("ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305;", lines);
        Assert.Contains("ssl_conf_command Ciphersuites TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256;", lines);
        // The hybrid group only in a comment: OpenSSL before 3.5 refuses to start with a group it does not know.
        Assert.Contains("ssl_ecdh_curve X25519:prime256v1:secp384r1;", lines);
        Assert.Contains("ssl_prefer_server_ciphers off;", lines);
        // 6.0's intermediate has no DHE suite, so no DH parameters to set.
        Assert.DoesNotContain(lines, l => l.Contains("ssl_dhparam"));
        Assert.Contains("ssl_stapling on;", lines);
        Assert.Contains("ssl_stapling_file /path/to/ocsp-response.der;", lines);
        Assert.Contains("add_header Strict-Transport-Security \"max-age=63072000\" always;", lines);
    }

    [Fact]
    public void TheModernConfigurationHasNoCipherListAndNoDh()
    {
        var values = ProfileTemplateValues.For(Modern(), 443);
        var nginx = ServerProducts.Find("nginx")!.Template.Render(FindingBuilder.RecommendedSection, values)!;
        Assert.Contains("ssl_protocols TLSv1.3;", nginx);
        Assert.DoesNotContain("ssl_ciphers", nginx);
        Assert.DoesNotContain("dhparam", nginx);
        var haproxy = ServerProducts.Find("HAProxy")!.Template.Render(FindingBuilder.RecommendedSection, values)!;
        Assert.Contains("ssl-default-bind-options prefer-client-ciphers ssl-min-ver TLSv1.3 no-tls-tickets", haproxy);
        Assert.DoesNotContain("ssl-default-bind-ciphers ", haproxy);
    }

    [Fact]
    public void WindowsGetsTheSchannelKeysAndTheSuitesByName()
    {
        var windows = ServerProducts.Find("Windows")!.Template;
        var values = FindingValues(Intermediate());
        var off = windows.Render("DisableProtocols", values)!;
        Assert.Contains("foreach ($version in 'TLS 1.0', 'TLS 1.1') {", off);
        Assert.Contains(@"HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\$version\Server", off);
        Assert.Contains("-Name Enabled -Value 0", off);
        Assert.Contains("-Name DisabledByDefault -Value 1", off);
        Assert.Contains("'TLS_RSA_WITH_AES_128_CBC_SHA' | ForEach-Object { Disable-TlsCipherSuite -Name $_ }", windows.Render("RemoveSuites", values));
        var recommended = windows.Render(FindingBuilder.RecommendedSection, values)!;
        Assert.Contains("foreach ($version in 'SSL 2.0', 'SSL 3.0', 'TLS 1.0', 'TLS 1.1') {", recommended);
        Assert.Contains("$keep = @('TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256', 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',", recommended);
        Assert.Contains("Enable-TlsCipherSuite -Name $keep[$i] -Position $i", recommended);
        Assert.Contains("'curve25519', 'NistP256', 'NistP384' | ForEach-Object", recommended);
    }

    [Fact]
    public void PostfixAndDovecotSpellTheProfileTheirWay()
    {
        var values = FindingValues(Intermediate());
        var postfix = ServerProducts.Find("Postfix")!.Template;
        Assert.Contains("smtpd_tls_protocols = >=TLSv1.2", postfix.Render(FindingBuilder.RecommendedSection, values));
        Assert.Contains("tls_high_cipherlist = ECDHE-ECDSA-AES128-GCM-SHA256:", postfix.Render(FindingBuilder.RecommendedSection, values));
        Assert.Contains("tls_preempt_cipherlist = no", postfix.Render(FindingBuilder.RecommendedSection, values));
        Assert.Equal("# leave out the suites the server accepted that it should not; then postfix reload\nsmtpd_tls_exclude_ciphers = AES128-SHA", postfix.Render("RemoveSuites", values));
        var dovecot = ServerProducts.Find("Dovecot")!.Template.Render(FindingBuilder.RecommendedSection, values)!;
        Assert.Contains("ssl_min_protocol = TLSv1.2", dovecot);
        Assert.Contains("ssl_prefer_server_ciphers = no", dovecot);
        Assert.Contains("ssl_cipher_suites = TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256", dovecot);
        // Neither staples OCSP nor speaks HTTP: those findings carry no lines for them.
        Assert.Null(ServerProducts.Find("Dovecot")!.Template.Render("Hsts", values));
        Assert.Null(postfix.Render("Ocsp", values));
    }

    [Fact]
    public void TheTemplateSyntaxKeepsConditionalLinesAndRefusesUnknownValues()
    {
        var template = ConfigurationTemplate.Parse("t.txt", "@# note\n@@ A\n{{?on}}kept {{list:colon}}\n{{?!on}}dropped\n{{?off}}dropped too\nflag {{on:on}} {{off:yes}} {{list:plus}} {{list:ps}}\n@@ B\n{{missing}}\n");
        var values = new TemplateValues().Set("on", true).Set("off", false).Set("list", new[] { "a", "b'c" });
        Assert.Equal("kept a:b'c\nflag on no +a +b'c 'a', 'b''c'", template.Render("A", values));
        Assert.Null(template.Render("C", values));
        var error = Assert.Throws<InvalidDataException>(() => template.Render("B", values));
        Assert.Contains("t.txt section B: no value 'missing'", error.Message);
        Assert.Throws<InvalidDataException>(() => ConfigurationTemplate.Parse("t.txt", "@@ A\nx\n@@ A\ny"));
    }

    [Theory]
    [InlineData("Server", "nginx/1.22.1", "nginx")]
    [InlineData("Server", "nginx", "nginx")]
    [InlineData("Server", "Apache/2.4.62 (Debian)", "Apache")]
    [InlineData("Server", "Microsoft-IIS/10.0", "Windows")]
    [InlineData("Server", "gws", null)]
    [InlineData("Server", "", null)]
    [InlineData("Greeting", "220 mail.example.org ESMTP Postfix (Debian/GNU)", "Postfix")]
    [InlineData("Greeting", "* OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ STARTTLS AUTH=PLAIN] Dovecot (Debian) ready.", "Dovecot")]
    [InlineData("Greeting", "+OK Dovecot (Debian) ready.", "Dovecot")]
    [InlineData("Greeting", "nginx/1.22.1", null)]
    public void TheProductIsReadFromTheServerHeaderOrTheGreeting(string source, string text, string? product) =>
        Assert.Equal(product, ServerProducts.Infer((ServerProducts.Source)Enum.Parse(typeof(ServerProducts.Source), source), text));
}
