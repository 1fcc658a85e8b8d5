using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace TlsTools.Probing;

/// <summary>The server's answer to one offer: the code it chose, or why it chose none.</summary>
internal sealed class OfferAnswer
{
    private OfferAnswer(ushort? chosen, string? refusal, bool clean, object? evidence)
    { Chosen = chosen; Refusal = refusal; CleanRefusal = clean; Evidence = evidence; }

    public ushort? Chosen { get; }
    /// <summary>Why nothing was chosen: "alert handshake_failure (40)", "server answered TLS 1.0", "no answer within 5 s".</summary>
    public string? Refusal { get; }
    /// <summary>The server said no (alert, close): the offer held nothing it accepts. False for timeouts and garbage.</summary>
    public bool CleanRefusal { get; }
    /// <summary>What the probe saw (a HelloOutcome), kept for the result rows.</summary>
    public object? Evidence { get; }

    public static OfferAnswer Accepted(ushort chosen, object? evidence = null) => new OfferAnswer(chosen, null, true, evidence);
    public static OfferAnswer Refused(string why, bool clean, object? evidence = null) => new OfferAnswer(null, why, clean, evidence);
}

/// <summary>Asks the server to choose from <paramref name="offer"/>, in that order, over one new connection.</summary>
internal delegate Task<OfferAnswer> AskServer(IReadOnlyList<ushort> offer, CancellationToken ct);

/// <summary>What the server accepts from a candidate list, in its order, and whose order that is.</summary>
internal sealed class PreferenceList
{
    public PreferenceList(IReadOnlyList<ushort> accepted, PreferenceSource order, bool complete, string? stop,
        IReadOnlyDictionary<ushort, object?> evidence, int connections)
    { Accepted = accepted; Order = order; Complete = complete; Stop = stop; Evidence = evidence; Connections = connections; }

    /// <summary>Server order when <see cref="Order"/> is Server; otherwise the candidates' (catalog) order.</summary>
    public IReadOnlyList<ushort> Accepted { get; }
    public PreferenceSource Order { get; }
    /// <summary>The server refused the rest cleanly, so <see cref="Accepted"/> is everything it accepts.</summary>
    public bool Complete { get; }
    /// <summary>The answer that ended the enumeration (a refusal, or the anomaly that broke it off).</summary>
    public string? Stop { get; }
    /// <summary>The probe answer that revealed each accepted code.</summary>
    public IReadOnlyDictionary<ushort, object?> Evidence { get; }
    public int Connections { get; }
}

/// <summary>
/// Finds every code (cipher suite or group) a server accepts from a candidate list, and the server's order,
/// with as few connections as the question allows:
///
/// 1. Offer every remaining candidate; the server picks one; drop it; repeat until the server refuses.
///    N accepted codes cost N + 1 connections, and the picks come out in the server's preference order if it
///    has one. Nothing cheaper is possible: each connection reveals at most one code.
/// 2. The offers alternate between candidate order and reversed order. A server that follows the client's
///    order would then pick first, last, first, ... of what is left; any other sequence proves the server
///    uses its own order, at no extra cost.
/// 3. Only when the picks match that client-order pattern is one more connection needed: re-offer the
///    accepted set reversed. A server-order server picks its favourite again, a client-order one our first.
/// </summary>
internal static class PreferenceEnumerator
{
    public static async Task<PreferenceList> EnumerateAsync(IReadOnlyList<ushort> candidates, AskServer ask, CancellationToken ct,
        OfferAnswer? firstAnswer = null)
    {
        var remaining = candidates.Distinct().ToList();
        var picks = new List<ushort>();
        var evidence = new Dictionary<ushort, object?>();
        int connections = 0;
        string? stop = null;
        bool complete = false;

        while (remaining.Count > 0)
        {
            bool reversed = picks.Count % 2 == 1;
            OfferAnswer answer;
            if (picks.Count == 0 && firstAnswer != null) answer = firstAnswer;   // the caller already asked with the full list
            else
            {
                answer = await ask(reversed ? Reverse(remaining) : remaining, ct).ConfigureAwait(false);
                connections++;
            }
            if (answer.Chosen == null)
            {
                stop = answer.Refusal;
                complete = answer.CleanRefusal;
                break;
            }
            ushort chosen = answer.Chosen.Value;
            if (!remaining.Contains(chosen))
            {
                stop = $"the server chose 0x{chosen:X4}, which was not offered";
                break;
            }
            picks.Add(chosen);
            evidence[chosen] = answer.Evidence;
            remaining.Remove(chosen);
        }
        if (remaining.Count == 0) complete = true;

        var (order, checkConnections) = await DecideOrderAsync(candidates, picks, stop == null || complete, ask, ct).ConfigureAwait(false);
        connections += checkConnections;
        var accepted = order == PreferenceSource.Server ? picks : candidates.Where(picks.Contains).ToList();
        return new PreferenceList(accepted, order, complete, stop, evidence, connections);
    }

    private static async Task<(PreferenceSource, int)> DecideOrderAsync(IReadOnlyList<ushort> candidates, List<ushort> picks, bool trustworthy,
        AskServer ask, CancellationToken ct)
    {
        if (picks.Count < 2 || !trustworthy) return (PreferenceSource.Undetermined, 0);
        if (!picks.SequenceEqual(ClientOrderPicks(candidates, picks))) return (PreferenceSource.Server, 0);

        var check = await ask(Reverse(picks), ct).ConfigureAwait(false);
        if (check.Chosen == picks[0]) return (PreferenceSource.Server, 1);
        if (check.Chosen == picks[picks.Count - 1]) return (PreferenceSource.Client, 1);
        return (check.Chosen == null ? PreferenceSource.Undetermined : PreferenceSource.Mixed, 1);
    }

    /// <summary>
    /// The picks a client-order server would make from the alternating offers: with the accepted codes in
    /// candidate order, the first, then the last of the rest, then the first of the rest...
    /// </summary>
    internal static List<ushort> ClientOrderPicks(IReadOnlyList<ushort> candidates, IReadOnlyCollection<ushort> accepted)
    {
        var left = candidates.Where(accepted.Contains).Distinct().ToList();
        var picks = new List<ushort>(left.Count);
        while (left.Count > 0)
        {
            int index = picks.Count % 2 == 0 ? 0 : left.Count - 1;
            picks.Add(left[index]);
            left.RemoveAt(index);
        }
        return picks;
    }

    private static List<ushort> Reverse(IEnumerable<ushort> codes)
    {
        var list = codes.ToList();
        list.Reverse();
        return list;
    }
}
