using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.OpenSsl;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Security;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace TlsTools.Certificates;

/// <summary>
/// Makes the <see cref="ClientCredential"/> a handshake presents (mutual TLS) from what a user has: an X509Certificate2
/// with its private key (RSA or ECDSA, exportable), a PFX/P12 file with its password, or a PEM file holding the
/// certificate(s) and the key (PKCS#8, encrypted PKCS#8 with the password, PKCS#1 RSA, SEC1 EC). Every failure is a
/// <see cref="CertificateFileException"/> whose <see cref="CertificateFileError"/> says what is wrong.
/// </summary>
public static class ClientCredentialLoader
{
    /// <summary>PEM labels of the private keys read (RFC 7468 PKCS#8, OpenSSL's PKCS#1 and SEC1).</summary>
    static readonly HashSet<string> KeyLabels = new HashSet<string> { "PRIVATE KEY", "ENCRYPTED PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY" };

    const string ObjectSource = "the X509Certificate2 object";

    /// <summary>The certificate and its private key; only the certificate is sent (a PFX or PEM file sends the intermediates too).</summary>
    /// <exception cref="CertificateFileException">No private key (NoPrivateKey), a key the store will not export (KeyNotExportable), neither RSA nor ECDSA (UnsupportedKey).</exception>
    public static ClientCredential FromCertificate(X509Certificate2 certificate)
    {
        string name = $"'{certificate.Subject}'";
        if (!certificate.HasPrivateKey)
            throw new CertificateFileException(CertificateFileError.NoPrivateKey, name,
                $"The client certificate {name} has no private key: give the certificate with its key (Get-PfxCertificate, or the Cert: drive's certificate that has a key), or the PFX/PEM file and -Password.");
        AsymmetricCipherKeyPair pair;
        try
        {
            using (var rsa = certificate.GetRSAPrivateKey())
            using (var ecdsa = rsa == null ? certificate.GetECDsaPrivateKey() : null)
            {
                if (rsa != null) pair = DotNetUtilities.GetRsaKeyPair(rsa);
                else if (ecdsa != null) pair = DotNetUtilities.GetECDsaKeyPair(ecdsa);
                else throw new CertificateFileException(CertificateFileError.UnsupportedKey, name,
                    $"The client certificate {name} has a {certificate.PublicKey.Oid.FriendlyName ?? certificate.PublicKey.Oid.Value} key: only RSA and ECDSA keys can sign the handshake.");
            }
        }
        catch (CryptographicException e)
        {
            throw new CertificateFileException(CertificateFileError.KeyNotExportable, name,
                $"The private key of the client certificate {name} cannot be used here: its store does not let it be exported ({e.Message.Trim()}). " +
                "Export the certificate with its key to a PFX file (Export-PfxCertificate) and give that path with -Password, or re-import it as exportable.", e);
        }
        return Build(new[] { DotNetUtilities.FromX509Certificate(certificate) }, pair.Private, ObjectSource, certificate, name);
    }

    /// <summary>A PFX/P12 file (with <paramref name="password"/>), or a PEM file with the certificate(s) and the key.</summary>
    /// <param name="password">The PFX password or the encrypted PEM key's; null when none was given.</param>
    /// <exception cref="CertificateFileException">Missing or unreadable file, wrong password, no key, a key that fits no certificate, an unsupported key.</exception>
    public static ClientCredential FromFile(string path, char[]? password)
    {
        var bytes = ChainFileReader.ReadBytes(path);
        if (CertificateDecoder.IsPfx(bytes)) return FromPfx(path, bytes, password);
        if (!CertificateDecoder.LooksLikePem(bytes))
        {
            // A DER certificate has no room for a key; anything else is not a certificate file at all.
            try { if (CertificateDecoder.Decode(bytes).Count > 0) throw NoKey(path, "a DER certificate"); }
            catch (FormatException) { }
            throw new CertificateFileException(CertificateFileError.InvalidContent, path,
                $"The client certificate file '{path}' is neither a PFX/P12 file nor PEM with a certificate and its private key.");
        }
        return FromPem(path, Encoding.ASCII.GetString(bytes), password);
    }

