using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Authentication;
using TlsTools.Catalog;
using TlsTools.Diagnosis;
using Xunit;

namespace TlsTools.Core.Tests;

/// <summary>
/// The error-message table (Catalog/Data/tls-error-messages.tsv) and the remedy table: size, every row against its own
/// sample, no ambiguity between rows, alerts, and one wording per cause shared with Test-TlsHandshake.
/// Each row's own Sample must give that row's cause first; the real texts of Data/tls-error-samples.tsv must give their causes
/// in order (several causes per text). Real tool output is fed to Resolve-TlsError in tests/ResolveTlsError.Tests.ps1.
/// </summary>
public class CatalogTlsErrorTests
{
    /// <summary>Each row by its place in the table (line numbers repeat: the alert rows come from tls-alerts.tsv).</summary>
    public static IEnumerable<object[]> Rows() => Enumerable.Range(0, TlsErrorCatalog.All.Count).Select(i => new object[] { i });

    static KnownTlsError Row(int index) => TlsErrorCatalog.All[index];

    static FailureCategory ExpectedCategory(KnownTlsError row)
    {
        if (!row.CarriesAlert) return Assert.NotNull(row.Category);
        var own = row.Pattern.Match(row.Sample);
        Assert.NotNull(own);
        Assert.True(TlsErrorCatalog.TryFindAlert(own.AlertCapture, out var alert), $"{row}: captured '{own.AlertCapture}' is no registered alert");
        Assert.NotNull(alert);
        return Assert.NotNull(alert.Category);
    }

    /// <summary>The real texts of Data/tls-error-samples.tsv: text, its causes in order, where it comes from.</summary>
    public static IEnumerable<object[]> Samples() =>
        File.ReadLines(Path.Combine(ProtocolTestData.DataDirectory(), "tls-error-samples.tsv"))
            .Where(l => l.Length > 0 && !l.StartsWith("#", StringComparison.Ordinal))
            .Skip(1)   // the header
            .Select(l => l.Split('\t'))
            .Select(f => new object[] { f[0], f[1], f[2] });

