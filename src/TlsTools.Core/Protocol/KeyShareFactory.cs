using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;

namespace TlsTools.Protocol;

/// <summary>
/// Public keys for TLS 1.3 key_share entries. The private halves are thrown away: a probe only needs the
/// server's answer, but the points must be valid or strict servers abort with illegal_parameter.
/// </summary>
internal static class KeyShareFactory
{
    private static readonly SecureRandom Random = new SecureRandom();
    private static readonly X9ECParameters P256 = ECNamedCurveTable.GetByName("secp256r1");

    /// <summary>32 bytes: the RFC 7748 u-coordinate of a fresh X25519 key.</summary>
    public static byte[] X25519PublicKey() =>
        new X25519PrivateKeyParameters(Random).GeneratePublicKey().GetEncoded();

    /// <summary>65 bytes: an uncompressed secp256r1 point (0x04 || X || Y), as RFC 8446 §4.2.8.2 requires.</summary>
    public static byte[] P256PublicKey()
    {
        var generator = new ECKeyPairGenerator();
        var domain = new ECDomainParameters(P256.Curve, P256.G, P256.N, P256.H);
        generator.Init(new ECKeyGenerationParameters(domain, Random));
        var pair = generator.GenerateKeyPair();
        return ((ECPublicKeyParameters)pair.Public).Q.GetEncoded(false);
    }

    public static byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        Random.NextBytes(bytes);
        return bytes;
    }
}
