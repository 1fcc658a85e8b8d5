using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using TlsTools.Capture;
using Xunit;
using static TlsTools.Core.Tests.CaptureTestFiles;

namespace TlsTools.Core.Tests;

/// <summary>Read-TlsCapture's reader on real loopback captures, in every file layout and link type it reads.</summary>
public class CaptureReaderTests
{
    static readonly List<Frame> EthernetFrames = Frames(Load(Scenarios));

    [Fact]
    public void EachScenarioHasItsOutcomeAndCause()
    {
        var results = Read(Load(Scenarios)).ToDictionary(r => Assert.IsType<string>(r.ServerName));
        Assert.Equal(8, results.Count);

        void Expect(string sni, CaptureOutcome outcome, FailureCategory category, TlsProtocol? version)
        {
            var r = results[sni];
            Assert.Equal(outcome, r.Outcome);
            Assert.Equal(category, r.FailureCategory);
            Assert.Equal(version, r.ServerVersion);
        }

        Expect("good.test", CaptureOutcome.Completed, FailureCategory.None, TlsProtocol.Tls13);
        Expect("v6.test", CaptureOutcome.Completed, FailureCategory.None, TlsProtocol.Tls12);
        Expect("old.test", CaptureOutcome.Failed, FailureCategory.ProtocolVersionMismatch, null);
        Expect("nocipher.test", CaptureOutcome.Failed, FailureCategory.NoSharedCipher, null);
        Expect("untrusted.test", CaptureOutcome.Failed, FailureCategory.SelfSigned, TlsProtocol.Tls12);
        Expect("reset.test", CaptureOutcome.Failed, FailureCategory.ConnectionReset, null);
        Expect("http.test", CaptureOutcome.NotTls, FailureCategory.NotTls, null);
        Expect("silent.test", CaptureOutcome.Failed, FailureCategory.ServerSilent, null);
    }

    [Fact]
    public void TheEvidenceIsInTheResult()
    {
        var results = Read(Load(Scenarios)).ToDictionary(r => Assert.IsType<string>(r.ServerName));

        var good = results["good.test"];
        Assert.Equal("127.0.0.1", good.ClientAddress);
        Assert.Equal(42443, good.ServerPort);
        Assert.Equal("TLS_AES_256_GCM_SHA384", good.CipherSuite);
        Assert.Equal("x25519", good.KeyExchangeGroup);
        Assert.Equal("h2, http/1.1", good.Alpn);
        Assert.StartsWith("TLS 1.3, TLS 1.2", good.ClientVersions);
        Assert.StartsWith("TLS_AES_256_GCM_SHA384, TLS_CHACHA20_POLY1305_SHA256", good.ClientCipherSuites);
        Assert.Equal("5a1edc7f170af1014fc65c994878e63c", good.Ja3);   // tshark 4.0's tls.handshake.ja3 for the same packet
        Assert.NotNull(good.Ja4);
        Assert.StartsWith("t13d", good.Ja4);
        Assert.EndsWith("h2", good.Ja4.Split('_')[0]);

        var old = results["old.test"];
        Assert.Equal("TLS 1.3, TLS 1.2", old.ClientVersions);
        Assert.Equal("server→client fatal protocol_version (70)", old.Alerts);
        Assert.Contains("offering TLS 1.2–1.3", old.FailureReason);

        var untrusted = results["untrusted.test"];
        Assert.Equal("CN=capture.test", untrusted.CertificateSubject);
        Assert.Equal("CN=capture.test", untrusted.CertificateIssuer);
        Assert.NotNull(untrusted.CertificateNotAfter);
        Assert.Equal(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(untrusted.Certificate!.RawData)), untrusted.CertificateThumbprint);
        Assert.Equal("client→server fatal unknown_ca (48)", untrusted.Alerts);
        Assert.True(untrusted.AlertList.Single().FromClient);

