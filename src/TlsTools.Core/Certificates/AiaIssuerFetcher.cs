using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace TlsTools.Certificates;

/// <summary>
/// Finds a missing issuer the way browsers do: download the child's AIA caIssuers URL (DER or PKCS#7
/// .p7c) and keep only a certificate that really signed the child.
/// </summary>
internal static class AiaIssuerFetcher
{
    /// <summary>An issuer certificate is ~2 KB and a .p7c bundle a few; 256 KB leaves room and stops floods.</summary>
    public const int MaxBytes = 256 * 1024;

    public sealed class Outcome
    {
        public CertificateNode Issuer { get; set; }
        public string Url { get; set; }
        /// <summary>Why nothing was found (no URL, download failed, not a certificate, did not sign the child).</summary>
        public string Error { get; set; }
    }

    public static async Task<Outcome> FetchAsync(CertificateNode child, BoundedHttpClient http, CancellationToken cancel)
    {
        var urls = CertificateFacts.CaIssuersUrls(child.Parsed);
        if (urls.Count == 0)
            return new Outcome { Error = $"'{child.Subject}' names no caIssuers URL in its Authority Information Access extension." };

        var errors = new System.Collections.Generic.List<string>();
        foreach (var url in urls)
        {
            var fetched = await http.GetAsync(url, MaxBytes, cancel).ConfigureAwait(false);
            if (!fetched.Succeeded) { errors.Add(fetched.Error); continue; }
            System.Collections.Generic.IReadOnlyList<Org.BouncyCastle.X509.X509Certificate> certificates;
            try { certificates = CertificateDecoder.Decode(fetched.Body); }
            catch (System.FormatException e) { errors.Add($"{url}: not a certificate ({e.Message})"); continue; }
            var issuer = certificates.Select(CertificateNode.From).FirstOrDefault(candidate => candidate.Issued(child));
            if (issuer != null) return new Outcome { Issuer = issuer, Url = url.ToString() };
            errors.Add($"{url}: the certificate there did not sign '{child.Subject}'");
        }
        return new Outcome { Error = string.Join("; ", errors) };
    }
}