    [Fact]
    public void HoldsAtLeast300DistinctMessagesAndCodes()
    {
        Assert.True(TlsErrorCatalog.All.Count >= 300, $"{TlsErrorCatalog.All.Count} rows");
        var duplicates = TlsErrorCatalog.All.GroupBy(r => r.Pattern.Source, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.Empty(duplicates);
    }

    [Fact]
    public void EveryRowHasASourceExplanationAndSample()
    {
        var incomplete = TlsErrorCatalog.All.Where(r => string.IsNullOrEmpty(r.Source) || string.IsNullOrEmpty(r.Explanation) || string.IsNullOrEmpty(r.Sample)).ToList();
        Assert.Empty(incomplete);
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void EachRowMatchesItsOwnSampleAndTheSampleResolvesToItsCategory(int index)
    {
        var row = Row(index);
        Assert.NotNull(row.Pattern.Match(row.Sample));
        var causes = TlsErrorResolver.ExplainCauses(row.Sample);
        Assert.NotEmpty(causes);
        Assert.Equal(ExpectedCategory(row), causes[0].Category);
    }

    [Fact]
    public void EverySourceTheIssueNamesHasRows()
    {
        // Node.js, Apache mod_ssl, HAProxy, Postfix, Dovecot, Java, Go, Python, curl, wget, Schannel/.NET, PowerShell.
        var counts = TlsErrorCatalog.All.GroupBy(r => r.Source).ToDictionary(g => g.Key, g => g.Count());
        foreach (var (source, least) in new[] { ("node", 30), ("apache", 20), ("haproxy", 15), ("postfix", 15), ("dovecot", 8),
            ("java", 25), ("go", 30), ("python", 20), ("curl", 30), ("wget", 20), ("schannel", 50), ("dotnet", 20), ("powershell", 8) })
            Assert.True(counts.TryGetValue(source, out var n) && n >= least, $"{source}: {(counts.TryGetValue(source, out var m) ? m : 0)} rows, want {least}");
        Assert.Contains(TlsErrorCatalog.All, r => r.Pattern.Match("AH02032: Hostname a.test provided via SNI and hostname b.test provided via HTTP have no compatible SSL setup") != null);
        Assert.Contains(TlsErrorCatalog.All, r => r.Pattern.Match("Error [ERR_TLS_CERT_ALTNAME_INVALID]: Hostname/IP does not match certificate's altnames") != null);
        foreach (var eventId in new[] { "36874", "36887", "36888" })
            Assert.Contains(TlsErrorCatalog.All, r => r.Pattern.Match($"Schannel Event ID {eventId}") != null);
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void SamplesGiveTheirCausesInOrder(string text, string causes, string origin)
    {
        var expected = causes.Split(',').Select(c => (FailureCategory)Enum.Parse(typeof(FailureCategory), c)).ToList();
        var actual = TlsErrorResolver.ExplainCauses(text).Select(e => e.Category).ToList();
        Assert.True(expected.SequenceEqual(actual), $"{origin}: '{text}' gave [{string.Join(", ", actual)}], expected [{causes}]");
    }

    [Fact]
    public void NotTimeValidAndPartialChainAreTwoCausesExpiryFirst()
    {
        var causes = TlsErrorResolver.ExplainCauses("System.Security.Authentication.AuthenticationException: The remote certificate is invalid because of errors in the certificate chain: NotTimeValid, PartialChain");
        Assert.Equal(new[] { FailureCategory.CertificateExpired, FailureCategory.IncompleteChain }, causes.Select(c => c.Category));
        Assert.Equal(FailureCategoryCatalog.RemedyFor(FailureCategory.CertificateExpired), causes[0].Remedy);
        Assert.Equal(FailureCategoryCatalog.RemedyFor(FailureCategory.IncompleteChain), causes[1].Remedy);
        Assert.All(causes, c => Assert.Equal("dotnet", c.Source));
        Assert.Equal(FailureCategory.CertificateExpired, TlsErrorResolver.ExplainText(causes[0].Line)?.Category);
    }

    [Fact]
    public void AnExceptionsCausesAreGatheredFromAllItsInnerExceptions()
    {
        var inner = new AuthenticationException("The remote certificate is invalid according to the validation procedure: RemoteCertificateNameMismatch, RemoteCertificateChainErrors");
        var outer = new System.Net.Http.HttpRequestException("The SSL connection could not be established, see inner exception.", inner);
        var causes = TlsErrorResolver.ExplainExceptionCauses(outer);
        Assert.Equal(new[] { FailureCategory.NameMismatch, FailureCategory.UntrustedRoot }, causes.Select(c => c.Category));
        Assert.All(causes, c => Assert.StartsWith("System.Security.Authentication.AuthenticationException:", c.Line));
    }

    [Fact]
    public void AnUnrecognizedTextIsOneUnknownResultThatQuotesIt()
    {
        Assert.Empty(TlsErrorResolver.ExplainCauses("GET /index.html 200"));
        var e = TlsErrorResolver.Unrecognized("  GET /index.html 200 ");
        Assert.Equal(FailureCategory.Unknown, e.Category);
        Assert.Contains("No known TLS error matched", e.Explanation);
        Assert.Contains("'GET /index.html 200'", e.Explanation);
        Assert.Equal(FailureCategoryCatalog.RemedyFor(FailureCategory.Unknown), e.Remedy);
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void NoTwoRowsClaimASampleWithDifferentCategories(int index)
    {
        var row = Row(index);
        var matches = TlsErrorCatalog.Matches(row.Sample).ToList();
        var top = matches.Max(m => m.Score);
        var tied = matches.Where(m => m.Score == top).ToList();
        var categories = tied.Select(m => m.Category).Distinct().ToList();
        Assert.True(categories.Count == 1,
            $"'{row.Sample}' is claimed equally by {string.Join(", ", tied.Select(m => $"{m.Row} -> {m.Category}"))}");
    }

    [Fact]
    public void EveryRegisteredAlertHasARowAndBackwards()
    {
        foreach (var alert in AlertCatalog.All)
        {
            var row = TlsErrorCatalog.ForAlert(alert.Code);
            if (row is null) Assert.Fail($"no row for alert {alert}");
            Assert.Equal("tls-alert", row.Source);
            Assert.Contains(alert.Name, row.Reference);
        }
    }

    [Theory]
    [InlineData("40", 40)]
    [InlineData("0x28", 40)]
    [InlineData("handshake_failure", 40)]
    [InlineData("handshake failure", 40)]
    [InlineData("HANDSHAKE_FAILURE", 40)]
    [InlineData("HandshakeFailure", 40)]
    [InlineData("unknown ca", 48)]
    [InlineData("certificate_required", 116)]
    public void FindsAnAlertInEverySpellingStacksUse(string text, int code)
    {
        Assert.True(TlsErrorCatalog.TryFindAlert(text, out var row));
        Assert.NotNull(row);
        Assert.Equal((byte?)code, row.Alert);
    }

    [Theory]
    [InlineData("256")]
    [InlineData("3")]
    [InlineData("no_such_alert")]
    public void UnregisteredAlertsAreNotFound(string text) => Assert.False(TlsErrorCatalog.TryFindAlert(text, out _));

    [Fact]
    public void EveryCategoryButNoneHasOneRemedyAndANextCommand()
    {
        foreach (FailureCategory c in Enum.GetValues(typeof(FailureCategory)))
        {
            if (c == FailureCategory.None) continue;
            Assert.False(string.IsNullOrEmpty(FailureCategoryCatalog.RemedyFor(c)), $"no remedy for {c}");
            Assert.StartsWith(c == FailureCategory.ProtocolVersionMismatch ? "Get-TlsProtocolSupport" : "", FailureCategoryCatalog.NextCommandFor(c));
            Assert.Equal(FailureCategoryCatalog.RemedyFor(c), Remedies.For(c));
        }
    }

    [Fact]
    public void TestTlsHandshakeAndResolveTlsErrorGiveTheSameRemedyForACause()
    {
        var explained = TlsErrorResolver.ExplainText("error:0A000102:SSL routines::unsupported protocol");
        Assert.NotNull(explained);
        Assert.Equal(FailureCategory.ProtocolVersionMismatch, explained.Category);
        Assert.Equal(Remedies.For(FailureCategory.ProtocolVersionMismatch), explained.Remedy);
        Assert.Contains("ssl_protocols TLSv1.2 TLSv1.3", explained.Remedy);
    }

    [Fact]
    public void AnAlertCarriedInAMessageTakesTheAlertsCategoryAndExplanation()
    {
        var e = TlsErrorResolver.ExplainText("javax.net.ssl.SSLHandshakeException: Received fatal alert: certificate_required");
        Assert.NotNull(e);
        Assert.Equal(FailureCategory.ClientCertificateRequired, e.Category);
        Assert.Equal("java", e.Source);
        Assert.Contains("certificate_required (116)", e.Explanation);
        Assert.Contains("alert 116 certificate_required", e.Reference);
    }

    [Fact]
    public void ASpecificReasonBeatsTheWrapperAroundIt()
    {
        var e = TlsErrorResolver.ExplainText("ssl.SSLCertVerificationError: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed certificate (_ssl.c:1006)");
        Assert.NotNull(e);
        Assert.Equal(FailureCategory.SelfSigned, e.Category);
        Assert.Equal("self-signed certificate", e.MatchedText);
    }

    [Fact]
    public void InnerExceptionsAreSearchedAndTheMostSpecificWins()
    {
        var inner = new Exception("error:0A000410:SSL routines::sslv3 alert handshake failure");
        var outer = new AuthenticationException("Authentication failed, see inner exception.", inner);
        var e = TlsErrorResolver.ExplainException(new AggregateException(new InvalidOperationException("unrelated"), outer));
        Assert.NotNull(e);
        Assert.Equal(FailureCategory.NoSharedCipher, e.Category);
        Assert.Contains("handshake failure", e.Message);
    }

    [Fact]
    public void TextWithoutATlsErrorIsNotExplained()
    {
        Assert.Null(TlsErrorResolver.ExplainText("2026/11/27 17:13:07 [notice] 1#1: signal process started"));
        Assert.Null(TlsErrorResolver.ExplainText("GET /index.html 200"));
        Assert.Null(TlsErrorResolver.ExplainException(new InvalidOperationException("nothing to do with TLS")));
    }

    [Fact]
    public void TheNextCommandNamesTheServerOfALogLine()
    {
        var e = TlsErrorResolver.ExplainText("[Tue Nov 24 10:22:33.123456 2026] [ssl:error] [pid 12:tid 34] AH01909: www.example.org:443:0 server certificate does NOT include an ID which matches the server name");
        Assert.NotNull(e);
        Assert.Equal(FailureCategory.NameMismatch, e.Category);
        Assert.Equal("www.example.org", e.ServerName);
        Assert.Equal("Get-CertificateChain -ComputerName www.example.org", e.NextCommand);
    }
}
