using System;
using System.Collections.Generic;
using System.Linq;

namespace TlsTools.Certificates.Inspection;

/// <summary>A path certificate expires within the warning window (and has not expired yet).</summary>
internal sealed class ExpiresSoonRule : IChainRule
{
    public IEnumerable<ChainFinding> Check(InspectionContext context)
    {
        var now = context.Validation.UtcNow;
        foreach (var node in context.Path.Certificates)
        {
            var left = node.Parsed.NotAfter - now;
            if (left >= TimeSpan.Zero && left < TimeSpan.FromDays(context.WarningDays))
                yield return Finding.Of(ChainProblem.ExpiresSoon, node,
                    $"{context.Validation.Describe(node)} expires on {ValidationContext.FormatUtc(node.Parsed.NotAfter)} (in {ValidationContext.Days((int)Math.Floor(left.TotalDays))}); renew it now.");
        }
    }
}

/// <summary>The certificates the path uses were not sent in path order (leaf, its issuer, ...).</summary>
internal sealed class WrongOrderRule : IChainRule
{
    public IEnumerable<ChainFinding> Check(InspectionContext context)
    {
        if (!context.OrderIsMeaningful) yield break;
        var sent = context.Path.Certificates.Select(context.SentIndex).OfType<int>().ToList();
        if (sent.Zip(sent.Skip(1), (a, b) => a < b).All(increasing => increasing)) yield break;
        yield return Finding.Of(ChainProblem.WrongOrder, null,
            "The chain was sent out of order (" + string.Join(" | ", context.Served.Select(s => s.Subject)) +
            "); the path order is (" + string.Join(" | ", context.Path.Certificates.Select(c => c.Subject)) +
            "). Strict clients reject mis-ordered chains; send the leaf, then each issuer in turn.");
    }
}

/// <summary>Sent for nothing: the root (clients have their own), a second copy, or a certificate outside the path.</summary>
internal sealed class UnneededCertificateRule : IChainRule
{
    public IEnumerable<ChainFinding> Check(InspectionContext context)
    {
        for (var position = 1; position < context.Path.Certificates.Count; position++)
        {
            var node = context.Path.Certificates[position];
            var sent = context.SentIndex(node);
            if (sent.HasValue && context.Served[sent.Value].IsSelfSigned)
                yield return Finding.Of(ChainProblem.UnneededCertificate, node,
                    $"The root '{node.Subject}' was sent; clients use their own copy, so it only costs bytes. Remove it from the bundle.");
        }
        foreach (var index in context.UnclaimedServed)
        {
            var node = context.Served[index];
            var first = context.Served.Take(index).Select((s, i) => (s, i)).FirstOrDefault(p => p.s.IsSameCertificateAs(node));
            yield return Finding.Of(ChainProblem.UnneededCertificate, node, first.s != null
                ? $"'{node.Subject}' was sent twice (positions {first.i} and {index}); remove the copy."
                : $"'{node.Subject}' (position {index}) is not part of the certification path; remove it.");
        }
    }
}

/// <summary>MD5/SHA-1 signatures below the root: collisions are practical, clients reject them.</summary>
internal sealed class WeakSignatureRule : IChainRule
{
    public IEnumerable<ChainFinding> Check(InspectionContext context) =>
        context.Path.Certificates
            .Where(n => !n.IsSelfSigned && CertificateFacts.WeakSignatureOids.Contains(n.Parsed.SigAlgOid))
            .Select(n => Finding.Of(ChainProblem.WeakSignature, n,
                $"{context.Validation.Describe(n)} is signed with {CertificateFacts.SignatureAlgorithm(n.Parsed)}; clients reject MD5 and SHA-1 signatures. Reissue it with SHA-256."));
}

/// <summary>
/// Keys below what the CA/Browser Forum allows for any certificate in a public chain: RSA 2048, EC P-256.
/// Browsers refuse smaller keys (Chrome ERR_CERT_WEAK_KEY, Firefox MOZILLA_PKIX_ERROR_INADEQUATE_KEY_SIZE), so
/// Test-TlsHandshake fails them as WeakCertificateKey.
/// </summary>
internal sealed class WeakKeyRule : IChainRule
{
    private static readonly Dictionary<string, int> MinimumBits = new Dictionary<string, int>
    {
        ["RSA"] = 2048,
        ["EC"] = 256,
        ["DSA"] = int.MaxValue,   // no DSA size is accepted: TLS 1.3 and browsers dropped DSA
    };

