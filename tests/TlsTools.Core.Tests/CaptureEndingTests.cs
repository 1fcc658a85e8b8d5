using System;
using System.Linq;
using TlsTools.Diagnosis;
using TlsTools.Handshake;
using TlsTools.Protocol;
using Xunit;
using static TlsTools.Core.Tests.CaptureTestFiles;

namespace TlsTools.Core.Tests;

/// <summary>
/// Who ended each captured connection, with what, after which message and after how long a silence, and the rules
/// that read it: on real loopback captures (Data/loopback-endings.pcap, recorded by tests/TestData/Record-EndingsCapture.ps1).
/// </summary>
public class CaptureEndingTests
{
    static readonly System.Collections.Generic.Dictionary<string, CapturedHandshake> Endings =
        Read(Load(CaptureTestFiles.Endings)).ToDictionary(r => Assert.IsType<string>(r.ServerName));

    static string Ends(CapturedHandshake r) =>
        string.Join(", ", r.Timeline.Where(e => e.What == "FIN" || e.What == "RST").Select(e => $"{e.From} {e.What}"));

    [Fact]
    public void AClientRefusingTheVersionTheServerChoseIsProtocolVersionMismatchByTheClient()
    {
        var r = Endings["tls12only.test"];
        Assert.Equal("ClientRefusedChosenVersion", r.DiagnosisRule);
        Assert.Equal(FailureCategory.ProtocolVersionMismatch, r.FailureCategory);
        Assert.Equal(CaptureOutcome.Failed, r.Outcome);
        Assert.Equal((ConnectionSide.Client, ConnectionEnding.Alert, "ServerHelloDone"), (r.EndedBy, r.EndedWith, r.EndedAfter));
        Assert.Equal(TlsProtocol.Tls10, r.ServerVersion);
        Assert.Equal("client→server fatal protocol_version (70)", r.Alerts);
        Assert.StartsWith("The server answered a ClientHello offering TLS 1.2 with a TLS 1.0 ServerHello, and the client refused that version", r.FailureReason);
        Assert.Null(r.ServerSilenceMs);
    }

    [Fact]
    public void AClientThatGaveUpOnASilentServerIsServerSilentEvenThoughTheServerClosedAfterIt()
    {
        var r = Endings["gaveup.test"];
        Assert.Equal("ClientGaveUpOnSilence", r.DiagnosisRule);
        Assert.Equal(FailureCategory.ServerSilent, r.FailureCategory);
        Assert.Equal((ConnectionSide.Client, ConnectionEnding.Fin, "ClientHello"), (r.EndedBy, r.EndedWith, r.EndedAfter));
        Assert.Equal("Client FIN, Server FIN", Ends(r));
        Assert.InRange(r.ServerSilenceMs ?? 0, 2500, 3500);   // timeout 3 ended the client
        Assert.Equal(0, r.ServerBytes);
        Assert.StartsWith("The client gave up after 2.9 s: the server never answered its", r.FailureReason);
    }

    [Fact]
    public void AClientThatClosedWithoutWaitingIsNotBlamedOnTheServer()
    {
        var r = Endings["quick.test"];
        Assert.Equal("ClientEndedHandshake", r.DiagnosisRule);
        Assert.Equal(FailureCategory.ConnectionClosed, r.FailureCategory);
        Assert.Equal((ConnectionSide.Client, ConnectionEnding.Fin), (r.EndedBy, r.EndedWith));
        Assert.InRange(r.ServerSilenceMs ?? -1, 0, 999);
        Assert.StartsWith("The client closed (TCP FIN) the connection after its ClientHello without an alert", r.FailureReason);
        Assert.DoesNotContain("server closed", r.FailureReason);
    }

    [Fact]
    public void AServerThatHangsUpFirstIsTheServersClose()
    {
        var r = Endings["closed.test"];
        Assert.Equal("ClosedAfterClientHello", r.DiagnosisRule);
        Assert.Equal((ConnectionSide.Server, ConnectionEnding.Fin, "ClientHello"), (r.EndedBy, r.EndedWith, r.EndedAfter));
        Assert.StartsWith("Server FIN", Ends(r));
        Assert.Null(r.ServerSilenceMs);
        Assert.Contains("server closed the connection (TCP FIN)", r.FailureReason);
    }

