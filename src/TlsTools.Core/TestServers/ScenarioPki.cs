using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace TlsTools.TestServers;

/// <summary>A CA of the test PKI: its certificate and key pair.</summary>
internal sealed class CertificateAuthority
{
    public CertificateAuthority(BcCertificate certificate, AsymmetricCipherKeyPair key)
    {
        Certificate = certificate;
        Key = key;
    }

    public BcCertificate Certificate { get; }
    public AsymmetricCipherKeyPair Key { get; }
}

/// <summary>
/// The PKI behind the test servers, made fresh in memory for each run: a trusted root and intermediate, an
/// unrelated untrusted root, an "inspection" CA like a TLS-intercepting proxy's, and the leaf keys. Only the
/// trusted root certificate ever touches the disk (<see cref="TrustedRootPath"/>); private keys never do.
/// </summary>
internal sealed class ScenarioPki : IDisposable
{
    /// <summary>The DNS suffix of every test server name (RFC 2606 reserves .test).</summary>
    public const string Domain = "tlstools.test";

    readonly string _folder;
    readonly Lazy<AsymmetricCipherKeyPair> _exportRsaKey = new Lazy<AsymmetricCipherKeyPair>(() => NewManagedRsaKey(512));

    ScenarioPki(string runId, AsymmetricCipherKeyPair[] keys, string? tempRoot)
    {
        RunId = runId;
        // Minute precision: openssl and our validator use the real clock; whole minutes avoid edge flakiness.
        Now = new DateTime(DateTime.UtcNow.Ticks - DateTime.UtcNow.Ticks % TimeSpan.TicksPerMinute, DateTimeKind.Utc);
        LeafKey = keys[2];
        WeakRsaKey = keys[5];
        EcdsaKey = keys[6];
        Root = SelfSignedCa($"TlsTools Test Root {runId}", keys[0]);
        Intermediate = new CertificateAuthority(Leaf(null, Root, spec =>
        {
            spec.CommonName = $"TlsTools Test Intermediate CA {runId}";
            spec.IsCa = true;
            spec.PublicKey = keys[1].Public;
        }), keys[1]);
        UntrustedRoot = SelfSignedCa($"TlsTools Untrusted Root {runId}", keys[3]);
        InspectionCa = SelfSignedCa($"TlsTools Inspection CA {runId} (TLS-intercepting proxy)", keys[4]);

        _folder = Path.Combine(tempRoot ?? Path.GetTempPath(), "TlsTools-TestPki-" + runId);
        Directory.CreateDirectory(_folder);
        TrustedRootPath = Path.Combine(_folder, "trusted-root.pem");
        File.WriteAllText(TrustedRootPath, Pem(Root.Certificate), Encoding.ASCII);
    }

    /// <summary>
    /// Generates the keys and the CAs. The CAs use ECDSA P-256 keys (as ISRG Root X2 does): RSA key generation
    /// is what makes a fresh PKI slow, and starting every scenario has to stay well under two seconds. The two
    /// RSA leaf keys (2048, and 1024 for WeakKey) are generated in parallel with the P-256 ones.
    /// </summary>
    public static ScenarioPki Create(string? tempRoot = null)
    {
        var rsa2048 = Task.Run(() => NewRsaKey(2048));
        var rsa1024 = Task.Run(() => NewRsaKey(1024));
        var p256 = Enumerable.Range(0, 5).Select(_ => NewP256Key()).ToArray();
        // Order: root, intermediate, leaf, untrusted root, inspection CA, weak RSA, ECDSA leaf.
        var keys = new[] { p256[0], p256[1], rsa2048.Result, p256[2], p256[3], rsa1024.Result, p256[4] };
        return new ScenarioPki(Guid.NewGuid().ToString("N").Substring(0, 8), keys, tempRoot);
    }

    public string RunId { get; }
    public DateTime Now { get; }
    /// <summary>PEM file with the trusted root only: what clients pass as -TrustedRootPath / -CAfile.</summary>
    public string TrustedRootPath { get; }

