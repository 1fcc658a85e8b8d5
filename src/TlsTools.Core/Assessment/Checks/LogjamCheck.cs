using System.Linq;
using System.Threading.Tasks;
using TlsTools.Catalog;
using TlsTools.Protocol;
using static TlsTools.Assessment.Checks.ScanSuites;

namespace TlsTools.Assessment.Checks;

/// <summary>
/// Logjam (CVE-2015-4000; Adrian et al., "Imperfect Forward Secrecy", 2015). From the scan: DHE export suites accepted
/// (a man in the middle forces 512-bit DH), or a DHE prime under 1024 bits, is Vulnerable without a connection; no DHE
/// suite at all is NotApplicable. Otherwise the scan kept only the prime's size, so one connection offers the DHE suites
/// the scan saw accepted and reads the ServerKeyExchange's dh_p: a well-known prime (Data/dh-primes.tsv: RFC 2409,
/// 3526, 5114, 7919 and old software defaults) under 2048 bits is Vulnerable, because one number-field-sieve
/// precomputation for it breaks every server that shares it; a well-known prime of 2048 bits or more, or a prime of
/// the server's own, is NotVulnerable (a 1024-bit prime of its own is still weak: the WeakDhParameters finding says so).
/// The hello offers no ffdhe group (RFC 7919), so the server shows the prime it gives clients that know none.
/// </summary>
public sealed class LogjamCheck : ServerCheck
{
    const int PrecomputationSafeBits = KeyExchangeStrength.MinimumDhBits;

    public override string Name => "Logjam";

    public override async Task<CheckOutcome> RunAsync(CheckContext context)
    {
        var dhe = Of(context).Where(s => IsDhe(s) && IsSsl3ToTls12(s)).ToList();
        var export = dhe.Where(s => s.Export).ToList();
        if (export.Count > 0)
            return CheckOutcome.Vulnerable($"{FromScan}DHE export suites are accepted: {Describe(export)}; a man in the middle can force 512-bit DH (Logjam)");
        var small = dhe.Where(s => s.Row.DhBits < KeyExchangeStrength.InsecureBelowDhBits).ToList();
        if (small.Count > 0)
            return CheckOutcome.Vulnerable($"{FromScan}DHE suites are accepted with a prime under {KeyExchangeStrength.InsecureBelowDhBits} bits: "
                + Grading.GradeFacts.List(small.Select(s => $"{s.Name} ({s.Row.DhBits} bits)")) + " (Logjam)");
        if (dhe.Count == 0)
        {
            if (context.Evidence.ScanProblem is string problem)
                return CheckOutcome.Inconclusive($"{FromScan}no DHE suite is accepted, but the enumeration was incomplete ({problem})");
            return CheckOutcome.NotApplicable(FromScan + "no DHE suite is accepted (Logjam needs finite-field DHE; ECDHE is not affected)");
        }
        var version = dhe.Select(s => s.Protocol).Max();
        var codes = context.AcceptedSuites(version).Where(c => CipherSuiteCatalog.ServerKeyExchangeOf(c) == ServerKeyExchangeKind.Dhe).ToList();
        return await ReadPrimeAsync(context, version, codes).ConfigureAwait(false);
    }

    static async Task<CheckOutcome> ReadPrimeAsync(CheckContext context, TlsProtocol version, System.Collections.Generic.IList<ushort> suites)
    {
        var versionName = ProtocolVersions.DisplayName(version);
        var offered = $"a {versionName} ClientHello offering the {suites.Count} DHE suite{(suites.Count == 1 ? "" : "s")} the scan saw accepted";
        using var exchange = await HelloAnswer.SendAsync(context, new ClientHelloOptions
        {
            Versions = version,
            CipherSuites = suites,
            ServerName = context.ServerName,
            NamedGroups = ClientHelloBuilder.DefaultGroups.Where(g => KeyExchangeStrength.FiniteFieldBits(g) == null).ToList(),
        }).ConfigureAwait(false);
        if (exchange.ServerHello is not ServerHello serverHello) return CheckOutcome.Inconclusive(exchange.Failure(offered)!);
        var connection = exchange.Connection!;
        var suite = CipherSuiteCatalog.NameOf(serverHello.CipherSuite);
        if (CipherSuiteCatalog.ServerKeyExchangeOf(serverHello.CipherSuite) != ServerKeyExchangeKind.Dhe)
            return CheckOutcome.Inconclusive($"{offered} got a ServerHello choosing {suite}, which was not offered");
        var read = await connection.ReadUntilAsync(r => r.IsAlert || r.IsHandshake(TlsHandshakeType.ServerKeyExchange) || r.IsHandshake(TlsHandshakeType.ServerHelloDone), ServerFlight.MaxMessages).ConfigureAwait(false);
        if (!read.IsHandshake(TlsHandshakeType.ServerKeyExchange))
            return CheckOutcome.Inconclusive($"the ServerHello chose {suite}, then the server sent {read.Detail}, no ServerKeyExchange");
        ServerKeyExchange keyExchange;
        try { keyExchange = ServerKeyExchange.Parse(read.Message!.Body, ServerKeyExchangeKind.Dhe, serverHello.Version); }
        catch (TlsParseException e) { return CheckOutcome.Inconclusive($"the ServerKeyExchange for {suite} is malformed: {e.Message}"); }
        return Judge(keyExchange, $"the {ProtocolVersions.DisplayName(serverHello.Version)} ServerKeyExchange for {suite}");
    }

    static CheckOutcome Judge(ServerKeyExchange keyExchange, string message)
    {
        int bits = keyExchange.DhPrimeBits;
        var known = WellKnownDhPrimes.Find(keyExchange.DhPrime!);
        if (known != null && bits < PrecomputationSafeBits)
            return CheckOutcome.Vulnerable($"{message} carries the {bits}-bit prime {known.Name} ({known.Source}): a well-known prime under {PrecomputationSafeBits} bits, "
                + "which one precomputation breaks for every server that uses it (Logjam)");
        if (known != null)
            return CheckOutcome.NotVulnerable($"{message} carries the {bits}-bit prime {known.Name} ({known.Source}): well known, but {PrecomputationSafeBits} bits or more is beyond precomputation");
        if (bits < KeyExchangeStrength.InsecureBelowDhBits)
            return CheckOutcome.Vulnerable($"{message} carries a {bits}-bit prime: under {KeyExchangeStrength.InsecureBelowDhBits} bits it can be broken outright (Logjam)");
        return CheckOutcome.NotVulnerable($"{message} carries a {bits}-bit prime that is none of the {WellKnownDhPrimes.All.Count} well-known primes"
            + (bits < PrecomputationSafeBits ? $"; under {PrecomputationSafeBits} bits it is still weak" : ""));
    }
}
