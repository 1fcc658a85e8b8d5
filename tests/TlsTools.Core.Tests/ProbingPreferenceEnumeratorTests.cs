using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using TlsTools;
using TlsTools.Probing;
using Xunit;

namespace TlsTools.Core.Tests;

/// <summary>
/// The enumeration logic against simulated servers: which codes, which order, and exactly how many
/// connections each server behaviour costs.
/// </summary>
public class ProbingPreferenceEnumeratorTests
{
    private static readonly ushort[] Candidates = { 1, 2, 3, 4, 5, 6 };

    /// <summary>A server that accepts some codes and picks by its own preference list, or by the client's order.</summary>
    private sealed class SimulatedServer
    {
        private readonly ushort[] _accepted;
        private readonly bool _clientOrder;
        public SimulatedServer(bool clientOrder, params ushort[] acceptedInPreferenceOrder) { _clientOrder = clientOrder; _accepted = acceptedInPreferenceOrder; }
        public List<IReadOnlyList<ushort>> Offers { get; } = new List<IReadOnlyList<ushort>>();

        public Task<OfferAnswer> Ask(IReadOnlyList<ushort> offer, CancellationToken ct)
        {
            Offers.Add(offer.ToList());
            var pick = _clientOrder ? offer.Where(_accepted.Contains).Cast<ushort?>().FirstOrDefault()
                                    : _accepted.Where(offer.Contains).Cast<ushort?>().FirstOrDefault();
            return Task.FromResult(pick.HasValue ? OfferAnswer.Accepted(pick.Value) : OfferAnswer.Refused("alert handshake_failure (40)", clean: true));
        }
    }

    [Fact]
    public async Task ServerOrder_IsProvenByTheAlternatingOffers_WithoutAnExtraConnection()
    {
        var server = new SimulatedServer(false, 5, 2, 4);
        var list = await PreferenceEnumerator.EnumerateAsync(Candidates, server.Ask, CancellationToken.None);

        Assert.Equal(new ushort[] { 5, 2, 4 }, list.Accepted);
        Assert.Equal(PreferenceSource.Server, list.Order);
        Assert.True(list.Complete);
        Assert.Equal(4, list.Connections);   // 3 picks + 1 refusal: one connection per accepted code, plus one
        Assert.Equal(new ushort[] { 6, 4, 3, 2, 1 }, server.Offers[1]);   // the second offer is reversed
    }

    [Fact]
    public async Task ClientOrder_NeedsOneCheck_AndListsTheCodesInCandidateOrder()
    {
        var server = new SimulatedServer(true, 2, 4, 5);
        var list = await PreferenceEnumerator.EnumerateAsync(Candidates, server.Ask, CancellationToken.None);

        Assert.Equal(new ushort[] { 2, 4, 5 }, list.Accepted);
        Assert.Equal(PreferenceSource.Client, list.Order);
        Assert.Equal(5, list.Connections);   // picks 2, 5, 4; refusal; check
        Assert.Equal(new ushort[] { 4, 5, 2 }, server.Offers.Last());   // the picks re-offered reversed
    }

    [Fact]
    public async Task ServerOrderThatLooksLikeClientOrder_IsToldApartByTheCheck()
    {
        // Server preference 2, 5, 4 is exactly what a client-order server would pick from the alternating offers.
        var server = new SimulatedServer(false, 2, 5, 4);
        var list = await PreferenceEnumerator.EnumerateAsync(Candidates, server.Ask, CancellationToken.None);

        Assert.Equal(new ushort[] { 2, 5, 4 }, list.Accepted);
        Assert.Equal(PreferenceSource.Server, list.Order);
        Assert.Equal(5, list.Connections);
    }

    [Fact]
    public async Task OneCode_HasNoOrder_AndCostsTwoConnections()
    {
        var list = await PreferenceEnumerator.EnumerateAsync(Candidates, new SimulatedServer(false, 3).Ask, CancellationToken.None);
        Assert.Equal(new ushort[] { 3 }, list.Accepted);
        Assert.Equal(PreferenceSource.Undetermined, list.Order);
        Assert.Equal(2, list.Connections);
    }

