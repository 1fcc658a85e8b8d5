using System;
using System.Collections.Generic;
using System.Linq;

namespace TlsTools.Assessment.Grading;

/// <summary>What one rule's predicate found: the rule applies (with the evidence), or its evidence was not gathered (with why).</summary>
public sealed class RuleCheck
{
    RuleCheck(bool applies, string text) { Applies = applies; Text = text; }

    /// <summary>True: the rule applies and <see cref="Text"/> is what was seen. False: not checked, and <see cref="Text"/> says why.</summary>
    public bool Applies { get; }
    public string Text { get; }

    public static RuleCheck Seen(string evidence) => new RuleCheck(true, evidence);
    public static RuleCheck NotChecked(string why) => new RuleCheck(false, why);
}

/// <summary>
/// The condition of every row of grade-rules.tsv, by rule name: a function of the evidence that returns what was seen
/// when the rule applies, NotChecked when the evidence it needs was not gathered, and null when it does not apply.
/// Each reads only what crossed the wire (accepted versions and suites, the served chain, the GET of /).
/// </summary>
internal static class GradeRuleChecks
{
    /// <summary>The guide's A+ needs HSTS for at least 6 months (2009e): 180 days.</summary>
    public const long LongHstsSeconds = 15552000;

    const string NeedsProbe = "needs a vulnerability probe, which this release does not make";
    const string NoChain = "no certificate chain was obtained";

    /// <summary>What the guide's Certificate Inspection counts as "not trusted" (name mismatch is M, not T).</summary>
    static readonly HashSet<ChainProblem> NotTrustedProblems = new HashSet<ChainProblem>
    {
        ChainProblem.Expired, ChainProblem.NotYetValid, ChainProblem.SelfSigned, ChainProblem.UntrustedRoot,
        ChainProblem.Revoked, ChainProblem.NotForServerAuth, ChainProblem.NotACa, ChainProblem.IncompleteChain,
    };

    enum SignatureHash { Md5, Sha1 }

    /// <summary>Signature OIDs by hash (RFC 3279, RFC 5758): MD2/MD5 with RSA; SHA-1 with RSA, DSA and ECDSA.</summary>
    static readonly Dictionary<string, SignatureHash> SignatureOids = new Dictionary<string, SignatureHash>
    {
        ["1.2.840.113549.1.1.2"] = SignatureHash.Md5,   // md2WithRSAEncryption
        ["1.2.840.113549.1.1.4"] = SignatureHash.Md5,   // md5WithRSAEncryption
        ["1.2.840.113549.1.1.5"] = SignatureHash.Sha1,  // sha1WithRSAEncryption
        ["1.2.840.10040.4.3"] = SignatureHash.Sha1,     // dsa-with-sha1
        ["1.2.840.10045.4.1"] = SignatureHash.Sha1,     // ecdsa-with-SHA1
    };