    public IEnumerable<ChainFinding> Check(InspectionContext context)
    {
        foreach (var node in context.Path.Certificates)
        {
            var (algorithm, bits) = CertificateFacts.Key(node.Parsed);
            if (MinimumBits.TryGetValue(algorithm, out var minimum) && bits < minimum)
                yield return Finding.Of(ChainProblem.WeakKey, node, algorithm == "DSA"
                    ? $"{context.Validation.Describe(node)} has a DSA key, which TLS clients no longer accept."
                    : $"{context.Validation.Describe(node)} has a {bits}-bit {algorithm} key; at least {minimum} bits are required.");
        }
    }
}

/// <summary>An EKU extension that leaves out serverAuth forbids TLS server use (for a CA: for everything it issues).</summary>
internal sealed class ServerAuthRule : IChainRule
{
    public IEnumerable<ChainFinding> Check(InspectionContext context)
    {
        for (var position = 0; position < context.Path.Certificates.Count; position++)
        {
            var node = context.Path.Certificates[position];
            if (context.IsRoot(node, position)) continue;
            var usages = CertificateFacts.ExtendedKeyUsages(node.Parsed);
            if (usages == null || usages.Contains(CertificateFacts.ServerAuthEku) || usages.Contains(CertificateFacts.AnyEku)) continue;
            yield return Finding.Of(ChainProblem.NotForServerAuth, node,
                $"{context.Validation.Describe(node)} allows only the extended key usages {string.Join(", ", usages)}, not TLS server authentication ({CertificateFacts.ServerAuthEku}).");
        }
    }
}

/// <summary>Every issuer in the path must be a CA (basic constraints cA=TRUE); trust anchors are exempt, as in RFC 5280.</summary>
internal sealed class NotACaRule : IChainRule
{
    public IEnumerable<ChainFinding> Check(InspectionContext context) =>
        context.Path.Certificates.Skip(1)
            .Where(n => !context.IsAnchor(n) && !CertificateFacts.IsCa(n.Parsed))
            .Select(n => Finding.Of(ChainProblem.NotACa, n,
                $"'{n.Subject}' issued a certificate in the path but is not a CA (no basic constraints with cA=TRUE); clients reject the chain."));
}

/// <summary>
/// A leaf with no DNS or IP subjectAltName names its host only in the subject CN. Browsers (Chrome since 58:
/// NET::ERR_CERT_COMMON_NAME_INVALID; Firefox since 48), .NET, Go, Java and Node ignore the CN and refuse it, so
/// a strict client sees a name mismatch; only OpenSSL-based clients (openssl, curl, wget) still fall back to the CN.
/// </summary>
internal sealed class SubjectAlternativeNameRule : IChainRule
{
    public IEnumerable<ChainFinding> Check(InspectionContext context)
    {
        var leaf = context.Path.Leaf;
        var names = SubjectNames.Of(leaf.Parsed);
        if (names.HasSanExtension && names.All.Any()) yield break;
        var what = names.HasSanExtension ? "a subjectAltName extension without DNS or IP entries" : "no subjectAltName extension";
        yield return Finding.Of(ChainProblem.NoSubjectAlternativeName, leaf,
            $"The certificate for {leaf.Subject} has {what}, only the subject CN: browsers and most TLS libraries (.NET, Go, Java, Node.js) ignore the CN and refuse the name (Chrome: NET::ERR_CERT_COMMON_NAME_INVALID); only OpenSSL-based clients (curl, wget) fall back to the CN.");
    }
}

/// <summary>Leaf lifetime over 398 days: not accepted from public CAs since September 2020 (Apple, Chrome, Mozilla).</summary>
internal sealed class ValidityTooLongRule : IChainRule
{
    public const int MaxDays = 398;

    public IEnumerable<ChainFinding> Check(InspectionContext context)
    {
        var leaf = context.Path.Leaf;
        var days = (int)Math.Floor((leaf.Parsed.NotAfter - leaf.Parsed.NotBefore).TotalDays);
        if (days <= MaxDays) yield break;
        yield return Finding.Of(ChainProblem.ValidityTooLong, leaf,
            $"The certificate for {leaf.Subject} is valid for {days} days; browsers accept at most {MaxDays} days for publicly trusted certificates.");
    }
}