    [Fact]
    public async Task EverythingAccepted_EndsWithoutARefusal()
    {
        var list = await PreferenceEnumerator.EnumerateAsync(new ushort[] { 1, 2 }, new SimulatedServer(false, 2, 1).Ask, CancellationToken.None);
        Assert.Equal(new ushort[] { 2, 1 }, list.Accepted);
        Assert.True(list.Complete);
        Assert.Equal(PreferenceSource.Server, list.Order);
        Assert.Equal(2, list.Connections);
    }

    [Fact]
    public async Task AFirstAnswerFromElsewhere_IsNotAskedAgain()
    {
        var server = new SimulatedServer(false, 5, 2, 4);
        var first = await server.Ask(Candidates, CancellationToken.None);
        var list = await PreferenceEnumerator.EnumerateAsync(Candidates, server.Ask, CancellationToken.None, first);
        Assert.Equal(new ushort[] { 5, 2, 4 }, list.Accepted);
        Assert.Equal(3, list.Connections);
        Assert.Equal(4, server.Offers.Count);
    }

    [Fact]
    public async Task AServerChoosingWhatWasNotOffered_StopsTheEnumeration_AsIncomplete()
    {
        int calls = 0;
        AskServer hostile = (offer, ct) => Task.FromResult(++calls == 1 ? OfferAnswer.Accepted(3) : OfferAnswer.Accepted(3));
        var list = await PreferenceEnumerator.EnumerateAsync(Candidates, hostile, CancellationToken.None);
        Assert.Equal(new ushort[] { 3 }, list.Accepted);
        Assert.False(list.Complete);
        Assert.Equal("the server chose 0x0003, which was not offered", list.Stop);
        Assert.Equal(2, list.Connections);
    }

    [Fact]
    public async Task ATimeoutMidway_KeepsWhatWasFound_AndClaimsNoOrder()
    {
        int calls = 0;
        AskServer flaky = (offer, ct) => Task.FromResult(++calls <= 2 ? OfferAnswer.Accepted(offer[0]) : OfferAnswer.Refused("no answer within 5 s", clean: false));
        var list = await PreferenceEnumerator.EnumerateAsync(Candidates, flaky, CancellationToken.None);
        Assert.Equal(new ushort[] { 1, 6 }, list.Accepted);
        Assert.False(list.Complete);
        Assert.Equal(PreferenceSource.Undetermined, list.Order);
        Assert.Equal(3, list.Connections);
    }

    [Fact]
    public void ClientOrderPicks_AlternateFirstAndLast()
    {
        Assert.Equal(new ushort[] { 1, 6, 2, 5, 3 }, PreferenceEnumerator.ClientOrderPicks(Candidates, new ushort[] { 6, 5, 3, 2, 1 }));
    }

    [Fact]
    public void SslV2AndHostileAnswers_AreClassifiedAsRefusals()
    {
        var timeout = ServerProbes.AnswerFor(TlsProtocol.Tls12, HelloOutcome.Failed(HelloOutcomeKind.Timeout, "no answer within 1 s"), h => h.CipherSuite);
        Assert.Null(timeout.Chosen);
        Assert.False(timeout.CleanRefusal);
        var closed = ServerProbes.AnswerFor(TlsProtocol.Tls12, HelloOutcome.Failed(HelloOutcomeKind.Closed, "connection closed"), h => h.CipherSuite);
        Assert.True(closed.CleanRefusal);
        var garbage = ServerProbes.AnswerFor(TlsProtocol.Tls12, HelloOutcome.Failed(HelloOutcomeKind.NotTls, "not a TLS answer"), h => h.CipherSuite);
        Assert.False(garbage.CleanRefusal);
    }
}
