using System.Collections.Generic;
using System.Linq;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace TlsTools.Handshake;

/// <summary>
/// The answer to a CertificateRequest when a client certificate was given: the chain to send and a signer for the
/// CertificateVerify, with a signature scheme the server listed that fits the key (TLS 1.3: RSA-PSS for RSA keys and
/// the key's own curve for ECDSA; TLS 1.2: also PKCS#1 v1.5, and the certificate types the request allows).
/// </summary>
static class ClientCertificateSigner
{
    /// <summary>Our order of preference per key type, for TLS 1.3 (RFC 8446 4.2.3) and for TLS 1.2.</summary>
    static readonly int[] Rsa13 = { SignatureScheme.rsa_pss_rsae_sha256, SignatureScheme.rsa_pss_rsae_sha384, SignatureScheme.rsa_pss_rsae_sha512 };
    static readonly int[] Rsa12 = Rsa13.Concat(new[] { SignatureScheme.rsa_pkcs1_sha256, SignatureScheme.rsa_pkcs1_sha384, SignatureScheme.rsa_pkcs1_sha512, SignatureScheme.rsa_pkcs1_sha1 }).ToArray();
    static readonly int[] EcdsaAny = { SignatureScheme.ecdsa_secp256r1_sha256, SignatureScheme.ecdsa_secp384r1_sha384, SignatureScheme.ecdsa_secp521r1_sha512, SignatureScheme.ecdsa_sha1 };
    static readonly int[] Ed25519 = { SignatureScheme.ed25519 };

    /// <summary>The credentials to send, or null with the reason none of the request's schemes or types fits the key.</summary>
    public static TlsCredentialedSigner? For(ClientCredential credential, TlsContext context, BcTlsCrypto crypto, CertificateRequest request, out string? withheld)
    {
        withheld = null;
        var key = PrivateKeyFactory.CreateKey(credential.PrivateKeyInfo);
        bool tls13 = TlsUtilities.IsTlsV13(context.ServerVersion);
        var offered = request.SupportedSignatureAlgorithms;
        SignatureAndHashAlgorithm? algorithm = null;

        if (!tls13 && request.CertificateTypes is { } types && !types.Contains(CertificateTypeOf(key)))
        {
            withheld = $"its {KeyName(key)} key is not of a certificate type the server asks for ({string.Join(", ", types.Select(ClientCertificateType.GetText))})";
            return null;
        }
        if (offered != null)
        {
            var schemes = offered.Select(SignatureScheme.From).ToList();
            int scheme = Preference(key, tls13).FirstOrDefault(schemes.Contains);
            if (scheme == 0)
            {
                withheld = $"none of the signature schemes the server accepts ({string.Join(", ", schemes.Select(s => Catalog.SignatureSchemeCatalog.NameOf((ushort)s)))}) fits its {KeyName(key)} key";
                return null;
            }
            algorithm = SignatureScheme.GetSignatureAndHashAlgorithm(scheme);
        }

        var certificates = credential.Chain.Select(c => crypto.CreateCertificate(c.RawData)).ToArray();
        var certificate = tls13
            ? new Certificate(request.GetCertificateRequestContext(), certificates.Select(c => new CertificateEntry(c, null)).ToArray())
            : new Certificate(certificates);
        return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), crypto, key, certificate, algorithm);
    }

    /// <summary>The scheme this key signs with, best first; for ECDSA in TLS 1.3 only the key's own curve.</summary>
    static IEnumerable<int> Preference(AsymmetricKeyParameter key, bool tls13)
    {
        switch (key)
        {
            case RsaKeyParameters _: return tls13 ? Rsa13 : Rsa12;
            case ECPrivateKeyParameters ec:
                int own = ec.Parameters.Curve.FieldSize switch
                {
                    256 => SignatureScheme.ecdsa_secp256r1_sha256,
                    384 => SignatureScheme.ecdsa_secp384r1_sha384,
                    521 => SignatureScheme.ecdsa_secp521r1_sha512,
                    _ => 0,
                };
                return tls13 ? (own == 0 ? new int[0] : new[] { own }) : new[] { own }.Where(s => s != 0).Concat(EcdsaAny.Where(s => s != own));
            case Ed25519PrivateKeyParameters _: return Ed25519;
            default: return new int[0];
        }
    }

    static short CertificateTypeOf(AsymmetricKeyParameter key) =>
        key is RsaKeyParameters ? ClientCertificateType.rsa_sign : ClientCertificateType.ecdsa_sign;

    static string KeyName(AsymmetricKeyParameter key) => key switch
    {
        RsaKeyParameters rsa => $"RSA {rsa.Modulus.BitLength}-bit",
        ECPrivateKeyParameters ec => $"ECDSA {ec.Parameters.Curve.FieldSize}-bit",
        Ed25519PrivateKeyParameters _ => "Ed25519",
        _ => key.GetType().Name,
    };
}
