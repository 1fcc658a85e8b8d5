using System;
using System.Collections.Generic;
using System.Linq;

namespace TlsTools.Assessment.Grading;

/// <summary>
/// The SSL Labs SSL Server Rating Guide, version 2009r, over the evidence alone (no connection of its own):
///  1. the score: 30 % protocol support + 30 % key exchange + 40 % cipher strength, protocol and cipher each the
///     average of the best and the worst accepted, key exchange the weakest (<see cref="ScoreTables"/>); a zero in
///     any category makes the score zero; the letter from the score;
///  2. every cap and warning of the rule table (grade-rules.tsv), each with what was seen, or under NotChecked
///     when its evidence was not gathered; the grade is the worst of the score's letter and the caps;
///  3. A+ for an A with no cap or warning at all and HSTS of at least 6 months; T (not trusted) and M (name
///     mismatch) replace the letter, which their cap's reason still gives ("ignoring trust, the grade is B").
/// Scores are whole percentages, rounded down, so a score never rounds up into a better letter.
/// </summary>
public static class SslLabsGrader
{
    static readonly HashSet<string> TrustLetters = new HashSet<string> { "T", "M" };

    public static GradeOutcome Grade(ServerEvidence evidence)
    {
        var facts = new GradeFacts(evidence);
        if (facts.Suites.Count == 0)
            return new GradeOutcome { NotChecked = new[] { "the grade: no version and suite was accepted" } };

        var caps = new List<GradeCap>();
        var notChecked = new List<(string Rule, string Why)>();
        foreach (var rule in GradeRuleTable.All)
        {
            var check = GradeRuleChecks.ByRule[rule.Name](facts);
            if (check == null) continue;
            if (check.Applies) caps.Add(new GradeCap { Rule = rule.Name, Cap = rule.Cap, Reason = check.Text, Source = rule.Source });
            else notChecked.Add((rule.Name, check.Text));
        }

        int protocol = ProtocolScore(facts);
        int cipher = CipherScore(facts);
        int? keyExchange = KeyExchangeScore(facts);
        var outcome = new GradeOutcome
        {
            ProtocolScore = protocol,
            CipherScore = cipher,
            KeyExchangeScore = keyExchange,
            Caps = caps,
        };
        var configurationCaps = caps.Where(c => !TrustLetters.Contains(c.Cap)).ToList();
        if (keyExchange == null)
        {
            // No server key and no parameters seen (no chain from the full handshake, static RSA only): no score. An F
            // cap still decides the grade, as no score can lift it; anything else would be a guess.
            notChecked.Insert(0, ("Score", "the key exchange's strength is unknown: no server key or key-exchange parameters were seen"));
            outcome.NotChecked = Join(notChecked);
            if (configurationCaps.Any(c => c.Cap == "F")) outcome.Grade = outcome.GradeIgnoringTrust = "F";
            return outcome;
        }

        int score = protocol == 0 || keyExchange == 0 || cipher == 0 ? 0
            : (ScoreTables.ProtocolWeight * protocol + ScoreTables.KeyExchangeWeight * keyExchange.Value + ScoreTables.CipherWeight * cipher) / 100;
        var letter = Worst(new[] { ScoreTables.Letter(score) }.Concat(configurationCaps.Select(c => c.Cap)));
        if (letter == "A" && configurationCaps.Count == 0 && GradeRuleChecks.HstsLongEnough(evidence)) letter = "A+";

        var trustCaps = caps.Where(c => TrustLetters.Contains(c.Cap)).ToList();
        foreach (var cap in trustCaps) cap.Reason += $" (ignoring trust, the grade is {letter})";
        outcome.Score = score;
        outcome.GradeIgnoringTrust = letter;
        outcome.Grade = trustCaps.Count == 0 ? letter : Worst(trustCaps.Select(c => c.Cap));
        outcome.NotChecked = Join(notChecked);
        return outcome;
    }

    /// <summary>(best + worst) / 2 of the accepted versions' scores ("Protocol Support").</summary>
    static int ProtocolScore(GradeFacts facts)
    {
        var scores = facts.Evidence.Protocols.Where(p => p.Supported == true).Select(p => ScoreTables.ProtocolScore(p.Protocol)).ToList();
        if (scores.Count == 0) scores = facts.Suites.Select(s => ScoreTables.ProtocolScore(s.Protocol)).ToList();
        return (scores.Max() + scores.Min()) / 2;
    }

    /// <summary>(strongest + weakest) / 2 of the accepted suites' cipher scores ("Cipher Strength").</summary>
    static int CipherScore(GradeFacts facts) =>
        (ScoreTables.CipherScore(facts.Suites.Max(s => s.Bits)) + ScoreTables.CipherScore(facts.Suites.Min(s => s.Bits))) / 2;

    /// <summary>The weakest accepted suite's key exchange ("Key Exchange"): anonymous 0 %, else by its strength in bits.</summary>
    static int? KeyExchangeScore(GradeFacts facts)
    {
        var scores = facts.Suites
            .Select(s => s.Anonymous ? ScoreTables.AnonymousKeyExchangeScore
                : facts.KeyExchangeBits(s) is int bits ? ScoreTables.KeyExchangeScore(bits) : (int?)null)
            .Where(s => s.HasValue).Select(s => s!.Value).ToList();
        return scores.Count == 0 ? (int?)null : scores.Min();
    }

    /// <summary>The worst of some letters on the scale.</summary>
    static string Worst(IEnumerable<string> letters) => letters.OrderByDescending(GradeScale.Rank).First();

    /// <summary>Rules that were not checked for the same reason share one entry: "Heartbleed, Robot: why".</summary>
    static IReadOnlyList<string> Join(IEnumerable<(string Rule, string Why)> notChecked) =>
        notChecked.GroupBy(n => n.Why).Select(g => $"{string.Join(", ", g.Select(n => n.Rule))}: {g.Key}").ToList();
}
