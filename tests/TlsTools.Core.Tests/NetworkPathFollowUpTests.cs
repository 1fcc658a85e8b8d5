using System;
using System.Security.Cryptography.X509Certificates;
using TlsTools.Diagnosis;
using TlsTools.Handshake;
using TlsTools.Net;
using Xunit;

namespace TlsTools.Core.Tests;

/// <summary>How the firewall follow-ups rename a silence, stall or reset, on observations built by hand.</summary>
public class NetworkPathFollowUpTests
{
    static HandshakeObservation Hello(Action<HandshakeObservation> set)
    {
        var o = new HandshakeObservation { OfferedProtocols = TlsProtocol.Tls12 | TlsProtocol.Tls13, BytesSent = 517, Elapsed = TimeSpan.FromSeconds(3) };
        set(o);
        return o;
    }

    static readonly HandshakeObservation Reset = Hello(o => o.PeerReset = true);
    static readonly HandshakeObservation Silence = Hello(o => o.TimedOut = true);

    static Verdict Original(HandshakeObservation o) => HandshakeDiagnoser.Diagnose(o, null, null);

    [Theory]
    [InlineData(PlainBytesReaction.Answered, "was answered (40 bytes: \"HTTP/1.1 400\")")]
    [InlineData(PlainBytesReaction.Closed, "closed normally by the peer (TCP FIN)")]
    public void AResetHelloWhilePlainBytesPassIsMiddleboxBlocking(PlainBytesReaction reaction, string evidence)
    {
        var plain = new PlainBytesOutcome { Reaction = reaction, BytesReceived = reaction == PlainBytesReaction.Answered ? 40 : 0, Excerpt = "HTTP/1.1 400" };
        var v = NetworkPathFollowUp.Explain(Original(Reset), Reset, new PathEvidence { PlainBytes = plain });
        Assert.Equal(FailureCategory.MiddleboxBlocking, v.Category);
        Assert.StartsWith("The connection was reset (TCP RST) right after our 517-byte ClientHello", v.Reason);
        Assert.Contains(evidence, v.Reason);
    }

    [Fact]
    public void PlainBytesResetTooKeepsConnectionResetAndSaysSo()
    {
        var v = NetworkPathFollowUp.Explain(Original(Reset), Reset, new PathEvidence { PlainBytes = new PlainBytesOutcome { Reaction = PlainBytesReaction.Reset } });
        Assert.Equal(FailureCategory.ConnectionReset, v.Category);
        Assert.Contains("was reset too: the port resets every connection", v.Reason);
    }

    [Fact]
    public void SmallSegmentsThatCarryTheChainMakeAPathMtuStall()
    {
        var small = Hello(o => { o.HandshakeCompleted = true; o.BytesReceived = 3100; o.ServedChain = new X509Certificate2[2]; });
        var v = NetworkPathFollowUp.Explain(Original(Silence), Silence,
            new PathEvidence { SmallSegments = small, PlainBytes = new PlainBytesOutcome { Reaction = PlainBytesReaction.Answered, BytesReceived = 9 } });
        Assert.Equal(FailureCategory.PathMtuStall, v.Category);
        Assert.Contains("with full-size TCP segments nothing arrived in 3.0 s", v.Reason);
        Assert.Contains("536-byte MSS got through, the whole flight (3100 bytes, a 2-certificate chain) arrived", v.Reason);
    }

    [Fact]
    public void AServerHelloWithoutItsChainIsNamedInTheStall()
    {
        var partial = Hello(o => { o.TimedOut = true; o.BytesReceived = 122; o.ServerSuite = 0x1302; o.ServerProtocol = TlsProtocol.Tls13; o.FirstBytesReceived = new byte[] { 0x16, 0x03, 0x03 }; });
        var small = Hello(o => { o.HandshakeCompleted = true; o.BytesReceived = 3100; o.ServedChain = new X509Certificate2[2]; });
        var v = NetworkPathFollowUp.Explain(Original(partial), partial, new PathEvidence { SmallSegments = small });
        Assert.Equal(FailureCategory.PathMtuStall, v.Category);
        Assert.Contains("the ServerHello arrived (122 bytes) but the certificate chain never did", v.Reason);
    }

    [Fact]
    public void SmallSegmentsStallingTooIsNotAnMtuProblem()
    {
        var v = NetworkPathFollowUp.Explain(Original(Silence), Silence, new PathEvidence { SmallSegments = Silence });
        Assert.Equal(FailureCategory.ServerSilent, v.Category);
        Assert.Contains("stalled the same way, so it is not a path-MTU problem", v.Reason);
    }

    [Fact]
    public void OnlyASilenceStallOrResetIsFollowedUp()
    {
        Assert.True(NetworkPathFollowUp.Applies(Original(Reset)));
        Assert.True(NetworkPathFollowUp.Applies(Original(Silence)));
        Assert.False(NetworkPathFollowUp.Applies(new Verdict(FailureCategory.NotTls, "x")));
    }
}