    [Fact]
    public void AClientCertificateAlertAfterTheCertificateIsExplainedByTheValidator()
    {
        var r = Endings["expired.tlstools.test"];
        Assert.Equal("ClientRejectedCertificate", r.DiagnosisRule);
        Assert.Equal(FailureCategory.CertificateExpired, r.FailureCategory);
        Assert.Equal((ConnectionSide.Client, ConnectionEnding.Alert, "Certificate"), (r.EndedBy, r.EndedWith, r.EndedAfter));
        // Validated at the capture's time: the test root is not this machine's, yet certificate_expired is about dates, and so is the finding named.
        Assert.Contains("with fatal certificate_expired (45); validated here: The certificate for CN=expired.tlstools.test", r.FailureReason);
        Assert.Contains("expired on", r.FailureReason);
    }

    [Fact]
    public void TheTimelineListsWhatCrossedTheWireInOrderWithItsSender()
    {
        var r = Endings["expired.tlstools.test"];
        var steps = r.Timeline.Select(e => $"{e.From} {e.What}").ToList();
        Assert.Equal("Client ClientHello", steps[0]);
        Assert.True(steps.IndexOf("Server Certificate") < steps.IndexOf("Client fatal certificate_expired (45)"));
        Assert.Equal(r.Timeline.OrderBy(e => e.Time).Select(e => e.What), r.Timeline.Select(e => e.What));
        Assert.All(r.Timeline, e => Assert.Equal(Math.Round((e.Time - r.Time).TotalMilliseconds, 3), e.OffsetMs));
    }

    [Fact]
    public void TheScenarioCaptureNamesWhoEndedEachConnection()
    {
        var results = Read(Load(Scenarios)).ToDictionary(r => Assert.IsType<string>(r.ServerName));
        Assert.Equal((ConnectionSide.Server, ConnectionEnding.Rst), (results["reset.test"].EndedBy, results["reset.test"].EndedWith));
        Assert.Equal((ConnectionSide.Server, ConnectionEnding.Alert), (results["old.test"].EndedBy, results["old.test"].EndedWith));
        Assert.Equal((ConnectionSide.Client, ConnectionEnding.Alert, "ServerHelloDone"),
            (results["untrusted.test"].EndedBy, results["untrusted.test"].EndedWith, results["untrusted.test"].EndedAfter));
        Assert.Equal("Finished", results["good.test"].EndedAfter);
        Assert.Null(results["good.test"].ServerSilenceMs);   // a quiet server after a completed handshake gave nobody up
        var silent = results["silent.test"];
        Assert.Equal("ClientGaveUpOnSilence", silent.DiagnosisRule);
        Assert.Equal((ConnectionSide.Client, ConnectionEnding.Fin), (silent.EndedBy, silent.EndedWith));
        Assert.InRange(silent.ServerSilenceMs ?? 0, 1800, 1900);
    }

    // The same rules read Test-TlsHandshake's own observations, where the client is this machine: they fire only on evidence that fits.

    static HandshakeObservation OwnHandshake() => new HandshakeObservation
    {
        OfferedProtocols = TlsProtocol.Tls12 | TlsProtocol.Tls13,
        ServerName = "host.test",
        BytesSent = 517,
    };

    [Fact]
    public void OurOwnDeadlineIsStillServerSilentAfterHelloNotAClientGivingUp()
    {
        var o = OwnHandshake();
        o.TimedOut = true;
        o.Elapsed = TimeSpan.FromSeconds(5);
        Assert.Equal("ServerSilentAfterHello", HandshakeDiagnoser.Diagnose(o, null, null).Rule);
    }

    [Fact]
    public void AServerCloseDuringOurHandshakeIsStillTheServers()
    {
        var o = OwnHandshake();
        o.BytesReceived = 90;
        o.FirstBytesReceived = new byte[] { 0x16, 0x03, 0x03, 0x00, 0x55 };
        o.ServerProtocol = TlsProtocol.Tls12;
        o.ServerSuite = 0xC02F;
        o.PeerClosed = true;
        var v = HandshakeDiagnoser.Diagnose(o, null, null);
        Assert.Equal("ClosedDuringHandshake", v.Rule);
        Assert.Contains("The server closed", v.Reason);
    }