    public CertificateAuthority Root { get; }
    public CertificateAuthority Intermediate { get; }
    public CertificateAuthority UntrustedRoot { get; }
    public CertificateAuthority InspectionCa { get; }

    /// <summary>RSA 2048: the key of every healthy RSA leaf.</summary>
    public AsymmetricCipherKeyPair LeafKey { get; }
    public AsymmetricCipherKeyPair WeakRsaKey { get; }
    public AsymmetricCipherKeyPair EcdsaKey { get; }
    /// <summary>RSA 512, made on first use: the temporary key an export-grade server signs into its ServerKeyExchange.</summary>
    public AsymmetricCipherKeyPair ExportRsaKey => _exportRsaKey.Value;

    /// <summary>A leaf for <paramref name="dnsName"/>, valid from a day ago for 90 days, unless adjusted.</summary>
    public BcCertificate Leaf(string? dnsName, CertificateAuthority issuer, Action<CertificateSpec>? adjust = null)
    {
        var spec = new CertificateSpec(LeafKey.Public)
        {
            CommonName = dnsName,
            DnsNames = dnsName == null ? Array.Empty<string>() : new[] { dnsName },
            NotBefore = Now.AddDays(-1),
            NotAfter = Now.AddDays(90),
        };
        adjust?.Invoke(spec);
        return CertificateBuilder.Issue(spec, issuer.Certificate.SubjectDN, issuer.Key.Private, issuer.Key.Public);
    }

    /// <summary>A leaf that signs itself with <paramref name="key"/>.</summary>
    public BcCertificate SelfSignedLeaf(string dnsName, AsymmetricCipherKeyPair key)
    {
        var spec = new CertificateSpec(key.Public)
        {
            CommonName = dnsName, DnsNames = new[] { dnsName },
            NotBefore = Now.AddDays(-1), NotAfter = Now.AddDays(90),
        };
        return CertificateBuilder.Issue(spec, CertificateBuilder.Name(dnsName), key.Private, key.Public);
    }

    CertificateAuthority SelfSignedCa(string name, AsymmetricCipherKeyPair key)
    {
        var spec = new CertificateSpec(key.Public)
        {
            CommonName = name, IsCa = true,
            NotBefore = Now.AddDays(-30), NotAfter = Now.AddYears(5),
        };
        return new CertificateAuthority(CertificateBuilder.Issue(spec, CertificateBuilder.Name(name), key.Private, key.Public), key);
    }

    /// <summary>
    /// RSA keys from the platform's generator (native, several times faster than a managed one), converted for
    /// BouncyCastle. .NET Framework's RSACryptoServiceProvider ignores a KeySize set after construction, so the
    /// size is checked, and BouncyCastle's generator makes the key where the platform did not.
    /// </summary>
    static AsymmetricCipherKeyPair NewRsaKey(int bits)
    {
        using (var rsa = System.Security.Cryptography.RSA.Create())
        {
            rsa.KeySize = bits;
            var pair = DotNetUtilities.GetRsaKeyPair(rsa.ExportParameters(true));
            return ((RsaKeyParameters)pair.Public).Modulus.BitLength == bits ? pair : NewManagedRsaKey(bits);
        }
    }

    /// <summary>BouncyCastle's generator: for sizes some platforms refuse to make (512 bits), and the fallback.</summary>
    static AsymmetricCipherKeyPair NewManagedRsaKey(int bits)
    {
        var generator = new RsaKeyPairGenerator();
        generator.Init(new KeyGenerationParameters(new SecureRandom(), bits));
        return generator.GenerateKeyPair();
    }

    static AsymmetricCipherKeyPair NewP256Key()
    {
        var generator = new ECKeyPairGenerator();
        generator.Init(new ECKeyGenerationParameters(SecObjectIdentifiers.SecP256r1, new SecureRandom()));
        return generator.GenerateKeyPair();
    }

    public static string Pem(BcCertificate certificate) => Certificates.Pem.Encode("CERTIFICATE", certificate.GetEncoded());

    public void Dispose()
    {
        try { Directory.Delete(_folder, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
