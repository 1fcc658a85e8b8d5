using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Org.BouncyCastle.Ocsp;
using Org.BouncyCastle.X509;

namespace TlsTools.Certificates.Revocation;

/// <summary>Asks the certificate's AIA OCSP responder (RFC 6960 over HTTP POST).</summary>
internal static class OcspQuery
{
    public const int MaxBytes = 64 * 1024;

    /// <summary>The last responder's answer (the first definitive one); null when the certificate names no responder.</summary>
    public static async Task<RevocationVerdict?> CheckAsync(CertificateNode certificate, CertificateNode issuer,
        BoundedHttpClient http, DateTime utcNow, CancellationToken cancel)
    {
        var urls = CertificateFacts.OcspUrls(certificate.Parsed);
        if (urls.Count == 0) return null;   // no responder named: not a failure, the CRL may answer

        var generator = new OcspReqGenerator();
        generator.AddRequest(new CertificateID(CertificateID.DigestSha1, issuer.Parsed, certificate.Parsed.SerialNumber));
        var request = generator.Generate().GetEncoded();

        RevocationVerdict? last = null;
        foreach (var url in urls)
        {
            var answer = await http.PostAsync(url, "application/ocsp-request", request, MaxBytes, cancel).ConfigureAwait(false);
            last = answer.Succeeded
                ? OcspResponseVerifier.Verify(answer.Body, certificate, issuer, utcNow, "OCSP " + url)
                : RevocationVerdict.Unknown("OCSP " + answer.Error);
            if (last.IsDefinitive) return last;
        }
        return last;
    }
}

/// <summary>Downloads the certificate's CRL (bounded), checks its signature and dates, and looks up the serial.</summary>
internal static class CrlQuery
{
    /// <summary>Large CAs publish CRLs of several MB; beyond this we give up rather than fill memory.</summary>
    public const int MaxBytes = 8 * 1024 * 1024;

    /// <summary>The last CRL's answer (the first definitive one); null when the certificate names no CRL.</summary>
    public static async Task<RevocationVerdict?> CheckAsync(CertificateNode certificate, CertificateNode issuer,
        BoundedHttpClient http, DateTime utcNow, CancellationToken cancel)
    {
        var urls = CertificateFacts.CrlUrls(certificate.Parsed);
        if (urls.Count == 0) return null;

        RevocationVerdict? last = null;
        foreach (var url in urls)
        {
            var answer = await http.GetAsync(url, MaxBytes, cancel).ConfigureAwait(false);
            last = answer.Succeeded ? Judge(answer.Body, certificate, issuer, utcNow, "CRL " + url) : RevocationVerdict.Unknown("CRL " + answer.Error);
            if (last.IsDefinitive) return last;
        }
        return last;
    }

    internal static RevocationVerdict Judge(byte[] body, CertificateNode certificate, CertificateNode issuer, DateTime utcNow, string source)
    {
        X509Crl crl;
        try { crl = new X509CrlParser().ReadCrl(body); }
        catch (Exception e) { return RevocationVerdict.Unknown($"{source}: not a CRL ({e.Message})."); }
        if (crl == null) return RevocationVerdict.Unknown($"{source}: not a CRL.");
        if (!crl.IssuerDN.Equivalent(issuer.Parsed.SubjectDN, true))
            return RevocationVerdict.Unknown($"{source}: the CRL is issued by '{crl.IssuerDN}', not '{issuer.Subject}'.");
        try { crl.Verify(PublicKeys.Of(issuer.Parsed)); }
        catch (Exception) { return RevocationVerdict.Unknown($"{source}: the CRL signature does not verify with '{issuer.Subject}'."); }
        if (crl.NextUpdate.HasValue && crl.NextUpdate.Value < utcNow)
            return RevocationVerdict.Unknown($"{source}: the CRL is stale (next update was due {ValidationContext.FormatUtc(crl.NextUpdate.Value)}).");

        var entry = crl.GetRevokedCertificate(certificate.Parsed.SerialNumber);
        return entry == null
            ? new RevocationVerdict(RevocationStatus.Good, $"{source}: not listed (this update {ValidationContext.FormatUtc(crl.ThisUpdate)}).")
            : new RevocationVerdict(RevocationStatus.Revoked, $"{source}: revoked on {ValidationContext.FormatUtc(entry.RevocationDate)}.");
    }
}
