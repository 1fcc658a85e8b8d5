using System;
using System.Collections.Generic;

namespace TlsTools.Certificates;

/// <summary>Every certificate in the built path (leaf, intermediates, anchor) must be valid at the given time.</summary>
internal sealed class ValidityPeriodCheck : ICertificateCheck
{
    public IEnumerable<CheckFinding> Check(ValidationContext context)
    {
        foreach (var certificate in context.Path.Certificates)
        {
            var notBefore = certificate.Parsed.NotBefore;   // BouncyCastle dates are UTC
            var notAfter = certificate.Parsed.NotAfter;
            if (context.UtcNow > notAfter)
            {
                var ago = (int)Math.Floor((context.UtcNow - notAfter).TotalDays);
                yield return new CheckFinding(ChainProblem.Expired,
                    $"{context.Describe(certificate)} expired on {ValidationContext.FormatUtc(notAfter)} ({ValidationContext.Days(ago)} ago).",
                    certificate.Certificate);
            }
            else if (context.UtcNow < notBefore)
            {
                var ahead = (int)Math.Ceiling((notBefore - context.UtcNow).TotalDays);
                yield return new CheckFinding(ChainProblem.NotYetValid,
                    $"{context.Describe(certificate)} is not valid until {ValidationContext.FormatUtc(notBefore)} (in {ValidationContext.Days(ahead)}); check this machine's clock or the server's certificate dates.",
                    certificate.Certificate);
            }
        }
    }
}
