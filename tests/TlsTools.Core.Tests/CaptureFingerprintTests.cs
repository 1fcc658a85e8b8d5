using System.Collections.Generic;
using System.Linq;
using System.Text;
using TlsTools.Capture;
using TlsTools.Protocol;
using Xunit;

namespace TlsTools.Core.Tests;

/// <summary>JA3 and JA4 against the worked example of the JA4 specification (FoxIO technical_details/JA4.md).</summary>
public class CaptureFingerprintTests
{
    static readonly ushort[] SpecCiphers = { 0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0xc013, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035 };
    static readonly ushort[] SpecExtensions = { 0x001b, 0x0000, 0x0033, 0x0010, 0x4469, 0x0017, 0x002d, 0x000d, 0x0005, 0x0023, 0x0012, 0x002b, 0xff01, 0x000b, 0x000a, 0x0015 };
    static readonly ushort[] SpecSignatures = { 0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601 };

    static byte[] U16(params ushort[] values) => values.SelectMany(v => new[] { (byte)(v >> 8), (byte)v }).ToArray();
    static byte[] Vector16(byte[] body) => U16((ushort)body.Length).Concat(body).ToArray();
    static byte[] Vector8(byte[] body) => new[] { (byte)body.Length }.Concat(body).ToArray();

    /// <summary>Extension bodies the ClientHello parser reads must be well formed; the rest may be empty.</summary>
    static byte[] ExtensionBody(ushort type)
    {
        switch (type)
        {
            case 0x0000: return Vector16(new byte[] { 0 }.Concat(Vector16(Encoding.ASCII.GetBytes("example.com"))).ToArray());
            case 0x0010: return Vector16(Vector8(Encoding.ASCII.GetBytes("h2")).Concat(Vector8(Encoding.ASCII.GetBytes("http/1.1"))).ToArray());
            case 0x000d: return Vector16(U16(SpecSignatures));
            case 0x000a: return Vector16(U16(0x0a0a, 0x001d, 0x0017));
            case 0x002b: return Vector8(U16(0x3a3a, 0x0304, 0x0303));
            case 0x0033: return Vector16(U16(0x001d).Concat(Vector16(new byte[32])).ToArray());
            case 0x000b: return Vector8(new byte[] { 0 });
            default: return new byte[0];
        }
    }

    /// <summary>The spec's example hello, with GREASE added in every list JA4 must ignore.</summary>
    static ClientHello SpecHello()
    {
        var ciphers = new ushort[] { 0x2a2a }.Concat(SpecCiphers).ToArray();
        var extensions = new List<byte>(U16(0x5a5a, 0));
        foreach (var type in SpecExtensions) extensions.AddRange(U16(type).Concat(Vector16(ExtensionBody(type))));
        var body = U16(0x0303).Concat(new byte[32]).Concat(Vector8(new byte[0])).Concat(Vector16(U16(ciphers)))
            .Concat(Vector8(new byte[] { 0 })).Concat(Vector16(extensions.ToArray())).ToArray();
        return ClientHello.Parse(body);
    }

    [Fact]
    public void Ja4MatchesTheSpecificationExample()
    {
        Assert.Equal("t13d1516h2_8daaf6152771_e5627efa2ab1", TlsFingerprint.Ja4(SpecHello()));
    }

    [Fact]
    public void Ja4HashesMatchTheSpecificationStrings()
    {
        Assert.Equal("8daaf6152771", TlsFingerprint.Sha256Prefix("002f,0035,009c,009d,1301,1302,1303,c013,c014,c02b,c02c,c02f,c030,cca8,cca9"));
        Assert.Equal("6d807ffa2a79", TlsFingerprint.Sha256Prefix("0005,000a,000b,000d,0012,0015,0017,001b,0023,002b,002d,0033,4469,ff01"));
    }

    [Fact]
    public void Ja3ListsDecimalValuesInWireOrderWithoutGrease()
    {
        var text = TlsFingerprint.Ja3Text(SpecHello());
        var fields = text.Split(',');
        Assert.Equal("771", fields[0]);
        Assert.Equal(string.Join("-", SpecCiphers.Select(c => c.ToString())), fields[1]);
        Assert.Equal(string.Join("-", SpecExtensions.Select(e => e.ToString())), fields[2]);
        Assert.Equal("29-23", fields[3]);
        Assert.Equal("0", fields[4]);
        Assert.Equal(32, TlsFingerprint.Ja3(SpecHello()).Length);
    }

    [Theory]
    [InlineData(0x0a0a, true)]
    [InlineData(0xfafa, true)]
    [InlineData(0x0a1a, false)]
    [InlineData(0x1301, false)]
    public void GreaseValuesAreRecognised(int value, bool grease) => Assert.Equal(grease, TlsFingerprint.IsGrease((ushort)value));
}