    public static readonly IReadOnlyDictionary<string, Func<GradeFacts, RuleCheck?>> ByRule = new Dictionary<string, Func<GradeFacts, RuleCheck?>>
    {
        ["Ssl2Supported"] = f => f.Evidence.Accepts(TlsProtocol.Ssl2) ? Seen($"SSLv2 is accepted ({SuiteList(f.With(TlsProtocol.Ssl2))})") : null,
        ["Ssl3BestProtocol"] = f => f.Evidence.BestProtocol == TlsProtocol.Ssl3 ? Seen("SSL 3 is the best protocol accepted") : null,
        ["ExportSuites"] = f => Any(f.Suites.Where(s => s.Export), "export suites are accepted"),
        ["KeyUnder1024"] = KeyUnder1024,
        ["CipherUnder112"] = f => Any(f.Suites.Where(s => s.Bits < 112), "suites under 112 bits are accepted", withBits: true),
        ["AnonymousKeyExchange"] = f => Any(f.Suites.Where(s => s.Anonymous), "anonymous (unauthenticated) key exchange is accepted"),
        ["Md5Signature"] = f => Signed(f, SignatureHash.Md5, "signed with MD5 or MD2"),
        ["InsecureRenegotiation"] = f => FromCheck(f, "InsecureRenegotiation", BeforeTls13(f)),
        ["Heartbleed"] = f => FromCheck(f, "Heartbleed", true),
        ["CcsInjection"] = f => FromCheck(f, "CcsInjection", BeforeTls13(f)),
        ["PoodleTls"] = f => TlsCbc(f) ? RuleCheck.NotChecked(NeedsProbe) : null,
        ["Drown"] = f => FromCheck(f, "Drown", !(f.Evidence.Leaf is { } leaf) || leaf.KeyAlgorithm == "RSA"),   // SSLv2 has only RSA key transport
        ["OpenSslPaddingOracle"] = f => TlsCbc(f) ? RuleCheck.NotChecked(NeedsProbe) : null,
        ["Ticketbleed"] = f => FromCheck(f, "Ticketbleed", BeforeTls13(f)),
        ["Robot"] = f => FromCheck(f, "Robot", f.Suites.Any(RsaKeyTransport)),
        ["ZombiePoodle"] = f => TlsCbc(f) ? RuleCheck.NotChecked(NeedsProbe) : null,
        ["NameMismatch"] = f => ChainFindings(f, p => p == ChainProblem.NameMismatch || p == ChainProblem.SniRouting),
        ["NotTrusted"] = f => ChainFindings(f, p => NotTrustedProblems.Contains(p), finding => finding.Problem != ChainProblem.IncompleteChain || !finding.FixedByRepair),
        ["Sha1Certificate"] = f => Signed(f, SignatureHash.Sha1, "signed with SHA-1"),
        ["NoTls12"] = f => Missing(f, TlsProtocol.Tls12 | TlsProtocol.Tls13, "neither TLS 1.2 nor TLS 1.3 is accepted"),
        ["Rc4WithModernProtocol"] = f => Any(f.ModernProtocolSuites.Where(s => s.Rc4), "RC4 is accepted with TLS 1.1 or later", withVersion: true),
        ["Block64WithModernProtocol"] = f => Any(f.ModernProtocolSuites.Where(s => s.Block64), "64-bit block ciphers are accepted with TLS 1.1 or later", withVersion: true),
        ["Poodle"] = f => Any(f.With(TlsProtocol.Ssl3).Where(s => s.Cbc), "SSL 3 is accepted with CBC suites (POODLE)"),
        ["Compression"] = f => FromCheck(f, "Compression", BeforeTls13(f)),
        ["Ssl3Supported"] = f => f.Evidence.Accepts(TlsProtocol.Ssl3) ? Seen("SSL 3 is accepted") : null,
        ["Tls10Or11"] = f => Accepted(f, TlsProtocol.Tls10 | TlsProtocol.Tls11),
        ["NoForwardSecrecy"] = f => f.Suites.Any(s => s.Row.ForwardSecrecy == true) ? null : Seen("no accepted suite has forward secrecy"),
        ["NoAead"] = f => f.Suites.Any(s => s.Row.Aead == true) ? null : Seen("no accepted suite is AEAD"),
        ["Rc4Supported"] = f => Any(f.Suites.Where(s => s.Rc4), "RC4 is accepted", withVersion: true),
        ["IncompleteChain"] = f => ChainFindings(f, p => p == ChainProblem.IncompleteChain),
        ["DhUnder2048"] = DhUnder2048,
        ["KeyUnder2048"] = f => !f.HasChain ? RuleCheck.NotChecked(NoChain)
            : f.LeafKeyBits < 2048 ? Seen($"the server key is {KeyText(f)}") : null,
        ["NoTls13"] = f => Missing(f, TlsProtocol.Tls13, "TLS 1.3 is not accepted"),
        ["NoHsts"] = NoHsts,
        ["NoSecureRenegotiation"] = f => FromCheck(f, "SecureRenegotiation", BeforeTls13(f)),
        ["HstsTooShort"] = HstsTooShort,
    };

    static RuleCheck Seen(string evidence) => RuleCheck.Seen(evidence);

