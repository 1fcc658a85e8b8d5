using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using TlsTools.Certificates;
using TlsTools.Handshake;
using TlsTools.Net;

namespace TlsTools.Diagnosis;

/// <summary>One of the three handshakes: the name sent (null: no SNI) and what came back.</summary>
public sealed class ServerNameAttempt
{
    public string? SentName { get; set; }
    public bool Completed { get; set; }
    /// <summary>The certificate served; null when none was.</summary>
    public X509Certificate2? Leaf { get; set; }
    /// <summary>How it failed, for the sentence: the alert, or the verdict's category; null when it completed.</summary>
    public string? Failure { get; set; }

    internal bool SameLeafAs(ServerNameAttempt? other) =>
        Leaf != null && other?.Leaf != null && string.Equals(Leaf.Thumbprint, other.Leaf.Thumbprint, StringComparison.OrdinalIgnoreCase);

    internal string Describe() => Completed
        ? $"{Leaf?.Subject ?? "no certificate"}"
        : $"refused ({Failure})";

    internal string Label => SentName == null ? "without SNI" : $"with SNI '{SentName}'";
}

/// <summary>The three handshakes and what they say about the server's SNI handling.</summary>
public sealed class ServerNameReport
{
    /// <summary>The name compared; null when there is none (an IP address without -ServerName), and then no handshake was made.</summary>
    public string? ExpectedName { get; set; }
    /// <summary>The three handshakes; null when there was no name to compare.</summary>
    public ServerNameAttempt? WithName { get; set; }
    public ServerNameAttempt? WithoutName { get; set; }
    public ServerNameAttempt? WrongName { get; set; }
    public ServerNameBehavior Behavior { get; set; }
    /// <summary>One sentence with the three outcomes.</summary>
    public string Summary { get; set; } = "";

    /// <summary>The server chooses its certificate (or refuses) by the SNI name: the evidence for SniRouting.</summary>
    public bool RoutesByName => Behavior == ServerNameBehavior.Required || Behavior == ServerNameBehavior.DefaultCertificateDiffers
        || Behavior == ServerNameBehavior.UnknownNameRejected;

    /// <summary>The handshake with the expected name presents a certificate valid for it.</summary>
    public bool NameGetsRightCertificate => WithName?.Completed == true && WithName.Leaf != null && ExpectedName != null && HostNameMatcher.Matches(WithName.Leaf, ExpectedName);
}

/// <summary>
/// -CompareServerName: the handshake with the expected name, without SNI and with a name no server has
/// (RFC 6761 .invalid), all at once; then the behaviour is read from a table of outcomes, and a wrong
/// certificate the comparison explains is renamed SniRouting.
/// </summary>
public static class ServerNameComparer
{
    public const string WrongName = "tlstools-sni-check.invalid";

    /// <summary>The name to compare: -ServerName (sent or not), else the host name; null for an IP address without one.</summary>
    public static string? ExpectedName(TargetEndpoint target, ConnectionOptions options) =>
        !string.IsNullOrEmpty(options.ServerName) ? options.ServerName : target.IsIpLiteral ? null : target.Host.TrimEnd('.');

    /// <summary>
    /// The name the certificate must match: the name compared (-ServerName, sent or not, else the host name), and
    /// for an IP address without -ServerName the address itself.
    /// </summary>
    public static string NameToVerify(TargetEndpoint target, ConnectionOptions options) => ExpectedName(target, options) ?? target.Host;

    public static async Task<ServerNameReport> CompareAsync(TargetEndpoint target, ConnectionOptions options, ClientProfile profile,
        string? expectedName, TimeSpan timeout, CancellationToken cancel)
    {
        var report = new ServerNameReport { ExpectedName = expectedName };
        if (expectedName == null)
        {
            report.Behavior = ServerNameBehavior.Inconclusive;
            report.Summary = "No name to compare: the target is an IP address and no -ServerName was given.";
            return report;
        }
        var with = AttemptAsync(target, options, profile, expectedName, timeout, cancel);
        var without = AttemptAsync(target, options, profile, null, timeout, cancel);
        var wrong = AttemptAsync(target, options, profile, WrongName, timeout, cancel);
        await Task.WhenAll(with, without, wrong).ConfigureAwait(false);
        report.WithName = with.Result;
        report.WithoutName = without.Result;
        report.WrongName = wrong.Result;
        report.Behavior = Classify(report);
        report.Summary = Summarize(expectedName, with.Result, without.Result, wrong.Result, report.Behavior);
        return report;
    }

