using System;
using System.Collections.Generic;
using System.Linq;
using TlsTools.Assessment.Grading;
using TlsTools.Catalog;

namespace TlsTools.Assessment.Checks;

/// <summary>
/// What the weak-cryptography checks read from the scan instead of asking the server again: the accepted suites with
/// their catalog facts (the grade's <see cref="GradedSuite"/>: RC4, 64-bit block, CBC, export), the answer each version's
/// probe got, and the sentences those checks build from them. Every sentence starts "from the scan:", so the evidence
/// says no connection of the check's own decided it.
/// </summary>
internal static class ScanSuites
{
    public const string FromScan = "from the scan: ";

    /// <summary>The accepted (version, suite) rows with what the grade knows of each.</summary>
    public static IReadOnlyList<GradedSuite> Of(CheckContext context) => new GradeFacts(context.Evidence).Suites;

    /// <summary>"TLS_RSA_WITH_3DES_EDE_CBC_SHA (TLS 1.0, TLS 1.2), TLS_RSA_WITH_RC4_128_SHA (TLS 1.2)": each suite once, with its versions.</summary>
    public static string Describe(IEnumerable<GradedSuite> suites) =>
        GradeFacts.List(suites.GroupBy(s => s.Name)
            .Select(g => $"{g.Key} ({string.Join(", ", g.Select(s => s.Protocol).Distinct().OrderBy(v => v).Select(ProtocolVersions.DisplayName))})"));

    /// <summary>What the scan's probe of <paramref name="version"/> found: true accepted, false refused, null no answer (or not probed).</summary>
    public static bool? Answer(CheckContext context, TlsProtocol version) =>
        context.Evidence.Protocols.FirstOrDefault(p => p.Protocol == version)?.Supported;

    /// <summary>
    /// The verdict when none of the accepted suites has the flaw: NotVulnerable, with the sentence; Inconclusive when
    /// the scan's enumeration broke off (a suite it did not reach might have had the flaw).
    /// </summary>
    public static CheckOutcome NoneAccepted(CheckContext context, string sentence) =>
        context.Evidence.ScanProblem is string problem
            ? CheckOutcome.Inconclusive($"{FromScan}{sentence}, but the enumeration was incomplete ({problem})")
            : CheckOutcome.NotVulnerable(FromScan + sentence);

    /// <summary>Inconclusive for a version whose probe got no answer either way.</summary>
    public static CheckOutcome Unanswered(TlsProtocol version) =>
        CheckOutcome.Inconclusive($"{FromScan}the {ProtocolVersions.DisplayName(version)} probe got no answer either way");

    public static bool IsDhe(GradedSuite s) => string.Equals(s.Row.KeyExchange, "DHE", StringComparison.OrdinalIgnoreCase);
    public static bool IsRsaKeyTransport(GradedSuite s) => string.Equals(s.Row.KeyExchange, "RSA", StringComparison.OrdinalIgnoreCase);
    /// <summary>SSLv3 to TLS 1.2: the versions with cipher suites of their own (SSLv2 has cipher kinds, TLS 1.3 only AEAD).</summary>
    public static bool IsSsl3ToTls12(GradedSuite s) => s.Protocol >= TlsProtocol.Ssl3 && s.Protocol <= TlsProtocol.Tls12;
}
