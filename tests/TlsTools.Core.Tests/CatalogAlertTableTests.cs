using System;
using System.Linq;
using System.Reflection;
using TlsTools.Catalog;
using TlsTools.Diagnosis;
using TlsTools.Handshake;
using TlsTools.Protocol;
using Xunit;

namespace TlsTools.Core.Tests;

/// <summary>
/// The one alert table (Catalog/Data/tls-alerts.tsv): every code once, the constants the code uses agree with it, and an
/// alert means what it means by who sent it, in the catalog, in the diagnoser and in Resolve-TlsError alike.
/// </summary>
public class CatalogAlertTableTests
{
    static string NameKey(string name) => new string(name.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray());

    [Fact]
    public void HoldsEveryCodeOnceWithANameAReferenceAndAMeaning()
    {
        Assert.Equal(AlertCatalog.All.Count, AlertCatalog.All.Select(a => a.Code).Distinct().Count());
        Assert.Equal(AlertCatalog.All.Count, AlertCatalog.All.Select(a => a.Name).Distinct().Count());
        // RFC 8446 §6 and its predecessors register 35 descriptions (ech_required from the ECH draft among them).
        Assert.Equal(35, AlertCatalog.All.Count);
        Assert.All(AlertCatalog.All, a =>
        {
            Assert.Matches("^[a-z_]+$", a.Name);
            Assert.Matches(@"^(RFC \d{4}|draft-)", a.Reference);
            Assert.False(string.IsNullOrWhiteSpace(a.Meaning));
        });
    }

    /// <summary>The code points the code names (TlsAlertDescription) carry the table's names: one truth for both.</summary>
    [Fact]
    public void TheProtocolConstantsAgreeWithTheTable()
    {
        var constants = typeof(TlsAlertDescription).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).ToList();
        Assert.NotEmpty(constants);
        foreach (var constant in constants)
        {
            byte code = (byte)constant.GetRawConstantValue()!;
            Assert.True(AlertCatalog.TryGet(code, out var alert), $"{constant.Name} = {code} is not in the table");
            Assert.Equal(NameKey(alert.Name), NameKey(constant.Name));
        }
    }

    [Fact]
    public void BadCertificateFromTheClientIsTheServersCertificateAndFromTheServerTheClients()
    {
        Assert.True(AlertCatalog.TryGet(TlsAlertDescription.BadCertificate, out var alert));
        // From a client: the server's certificate is corrupt or a signature in its chain fails, so it leads to no trusted root.
        Assert.Equal(FailureCategory.UntrustedRoot, alert.CategoryWhenSentBy(client: true));
        // From a server: the client's certificate was refused.
        Assert.Equal(FailureCategory.ClientCertificateRequired, alert.CategoryWhenSentBy(client: false));
        // Who sent it unknown: only "an alert", and the explanation gives both readings.
        Assert.Equal(FailureCategory.AlertReceived, alert.Category);
        Assert.Contains("The client refused the server's certificate", alert.Explanation);
        Assert.Contains("The server refused the client's certificate", alert.Explanation);
        Assert.Equal(FailureCategory.UntrustedRoot, AlertCatalog.ClientRefusalOfServerCertificate(TlsAlertDescription.BadCertificate));
    }

    [Theory]
    [InlineData(TlsAlertDescription.BadCertificate, FailureCategory.UntrustedRoot)]
    [InlineData(TlsAlertDescription.CertificateRevoked, FailureCategory.CertificateRevoked)]
    [InlineData(TlsAlertDescription.CertificateExpired, FailureCategory.CertificateExpired)]
    [InlineData(TlsAlertDescription.CertificateUnknown, FailureCategory.UntrustedRoot)]
    [InlineData(TlsAlertDescription.UnknownCa, FailureCategory.UntrustedRoot)]
    public void AClientsCertificateAlertInACaptureNamesTheServersCertificateProblem(byte description, FailureCategory expected)
    {
        var o = Captured();
        o.Alerts.Add(new AlertRecord(false, TlsAlertLevel.Fatal, description));
        var v = HandshakeDiagnoser.Diagnose(o, null, null);
        Assert.Equal(expected, v.Category);
        Assert.Equal("ClientRejectedCertificate", v.Rule);
        Assert.Contains("The client rejected the server's certificate with fatal " + AlertCatalog.NameOf(description), v.Reason);
    }

    [Fact]
    public void BadCertificateFromTheServerAfterItAskedForAClientCertificateIsClientCertificateRequired()
    {
        var o = Captured();
        o.ClientCertificateRequested = true;
        o.Alerts.Add(new AlertRecord(true, TlsAlertLevel.Fatal, TlsAlertDescription.BadCertificate));
        var v = HandshakeDiagnoser.Diagnose(o, null, null);
        Assert.Equal(FailureCategory.ClientCertificateRequired, v.Category);
        Assert.Equal("ClientCertificateMissing", v.Rule);
    }

    [Fact]
    public void AnAlertOfAnotherKindFromTheClientIsNoCertificateRefusal()
    {
        Assert.Null(AlertCatalog.ClientRefusalOfServerCertificate(TlsAlertDescription.ProtocolVersion));
        Assert.Null(AlertCatalog.ClientRefusalOfServerCertificate(TlsAlertDescription.IllegalParameter));
        var o = Captured();
        o.Alerts.Add(new AlertRecord(false, TlsAlertLevel.Fatal, TlsAlertDescription.IllegalParameter));
        Assert.Equal("ClientFatalAlert", HandshakeDiagnoser.Diagnose(o, null, null).Rule);
    }

    [Fact]
    public void ResolveTlsErrorReadsABareAlertFromTheSameRow()
    {
        var e = TlsErrorResolver.ExplainAlert("bad_certificate");
        Assert.NotNull(e);
        Assert.Equal(FailureCategory.AlertReceived, e.Category);
        Assert.StartsWith("bad_certificate (42): ", e.Explanation);
        Assert.Contains("The server refused the client's certificate", e.Explanation);
        Assert.True(AlertCatalog.TryGet(42, out var alert));
        Assert.Equal(alert.Remedy, e.Remedy);
        Assert.Equal("alert 42 bad_certificate; RFC 8446 §6.2", e.Reference);
    }

    [Fact]
    public void EveryAlertIsATlsAlertRowOfTheErrorTableWithTheSameCauseAndRemedy()
    {
        foreach (var alert in AlertCatalog.All)
        {
            var row = TlsErrorCatalog.ForAlert(alert.Code);
            Assert.NotNull(row);
            Assert.Equal(alert.Category, row.Category);
            Assert.Equal(alert.Remedy, row.Remedy);
            Assert.Equal(alert.Explanation, row.Explanation);
        }
        Assert.Equal(AlertCatalog.All.Count, TlsErrorCatalog.All.Count(r => r.Alert != null));
    }

    /// <summary>A capture's observation after the server's flight: TLS bytes came back, the server chose a suite.</summary>
    static HandshakeObservation Captured() => new HandshakeObservation
    {
        OfferedProtocols = TlsProtocol.Tls12,
        OfferedSuites = new[] { 0xC02F },
        ServerName = "host.test",
        BytesSent = 517,
        BytesReceived = 2000,
        FirstBytesReceived = new byte[] { 0x16, 0x03, 0x03 },
        ServerSuite = 0xC02F,
        ServerProtocol = TlsProtocol.Tls12,
    };
}
