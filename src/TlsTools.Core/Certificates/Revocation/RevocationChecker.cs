using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace TlsTools.Certificates.Revocation;

/// <summary>
/// The revocation status of each certificate in a path. The stapled OCSP response answers for the leaf
/// when it is trustworthy; with online checking, each certificate below the anchor is asked of its OCSP
/// responder and then, if that gives no answer, of its CRL. Trust anchors are never checked: nobody
/// can revoke a root by its own CRL in a way a client would believe.
/// </summary>
internal static class RevocationChecker
{
    public static async Task<IReadOnlyDictionary<CertificateNode, RevocationVerdict>> CheckAsync(
        CertificationPath path, byte[]? stapledOcsp, bool online, BoundedHttpClient http, DateTime utcNow, CancellationToken cancel)
    {
        var verdicts = new Dictionary<CertificateNode, RevocationVerdict>();
        for (var i = 0; i < path.Certificates.Count; i++)
        {
            var certificate = path.Certificates[i];
            var issuer = i + 1 < path.Certificates.Count ? path.Certificates[i + 1] : null;
            verdicts[certificate] = issuer == null
                ? RevocationVerdict.NotChecked
                : await CheckOneAsync(certificate, issuer, i == 0 ? stapledOcsp : null, online, http, utcNow, cancel).ConfigureAwait(false);
        }
        return verdicts;
    }

    private static async Task<RevocationVerdict> CheckOneAsync(CertificateNode certificate, CertificateNode issuer, byte[]? stapled,
        bool online, BoundedHttpClient http, DateTime utcNow, CancellationToken cancel)
    {
        var answers = new List<RevocationVerdict>();
        if (stapled != null && stapled.Length > 0)
            answers.Add(OcspResponseVerifier.Verify(stapled, certificate, issuer, utcNow, "stapled OCSP"));
        if (online && !(answers.Count > 0 && answers[0].IsDefinitive))
        {
            var ocsp = await OcspQuery.CheckAsync(certificate, issuer, http, utcNow, cancel).ConfigureAwait(false);
            if (ocsp != null) answers.Add(ocsp);
            if (ocsp == null || !ocsp.IsDefinitive)
            {
                var crl = await CrlQuery.CheckAsync(certificate, issuer, http, utcNow, cancel).ConfigureAwait(false);
                if (crl != null) answers.Add(crl);
            }
            // Nothing to ask is not an unknown answer: the CA chose not to offer revocation for it.
            if (answers.Count == 0)
                return new RevocationVerdict(RevocationStatus.NotChecked, $"'{certificate.Subject}' names neither an OCSP responder nor a CRL.");
        }
        return Combine(answers);
    }

    /// <summary>Revoked from any trustworthy source wins; then Good; otherwise every reason it is unknown.</summary>
    private static RevocationVerdict Combine(List<RevocationVerdict> answers)
    {
        if (answers.Count == 0) return RevocationVerdict.NotChecked;
        var revoked = answers.Find(a => a.Status == RevocationStatus.Revoked);
        if (revoked != null) return revoked;
        var good = answers.Find(a => a.Status == RevocationStatus.Good);
        if (good != null) return good;
        return RevocationVerdict.Unknown(string.Join(" ", answers.ConvertAll(a => a.Detail)));
    }
}
