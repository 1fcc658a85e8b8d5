using System.Collections.Generic;
using System.Linq;
using System.Text;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;
using TlsTools.Handshake;

namespace TlsTools.TestServers;

/// <summary>
/// BouncyCastle's TLS server, configured by a scenario's <see cref="TlsServing"/>: its versions, its suites in
/// its own order, the chain it presents (by SNI), the DH group it uses, and what it demands of the client.
/// </summary>
internal sealed class ScenarioTlsServer : DefaultTlsServer
{
    readonly TlsServing _serving;
    readonly ServerCredential _defaultCredential;
    readonly ServerCredential? _sniCredential;
    readonly int[] _suites;
    ServerCredential _chosen;

    public ScenarioTlsServer(BcTlsCrypto crypto, TlsServing serving, ServerCredential defaultCredential, ServerCredential? sniCredential, int[] suites)
        : base(crypto)
    {
        this._serving = serving;
        this._defaultCredential = defaultCredential;
        this._sniCredential = sniCredential;
        this._suites = suites;
        _chosen = defaultCredential;
    }

    BcTlsCrypto BcCrypto => (BcTlsCrypto)Crypto;

    protected override ProtocolVersion[] GetSupportedVersions() => ProtocolMap.ToBouncyCastle(_serving.Versions);

    protected override int[] GetSupportedCipherSuites() => _suites;

    /// <summary>Misconfigured servers are the point: the server's order decides, as with ssl_prefer_server_ciphers.</summary>
    protected override bool PreferLocalCipherSuites() => true;

    /// <summary>
    /// Classic servers chose DHE suites whatever supported_groups said (RFC 7919 came later); BouncyCastle
    /// would otherwise skip DHE when a client lists only elliptic curves.
    /// </summary>
    protected override int GetMaximumNegotiableFiniteFieldBits() => NamedGroup.GetMaximumFiniteFieldBits();

    public override TlsDHConfig GetDHConfig()
    {
        if (_serving.DhPrimeBits == 1024) return new TlsDHConfig(DHStandardGroups.rfc2409_1024);
        return base.GetDHConfig() ?? TlsDHUtilities.CreateNamedDHConfig(m_context, NamedGroup.ffdhe2048);
    }

    public override void ProcessClientExtensions(IDictionary<int, byte[]> clientExtensions)
    {
        base.ProcessClientExtensions(clientExtensions);
        string? requested = RequestedHostName(clientExtensions);
        if (requested == null && _serving.RequireSni)
            throw new TlsFatalAlert(AlertDescription.unrecognized_name, "no SNI, and this server has no default site");
        if (requested != null && _sniCredential != null && string.Equals(requested, _serving.SniName, System.StringComparison.OrdinalIgnoreCase))
            _chosen = _sniCredential;
    }

    public override TlsCredentials? GetCredentials()
    {
        if (TlsUtilities.IsTlsV13(m_context)) return Signer();
        switch (m_context.SecurityParameters.KeyExchangeAlgorithm)
        {
            case KeyExchangeAlgorithm.DH_anon:
            case KeyExchangeAlgorithm.ECDH_anon:
                return null;   // anonymous: no certificate at all
            case KeyExchangeAlgorithm.RSA:
                return new BcDefaultTlsCredentialedDecryptor(BcCrypto, ServedCertificate(), (Org.BouncyCastle.Crypto.Parameters.RsaKeyParameters)_chosen.PrivateKey);
            default:
                return Signer();
        }
    }

    public override CertificateRequest? GetCertificateRequest()
    {
        if (!_serving.RequireClientCertificate) return null;
        var signatureAlgorithms = TlsUtilities.IsSignatureAlgorithmsExtensionAllowed(m_context.ServerVersion)
            ? TlsUtilities.GetDefaultSupportedSignatureAlgorithms(m_context) : null;
        if (TlsUtilities.IsTlsV13(m_context))
            return new CertificateRequest(TlsUtilities.EmptyBytes, signatureAlgorithms, null, null);
        return new CertificateRequest(new[] { ClientCertificateType.rsa_sign, ClientCertificateType.ecdsa_sign }, signatureAlgorithms, null);
    }

    /// <summary>An empty client certificate is refused with the alert real servers use for each version.</summary>
    public override void NotifyClientCertificate(Certificate clientCertificate)
    {
        if (clientCertificate == null || clientCertificate.IsEmpty)
            throw new TlsFatalAlert(TlsUtilities.IsTlsV13(m_context) ? AlertDescription.certificate_required : AlertDescription.handshake_failure,
                "a client certificate is required");
    }

    TlsCredentialedSigner Signer() =>
        new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(m_context), BcCrypto, _chosen.PrivateKey, ServedCertificate(), SignatureAlgorithm());

    /// <summary>The chain exactly as the scenario lists it (order and omissions are the scenario's point).</summary>
    Certificate ServedCertificate()
    {
        var certificates = _chosen.ServedChain.Select(c => (TlsCertificate)new BcTlsCertificate(BcCrypto, c.GetEncoded())).ToArray();
        if (!TlsUtilities.IsTlsV13(m_context)) return new Certificate(certificates);
        return new Certificate(TlsUtilities.EmptyBytes, certificates.Select(c => new CertificateEntry(c, null)).ToArray());
    }

    /// <summary>The first scheme, in our preference order, that the client offered; null before TLS 1.2 (no negotiation).</summary>
    SignatureAndHashAlgorithm? SignatureAlgorithm()
    {
        if (!TlsUtilities.IsSignatureAlgorithmsExtensionAllowed(m_context.ServerVersion)) return null;
        bool tls13 = TlsUtilities.IsTlsV13(m_context);
        var preferred = _chosen.IsEcdsa
            ? new[] { SignatureAndHashAlgorithm.GetInstance(HashAlgorithm.sha256, Org.BouncyCastle.Tls.SignatureAlgorithm.ecdsa),
                      SignatureAndHashAlgorithm.GetInstance(HashAlgorithm.sha1, Org.BouncyCastle.Tls.SignatureAlgorithm.ecdsa) }
            : new[] { SignatureAndHashAlgorithm.rsa_pss_rsae_sha256,
                      SignatureAndHashAlgorithm.GetInstance(HashAlgorithm.sha256, Org.BouncyCastle.Tls.SignatureAlgorithm.rsa),
                      SignatureAndHashAlgorithm.GetInstance(HashAlgorithm.sha1, Org.BouncyCastle.Tls.SignatureAlgorithm.rsa) };
        // TLS 1.3 forbids PKCS#1 v1.5 and SHA-1 in handshake signatures.
        var usable = preferred.Where(a => !tls13 || a.Hash != HashAlgorithm.sha1 && !(a.Signature == Org.BouncyCastle.Tls.SignatureAlgorithm.rsa)).ToList();
        var offered = m_context.SecurityParameters.ClientSigAlgs;
        // RFC 5246 7.4.1.4.1: a TLS 1.2 client that sends no signature_algorithms accepts SHA-1.
        if (offered == null) return usable.Last();
        return usable.FirstOrDefault(offered.Contains) ?? throw new TlsFatalAlert(AlertDescription.handshake_failure, "no common signature algorithm");
    }

    static string? RequestedHostName(IDictionary<int, byte[]>? clientExtensions)
    {
        if (clientExtensions == null) return null;
        var names = TlsExtensionsUtilities.GetServerNameExtensionClient(clientExtensions);
        var host = names?.FirstOrDefault(n => n.NameType == NameType.host_name);
        return host == null ? null : Encoding.ASCII.GetString(host.NameData);
    }
}
