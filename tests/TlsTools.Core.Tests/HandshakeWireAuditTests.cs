using System;
using System.Linq;
using TlsTools.Handshake;
using TlsTools.Protocol;
using Xunit;
using static TlsTools.Core.Tests.TlsBytes;

namespace TlsTools.Core.Tests;

/// <summary>Each check of the wire audit on byte arrays: the violation it names, and the legal shapes it must leave alone.</summary>
public class HandshakeWireAuditTests
{
    /// <summary>What this library's ClientHello offers by default: TLS 1.2 and 1.3, 17 suites and the SCSV, key shares x25519 and secp256r1.</summary>
    static readonly byte[] Offer = ClientHelloBuilder.Build(new ClientHelloOptions());
    static readonly byte[] RenegotiationInfo = Extension(0xFF01, new byte[] { 0 });

    static WireEvidence Audit(byte[] received, bool closed = false, bool bound = false, long? total = null) =>
        WireAudit.Examine(new WireRecording { Sent = Offer, Received = received, ServerClosed = closed, ClientBoundReached = bound, BytesReceived = total ?? received.Length });

    static void AssertViolation(WireEvidence e, string rule, params string[] quoted)
    {
        Assert.NotNull(e.Violation);
        Assert.Equal(rule, e.Violation!.Rule);
        foreach (var q in quoted) Assert.Contains(q, e.Violation.Reason);
    }

    static byte[] Tls13Hello(ushort version, ushort group, byte[]? random = null) =>
        HandshakeRecord(2, ServerHelloBody(0x0303, 0x1301, null, random, SupportedVersion(version),
            random == null ? KeyShare(group, group == 29 ? 32 : 65) : KeyShareRequest(group)));

    [Fact]
    public void TheTableNamesEveryCheckOnceInTheAgreedOrder()
    {
        Assert.Equal(new[] { "RecordTooLong", "MessageLengthMismatch", "MessageTooLong", "FlightTooLong", "UnofferedSuiteChosen", "UnofferedVersionChosen",
            "UnofferedGroupChosen", "SecondHelloRetryRequest", "CertificateUndecodable", "UndefinedAlert", "DataBeforeFinished", "Ssl2RecordMalformed" },
            WireAudit.Checks.Select(c => c.Name));
    }

    [Fact]
    public void AGoodTls12FlightBreaksNoRule()
    {
        var e = Audit(Concat(Tls12ServerHello(), HandshakeRecord(14, Array.Empty<byte>())));
        Assert.Null(e.Violation);
        Assert.Equal("its ServerHelloDone", e.LastMessage);
        Assert.Equal(0xC02F, e.ServerHello!.CipherSuite);
        Assert.Single(e.ClientHellos);
    }

    [Fact]
    public void RecordTooLong_APlaintextRecordOver2To14()
    {
        AssertViolation(Audit(Record(22, new byte[0], claimed: 16385)), "RecordTooLong", "claims 16,385 bytes", "16,384");
        Assert.Null(Audit(Record(22, TlsBytes.Handshake(2, ServerHelloBody(0x0303, 0xC02F, null, null, RenegotiationInfo)), claimed: null)).Violation);
    }

    [Fact]
    public void MessageLengthMismatch_AServerHelloClaimingMoreThanAnyServerHello()
    {
        var hello = TlsBytes.Handshake(2, ServerHelloBody(0x0303, 0xC02F), claimed: 0xFFFF);
        AssertViolation(Audit(Record(22, hello)), "MessageLengthMismatch", "ServerHello claims 65,535 bytes but its record carries 38");
        Assert.True(WireAudit.IsImpossibleLength(2, 0xFFFF));
        Assert.False(WireAudit.IsImpossibleLength(11, 0xFFFF));
    }

    [Fact]
    public void MessageLengthMismatch_AMessageCutByAnotherRecordType()
    {
        var body = new byte[300];
        var cut = Concat(Tls12ServerHello(), Record(22, TlsBytes.Handshake(11, body.Take(100).ToArray(), claimed: 300)), Alert(2, 40));
        AssertViolation(Audit(cut), "MessageLengthMismatch", "Certificate claims 300 bytes but its record carries 100", "alert (21) record interrupts it");
    }

    [Fact]
    public void MessageLengthMismatch_AMessageCutByTheServersClose_ButNotWhileTheServerMaySendMore()
    {
        var cut = Concat(Tls12ServerHello(), Record(22, TlsBytes.Handshake(11, new byte[100], claimed: 300)));
        AssertViolation(Audit(cut, closed: true), "MessageLengthMismatch", "before the connection ended (TCP FIN)");
        Assert.Null(Audit(cut, closed: false).Violation);
    }

