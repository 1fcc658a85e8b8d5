using System;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace TlsTools.Certificates;

/// <summary>
/// The one thumbprint every result type shows (CertificateThumbprint): SHA-256 of the DER encoding, upper-case
/// hex without separators, as X509Certificate2.Thumbprint writes its SHA-1. SHA-1 is still accepted as input
/// (-ExpectedThumbprint) because Windows tools print it; see <see cref="InterceptionCheck.MatchesThumbprint"/>.
/// </summary>
public static class Thumbprints
{
    public static string Sha256(byte[] der)
    {
        using (var sha = SHA256.Create())
            return BitConverter.ToString(sha.ComputeHash(der)).Replace("-", "");
    }

    public static string Sha256(X509Certificate2 certificate) => Sha256(certificate.RawData);
}
