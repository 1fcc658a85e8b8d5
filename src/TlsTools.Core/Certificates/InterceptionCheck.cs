using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Linq;
using System.Security.Cryptography.X509Certificates;
using TlsTools.Catalog;

namespace TlsTools.Certificates;

/// <summary>Whether the chain looks re-signed by an intercepting proxy, and why.</summary>
public sealed class InterceptionFinding
{
    public static readonly InterceptionFinding None = new InterceptionFinding(false, false, null);

    public InterceptionFinding(bool suspected, bool decisive, string? evidence)
    {
        if (suspected && evidence == null) throw new ArgumentException("A suspected interception needs its evidence.", nameof(evidence));
        Suspected = suspected;
        Decisive = decisive;
        Evidence = evidence;
    }

    [MemberNotNullWhen(true, nameof(Evidence))]
    public bool Suspected { get; }
    /// <summary>
    /// Strong enough to be the FailureCategory: a named inspection product, or not the expected certificate. A
    /// locally added root alone is not: it is also how every enterprise CA for internal sites is trusted.
    /// </summary>
    public bool Decisive { get; }
    /// <summary>The evidence sentence; null when nothing is suspected.</summary>
    public string? Evidence { get; }
}

/// <summary>
/// The interception rules, an ordered table (first match wins): the certificate is not the one expected
/// (-ExpectedThumbprint); a certificate of the chain names a known inspection product; the chain ends at a root
/// an administrator added to this machine (<see cref="LocallyAddedRoots"/>).
/// </summary>
public static class InterceptionCheck
{
    public sealed class Input
    {
        public IReadOnlyList<X509Certificate2> Served { get; set; } = Array.Empty<X509Certificate2>();
        /// <summary>The validated path, leaf to anchor (may be only the served part when building stopped).</summary>
        public IReadOnlyList<X509Certificate2> Path { get; set; } = Array.Empty<X509Certificate2>();
        /// <summary>SHA-1 (40 hex digits) or SHA-256 (64) of the leaf; separators ignored. Null: not checked.</summary>
        public string? ExpectedThumbprint { get; set; }
        /// <summary>The roots added to this machine; null: none known.</summary>
        public LocallyAddedRoots? LocalRoots { get; set; }
    }

    sealed class Rule
    {
        public Rule(bool decisive, Func<Input, string?> evidence) { Decisive = decisive; Evidence = evidence; }
        public bool Decisive { get; }
        /// <summary>The evidence sentence, or null when the rule does not apply.</summary>
        public Func<Input, string?> Evidence { get; }
    }

    static readonly Rule[] Rules =
    {
        new Rule(true, NotTheExpectedCertificate),
        new Rule(true, NamesAnInspectionProduct),
        new Rule(false, EndsAtLocallyAddedRoot),
    };

    public static InterceptionFinding Examine(Input input)
    {
        if (input.Served.Count == 0) return InterceptionFinding.None;
        foreach (var rule in Rules)
        {
            var evidence = rule.Evidence(input);
            if (evidence != null) return new InterceptionFinding(true, rule.Decisive, evidence);
        }
        return InterceptionFinding.None;
    }

    static string? NotTheExpectedCertificate(Input input)
    {
        var expected = input.ExpectedThumbprint;
        if (expected == null || string.IsNullOrWhiteSpace(expected)) return null;
        var leaf = input.Served[0];
        if (MatchesThumbprint(leaf, expected)) return null;
        return $"The server presented {leaf.Subject} (issuer {leaf.Issuer}, SHA-256 thumbprint {Thumbprints.Sha256(leaf)}), not the expected certificate {Normalize(expected)}: " +
            "something between this machine and the server re-signs the connection, or the server's certificate was replaced.";
    }

    static string? NamesAnInspectionProduct(Input input)
    {
        foreach (var certificate in input.Served.Concat(input.Path))
            foreach (var name in new[] { certificate.Issuer, certificate.Subject })
            {
                var product = InspectionProductCatalog.Identify(name);
                if (product != null)
                    return $"The chain contains '{name}', which names {product}, a TLS inspection product: the connection is decrypted and re-signed on the way.";
            }
        return null;
    }

    static string? EndsAtLocallyAddedRoot(Input input)
    {
        var top = input.Path.Count > 0 ? input.Path[input.Path.Count - 1] : input.Served[input.Served.Count - 1];
        var source = input.LocalRoots?.SourceOf(top);
        return source == null ? null
            : $"The chain ends at {top.Subject}, a root added to this machine's trust store ({source}), not one of the public roots the OS ships: " +
              "an enterprise CA, or a TLS-inspecting proxy's CA.";
    }

    public static bool MatchesThumbprint(X509Certificate2 certificate, string expected)
    {
        string want = Normalize(expected);
        // 64 digits: SHA-256, the CertificateThumbprint every result shows. 40: SHA-1, what Windows tools and (Get-PfxCertificate).Thumbprint print.
        if (want.Length == 64) return string.Equals(Thumbprints.Sha256(certificate), want, StringComparison.OrdinalIgnoreCase);
        return string.Equals(certificate.Thumbprint, want, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// A SHA-1 (40 hex digits) or SHA-256 (64) thumbprint, with any of the separators tools print (spaces, colons,
    /// dashes). Anything else would never match and flag every server, so callers refuse it up front.
    /// </summary>
    public static bool IsThumbprint(string text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Any(c => !Uri.IsHexDigit(c) && c != ':' && c != '-' && !char.IsWhiteSpace(c))) return false;
        int digits = Normalize(text).Length;
        return digits == 40 || digits == 64;
    }

    /// <summary>"AB:CD ef" -> "ABCDEF": thumbprints are copied from many tools with many separators.</summary>
    static string Normalize(string thumbprint) =>
        new string(thumbprint.Where(Uri.IsHexDigit).Select(char.ToUpperInvariant).ToArray());
}