    [Fact]
    public void AServerHelloFragmentedOverTwoRecordsIsLegal()
    {
        var hello = TlsBytes.Handshake(2, ServerHelloBody(0x0303, 0xC02F, null, null, RenegotiationInfo));
        var e = Audit(Concat(Record(22, hello.Take(20).ToArray()), Record(22, hello.Skip(20).ToArray()), HandshakeRecord(14, Array.Empty<byte>())));
        Assert.Null(e.Violation);
        Assert.Equal(1, e.ServerRecords.Messages[0].ContinuationRecords);
        Assert.True(e.ServerRecords.Messages[0].Complete);
    }

    [Fact]
    public void MessageTooLong_ACertificateClaimingBeyondTheBound()
    {
        AssertViolation(Audit(Concat(Tls12ServerHello(), Record(22, TlsBytes.Handshake(11, new byte[10], claimed: 0x200000)))), "MessageTooLong", "claims 2,097,152 bytes", "131,072");
        Assert.Null(Audit(Concat(Tls12ServerHello(), Record(22, TlsBytes.Handshake(11, new byte[10], claimed: 0x10000)))).Violation);
    }

    [Fact]
    public void FlightTooLong_TheClientsBoundReachedWithoutTheFlightEnding()
    {
        var flight = Concat(Tls12ServerHello(), Record(22, new byte[] { 0, 0, 0, 0 }));
        AssertViolation(Audit(flight, bound: true, total: WireTap.HandshakeReceiveBound), "FlightTooLong", "262,144 bytes", "without ending its handshake flight");
        Assert.Null(Audit(flight).Violation);
        var manyMessages = Concat(Tls12ServerHello(), Record(22, Enumerable.Range(0, 40).SelectMany(_ => TlsBytes.Handshake(0, Array.Empty<byte>())).ToArray()));
        AssertViolation(Audit(manyMessages), "FlightTooLong", "41 plaintext handshake messages");
    }

    [Fact]
    public void UnofferedSuiteChosen_ASuiteNotInTheOfferOrASignallingSuite()
    {
        AssertViolation(Audit(Tls12ServerHello(0xC0FF)), "UnofferedSuiteChosen", "The server chose cipher suite 0xC0FF, which the client did not offer");
        AssertViolation(Audit(Tls12ServerHello(0x00FF)), "UnofferedSuiteChosen", "0x00FF (TLS_EMPTY_RENEGOTIATION_INFO_SCSV)");
    }

    [Fact]
    public void UnofferedVersionChosen_AboveTheOffer_ButALowerVersionIsLegal()
    {
        AssertViolation(Audit(Tls13Hello(0x0305, 29)), "UnofferedVersionChosen", "0x0305 (no TLS version) in supported_versions");
        AssertViolation(Audit(Tls12ServerHello(version: 0x0304)), "UnofferedVersionChosen", "0x0304 (TLS 1.3),");
        Assert.Null(Audit(Tls12ServerHello(0xC013, version: 0x0301)).Violation);
    }

    [Fact]
    public void UnofferedGroupChosen_AKeyShareTheClientSentNoneOf()
    {
        AssertViolation(Audit(Tls13Hello(0x0304, 0x0019)), "UnofferedGroupChosen", "0x0019 (secp521r1)", "did not send a key share for");
        Assert.Null(Audit(Tls13Hello(0x0304, 29)).Violation);
    }

    [Fact]
    public void UnofferedGroupChosen_AHelloRetryRequestForAGroupNotListed()
    {
        AssertViolation(Audit(Tls13Hello(0x0304, 0x0200, HelloRetryRandom)), "UnofferedGroupChosen", "HelloRetryRequest asks for", "0x0200", "supported_groups");
        // x25519 already had a key share in the ClientHello: asking for it again is forbidden too.
        AssertViolation(Audit(Tls13Hello(0x0304, 29, HelloRetryRandom)), "UnofferedGroupChosen", "already sent a key share", "§4.2.8");
    }

    [Fact]
    public void SecondHelloRetryRequest_TwoRetriesInOneHandshake()
    {
        var retry = Tls13Hello(0x0304, 24, HelloRetryRandom);
        Assert.Null(Audit(retry).Violation);
        AssertViolation(Audit(Concat(retry, retry)), "SecondHelloRetryRequest", "second HelloRetryRequest (asking for secp384r1 again)");
    }