    [Fact]
    public void OurEngineRefusingAnUnofferedVersionNamesBothVersions()
    {
        var o = OwnHandshake();
        o.OfferedProtocols = TlsProtocol.Tls12;
        o.BytesReceived = 1200;
        o.FirstBytesReceived = new byte[] { 0x16, 0x03, 0x01, 0x04, 0xA0 };
        o.ServerProtocol = TlsProtocol.Tls10;
        o.ServerSuite = 0xC013;
        o.Alerts.Add(new AlertRecord(false, 2, 70, "server version TLS 1.0 was not offered"));
        var v = HandshakeDiagnoser.Diagnose(o, null, null);
        Assert.Equal("ClientRefusedChosenVersion", v.Rule);
        Assert.Equal(FailureCategory.ProtocolVersionMismatch, v.Category);
        Assert.Contains("offering TLS 1.2 with a TLS 1.0 ServerHello", v.Reason);
    }

    [Fact]
    public void AClientAlertAboutTheServersChoiceSaysWhatTheAlertMeansNotThatTheMessageWasInvalid()
    {
        var o = OwnHandshake();
        o.BytesReceived = 1200;
        o.FirstBytesReceived = new byte[] { 0x16, 0x03, 0x03, 0x04, 0xA0 };
        o.ServerProtocol = TlsProtocol.Tls12;
        o.ServerSuite = 0xC02F;
        o.Alerts.Add(new AlertRecord(false, 2, 47));
        var v = HandshakeDiagnoser.Diagnose(o, null, null);
        Assert.Equal("ClientFatalAlert", v.Rule);
        Assert.DoesNotContain("message was invalid", v.Reason);
        Assert.StartsWith("The client aborted with fatal illegal_parameter (47) after its ServerHello (TLS 1.2, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256)", v.Reason);
        Assert.Contains("field was out of range", v.Reason);
    }

    [Fact]
    public void AClientsCertificateAlertIsExplainedOnlyByAFindingOfItsKind()
    {
        var o = OwnHandshake();
        o.BytesReceived = 1200;
        o.FirstBytesReceived = new byte[] { 0x16, 0x03, 0x03, 0x04, 0xA0 };
        o.ServerProtocol = TlsProtocol.Tls12;
        o.ServerSuite = 0xC02F;
        o.Alerts.Add(new AlertRecord(false, 2, 48));
        // Without a validation the alert alone speaks.
        var alone = HandshakeDiagnoser.Diagnose(o, null, null);
        Assert.Equal(("ClientRejectedCertificate", FailureCategory.UntrustedRoot), (alone.Rule, alone.Category));
        Assert.Equal("The client rejected the server's certificate with fatal unknown_ca (48).", alone.Reason);

        // The expired chain served in the capture, validated with its intermediate as the anchor: trusted here, only expired.
        var chain = Endings["expired.tlstools.test"].ServedChain;
        Assert.Equal(2, chain.Count);
        var validation = Certificates.ChainValidator.Validate(chain, "expired.tlstools.test", Endings["expired.tlstools.test"].Time,
            Certificates.TrustStore.FromCertificates(new[] { chain[1] }));
        Assert.Equal(new[] { FailureCategory.CertificateExpired }, validation.Problems.Select(p => p.Category));
        o.ServedChain = chain;
        o.ServedChainValidation = validation;
        // unknown_ca is about the path, and the path is trusted here: the client's trust differs; the expiry is named beside it.
        var unknownCa = HandshakeDiagnoser.Diagnose(o, null, null);
        Assert.Equal(FailureCategory.UntrustedRoot, unknownCa.Category);
        Assert.Contains("the chain has no such problem: the client's own trust store, clock or checks differ; the chain's other problem: The certificate for CN=expired.tlstools.test", unknownCa.Reason);
        // certificate_unknown may mean anything: the validator's first finding is the cause, with its remedy.
        o.Alerts.Clear();
        o.Alerts.Add(new AlertRecord(false, 2, 46));
        var unknown = HandshakeDiagnoser.Diagnose(o, null, null);
        Assert.Equal(FailureCategory.CertificateExpired, unknown.Category);
        Assert.Contains("with fatal certificate_unknown (46); validated here: The certificate for CN=expired.tlstools.test", unknown.Reason);
        Assert.Equal(validation.Problems[0].Remedy ?? Remedies.For(FailureCategory.CertificateExpired), unknown.Remedy);
    }
}
