using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using TlsTools.Catalog;
using TlsTools.Protocol;

namespace TlsTools.Assessment.Checks;

/// <summary>
/// A ClientHello that differs from one the server accepts in one respect only (an unknown extension, GREASE, its
/// length, a long cipher list, a TLS 1.3 offer), and that accepted one as its control.
/// </summary>
public sealed class HelloVariant
{
    public HelloVariant(ClientHelloOptions tested, ClientHelloOptions control, string difference)
    {
        Tested = tested;
        Control = control;
        Difference = difference;
    }

    public ClientHelloOptions Tested { get; }
    public ClientHelloOptions Control { get; }
    /// <summary>"extension 0x1234 (unassigned)": what the tested hello has that the control has not.</summary>
    public string Difference { get; }
    /// <summary>A verdict from a ServerHello that came (a version lower than the server's best, say); null: tolerant.</summary>
    public Func<ServerHello, CheckOutcome?>? Judge { get; set; }
    /// <summary>Bytes of the tested hello, once built (for the evidence of a length-dependent check).</summary>
    public int? TestedLength { get; set; }
}

/// <summary>
/// The intolerance checks (Group Intolerance): RFC 8446 4.1.2 and RFC 8701 require a server to ignore what it does
/// not know in a ClientHello. Each check sends its variant first; a ServerHello is tolerance (one connection). A
/// refusal (alert, close, reset, no answer) is intolerance only when the same hello without the difference, sent
/// next, is answered with a ServerHello; when that fails too the server refuses this client, not the difference, and
/// the verdict is Inconclusive. Vulnerable means "intolerant".
/// </summary>
public abstract class HelloIntoleranceCheck : ServerCheck
{
    /// <summary>How long one answer may take: a refusing server often just stops (the F5 hang), so a stall is an answer too.</summary>
    static readonly TimeSpan AnswerWait = TimeSpan.FromSeconds(5);

    /// <summary>The variant to send; null with <paramref name="instead"/> set when the check does not apply or cannot be built.</summary>
    protected abstract HelloVariant? Build(CheckContext context, out CheckOutcome? instead);

    public override async Task<CheckOutcome> RunAsync(CheckContext context)
    {
        var variant = Build(context, out var instead);
        if (variant == null) return instead!;
        var tested = ClientHelloBuilder.Build(variant.Tested);
        variant.TestedLength = tested.Length;
        var answer = await AskAsync(context, tested).ConfigureAwait(false);
        if (answer.Failure != null) return CheckOutcome.Inconclusive(answer.Failure);
        if (answer.Hello is ServerHello serverHello)
            return variant.Judge?.Invoke(serverHello)
                ?? CheckOutcome.NotVulnerable($"tolerant: a ClientHello with {variant.Difference} got a {Describe(serverHello)}");
        if (answer.Read!.Silence == SilenceKind.Garbage)
            return CheckOutcome.Inconclusive($"a ClientHello with {variant.Difference} got {answer.Read.Detail}");

        var control = await AskAsync(context, ClientHelloBuilder.Build(variant.Control)).ConfigureAwait(false);
        if (control.Hello == null)
            return CheckOutcome.Inconclusive($"a ClientHello with {variant.Difference} got {answer.Read.Detail}, but the same ClientHello without it got "
                + $"{control.Failure ?? control.Read!.Detail} too: the server refused this client, not the difference");
        return CheckOutcome.Vulnerable($"intolerant: the server refused a ClientHello that differs from an accepted one only by {variant.Difference}: "
            + $"{answer.Read.Detail} (the same ClientHello without it got a {Describe(control.Hello)})");
    }

    /// <summary>"TLS 1.2 ServerHello (TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256)".</summary>
    protected static string Describe(ServerHello hello) =>
        $"{ProtocolVersions.DisplayNameOfWire(hello.VersionCode)} {(hello.IsHelloRetryRequest ? "HelloRetryRequest" : "ServerHello")} ({CipherSuiteCatalog.NameOf(hello.CipherSuite)})";

    /// <summary>
    /// The ClientHello the scan's evidence says the server accepts: its best version (TLS 1.3 with its best older one,
    /// as clients offer them) and the suites it accepted with them (at most <paramref name="suitesPerVersion"/> each).
    /// Null when the scan saw no version accepted.
    /// </summary>
    protected static ClientHelloOptions? Accepted(CheckContext context, int suitesPerVersion = int.MaxValue)
    {
        var versions = new[] { TlsProtocol.Tls13, context.BestLegacyVersion }.Where(v => v != TlsProtocol.None && context.Evidence.Accepts(v)).ToList();
        if (versions.Count == 0) return null;
        return new ClientHelloOptions
        {
            Versions = versions.Aggregate(TlsProtocol.None, (all, v) => all | v),
            CipherSuites = versions.SelectMany(v => context.AcceptedSuites(v).Take(suitesPerVersion)).Distinct().ToList(),
            ServerName = context.ServerName,
        };
    }

    /// <summary>A copy of <paramref name="options"/> that <paramref name="change"/> then alters.</summary>
    protected static ClientHelloOptions Copy(ClientHelloOptions options, Action<ClientHelloOptions>? change = null)
    {
        var copy = new ClientHelloOptions
        {
            Versions = options.Versions,
            CipherSuites = options.CipherSuites.ToList(),
            NamedGroups = options.NamedGroups.ToList(),
            SignatureSchemes = options.SignatureSchemes.ToList(),
            ServerName = options.ServerName,
            AlpnProtocols = options.AlpnProtocols.ToList(),
            ExtraExtensions = options.ExtraExtensions.ToList(),
            PadAwkwardLengths = options.PadAwkwardLengths,
            Grease = options.Grease,
        };
        change?.Invoke(copy);
        return copy;
    }

    /// <summary>The Inconclusive outcome for a server the scan saw accept nothing.</summary>
    protected static CheckOutcome NothingAccepted() => CheckOutcome.Inconclusive("the scan saw no protocol version accepted: there is no accepted ClientHello to vary");

    /// <summary>
    /// Assigned IANA cipher suites outside <paramref name="exclude"/>, by code (no signalling values, no GREASE): what
    /// a long, honest cipher list is filled with. A server ignores the suites it does not support (RFC 5246 7.4.1.2).
    /// </summary>
    protected static IEnumerable<ushort> FillerSuites(IEnumerable<ushort> exclude)
    {
        var skip = new HashSet<ushort>(exclude);
        return CipherSuiteCatalog.All
            .Where(s => !skip.Contains(s.Code) && !ClientHello.IsGrease(s.Code) && s.Name.IndexOf("SCSV", StringComparison.OrdinalIgnoreCase) < 0)
            .Select(s => s.Code).Distinct().OrderBy(c => c);
    }

    sealed class Answer
    {
        public CheckRead? Read;
        public ServerHello? Hello;
        public string? Failure;
    }

    /// <summary>One connection, one ClientHello, the first message back.</summary>
    static async Task<Answer> AskAsync(CheckContext context, byte[] hello)
    {
        using var exchange = await HelloAnswer.SendAsync(context, hello, AnswerWait).ConfigureAwait(false);
        if (exchange.ConnectFailure != null) return new Answer { Failure = exchange.ConnectFailure };
        return exchange.ParseError != null
            ? new Answer { Read = CheckRead.None(SilenceKind.Garbage, "a ServerHello that does not parse: " + exchange.ParseError) }
            : new Answer { Read = exchange.First, Hello = exchange.ServerHello };
    }
}
