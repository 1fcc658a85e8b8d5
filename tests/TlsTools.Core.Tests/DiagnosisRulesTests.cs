using System.Collections.Generic;
using System.Linq;
using System.Text;
using TlsTools.Diagnosis;
using TlsTools.Handshake;
using TlsTools.Probing;
using TlsTools.Protocol;
using Xunit;

namespace TlsTools.Core.Tests;

/// <summary>The precedence and the evidence sentences of the diagnosis rules, on observations built by hand.</summary>
public class DiagnosisRulesTests
{
    static HandshakeObservation Offer() => new HandshakeObservation
    {
        OfferedProtocols = TlsProtocol.Tls12 | TlsProtocol.Tls13,
        OfferedSuites = ClientProfile.Mainstream().CipherSuites,
        ServerName = "host.test",
        BytesSent = 517,
    };

    [Fact]
    public void SilenceUntilTheDeadlineIsServerSilent()
    {
        var o = Offer();
        o.TimedOut = true;
        var v = HandshakeDiagnoser.Diagnose(o, null, null);
        Assert.Equal(FailureCategory.ServerSilent, v.Category);
        Assert.Contains("517-byte ClientHello", v.Reason);
    }

    [Fact]
    public void AnHttpAnswerIsNotTlsAndSaysHttp()
    {
        var o = Offer();
        o.BytesReceived = 40;
        o.FirstBytesReceived = Encoding.ASCII.GetBytes("HTTP/1.1 400 Bad Request\r\nServer: nginx\r\n");
        var v = HandshakeDiagnoser.Diagnose(o, null, null);
        Assert.Equal(FailureCategory.NotTls, v.Category);
        Assert.Contains("HTTP/1.1 400 Bad Request", v.Reason);
    }

    [Fact]
    public void AResetBeforeAnyAnswerIsConnectionReset()
    {
        var o = Offer();
        o.PeerReset = true;
        var v = HandshakeDiagnoser.Diagnose(o, new AcceptanceReport(new VersionAcceptance[0], 5), null);
        Assert.Equal(FailureCategory.ConnectionReset, v.Category);
        Assert.Contains("reset (TCP RST)", v.Reason);
    }

    [Fact]
    public void ProtocolVersionAlertWithALegacyOnlyServerNamesTheVersions()
    {
        var o = Offer();
        o.BytesReceived = 7;
        o.FirstBytesReceived = new byte[] { 0x15, 0x03, 0x01, 0x00, 0x02, 0x02, 0x46 };
        o.Alerts.Add(new AlertRecord(true, 2, 70));
        var report = new AcceptanceReport(new List<VersionAcceptance>
        {
            new VersionAcceptance(TlsProtocol.Tls10, new ushort[] { 0xC013 }, null, true),
            new VersionAcceptance(TlsProtocol.Tls12, new ushort[0], "alert protocol_version (70)", true),
        }, 7);
        Assert.True(HandshakeDiagnoser.NeedsAcceptanceProbe(o));
        var v = HandshakeDiagnoser.Diagnose(o, report, null);
        Assert.Equal(FailureCategory.ProtocolVersionMismatch, v.Category);
        Assert.StartsWith("The server accepts only TLS 1.0; the client offered TLS 1.2–1.3", v.Reason);
        Assert.Contains("-Protocol Tls10", v.Remedy);
    }

    [Fact]
    public void FollowUpProbesThatGotNoAnswerProveNothing_TheAlertAloneDecidesAndTheReasonSaysSo()
    {
        // What a loaded machine gave the Demo's ExportCiphers server: the SSLv3 and TLS 1.0 probes timed out. That is not
        // "the server accepts no version": the verdict must not claim what the probes did not see.
        var o = Offer();
        o.BytesReceived = 7;
        o.FirstBytesReceived = new byte[] { 0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28 };
        o.Alerts.Add(new AlertRecord(true, 2, 40));
        var report = new AcceptanceReport(new List<VersionAcceptance>
        {
            new VersionAcceptance(TlsProtocol.Ssl3, new ushort[0], "no answer within 2.0 s", false, unanswered: true),
            new VersionAcceptance(TlsProtocol.Tls10, new ushort[0], "no answer within 2.0 s", false, unanswered: true),
            new VersionAcceptance(TlsProtocol.Tls12, new ushort[0], "alert handshake_failure (40)", true),
        }, 3);
        var v = HandshakeDiagnoser.Diagnose(o, report, null);
        Assert.Equal(FailureCategory.NoSharedCipher, v.Category);
        Assert.DoesNotContain("found no version or suite it accepts", v.Reason);
        Assert.EndsWith("Follow-up probes of SSLv3, TLS 1.0 got no answer (no answer within 2.0 s), so what the server does accept is not known.", v.Reason);
    }

    [Fact]
    public void HandshakeFailureWithOnlyUnofferedSuitesIsNoSharedCipher()
    {
        var o = Offer();
        o.BytesReceived = 7;
        o.FirstBytesReceived = new byte[] { 0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28 };
        o.Alerts.Add(new AlertRecord(true, 2, 40));
        var report = new AcceptanceReport(new List<VersionAcceptance>
        {
            new VersionAcceptance(TlsProtocol.Tls12, new ushort[] { 0x000A }, null, true),
        }, 2);
        var v = HandshakeDiagnoser.Diagnose(o, report, null);
        Assert.Equal(FailureCategory.NoSharedCipher, v.Category);
        Assert.Contains("none of the", v.Reason);
        Assert.Contains("(TLS 1.2)", v.Reason);
    }