    [Fact]
    public void CertificateUndecodable_AnEntryThatIsNotDer_OrAListThatDoesNotAddUp()
    {
        var entry = new byte[] { 0x30, 0x03, 1, 2, 3 };   // a DER SEQUENCE, but no certificate
        var list = Concat(U24(entry.Length), entry);
        AssertViolation(Audit(Concat(Tls12ServerHello(), HandshakeRecord(11, Concat(U24(list.Length), list)))), "CertificateUndecodable", "Entry 1 of the 1", "30 03 01 02 03");
        AssertViolation(Audit(Concat(Tls12ServerHello(), HandshakeRecord(11, Concat(U24(50), list)))), "CertificateUndecodable", "lengths do not add up");
    }

    [Fact]
    public void UndefinedAlert_ACodeOrLevelTheRegistryDoesNotHave()
    {
        AssertViolation(Audit(Alert(2, 0xFE)), "UndefinedAlert", "fatal alert with undefined code 254 (0xFE)");
        AssertViolation(Audit(Alert(7, 40)), "UndefinedAlert", "undefined level 7");
        var known = Audit(Alert(2, 40));
        Assert.Null(known.Violation);
        Assert.Equal("received fatal handshake_failure (40)", known.Alerts.Single().ToString());
    }

    [Fact]
    public void DataBeforeFinished_PlaintextApplicationData_ButNotTls13Ciphertext()
    {
        AssertViolation(Audit(Record(23, new byte[] { 0x41, 0x42 })), "DataBeforeFinished", "before any ServerHello", "41 42");
        AssertViolation(Audit(Concat(Tls12ServerHello(), Record(23, new byte[8]))), "DataBeforeFinished", "after its ServerHello but before its ChangeCipherSpec");
        var tls13 = Audit(Concat(Tls13Hello(0x0304, 29), Record(20, new byte[] { 1 }), Record(23, new byte[40])));
        Assert.Null(tls13.Violation);
        Assert.True(tls13.ServerRecords.Records.Last().Encrypted);
    }

    [Fact]
    public void Ssl2RecordMalformed_AServerHelloHeaderWithoutItsFields()
    {
        var body = Concat(new byte[] { 4, 0, 1, 0, 2, 0xFF, 0xFF, 0, 3, 0, 16 }, new byte[31]);
        AssertViolation(Audit(Concat(new byte[] { 0x80, (byte)body.Length }, body)), "Ssl2RecordMalformed", "80 2A 04", "its 42 bytes do not hold");
        AssertViolation(Audit(new byte[] { 0x80, 0x09, 0x00, 0x00, 0x01 }, closed: true), "Ssl2RecordMalformed", "SSLv2 ERROR", "claims 9 bytes");
    }

    [Fact]
    public void AfterAHelloRetryRequestTheCompatibilityCcsStartsNoEncryption()
    {
        // RFC 8446 D.4: HelloRetryRequest, CCS, then the real ServerHello in plaintext; the client's CCS precedes its second ClientHello.
        var ccs = Record(20, new byte[] { 1 });
        var e = WireAudit.Examine(new WireRecording
        {
            Sent = Concat(Offer, ccs, Offer),
            Received = Concat(Tls13Hello(0x0304, 24, HelloRetryRandom), ccs, Tls13Hello(0x0304, 24)),
        });
        Assert.Equal(2, e.ClientHellos.Count);
        Assert.NotNull(e.ServerHello);
        Assert.False(e.ServerRecords.Records[2].Encrypted);
        Assert.Equal(2, e.ServerRecords.Messages.Count);
    }

    [Fact]
    public void TheEarliestViolationOnTheWireWins()
    {
        // An unoffered suite in the ServerHello, then an undefined alert: the ServerHello came first.
        AssertViolation(Audit(Concat(Tls12ServerHello(0xC0FF), Alert(2, 0xFE))), "UnofferedSuiteChosen");
    }

    [Fact]
    public void TheWalkIsBoundedByItsInput()
    {
        var empties = Enumerable.Range(0, RecordWalk.MaxRecords + 10).SelectMany(_ => Record(22, Array.Empty<byte>())).ToArray();
        var walk = RecordWalk.Of(empties);
        Assert.Equal(RecordWalk.MaxRecords, walk.Records.Count);
        Assert.True(walk.RecordLimitReached);
    }
}
