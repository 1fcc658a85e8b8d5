using System;
using System.Collections.Concurrent;
using Org.BouncyCastle.Crypto;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace TlsTools.Certificates;

/// <summary>
/// A certificate's public key as BouncyCastle objects, decoded once per distinct key. BouncyCastle validates
/// an RSA modulus each time it builds the key object (tens of milliseconds for 2048 bits), and one validation
/// asks for the same keys several times (each signature of the path, the key-strength check), while a scan of
/// many servers meets the same intermediates and roots again and again.
/// </summary>
internal static class PublicKeys
{
    // Enough for the roots and intermediates of a large scan; a hostile stream of keys only empties it.
    private const int Capacity = 4096;

    private static readonly ConcurrentDictionary<string, AsymmetricKeyParameter> Cache =
        new ConcurrentDictionary<string, AsymmetricKeyParameter>(StringComparer.Ordinal);

    private static int _decodes;

    /// <summary>How many keys were decoded (not found in the cache) in this process.</summary>
    internal static int Decodes => System.Threading.Volatile.Read(ref _decodes);

    /// <summary>The key; throws as BouncyCastle does for a key it cannot decode (not cached).</summary>
    public static AsymmetricKeyParameter Of(BcCertificate certificate)
    {
        string spki = Convert.ToBase64String(certificate.CertificateStructure.SubjectPublicKeyInfo.GetDerEncoded());
        if (Cache.TryGetValue(spki, out var key)) return key;
        key = certificate.GetPublicKey();
        System.Threading.Interlocked.Increment(ref _decodes);
        if (Cache.Count >= Capacity) Cache.Clear();
        Cache[spki] = key;
        return key;
    }
}