    /// <summary>
    /// A rule decided by a vulnerability check (Assessment/Checks): applies when the check found the server Vulnerable
    /// (its evidence is the reason), does not when it found it NotVulnerable or NotApplicable. Inconclusive, not run
    /// (-ExcludeCheck) or not yet built is NotChecked, never a pass. <paramref name="relevant"/>: whether the
    /// accepted versions and suites make the flaw possible at all (CCS injection needs TLS 1.2 or older).
    /// </summary>
    static RuleCheck? FromCheck(GradeFacts f, string check, bool relevant)
    {
        var result = f.Evidence.Checks[check];
        if (result == null)
        {
            if (!relevant) return null;
            if (Checks.ServerCheckCatalog.Find(check) == null) return RuleCheck.NotChecked(NeedsProbe);
            return RuleCheck.NotChecked(f.Evidence.ChecksNotRun ?? $"the {check} check was not run (-Check, -ExcludeCheck)");
        }
        return result.Verdict switch
        {
            CheckVerdict.Vulnerable => Seen(result.Evidence),
            CheckVerdict.Inconclusive => RuleCheck.NotChecked($"the {check} check was inconclusive: {result.Evidence}"),
            _ => null,
        };
    }

    static RuleCheck? Any(IEnumerable<GradedSuite> suites, string what, bool withBits = false, bool withVersion = false)
    {
        var list = suites.ToList();
        if (list.Count == 0) return null;
        var names = list.Select(s => s.Name + (withBits ? $" ({s.Bits} bits)" : "") + (withVersion ? $" ({GradeFacts.Version(s.Protocol)})" : ""));
        return Seen($"{what}: {GradeFacts.List(names)}");
    }

    static string SuiteList(IEnumerable<GradedSuite> suites) => GradeFacts.List(suites.Select(s => s.Name));

    static RuleCheck? Accepted(GradeFacts f, TlsProtocol versions)
    {
        var accepted = f.Evidence.AcceptedProtocols & versions;
        return accepted == TlsProtocol.None ? null : Seen($"{GradeFacts.Version(accepted)} accepted");
    }

    /// <summary>The rule's versions are all refused; NotChecked when a probe of one of them got no answer either way.</summary>
    static RuleCheck? Missing(GradeFacts f, TlsProtocol versions, string sentence)
    {
        if ((f.Evidence.AcceptedProtocols & versions) != 0) return null;
        var unanswered = f.Evidence.Protocols.Where(p => (p.Protocol & versions) != 0 && p.Supported == null).ToList();
        if (unanswered.Count > 0)
            return RuleCheck.NotChecked($"the {GradeFacts.List(unanswered.Select(p => GradeFacts.Version(p.Protocol)))} probe got no answer");
        return Seen(sentence);
    }

    static bool BeforeTls13(GradeFacts f) => f.Suites.Any(s => s.Protocol != TlsProtocol.Tls13);
    static bool TlsCbc(GradeFacts f) => f.Suites.Any(s => s.Cbc && s.Protocol >= TlsProtocol.Tls10 && s.Protocol <= TlsProtocol.Tls12);
    static bool RsaKeyTransport(GradedSuite s) =>
        s.Protocol >= TlsProtocol.Ssl3 && string.Equals(s.Row.KeyExchange, "RSA", StringComparison.OrdinalIgnoreCase);

    static string KeyText(GradeFacts f) => f.Evidence.Leaf is { } leaf ? $"{leaf.KeyAlgorithm} {leaf.KeySize} bits" : "unknown";

    static RuleCheck? KeyUnder1024(GradeFacts f)
    {
        var parts = new List<string>();
        if (f.LeafKeyBits < 1024) parts.Add($"the server key is {KeyText(f)}");
        var weak = f.Suites.Where(s => !s.Export && f.ParameterBits(s) < 1024).ToList();
        if (weak.Count > 0) parts.Add($"key-exchange parameters under 1024 bits: {GradeFacts.List(weak.Select(s => $"{s.Name} ({f.ParameterText(s)})"))}");
        if (parts.Count > 0) return Seen(string.Join("; ", parts));
        return f.HasChain ? null : RuleCheck.NotChecked(NoChain + " (the server key was not seen)");
    }

