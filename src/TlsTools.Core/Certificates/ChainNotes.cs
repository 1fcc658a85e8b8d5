using System.Collections.Generic;
using System.Linq;

namespace TlsTools.Certificates;

/// <summary>
/// Findings that do not make a chain invalid but that an administrator should fix: the served order and
/// certificates sent for nothing.
/// </summary>
internal static class ChainNotes
{
    /// <summary>
    /// The served certificates are in order when those used by the path appear in path order and no
    /// unused certificate comes before a used one. Certificates are matched by subject and key, so a
    /// served cross-signed copy of a root stands for the trusted self-signed one.
    /// </summary>
    public static bool ServedInOrder(ValidationContext context)
    {
        var positions = context.Served.Select(s => PathPosition(context.Path, s)).ToList();
        var used = positions.TakeWhile(p => p >= 0).ToList();
        var anyUsedAfterUnused = positions.Skip(used.Count).Any(p => p >= 0);
        return !anyUsedAfterUnused && used.Zip(used.Skip(1), (a, b) => a < b).All(increasing => increasing);
    }

    public static IReadOnlyList<string> Collect(ValidationContext context, bool servedInOrder)
    {
        var notes = new List<string>();
        if (!servedInOrder) notes.Add(OrderNote(context));
        notes.AddRange(context.Served.Where(s => PathPosition(context.Path, s) < 0).Select(s =>
            $"The server sent '{s.Subject}', which is not part of the certification path; it can be removed."));
        return notes;
    }

    private static string OrderNote(ValidationContext context) =>
        "The server sent the chain out of order (" + string.Join(" | ", context.Served.Select(s => s.Subject)) +
        "); the path order is (" + string.Join(" | ", context.Path.Certificates.Select(c => c.Subject)) +
        "). Strict clients reject mis-ordered chains; send the leaf, then each issuer in turn.";

    private static int PathPosition(CertificationPath path, CertificateNode served)
    {
        for (var i = 0; i < path.Certificates.Count; i++)
            if (path.Certificates[i].IsSameCaAs(served)) return i;
        return -1;
    }
}
