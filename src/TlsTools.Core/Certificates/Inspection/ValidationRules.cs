using System.Collections.Generic;
using System.Linq;
using TlsTools.Certificates.Revocation;

namespace TlsTools.Certificates.Inspection;

/// <summary>
/// Trust, dates and host name come from the checks Test-TlsHandshake uses (one place for that knowledge);
/// this rule turns their findings into chain findings on the path's nodes.
/// </summary>
internal sealed class HandshakeChecksRule : IChainRule
{
    private static readonly ICertificateCheck[] Checks = { new TrustCheck(), new ValidityPeriodCheck(), new HostNameCheck() };

    public IEnumerable<ChainFinding> Check(InspectionContext context) =>
        Checks.SelectMany(check => check.Check(context.Validation)).Select(problem =>
        {
            var kind = problem.Problem;
            var node = context.Path.Certificates.FirstOrDefault(n => n.Certificate == problem.Certificate);
            var message = kind == ChainProblem.IncompleteChain && context.FetchError != null
                ? $"{problem.Message} Fetching it from AIA failed: {context.FetchError}"
                : problem.Message;
            return new ChainFinding(kind, node, message);
        });
}

/// <summary>The served chain lacked an issuer that AIA supplied: the server must still send it (Firefox, curl, openssl and Java do not fetch).</summary>
internal sealed class RepairedIncompleteChainRule : IChainRule
{
    public IEnumerable<ChainFinding> Check(InspectionContext context) =>
        context.Fetched.Select(f => new ChainFinding(ChainProblem.IncompleteChain, f.Child,
            $"The server did not send '{f.Issuer.Subject}', the issuer of '{f.Child.Subject}'; it was fetched from {f.Url}. " +
            "Clients that do not fetch AIA (Firefox, curl, OpenSSL, Java) fail; serve it with the leaf.", fixedByRepair: true));
}

/// <summary>Revoked, or checked without a trustworthy answer.</summary>
internal sealed class RevocationRule : IChainRule
{
    public IEnumerable<ChainFinding> Check(InspectionContext context)
    {
        foreach (var node in context.Path.Certificates)
        {
            if (!context.Revocation.TryGetValue(node, out var verdict)) continue;
            if (verdict.Status == RevocationStatus.Revoked)
                yield return new ChainFinding(ChainProblem.Revoked, node, $"'{node.Subject}' is revoked ({verdict.Detail})");
            else if (verdict.Status == RevocationStatus.Unknown)
                yield return new ChainFinding(ChainProblem.RevocationUnknown, node, $"The revocation status of '{node.Subject}' is unknown: {verdict.Detail}");
        }
    }
}
