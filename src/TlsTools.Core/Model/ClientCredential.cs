using System;
using System.Collections.Generic;
using System.Security.Cryptography.X509Certificates;

namespace TlsTools;

/// <summary>
/// The client certificate a handshake presents when the server asks for one (mutual TLS): the chain, leaf first, and
/// the leaf's private key. Plain data, so that <see cref="ConnectionOptions"/> can carry it; TlsTools.Certificates'
/// ClientCredentialLoader makes one from an X509Certificate2 with its key, a PFX/P12 file or a PEM file.
/// </summary>
public sealed class ClientCredential
{
    internal ClientCredential(IReadOnlyList<X509Certificate2> chain, string thumbprint, byte[] privateKeyInfo, string source, X509Certificate2? platformCertificate)
    {
        if (chain.Count == 0) throw new ArgumentException("A client credential needs its certificate.", nameof(chain));
        Chain = chain;
        Thumbprint = thumbprint;
        PrivateKeyInfo = privateKeyInfo;
        Source = source;
        PlatformCertificate = platformCertificate;
    }

    /// <summary>The certificate presented (the one the key belongs to).</summary>
    public X509Certificate2 Certificate => Chain[0];
    /// <summary>What the Certificate message carries: the leaf, then the intermediates the source held, in issuer order.</summary>
    public IReadOnlyList<X509Certificate2> Chain { get; }
    /// <summary>Where it came from: the file's path, or "the X509Certificate2 object".</summary>
    public string Source { get; }
    /// <summary>"CN=client, O=Example (SHA-256 AB12...)": how results and sentences name it.</summary>
    public string Description => $"{Certificate.Subject} (SHA-256 {Thumbprint})";
    /// <summary>SHA-256 of the leaf's DER, upper-case hex, as every result's CertificateThumbprint.</summary>
    public string Thumbprint { get; }

    /// <summary>The leaf's private key as PKCS#8 PrivateKeyInfo DER: what the managed engine signs the CertificateVerify with.</summary>
    internal byte[] PrivateKeyInfo { get; }

    /// <summary>
    /// The leaf with its key as this machine's TLS stack (SslStream) takes it: the caller's own object, or one made for
    /// the platform engine the first time it needs it.
    /// </summary>
    internal X509Certificate2? PlatformCertificate { get; set; }

    public override string ToString() => Description;
}
