using System;
using TlsTools.Diagnosis;
using Xunit;

namespace TlsTools.Core.Tests;

/// <summary>
/// Log-line fields. nginx lines come from a real nginx in tests/ResolveTlsError.Tests.ps1; Apache, HAProxy, Postfix,
/// Dovecot and IIS do not run here, so their lines are HAND-WRITTEN in each product's documented format.
/// </summary>
public class DiagnosisServerLogFormatsTests
{
    [Theory]
    // nginx (the shape the real nginx in the Pester test writes)
    [InlineData("2026/11/27 17:13:07 [info] 4242#4242: *7 SSL_do_handshake() failed (SSL: error:0A0000C1:SSL routines::no shared cipher) while SSL handshaking, client: 127.0.0.1, server: 127.0.0.1:8443",
        "nginx", "2026-11-27T17:13:07", "127.0.0.1", "127.0.0.1:8443", FailureCategory.NoSharedCipher)]
    // Apache mod_ssl (hand-written)
    [InlineData("[Fri Nov 27 17:13:07.123456 2026] [ssl:info] [pid 12:tid 34] [client 192.0.2.10:50123] AH02008: SSL library error 1 in handshake (server www.example.org:443)",
        "apache", "2026-11-27T17:13:07.123456", "192.0.2.10", "www.example.org:443", FailureCategory.AlertReceived)]
    [InlineData("[Fri Nov 27 17:13:07.123456 2026] [ssl:info] [pid 12:tid 34] [client 192.0.2.10:50123] SSL Library Error: error:0A000102:SSL routines::unsupported protocol",
        "apache", "2026-11-27T17:13:07.123456", "192.0.2.10", null, FailureCategory.ProtocolVersionMismatch)]
    // HAProxy (hand-written)
    [InlineData("Nov 27 17:13:07 lb haproxy[123]: 192.0.2.10:50123 [27/Nov/2026:17:13:06.512] fe_https/1: SSL handshake failure (error:0A0000C1:SSL routines::no shared cipher)",
        "haproxy", "2026-11-27T17:13:06.512", "192.0.2.10", null, FailureCategory.NoSharedCipher)]
    [InlineData("192.0.2.10:50123 [27/Nov/2026:17:13:06.512] fe_https/1: Connection closed during SSL handshake",
        "haproxy", "2026-11-27T17:13:06.512", "192.0.2.10", null, FailureCategory.ConnectionReset)]
    // Postfix (hand-written)
    [InlineData("Nov 27 17:13:07 mail postfix/smtpd[1234]: SSL_accept error from unknown[192.0.2.10]: lost connection",
        "postfix", null, "192.0.2.10", "mail", FailureCategory.ConnectionReset)]
    [InlineData("Nov 27 17:13:07 mail postfix/smtp[1235]: certificate verification failed for mx.example.org[192.0.2.25]:25: untrusted issuer /CN=Example Private CA",
        "postfix", null, "192.0.2.25", "mx.example.org", FailureCategory.UntrustedRoot)]
    // Dovecot (hand-written)
    [InlineData("Nov 27 17:13:07 mail dovecot: imap-login: Disconnected: TLS handshaking: SSL_accept() failed: error:0A0000C1:SSL routines::no shared cipher (no auth attempts in 0 secs): user=<>, rip=192.0.2.10, lip=192.0.2.1, TLS handshaking: SSL_accept() failed",
        "dovecot", null, "192.0.2.10", "192.0.2.1", FailureCategory.NoSharedCipher)]
    // IIS HTTP.sys httperr (hand-written)
    [InlineData("2026-11-27 17:13:07 192.0.2.10 50123 192.0.2.1 443 - - - - - - Client_Reset -",
        "iis", "2026-11-27T17:13:07", "192.0.2.10", "192.0.2.1", FailureCategory.ConnectionReset)]
    public void ALogLineGivesItsFieldsAndCause(string line, string source, string? time, string client, string? server, FailureCategory category)
    {
        var e = TlsErrorResolver.ExplainText(line);
        Assert.NotNull(e);
        Assert.Equal(source, e.Source);
        if (time != null) Assert.Equal(DateTime.Parse(time, System.Globalization.CultureInfo.InvariantCulture), e.Timestamp);
        else Assert.Equal(new TimeSpan(17, 13, 7), Assert.NotNull(e.Timestamp).TimeOfDay);   // syslog: no year in the line
        Assert.Equal(client, e.ClientAddress);
        Assert.Equal(server, e.ServerName);
        Assert.Equal(category, e.Category);
        Assert.Equal(line, e.Line);
    }

    [Fact]
    public void ALineInNoKnownFormatIsExplainedAsAWhole()
    {
        var e = TlsErrorResolver.ExplainText("curl: (60) SSL certificate problem: certificate has expired");
        Assert.NotNull(e);
        Assert.Equal("openssl", e.Source);
        Assert.Null(e.Timestamp);
        Assert.Equal(FailureCategory.CertificateExpired, e.Category);
    }
}