    static ClientCredential FromPfx(string path, byte[] bytes, char[]? password)
    {
        var store = ChainFileReader.OpenPfx(path, bytes, password);
        var alias = store.Aliases.FirstOrDefault(store.IsKeyEntry) ?? throw NoKey(path, "a PFX file");
        var chain = (store.GetCertificateChain(alias) ?? new[] { store.GetCertificate(alias) }).Select(e => e.Certificate).ToList();
        var others = store.Aliases.Select(a => store.GetCertificate(a)?.Certificate).OfType<BcCertificate>().Where(c => !chain.Contains(c));
        return Build(chain.Concat(others).ToList(), store.GetKey(alias).Key, path, null, $"'{path}'");
    }

    static ClientCredential FromPem(string path, string text, char[]? password)
    {
        IReadOnlyList<BcCertificate> certificates;
        try { certificates = CertificateDecoder.Decode(Encoding.ASCII.GetBytes(text)); }
        catch (FormatException e)
        {
            throw new CertificateFileException(CertificateFileError.InvalidContent, path, $"The client certificate file '{path}' has a broken PEM block: {e.Message}", e);
        }
        var keys = Pem.Blocks(text).Where(b => KeyLabels.Contains(b.Label)).Select(b => ReadKey(path, b.Label, b.Body, password)).ToList();
        if (certificates.Count == 0)
            throw new CertificateFileException(CertificateFileError.InvalidContent, path,
                $"The client certificate file '{path}' holds {(keys.Count == 0 ? "no certificate and no key" : "a private key but no certificate")}: put the certificate and its key in one PEM file (cat client.crt client.key > client.pem), or give a PFX file.");
        if (keys.Count == 0) throw NoKey(path, "a PEM file");
        // The key that belongs to one of the certificates; that certificate is the one presented.
        var key = keys.FirstOrDefault(k => certificates.Any(c => Matches(c, k))) ?? keys[0];
        return Build(certificates, key, path, null, $"'{path}'");
    }

    /// <summary>One PEM key block, decrypted with the password where it is encrypted (PKCS#8 or OpenSSL's Proc-Type).</summary>
    static AsymmetricKeyParameter ReadKey(string path, string label, string body, char[]? password)
    {
        bool encrypted = label == "ENCRYPTED PRIVATE KEY" || body.Contains("Proc-Type: 4,ENCRYPTED");
        if (encrypted && (password == null || password.Length == 0))
            throw new CertificateFileException(CertificateFileError.WrongPassword, path,
                $"The private key in '{path}' is encrypted and no password was given: give it with -Password.");
        object? read;
        try
        {
            using (var reader = new StringReader($"-----BEGIN {label}-----{body}-----END {label}-----\n"))
                read = new PemReader(reader, encrypted ? new Password(password!) : null).ReadObject();
        }
        catch (Exception e) when (e is IOException || e is InvalidCipherTextException || e is ArgumentException || e is InvalidOperationException || e is CryptoException || e is FormatException)
        {
            if (encrypted)
                throw new CertificateFileException(CertificateFileError.WrongPassword, path,
                    $"The private key in '{path}' could not be decrypted: the password is wrong ({e.Message}).", e);
            throw new CertificateFileException(CertificateFileError.InvalidContent, path, $"The {label} block in '{path}' is not a valid key: {e.Message}", e);
        }
        var key = read is AsymmetricCipherKeyPair pair ? pair.Private : read as AsymmetricKeyParameter;
        if (key == null || !key.IsPrivate)
            throw new CertificateFileException(CertificateFileError.InvalidContent, path, $"The {label} block in '{path}' holds no private key.");
        return key;
    }

