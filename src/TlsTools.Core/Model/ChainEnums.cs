namespace TlsTools;

/// <summary>A certificate's place in the path.</summary>
public enum CertificateRole { Leaf, Intermediate, Root }

/// <summary>Where a certificate in the report came from.</summary>
public enum CertificateSource
{
    /// <summary>Sent by the server in its Certificate message.</summary>
    Served,
    /// <summary>Missing from what was served; downloaded from the issuing certificate's AIA caIssuers URL.</summary>
    AiaFetched,
    /// <summary>A trust anchor from the system store or -TrustedRootPath.</summary>
    TrustStore,
    /// <summary>Read from a file given with -Path.</summary>
    File,
}

/// <summary>The revocation verdict for one certificate.</summary>
public enum RevocationStatus
{
    /// <summary>No stapled response and no online check was asked for (or a trust anchor, which nobody revokes by OCSP/CRL).</summary>
    NotChecked,
    Good,
    Revoked,
    /// <summary>Checked, but no trustworthy answer: responder unreachable, bad signature, stale, or "unknown".</summary>
    Unknown,
}

/// <summary>The file formats Export-CertificateChain writes.</summary>
public enum BundleFormat { Pem, Der, P7b }