    static RuleCheck? DhUnder2048(GradeFacts f)
    {
        var weak = f.Suites.Where(s => !s.Export && f.ParameterBits(s) is int bits && bits >= 1024 && bits < 2048).ToList();
        return weak.Count == 0 ? null
            : Seen($"key-exchange parameters under 2048 bits: {GradeFacts.List(weak.Select(s => $"{s.Name} ({f.ParameterText(s)})"))}");
    }

    /// <summary>Chain findings of the problems the rule names, as the chain inspection worded them.</summary>
    static RuleCheck? ChainFindings(GradeFacts f, Func<ChainProblem, bool> problem, Func<ChainFinding, bool>? also = null)
    {
        if (f.Evidence.Chain == null) return RuleCheck.NotChecked(NoChain);
        var found = f.Evidence.Chain.Findings.Where(x => problem(x.Problem) && (also == null || also(x))).ToList();
        return found.Count == 0 ? null : Seen(string.Join(" ", found.Select(x => x.Message).Distinct()));
    }

    /// <summary>The WeakSignature findings (certificates other than the root) whose signature uses that hash.</summary>
    static RuleCheck? Signed(GradeFacts f, SignatureHash hash, string what)
    {
        if (f.Evidence.Chain == null) return RuleCheck.NotChecked(NoChain);
        var subjects = f.Evidence.Chain.Findings
            .Where(x => x.Problem == ChainProblem.WeakSignature && x.Certificate != null
                && SignatureOids.TryGetValue(x.Certificate.SignatureAlgorithm.Value ?? "", out var h) && h == hash)
            .Select(x => x.Certificate!.Subject).Distinct().ToList();
        return subjects.Count == 0 ? null : Seen($"{GradeFacts.List(subjects)} {(subjects.Count == 1 ? "is" : "are")} {what}");
    }

    /// <summary>The answer to the GET of / that HSTS is read from; a NotChecked when there is none. Null for STARTTLS targets (no HTTP).</summary>
    static (HttpFacts? Http, RuleCheck? NotChecked) HstsAnswer(GradeFacts f)
    {
        var e = f.Evidence;
        if (e.StartTls != StartTlsProtocol.None) return (null, null);
        if (e.Http == null) return (null, RuleCheck.NotChecked(e.HttpNotMade ?? "no GET of / was made"));
        if (e.Http.StatusCode == null) return (null, RuleCheck.NotChecked($"the GET of / got no response ({e.Http.Problem ?? "no answer"})"));
        return (e.Http, null);
    }

    static RuleCheck? NoHsts(GradeFacts f)
    {
        var (http, notChecked) = HstsAnswer(f);
        if (http == null) return notChecked;
        if (http.StrictTransportSecurity == null) return Seen($"the answer to GET / ({http.StatusCode}) has no Strict-Transport-Security header");
        if (http.HstsProblem != null || http.HstsMaxAge == null)
            return Seen($"Strict-Transport-Security '{http.StrictTransportSecurity}' is invalid: {http.HstsProblem ?? "no max-age"}");
        return http.HstsMaxAge == 0 ? Seen("Strict-Transport-Security max-age=0 disables HSTS") : null;
    }

    static RuleCheck? HstsTooShort(GradeFacts f)
    {
        var (http, _) = HstsAnswer(f);
        if (http?.HstsMaxAge is long age && http.HstsProblem == null && age > 0 && age < LongHstsSeconds)
            return Seen($"HSTS max-age={age} is under {LongHstsSeconds} seconds (6 months)");
        return null;
    }

    /// <summary>HSTS valid for at least 6 months, as A+ requires.</summary>
    public static bool HstsLongEnough(ServerEvidence e) =>
        e.Http?.HstsMaxAge is long age && e.Http.HstsProblem == null && age >= LongHstsSeconds;
}
