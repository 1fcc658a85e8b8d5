using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace TlsTools.Certificates;

/// <summary>
/// Reads a file of trust anchors: PEM (one or many CERTIFICATE blocks) or a single DER certificate.
/// PEM is parsed here because netstandard2.0 has no X509Certificate2.CreateFromPem.
/// Every failure is a <see cref="TrustStoreException"/> that names the file and the reason.
/// </summary>
internal static class TrustedRootFile
{
    // The labels OpenSSL and others write around a certificate. "TRUSTED CERTIFICATE" (OpenSSL's
    // -trustout form) carries trust settings after the certificate; we take the certificate only.
    private static readonly HashSet<string> CertificateLabels =
        new HashSet<string>(StringComparer.Ordinal) { "CERTIFICATE", "X509 CERTIFICATE", "TRUSTED CERTIFICATE" };

    public static IReadOnlyList<BcCertificate> Read(string path)
    {
        var bytes = ReadBytes(path);
        var text = Encoding.ASCII.GetString(bytes);
        return Pem.LooksLikePem(text) ? ReadPem(path, text) : new[] { ReadDer(path, bytes) };
    }

    private static byte[] ReadBytes(string path)
    {
        if (!File.Exists(path))
            throw new TrustStoreException(TrustStoreError.FileNotFound, path, $"The trusted root file '{path}' does not exist.");
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is NotSupportedException)
        {
            throw new TrustStoreException(TrustStoreError.Unreadable, path, $"The trusted root file '{path}' could not be read: {e.Message}", e);
        }
    }

    private static IReadOnlyList<BcCertificate> ReadPem(string path, string text)
    {
        var blocks = Pem.Blocks(text);
        var certificateBlocks = blocks.Where(b => CertificateLabels.Contains(b.Label)).ToList();
        if (certificateBlocks.Count == 0)
        {
            var found = blocks.Count == 0 ? "no complete PEM block" : "only " + string.Join(", ", blocks.Select(b => b.Label).Distinct());
            throw Invalid(path, $"The trusted root file '{path}' contains no CERTIFICATE block ({found}).");
        }
        return certificateBlocks.Select((block, index) => ParsePemBlock(path, block, index + 1)).ToList();
    }

    private static BcCertificate ParsePemBlock(string path, (string Label, string Body) block, int number)
    {
        byte[]? der;
        try
        {
            der = Pem.Decode(block.Body);
        }
        catch (FormatException e)
        {
            throw Invalid(path, $"Certificate block {number} in the trusted root file '{path}' is not valid base64.", e);
        }
        // TRUSTED CERTIFICATE blocks carry trust settings after the certificate, so only the first
        // DER object is the certificate: parse it leniently in that one case.
        if (block.Label == "TRUSTED CERTIFICATE")
            der = FirstDerObject(der);
        if (der == null || !CertificateParsing.TryParseDer(der, out var certificate))
            throw Invalid(path, $"Certificate block {number} in the trusted root file '{path}' is not a valid X.509 certificate.");
        return certificate;
    }

    private static BcCertificate ReadDer(string path, byte[] bytes)
    {
        if (!CertificateParsing.TryParseDer(bytes, out var certificate))
            throw Invalid(path, $"The trusted root file '{path}' is neither a PEM file with CERTIFICATE blocks nor a DER-encoded X.509 certificate.");
        return certificate;
    }

    /// <summary>The encoding of the first DER object; null when there is none or it cannot be read.</summary>
    private static byte[]? FirstDerObject(byte[] der)
    {
        try
        {
            using (var stream = new Org.BouncyCastle.Asn1.Asn1InputStream(der))
                return stream.ReadObject()?.GetEncoded();
        }
        catch (Exception)
        {
            return null;
        }
    }

    private static TrustStoreException Invalid(string path, string message, Exception? inner = null) =>
        new TrustStoreException(TrustStoreError.InvalidContent, path, message, inner);
}