    /// <summary>
    /// The credential: the certificate the key belongs to, then its issuers as far as the source holds them (self-signed
    /// roots are left out: the server has its own, and a client does not send them).
    /// </summary>
    static ClientCredential Build(IReadOnlyList<BcCertificate> certificates, AsymmetricKeyParameter key, string source, X509Certificate2? platform, string name)
    {
        if (!(key is RsaKeyParameters || key is ECPrivateKeyParameters || key is Ed25519PrivateKeyParameters))
            throw new CertificateFileException(CertificateFileError.UnsupportedKey, name,
                $"The private key of {name} is a {KeyKind(key)} key: only RSA, ECDSA and Ed25519 keys can sign the handshake.");
        var leaf = certificates.FirstOrDefault(c => Matches(c, key))
            ?? throw new CertificateFileException(CertificateFileError.KeyMismatch, name,
                $"The private key in {name} belongs to none of its {certificates.Count} certificate(s) ({string.Join("; ", certificates.Select(c => c.SubjectDN.ToString()))}): put the matching certificate and key together.");
        var chain = new List<BcCertificate> { leaf };
        for (var current = leaf; !IsSelfIssued(current);)
        {
            var issuer = certificates.FirstOrDefault(c => !chain.Contains(c) && c.SubjectDN.Equivalent(current.IssuerDN) && !IsSelfIssued(c));
            if (issuer == null) break;
            chain.Add(issuer);
            current = issuer;
        }
        var certs = chain.Select(c => new X509Certificate2(c.GetEncoded())).ToList();
        var pkcs8 = PrivateKeyInfoFactory.CreatePrivateKeyInfo(key).GetDerEncoded();
        return new ClientCredential(certs, Thumbprints.Sha256(certs[0]), pkcs8, source, platform);
    }

    /// <summary>
    /// The leaf with its key as SslStream takes it: the caller's own X509Certificate2, or (from a file) one imported from
    /// a PKCS#12 made in memory, since netstandard2.0 cannot attach a key to a certificate. Made once per credential.
    /// </summary>
    internal static X509Certificate2 PlatformCertificate(ClientCredential credential)
    {
        if (credential.PlatformCertificate is { } made) return made;
        var key = PrivateKeyFactory.CreateKey(credential.PrivateKeyInfo);
        var store = new Pkcs12StoreBuilder().Build();
        var chain = credential.Chain.Select(c => new X509CertificateEntry(DotNetUtilities.FromX509Certificate(c))).ToArray();
        store.SetKeyEntry("client", new AsymmetricKeyEntry(key), chain);
        var secret = Guid.NewGuid().ToString("N");
        using (var pfx = new MemoryStream())
        {
            store.Save(pfx, secret.ToCharArray(), new SecureRandom());
            var certificate = new X509Certificate2(pfx.ToArray(), secret, X509KeyStorageFlags.Exportable);
            credential.PlatformCertificate = certificate;
            return certificate;
        }
    }

    /// <summary>The private key belongs to this certificate: the same RSA modulus, EC point or Ed25519 public key.</summary>
    static bool Matches(BcCertificate certificate, AsymmetricKeyParameter key)
    {
        AsymmetricKeyParameter publicKey;
        try { publicKey = certificate.GetPublicKey(); }
        catch (Exception e) when (e is ArgumentException || e is SecurityUtilityException || e is InvalidOperationException) { return false; }
        switch (key)
        {
            case RsaKeyParameters rsa:
                return publicKey is RsaKeyParameters p && !p.IsPrivate && p.Modulus.Equals(rsa.Modulus);
            case ECPrivateKeyParameters ec:
                if (!(publicKey is ECPublicKeyParameters q)) return false;
                var point = ec.Parameters.G.Multiply(ec.D).Normalize();
                var served = q.Q.Normalize();
                return point.AffineXCoord.ToBigInteger().Equals(served.AffineXCoord.ToBigInteger())
                    && point.AffineYCoord.ToBigInteger().Equals(served.AffineYCoord.ToBigInteger());
            case Ed25519PrivateKeyParameters ed:
                return publicKey is Ed25519PublicKeyParameters e && e.GetEncoded().SequenceEqual(ed.GeneratePublicKey().GetEncoded());
            default:
                return false;
        }
    }

    static bool IsSelfIssued(BcCertificate certificate) => certificate.SubjectDN.Equivalent(certificate.IssuerDN);

    static string KeyKind(AsymmetricKeyParameter key) =>
        key is DsaPrivateKeyParameters ? "DSA" : key is Ed448PrivateKeyParameters ? "Ed448" : key.GetType().Name.Replace("PrivateKeyParameters", "").Replace("KeyParameters", "");

    static CertificateFileException NoKey(string path, string what) =>
        new CertificateFileException(CertificateFileError.NoPrivateKey, path,
            $"The client certificate file '{path}' is {what} without a private key: give a PFX with the key, or one PEM file with the certificate and its key (cat client.crt client.key > client.pem).");

    sealed class Password : IPasswordFinder
    {
        readonly char[] _password;
        public Password(char[] password) { _password = password; }
        public char[] GetPassword() => (char[])_password.Clone();
    }
}
