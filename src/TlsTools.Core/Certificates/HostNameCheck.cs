using System.Collections.Generic;
using System.Linq;

namespace TlsTools.Certificates;

/// <summary>The leaf must name the host the client asked for (skipped when no host name is given).</summary>
internal sealed class HostNameCheck : ICertificateCheck
{
    public IEnumerable<CheckFinding> Check(ValidationContext context)
    {
        if (context.HostName == null) yield break;
        var leaf = context.Path.Leaf;
        var names = SubjectNames.Of(leaf.Parsed);
        if (HostNameMatcher.Matches(names, context.HostName)) yield break;

        var listed = names.All.ToList();
        var host = context.HostName.Trim().TrimEnd('.');
        var message = listed.Count == 0
            ? $"The certificate names no host at all (no subject alternative names, no common name), so not {host}."
            : $"The certificate names {string.Join(", ", listed)} but not {host}.";
        yield return new CheckFinding(ChainProblem.NameMismatch, message, leaf.Certificate);
    }
}