        Assert.Equal("::1", results["v6.test"].ServerAddress);
        Assert.Contains("HTTP/1.1 400 Bad Request", results["http.test"].FailureReason);
        Assert.Contains("reset (TCP RST)", results["reset.test"].FailureReason);
    }

    [Fact]
    public void ByteOrderAndResolutionDoNotChangeTheResults()
    {
        var expected = Signatures(Read(Load(Scenarios)));
        Assert.Equal(expected, Signatures(Read(WritePcap(EthernetFrames, 1, bigEndian: true))));
        Assert.Equal(expected, Signatures(Read(WritePcap(EthernetFrames, 1, bigEndian: true, nano: true))));
        Assert.Equal(expected, Signatures(Read(WritePcap(EthernetFrames, 1, nano: true))));
    }

    [Fact]
    public void NanosecondTimestampsKeepTheirPrecision()
    {
        var frames = Frames(Load(Sll2Nano));
        Assert.All(frames, f => Assert.Equal(276, f.LinkType));
        // tcpdump --time-stamp-precision=nano: sub-microsecond digits survive (100 ns ticks).
        Assert.Contains(frames, f => f.Time.Ticks % 10 != 0);
    }

    public static IEnumerable<object[]> LinkTypes() => new[]
    {
        new object[] { "raw IP (101)", 101 },
        new object[] { "IPv4/IPv6 by version (228)", 228 },
        new object[] { "BSD null (0)", 0 },
        new object[] { "Linux SLL (113)", 113 },
        new object[] { "Ethernet with QinQ VLAN tags (1)", 1 },
    };

    [Theory]
    [MemberData(nameof(LinkTypes))]
    public void EveryLinkTypeGivesTheSameConnections(string name, int linkType)
    {
        var frames = linkType == 101 || linkType == 228 ? ToRaw(EthernetFrames)
            : linkType == 0 ? ToNull(EthernetFrames)
            : linkType == 113 ? ToSll(EthernetFrames)
            : WithVlanTags(EthernetFrames);
        Assert.True(Signatures(Read(WritePcap(frames, linkType))).SequenceEqual(Signatures(Read(Load(Scenarios)))), name);
    }

    [Fact]
    public void Sll2AndAMultiInterfacePcapngGiveTheSameConnections()
    {
        // Both files were recorded at the same time as the Ethernet one, without the reset and HTTP listeners.
        var expected = Signatures(Read(Load(Scenarios)).Where(r => r.ServerPort != 42450 && r.ServerPort != 42451));
        Assert.Equal(expected, Signatures(Read(Load(Sll2Nano))));
        // The pcapng holds every packet twice (one interface each): the copies are retransmissions to TCP.
        var merged = Read(Load(TwoInterfaces), out var statistics);
        Assert.StartsWith("pcapng", statistics.Format);
        Assert.Contains("2 interface", statistics.Format);
        Assert.Equal(expected, Signatures(merged));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(100)]
    public void SegmentsOutOfOrderAndRetransmittedAreReassembled(int size)
    {
        var resegmented = Resegment(EthernetFrames, size).ToList();
        Assert.True(resegmented.Count > EthernetFrames.Count);
        Assert.Equal(Signatures(Read(Load(Scenarios))), Signatures(Read(WritePcap(resegmented, 1))));
    }

    [Fact]
    public void AFileThatIsNotACaptureIsAFormatError()
    {
        var e = Assert.Throws<CaptureFormatException>(() => Read(System.Text.Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\n\r\n")));
        Assert.Contains("Not a pcap or pcapng capture", e.Message);
        Assert.Throws<CaptureFormatException>(() => Read(new byte[] { 0xD4, 0xC3 }));
    }

    [Fact]
    public void ATruncatedFileGivesTheConnectionsBeforeTheCut()
    {
        var file = Load(Scenarios);
        var cut = file.Take(file.Length - 30).ToArray();
        var results = Read(cut, out var statistics);
        Assert.NotNull(statistics.Problem);
        Assert.True(statistics.Problem.Truncated);
        Assert.Contains("ends inside", statistics.Problem.Message);
        Assert.Equal(8, results.Count);
    }

    [Fact]
    public void ACorruptRecordStopsReadingWithAProblemAndKeepsEarlierResults()
    {
        var file = Load(Scenarios);
        // The 50th record's captured length becomes 0x7FFFFFFF: no writer produces that.
        int at = 24;
        for (int i = 0; i < 50; i++) at += 16 + BitConverter.ToInt32(file, at + 8);
        var corrupt = (byte[])file.Clone();
        BitConverter.GetBytes(0x7FFFFFFF).CopyTo(corrupt, at + 8);
        var results = Read(corrupt, out var statistics);
        Assert.NotNull(statistics.Problem);
        Assert.False(statistics.Problem.Truncated);
        Assert.Equal(at, statistics.Problem.Offset);
        Assert.Equal(50, statistics.Frames);
        Assert.NotEmpty(results);
    }
}
