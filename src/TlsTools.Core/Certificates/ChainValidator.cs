using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography.X509Certificates;

namespace TlsTools.Certificates;

/// <summary>
/// Validates a chain as a server sent it: builds the path itself (same verdict on every OS), then applies
/// each check and names every problem with its evidence.
/// </summary>
public static class ChainValidator
{
    private static readonly ICertificateCheck[] Checks =
    {
        new TrustCheck(),
        new ValidityPeriodCheck(),
        new HostNameCheck(),
        new KeyStrengthCheck(),
        new WeakSignatureCheck(),
    };

    // Most decisive first: a client that cannot build a trusted path stops there, so that is the
    // problem to fix first; dates and names only matter once the chain is trusted.
    private static readonly Dictionary<FailureCategory, int> Rank = new Dictionary<FailureCategory, int>
    {
        [FailureCategory.IncompleteChain] = 0,
        [FailureCategory.SelfSigned] = 0,
        [FailureCategory.UntrustedRoot] = 0,
        [FailureCategory.CertificateExpired] = 1,
        [FailureCategory.CertificateNotYetValid] = 1,
        [FailureCategory.NameMismatch] = 2,
        [FailureCategory.WeakKeyExchange] = 3,
    };

    /// <param name="servedChain">The certificates as the server sent them, leaf first.</param>
    /// <param name="hostName">The name the client connects to (DNS name or IP literal); null skips the name check.</param>
    /// <param name="utcNow">The time to validate at.</param>
    /// <param name="trust">The trust anchors.</param>
    public static ChainValidationResult Validate(IReadOnlyList<X509Certificate2> servedChain, string? hostName,
        DateTime utcNow, TrustStore trust)
    {
        if (servedChain == null) throw new ArgumentNullException(nameof(servedChain));
        if (trust == null) throw new ArgumentNullException(nameof(trust));
        if (servedChain.Count == 0) throw new ArgumentException("The served chain is empty; there is no leaf certificate to validate.", nameof(servedChain));
        if (servedChain.Any(c => c == null)) throw new ArgumentException("The served chain contains a null certificate.", nameof(servedChain));

        var served = servedChain.Select(CertificateNode.From).ToList();
        var path = PathBuilder.Build(served, trust);
        var context = new ValidationContext(served, path, hostName, ToUtc(utcNow));

        var problems = Checks.SelectMany(check => check.Check(context))
            .OrderBy(p => Rank[p.Category])   // stable: within a rank, leaf before issuers
            .ToList();
        var servedInOrder = ChainNotes.ServedInOrder(context);
        return new ChainValidationResult(problems, path.Certificates.Select(c => c.Certificate).ToList(),
            servedInOrder, ChainNotes.Collect(context, servedInOrder));
    }

    /// <summary>Unspecified kind is taken as UTC, as the parameter name promises; local time is converted.</summary>
    private static DateTime ToUtc(DateTime time) =>
        time.Kind == DateTimeKind.Local ? time.ToUniversalTime() : DateTime.SpecifyKind(time, DateTimeKind.Utc);
}
