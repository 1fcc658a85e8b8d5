using System;
using System.Collections.Generic;
using System.Linq;
using TlsTools.Certificates.Revocation;

namespace TlsTools.Certificates.Inspection;

/// <summary>Everything the chain rules look at: the path as built (with fetched issuers), how it was served, revocation answers.</summary>
internal sealed class InspectionContext
{
    private readonly IReadOnlyDictionary<CertificateNode, int> _sentIndex;

    public InspectionContext(ValidationContext validation, IReadOnlyList<FetchedIssuer> fetched, string? fetchError,
        TrustStore trust, int warningDays, bool orderIsMeaningful, IReadOnlyDictionary<CertificateNode, RevocationVerdict> revocation)
    {
        Validation = validation;
        Fetched = fetched;
        FetchError = fetchError;
        Trust = trust;
        WarningDays = warningDays;
        OrderIsMeaningful = orderIsMeaningful;
        Revocation = revocation;
        _sentIndex = MatchServed(validation.Served, validation.Path, out var unclaimed);
        UnclaimedServed = unclaimed;
    }

    public ValidationContext Validation { get; }
    public CertificationPath Path => Validation.Path;
    public IReadOnlyList<CertificateNode> Served => Validation.Served;
    public IReadOnlyList<FetchedIssuer> Fetched { get; }
    /// <summary>Why fetching a missing issuer failed, or null.</summary>
    public string? FetchError { get; }
    public TrustStore Trust { get; }
    public int WarningDays { get; }
    public bool OrderIsMeaningful { get; }
    public IReadOnlyDictionary<CertificateNode, RevocationVerdict> Revocation { get; }
    /// <summary>The leaf's expected SHA-1 or SHA-256; null: not checked.</summary>
    public string? ExpectedThumbprint { get; set; }
    /// <summary>The roots added to this machine; null: none known.</summary>
    public LocallyAddedRoots? LocalRoots { get; set; }
    /// <summary>Served indices that no path certificate claims: certificates outside the path, and second copies.</summary>
    public IReadOnlyList<int> UnclaimedServed { get; }

    /// <summary>Where the server sent this path certificate (0-based), or null when it did not.</summary>
    public int? SentIndex(CertificateNode pathNode) => _sentIndex.TryGetValue(pathNode, out var i) ? i : (int?)null;

    public bool WasFetched(CertificateNode node) => Fetched.Any(f => f.Issuer == node);

    /// <summary>The path ends at a trust anchor and this is that anchor (whether or not the server also sent it).</summary>
    public bool IsAnchor(CertificateNode node) => node == Path.Last && Path.End == PathEnd.TrustAnchor && Trust.IsAnchor(node);

    public bool IsRoot(CertificateNode node, int position) =>
        position > 0 && (node.IsSelfSigned || (node == Path.Last && Path.End == PathEnd.TrustAnchor));

    /// <summary>
    /// Each path certificate claims the first served copy of itself: the same object, or else the same CA
    /// (subject and key), so a served root stands for the trusted anchor that ended the path.
    /// </summary>
    private static IReadOnlyDictionary<CertificateNode, int> MatchServed(IReadOnlyList<CertificateNode> served, CertificationPath path, out IReadOnlyList<int> unclaimed)
    {
        var claimed = new Dictionary<CertificateNode, int>();
        var taken = new HashSet<int>();
        foreach (var node in path.Certificates)
        {
            var index = IndexOf(served, s => s == node, taken);
            if (index < 0) index = IndexOf(served, s => s.IsSameCaAs(node), taken);
            if (index < 0) continue;
            claimed[node] = index;
            taken.Add(index);
        }
        unclaimed = Enumerable.Range(0, served.Count).Where(i => !taken.Contains(i)).ToList();
        return claimed;
    }

    private static int IndexOf(IReadOnlyList<CertificateNode> served, Func<CertificateNode, bool> match, HashSet<int> taken)
    {
        for (var i = 0; i < served.Count; i++)
            if (!taken.Contains(i) && match(served[i])) return i;
        return -1;
    }
}

/// <summary>An issuer downloaded from the caIssuers URL of <see cref="Child"/>.</summary>
internal sealed class FetchedIssuer
{
    public FetchedIssuer(CertificateNode child, CertificateNode issuer, string url)
    {
        Child = child;
        Issuer = issuer;
        Url = url;
    }

    public CertificateNode Child { get; }
    public CertificateNode Issuer { get; }
    public string Url { get; }
}