    [Fact]
    public void ARequestedClientCertificateExplainsAHandshakeFailureAlert()
    {
        var o = Offer();
        o.BytesReceived = 2000;
        o.FirstBytesReceived = new byte[] { 0x16, 0x03, 0x03 };
        o.ClientCertificateRequested = true;
        o.Alerts.Add(new AlertRecord(true, 2, 40));
        Assert.False(HandshakeDiagnoser.NeedsAcceptanceProbe(o));
        Assert.Equal(FailureCategory.ClientCertificateRequired, HandshakeDiagnoser.Diagnose(o, null, null).Category);
    }

    [Fact]
    public void ASmallDhGroupIsWeakDhGroupEvenThoughWeRaisedTheAlert()
    {
        var o = Offer();
        o.BytesReceived = 2000;
        o.FirstBytesReceived = new byte[] { 0x16, 0x03, 0x03 };
        o.DhPrimeBits = 1024;
        o.ServerSuite = 0x009E;
        o.Alerts.Add(new AlertRecord(false, 2, 71, "DH group not acceptable"));
        var v = HandshakeDiagnoser.Diagnose(o, null, null);
        Assert.Equal(FailureCategory.WeakDhGroup, v.Category);
        Assert.Contains("ssl_dhparam", v.Remedy);
        Assert.Contains("1024-bit DH group", v.Reason);
    }

    [Fact]
    public void UnrecognizedNameNamesTheSniSent()
    {
        var o = Offer();
        o.BytesReceived = 7;
        o.FirstBytesReceived = new byte[] { 0x15, 0x03, 0x03 };
        o.Alerts.Add(new AlertRecord(true, 2, 112));
        var v = HandshakeDiagnoser.Diagnose(o, null, null);
        Assert.Equal(FailureCategory.UnrecognizedName, v.Category);
        Assert.Contains("'host.test'", v.Reason);
    }

    [Fact]
    public void AnyOtherReceivedAlertIsAlertReceived()
    {
        var o = Offer();
        o.BytesReceived = 7;
        o.FirstBytesReceived = new byte[] { 0x15, 0x03, 0x03 };
        o.Alerts.Add(new AlertRecord(true, 2, 80));
        var v = HandshakeDiagnoser.Diagnose(o, null, null);
        Assert.Equal(FailureCategory.AlertReceived, v.Category);
        Assert.Equal("received fatal internal_error (80)", HandshakeDiagnoser.AlertText(o));
    }

    [Fact]
    public void AClientAlertIsExplainedFromTheWireNeverFromTheEnginesWords()
    {
        var o = Offer();
        var hello = TlsBytes.Tls12ServerHello();
        o.BytesReceived = hello.Length;
        o.FirstBytesReceived = hello;
        o.Wire = WireAudit.Examine(new WireRecording { Sent = ClientHelloBuilder.Build(new ClientHelloOptions()), Received = hello, BytesReceived = hello.Length });
        o.Alerts.Add(new AlertRecord(false, 2, 10, "Failed to read record"));
        var v = HandshakeDiagnoser.Diagnose(o, null, null);
        Assert.Equal("ClientFatalAlert", v.Rule);
        Assert.DoesNotContain("Failed to read record", v.Reason);
        Assert.StartsWith("The client aborted with fatal unexpected_message (10) after its ServerHello (TLS 1.2, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256)", v.Reason);
        Assert.Contains("the server sent 58 bytes in 1 record(s) (handshake: ServerHello)", v.Reason);
    }

    [Fact]
    public void NoRuleMatchedShowsTheEvidenceNotTheException()
    {
        var o = Offer();
        var hello = TlsBytes.Tls12ServerHello();
        o.BytesReceived = hello.Length;
        o.FirstBytesReceived = hello;
        o.Wire = WireAudit.Examine(new WireRecording { Sent = ClientHelloBuilder.Build(new ClientHelloOptions()), Received = hello, BytesReceived = hello.Length });
        o.Error = new System.IO.IOException("some library's words");
        var v = HandshakeDiagnoser.Diagnose(o, null, null);
        Assert.Equal(DiagnosisRules.NoRuleMatched, v.Rule);
        Assert.Equal(FailureCategory.Unknown, v.Category);
        Assert.DoesNotContain("some library's words", v.Reason);
        Assert.Equal("The handshake failed after its ServerHello (TLS 1.2, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256) and no rule explains it: " +
            "the server sent 58 bytes in 1 record(s) (handshake: ServerHello), and the connection was still open.", v.Reason);
    }

    [Fact]
    public void TheRuleTableHasTheAgreedOrder()
    {
        Assert.Equal(new[]
        {
            "ServerSilentAfterHello", "AnswerNotTls",
            "RecordTooLong", "MessageLengthMismatch", "MessageTooLong", "FlightTooLong", "UnofferedSuiteChosen", "UnofferedVersionChosen",
            "UnofferedGroupChosen", "SecondHelloRetryRequest", "CertificateUndecodable", "UndefinedAlert", "DataBeforeFinished", "Ssl2RecordMalformed",
            "HandshakeStalled", "ClientCertificateRejected", "ClientCertificateMissing", "ServerUnrecognizedName", "NoApplicationProtocol", "WeakDhGroupChosen", "NegotiationRejected",
            "ResetAfterClientHello", "ClosedAfterClientHello", "ClientRefusedChosenVersion", "ClientGaveUpOnSilence", "ClientEndedHandshake", "ClientRejectedCertificate", "ServerFatalAlert", "ClientFatalAlert",
            "ResetDuringHandshake", "ClosedDuringHandshake",
        }, HandshakeDiagnoser.Rules.Select(r => r.Name));
    }
}
