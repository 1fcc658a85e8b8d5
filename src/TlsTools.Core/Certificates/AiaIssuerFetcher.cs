using System.Diagnostics.CodeAnalysis;
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

    /// <summary>Either the issuer and where it came from, or why there is none.</summary>
    public sealed class Outcome
    {
        private Outcome(CertificateNode? issuer, string? url, string? error)
        {
            Issuer = issuer;
            Url = url;
            Error = error;
            Found = issuer != null;
        }

        public static Outcome Fetched(CertificateNode issuer, string url) => new Outcome(issuer, url, null);

        public static Outcome Failed(string error) => new Outcome(null, null, error);

        [MemberNotNullWhen(true, nameof(Issuer), nameof(Url))]
        [MemberNotNullWhen(false, nameof(Error))]
        public bool Found { get; }
        public CertificateNode? Issuer { get; }
        public string? Url { get; }
        /// <summary>Why nothing was found (no URL, download failed, not a certificate, did not sign the child); null when found.</summary>
        public string? Error { get; }
    }

    public static async Task<Outcome> FetchAsync(CertificateNode child, BoundedHttpClient http, CancellationToken cancel)
    {
        var urls = CertificateFacts.CaIssuersUrls(child.Parsed);
        if (urls.Count == 0)
            return Outcome.Failed($"'{child.Subject}' names no caIssuers URL in its Authority Information Access extension.");

        var errors = new System.Collections.Generic.List<string>();
        foreach (var url in urls)
        {
            var fetched = await http.GetAsync(url, MaxBytes, cancel).ConfigureAwait(false);
            if (!fetched.Succeeded) { errors.Add(fetched.Error); continue; }
            System.Collections.Generic.IReadOnlyList<Org.BouncyCastle.X509.X509Certificate> certificates;
            try { certificates = CertificateDecoder.Decode(fetched.Body); }
            catch (System.FormatException e) { errors.Add($"{url}: not a certificate ({e.Message})"); continue; }
            var issuer = certificates.Select(CertificateNode.From).FirstOrDefault(candidate => candidate.Issued(child));
            if (issuer != null) return Outcome.Fetched(issuer, url.ToString());
            errors.Add($"{url}: the certificate there did not sign '{child.Subject}'");
        }
        return Outcome.Failed(string.Join("; ", errors));
    }
}
