using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using TlsTools.Capture;
using Xunit;
using static TlsTools.Core.Tests.CaptureTestFiles;

namespace TlsTools.Core.Tests;

/// <summary>Truncated, corrupted and fuzzed captures: partial results or a format error, never a crash or a hang.</summary>
public class CaptureRobustnessTests
{
    static void ReadsWithoutCrashing(byte[] file)
    {
        var read = Task.Run(() =>
        {
            try { Read(file); }
            catch (CaptureFormatException) { }
        });
        Assert.True(read.Wait(TimeSpan.FromSeconds(20)), "reading a damaged capture must finish");
        read.GetAwaiter().GetResult();   // rethrows what the reader threw, with its own stack trace
    }

    [Theory]
    [InlineData(Scenarios)]
    [InlineData(TwoInterfaces)]
    public void EveryTruncationPointIsHandled(string name)
    {
        var file = Load(name);
        for (int length = 0; length < file.Length; length += length < 600 ? 1 : 37)
            ReadsWithoutCrashing(file.Take(length).ToArray());
    }

    [Theory]
    [InlineData(Scenarios, 1)]
    [InlineData(TwoInterfaces, 2)]
    [InlineData(Sll2Nano, 3)]
    public void RandomByteDamageIsHandled(string name, int seed)
    {
        var original = Load(name);
        var random = new Random(seed);
        for (int round = 0; round < 300; round++)
        {
            var file = (byte[])original.Clone();
            int flips = 1 + random.Next(20);
            for (int i = 0; i < flips; i++) file[random.Next(file.Length)] = (byte)random.Next(256);
            ReadsWithoutCrashing(file);
        }
    }

    [Fact]
    public void RandomBytesAfterAValidHeaderAreHandled()
    {
        var random = new Random(4);
        var header = Load(Scenarios).Take(24).ToArray();
        var pcapngHeader = Load(TwoInterfaces).Take(28).ToArray();
        for (int round = 0; round < 200; round++)
        {
            var noise = new byte[random.Next(4000)];
            random.NextBytes(noise);
            ReadsWithoutCrashing(header.Concat(noise).ToArray());
            ReadsWithoutCrashing(pcapngHeader.Concat(noise).ToArray());
        }
    }

    [Fact]
    public void TcpPayloadGarbageIsHandled()
    {
        // Valid frames whose TCP payload bytes are scrambled: the TLS scanner meets every kind of nonsense.
        var random = new Random(5);
        var frames = Frames(Load(Scenarios));
        for (int round = 0; round < 100; round++)
        {
            var damaged = frames.Select(f =>
            {
                var data = (byte[])f.Data.Clone();
                if (data.Length > 80 && random.Next(3) == 0)
                    for (int i = 0; i < 4; i++) data[66 + random.Next(data.Length - 66)] = (byte)random.Next(256);
                return new Frame { Time = f.Time, Data = data };
            });
            ReadsWithoutCrashing(WritePcap(damaged, 1));
        }
    }
}
