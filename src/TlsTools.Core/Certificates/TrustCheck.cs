using System;
using System.Collections.Generic;

namespace TlsTools.Certificates;

/// <summary>
/// Turns the way path building ended into a trust problem. The rule for the chain/trust categories:
/// - SelfSigned: the path is only the leaf, it is self-signed, and it is not a trust anchor.
/// - IncompleteChain: the path stops at the LEAF because its issuer was neither served nor trusted, i.e. the
///   server did not send the intermediate the leaf needs. Sending it fixes the chain for every client.
/// - UntrustedRoot: the path ends at a self-signed root that is not a trust anchor; OR the server sent an
///   intermediate but the path stops at a served certificate whose own CA is unknown. Then the server did
///   send a chain, and what is missing is trust in the CA above it (or a further intermediate only that CA's
///   operator can name), so we report the CA as untrusted rather than guess at a missing link. The same
///   applies when the served certificates loop or the path is absurdly long: no trusted root was reached.
/// </summary>
internal sealed class TrustCheck : ICertificateCheck
{
    /// <summary>The problem a path's end means; null for a path that ends at a trust anchor.</summary>
    private static readonly Dictionary<PathEnd, Func<ValidationContext, CheckFinding?>> ProblemByEnd =
        new Dictionary<PathEnd, Func<ValidationContext, CheckFinding?>>
        {
            [PathEnd.TrustAnchor] = _ => null,
            [PathEnd.UntrustedSelfSigned] = UntrustedSelfSigned,
            [PathEnd.LeafIssuerMissing] = LeafIssuerMissing,
            [PathEnd.IntermediateIssuerMissing] = c => Untrusted(c,
                $"The chain ends at '{c.Path.Last.Subject}', whose issuer '{c.Path.Last.Issuer}' was not sent and is not a trusted root."),
            [PathEnd.Loop] = c => Untrusted(c,
                $"The served certificates sign each other in a loop at '{c.Path.Last.Subject}'; no trusted root was reached."),
            [PathEnd.TooLong] = c => Untrusted(c,
                $"The chain is longer than {PathBuilder.MaxPathLength} certificates without reaching a trusted root; building stopped at '{c.Path.Last.Subject}'."),
        };

    public IEnumerable<CheckFinding> Check(ValidationContext context)
    {
        var problem = ProblemByEnd[context.Path.End](context);
        if (problem != null) yield return problem;
    }

    private static CheckFinding UntrustedSelfSigned(ValidationContext c) =>
        c.Path.Certificates.Count == 1
            ? new CheckFinding(ChainProblem.SelfSigned,
                $"The certificate is self-signed ({c.Path.Leaf.Subject}) and not trusted.", c.Path.Leaf.Certificate)
            : Untrusted(c, $"The chain ends at '{c.Path.Last.Subject}' which is not in the trusted root store.");

    private static CheckFinding LeafIssuerMissing(ValidationContext c)
    {
        var leaf = c.Path.Leaf;
        var whatWasSent = c.Served.Count == 1
            ? "The server sent only the leaf certificate; its issuer"
            : "The server did not send the issuer of the leaf certificate:";
        return new CheckFinding(ChainProblem.IncompleteChain,
            $"{whatWasSent} '{leaf.Issuer}' was not sent and is not a trusted root.", leaf.Certificate);
    }

    private static CheckFinding Untrusted(ValidationContext c, string message) =>
        new CheckFinding(ChainProblem.UntrustedRoot, message, c.Path.Last.Certificate);
}
