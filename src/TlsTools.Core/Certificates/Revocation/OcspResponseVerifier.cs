using System;
using System.Linq;
using Org.BouncyCastle.Ocsp;
using Org.BouncyCastle.X509;

namespace TlsTools.Certificates.Revocation;

/// <summary>
/// Judges an OCSP response (stapled or fetched) for one certificate: it must be "successful", be signed by
/// the issuer or by a responder certificate the issuer delegated (id-kp-OCSPSigning), name this certificate,
/// and be fresh. Anything less is Unknown with the reason; an unverifiable "revoked" is not believed either.
/// </summary>
internal static class OcspResponseVerifier
{
    private const string OcspSigningEku = "1.3.6.1.5.5.7.3.9";
    /// <summary>Clock skew tolerated between us and the responder.</summary>
    private static readonly TimeSpan Skew = TimeSpan.FromMinutes(5);
    /// <summary>Without nextUpdate, a response older than this is stale (CA/B BR: responses live at most 10 days).</summary>
    private static readonly TimeSpan MaxAgeWithoutNextUpdate = TimeSpan.FromDays(7);

    public static RevocationVerdict Verify(byte[] encoded, CertificateNode certificate, CertificateNode issuer, DateTime utcNow, string source)
    {
        BasicOcspResp? basic;
        try
        {
            var response = new OcspResp(encoded);
            if (response.Status != OcspRespStatus.Successful)
                return RevocationVerdict.Unknown($"{source}: the responder answered with status {response.Status} instead of a response.");
            basic = response.GetResponseObject() as BasicOcspResp;
            if (basic == null) return RevocationVerdict.Unknown($"{source}: not a basic OCSP response.");
        }
        catch (Exception e)
        {
            return RevocationVerdict.Unknown($"{source}: not an OCSP response ({e.Message}).");
        }

        if (!SignedByIssuerOrDelegate(basic, issuer))
            return RevocationVerdict.Unknown($"{source}: the response is not signed by '{issuer.Subject}' or a responder it authorised.");

        var single = basic.Responses.FirstOrDefault(r =>
            r.GetCertID().SerialNumber.Equals(certificate.Parsed.SerialNumber) && r.GetCertID().MatchesIssuer(issuer.Parsed));
        if (single == null)
            return RevocationVerdict.Unknown($"{source}: the response is about another certificate.");

        var stale = Staleness(single, utcNow);
        if (stale != null) return RevocationVerdict.Unknown($"{source}: {stale}");

        var produced = ValidationContext.FormatUtc(single.ThisUpdate);
        switch (single.GetCertStatus())
        {
            case null:
                return new RevocationVerdict(RevocationStatus.Good, $"{source}: good (this update {produced}).");
            case RevokedStatus revoked:
                var reason = revoked.HasRevocationReason ? $", reason {RevocationReasons.Name(revoked.RevocationReason)}" : "";
                return new RevocationVerdict(RevocationStatus.Revoked, $"{source}: revoked on {ValidationContext.FormatUtc(revoked.RevocationTime)}{reason}.");
            default:
                return RevocationVerdict.Unknown($"{source}: the responder does not know this certificate.");
        }
    }

    /// <summary>Why the response is too old or too new to believe; null when its dates are fine.</summary>
    private static string? Staleness(SingleResp single, DateTime utcNow)
    {
        if (single.ThisUpdate > utcNow + Skew)
            return $"the response is dated in the future ({ValidationContext.FormatUtc(single.ThisUpdate)}).";
        var nextUpdate = single.NextUpdate;
        if (nextUpdate.HasValue && nextUpdate.Value < utcNow - Skew)
            return $"the response is stale: its next update was due {ValidationContext.FormatUtc(nextUpdate.Value)}.";
        if (!nextUpdate.HasValue && single.ThisUpdate < utcNow - MaxAgeWithoutNextUpdate)
            return $"the response is stale: produced {ValidationContext.FormatUtc(single.ThisUpdate)} without a next update.";
        return null;
    }

    private static bool SignedByIssuerOrDelegate(BasicOcspResp basic, CertificateNode issuer)
    {
        if (VerifiesWith(basic, issuer.Parsed)) return true;
        // A delegated responder: issued by the same CA, for OCSP signing only, and the one that signed.
        return (basic.GetCerts() ?? new X509Certificate[0]).Any(responder =>
            IsDelegatedBy(responder, issuer) && VerifiesWith(basic, responder));
    }

    private static bool IsDelegatedBy(X509Certificate responder, CertificateNode issuer)
    {
        try
        {
            return CertificateNode.From(responder) is var node && issuer.Issued(node) &&
                   (CertificateFacts.ExtendedKeyUsages(responder)?.Contains(OcspSigningEku) ?? false);
        }
        catch (Exception) { return false; }
    }

    private static bool VerifiesWith(BasicOcspResp basic, X509Certificate signer)
    {
        try { return basic.Verify(PublicKeys.Of(signer)); }
        catch (Exception) { return false; }
    }
}

/// <summary>RFC 5280 CRLReason names.</summary>
internal static class RevocationReasons
{
    private static readonly string[] Names =
    {
        "unspecified", "keyCompromise", "cACompromise", "affiliationChanged", "superseded",
        "cessationOfOperation", "certificateHold", "(unused)", "removeFromCRL", "privilegeWithdrawn", "aACompromise",
    };

    public static string Name(int code) => code >= 0 && code < Names.Length ? Names[code] : code.ToString();
}
