using System;
using System.Collections.Generic;

namespace TlsTools.Protocol;

/// <summary>The two ServerKeyExchange shapes this library reads.</summary>
public enum ServerKeyExchangeKind
{
    /// <summary>RFC 8422 ECParameters (named_curve) + ECPoint.</summary>
    Ecdhe,
    /// <summary>RFC 5246 ServerDHParams: p, g, Ys.</summary>
    Dhe,
}

/// <summary>TLS 1.2-and-earlier ServerKeyExchange: the server's ephemeral parameters and their signature.</summary>
public sealed class ServerKeyExchange
{
    /// <summary>RFC 8422 §5.4 ECCurveType: only named_curve is still in use.</summary>
    private const byte NamedCurve = 3;

    /// <summary>The cipher suite's key exchange (as the catalog names it) -> the message shape.</summary>
    private static readonly Dictionary<string, ServerKeyExchangeKind> KindsByKeyExchange = new Dictionary<string, ServerKeyExchangeKind>
    {
        ["ECDHE"] = ServerKeyExchangeKind.Ecdhe,
        ["DHE"] = ServerKeyExchangeKind.Dhe,
    };

    private ServerKeyExchange() { }

    public ServerKeyExchangeKind Kind { get; private set; }
    /// <summary>ECDHE: the named group.</summary>
    public ushort? NamedGroup { get; private set; }
    /// <summary>ECDHE: the server's point; DHE: Ys.</summary>
    public byte[] PublicKey { get; private set; } = Array.Empty<byte>();
    /// <summary>DHE: the prime p, big-endian; null for ECDHE.</summary>
    public byte[]? DhPrime { get; private set; }
    /// <summary>DHE: bit length of p (1024 is Logjam territory); 0 for ECDHE.</summary>
    public int DhPrimeBits { get; private set; }
    /// <summary>DHE: the generator g; null for ECDHE.</summary>
    public byte[]? DhGenerator { get; private set; }
    /// <summary>TLS 1.2 only: the SignatureScheme of the signature.</summary>
    public ushort? SignatureScheme { get; private set; }
    public byte[] Signature { get; private set; } = Array.Empty<byte>();

    /// <summary>The shape for a catalog key exchange ("ECDHE", "DHE"); false for suites without ServerKeyExchange.</summary>
    public static bool TryGetKind(string? keyExchange, out ServerKeyExchangeKind kind) =>
        KindsByKeyExchange.TryGetValue(keyExchange ?? "", out kind);

    /// <summary>
    /// Parses a ServerKeyExchange body. <paramref name="version"/> decides whether the signature carries a
    /// SignatureScheme (TLS 1.2) or not (SSLv3 .. TLS 1.1).
    /// </summary>
    public static ServerKeyExchange Parse(byte[] body, ServerKeyExchangeKind kind, TlsProtocol version = TlsProtocol.Tls12)
    {
        var r = new ByteReader(body, "ServerKeyExchange");
        var ske = new ServerKeyExchange { Kind = kind };
        if (kind == ServerKeyExchangeKind.Ecdhe)
        {
            byte curveType = r.ReadByte("curve_type");
            if (curveType != NamedCurve) throw r.Fail($"curve_type {curveType} (only named_curve, 3, is supported)");
            ske.NamedGroup = r.ReadUInt16("named_curve");
            ske.PublicKey = r.ReadVector8("public point");
        }
        else
        {
            var prime = r.ReadVector16("dh_p");
            ske.DhPrime = prime;
            ske.DhGenerator = r.ReadVector16("dh_g");
            ske.PublicKey = r.ReadVector16("dh_Ys");
            ske.DhPrimeBits = BitLength(prime);
            if (ske.DhPrimeBits == 0) throw r.Fail("dh_p is zero");
        }
        if (version == TlsProtocol.Tls12) ske.SignatureScheme = r.ReadUInt16("signature algorithm");
        ske.Signature = r.ReadVector16("signature");
        r.ExpectEnd("signature");
        return ske;
    }

    private static int BitLength(byte[] bigEndian)
    {
        int i = 0;
        while (i < bigEndian.Length && bigEndian[i] == 0) i++;
        if (i == bigEndian.Length) return 0;
        int bits = (bigEndian.Length - i - 1) * 8;
        for (int top = bigEndian[i]; top != 0; top >>= 1) bits++;
        return bits;
    }
}