    /// <summary>First matching row wins; the order is the precedence.</summary>
    static readonly (Func<ServerNameAttempt, ServerNameAttempt, ServerNameAttempt, bool> When, ServerNameBehavior Behavior)[] Behaviors =
    {
        ((with, without, wrong) => !with.Completed, ServerNameBehavior.Inconclusive),
        ((with, without, wrong) => !without.Completed, ServerNameBehavior.Required),
        ((with, without, wrong) => !without.SameLeafAs(with), ServerNameBehavior.DefaultCertificateDiffers),
        ((with, without, wrong) => !wrong.Completed, ServerNameBehavior.UnknownNameRejected),
        ((with, without, wrong) => wrong.SameLeafAs(with), ServerNameBehavior.Ignored),
        ((with, without, wrong) => true, ServerNameBehavior.DefaultCertificateDiffers),
    };

    /// <summary>The behaviour the three handshakes show; Inconclusive when they were not made.</summary>
    internal static ServerNameBehavior Classify(ServerNameReport report) =>
        report is { WithName: { } with, WithoutName: { } without, WrongName: { } wrong }
            ? Behaviors.First(b => b.When(with, without, wrong)).Behavior
            : ServerNameBehavior.Inconclusive;

    static readonly Dictionary<ServerNameBehavior, string> Meanings = new Dictionary<ServerNameBehavior, string>
    {
        [ServerNameBehavior.Required] = "the server requires SNI",
        [ServerNameBehavior.DefaultCertificateDiffers] = "the server chooses its certificate by SNI and has a different default certificate",
        [ServerNameBehavior.UnknownNameRejected] = "the server presents one certificate but refuses names it does not know",
        [ServerNameBehavior.Ignored] = "the server ignores SNI (one certificate for every name)",
        [ServerNameBehavior.Inconclusive] = "nothing can be concluded while the handshake with the name fails",
    };

    static string Summarize(string expectedName, ServerNameAttempt with, ServerNameAttempt without, ServerNameAttempt wrong, ServerNameBehavior behavior) =>
        $"With SNI '{expectedName}': {with.Describe()}; without SNI: {without.Describe()}; with the unknown name '{WrongName}': {wrong.Describe()}. So {Meanings[behavior]}.";

    /// <summary>
    /// A NameMismatch the comparison explains: the server routes by SNI and the certificate depends on the name
    /// sent (or not sent). Null when it does not (a server that ignores SNI just has the wrong certificate).
    /// </summary>
    public static Verdict? ExplainMismatch(Verdict verdict, string? sentName, X509Certificate2? presented, ServerNameReport? report)
    {
        if (verdict.Category != FailureCategory.NameMismatch || report == null || !report.RoutesByName) return null;
        string presentedSubject = presented?.Subject ?? "a certificate";
        if (sentName == null && report.NameGetsRightCertificate)
            return new Verdict(FailureCategory.SniRouting,
                $"No SNI was sent, so the server presented its default certificate ({presentedSubject}); with SNI '{report.ExpectedName}' it presents the right one ({report.WithName?.Leaf?.Subject}). The client must send SNI.", rule: DiagnosisRules.NoSniGetsDefaultCertificate);
        if (sentName != null)
            return new Verdict(FailureCategory.SniRouting,
                $"The server routes by SNI, but for '{sentName}' it presents {presentedSubject}, which is not valid for the name " +
                (report.WithoutName is { Completed: true } without && without.SameLeafAs(report.WithName)
                    ? "and is its default certificate (the one it presents without SNI): it has no certificate binding for this name."
                    : $"(without SNI: {report.WithoutName?.Describe()}): its SNI configuration maps this name to the wrong certificate."), rule: DiagnosisRules.SniMapsToWrongCertificate);
        return null;
    }

    static async Task<ServerNameAttempt> AttemptAsync(TargetEndpoint target, ConnectionOptions options, ClientProfile profile, string? sni,
        TimeSpan timeout, CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        var attempt = new ServerNameAttempt { SentName = sni };
        var connected = await TransportConnector.ConnectAsync(target, options, timeout, cancel).ConfigureAwait(false);
        if (connected.Error != TransportError.None || !(connected.Socket is { } socket))
        {
            attempt.Failure = connected.Error.ToString();
            return attempt;
        }
        HandshakeObservation o;
        using (socket)
            o = await ManagedHandshakeEngine.RunAsync(socket, profile, sni, timeout - clock.Elapsed, cancel, new TranscriptRecorder(clock, null, ""))
                .ConfigureAwait(false);
        attempt.Leaf = o.ServedChain.FirstOrDefault();
        // A chain was served: the server chose its certificate, which is all the comparison needs (a missing client
        // certificate or a suite the engine dislikes later does not change which certificate that was).
        attempt.Completed = o.HandshakeCompleted || attempt.Leaf != null;
        if (!attempt.Completed)
            attempt.Failure = HandshakeDiagnoser.AlertText(o) ?? HandshakeDiagnoser.Diagnose(o, null, null).Category.ToString();
        return attempt;
    }
}
