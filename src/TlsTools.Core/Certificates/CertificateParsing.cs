using System;
using System.Diagnostics.CodeAnalysis;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace TlsTools.Certificates;

/// <summary>Strict DER parsing: exactly one certificate, nothing after it.</summary>
internal static class CertificateParsing
{
    public static BcCertificate ParseDer(byte[] der)
    {
        var asn1 = Asn1Object.FromByteArray(der);   // throws on truncated input and on trailing bytes
        return new BcCertificate(X509CertificateStructure.GetInstance(asn1));
    }

    public static bool TryParseDer(byte[] der, [NotNullWhen(true)] out BcCertificate? certificate)
    {
        try
        {
            certificate = ParseDer(der);
            return true;
        }
        catch (Exception)
        {
            certificate = null;
            return false;
        }
    }
}
