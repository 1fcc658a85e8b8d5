using System.Collections.Generic;
using System.Linq;
using TlsTools.Catalog;
using TlsTools.Handshake;

namespace TlsTools.Diagnosis;

/// <summary>
/// Why this machine's own TLS stack (SslStream) refused a handshake, from what it sent: the alert it raised is
/// plaintext before encryption (TLS 1.2 and earlier, or before a TLS 1.3 ServerHello), so protocol_version means
/// the local policy refused the version and handshake_failure or insufficient_security the suite. An ordered table
/// of named rules, like <see cref="HandshakeDiagnoser.Rules"/>; what none explains goes to that table.
/// </summary>
public static class PlatformDiagnoser
{
    const byte ProtocolVersion = 70;

    public sealed class Rule
    {
        public Rule(string name, byte[] alerts, FailureCategory category) { Name = name; Alerts = alerts; Category = category; }
        public string Name { get; }
        /// <summary>The alerts the local stack sends for this refusal.</summary>
        public IReadOnlyList<byte> Alerts { get; }
        public FailureCategory Category { get; }
    }

    // No row for a suite refusal: no server choice was found that makes this stack send handshake_failure or
    // insufficient_security after a ServerHello (it leaves out what it would refuse, so the server refuses first, and
    // NegotiationRejected of the main table explains that from the server's alert).
    public static IReadOnlyList<Rule> Rules { get; } = new[]
    {
        new Rule("PlatformRefusedVersion", new[] { ProtocolVersion }, FailureCategory.ProtocolVersionMismatch),
    };

    /// <summary>The local stack's own refusal, as a verdict; null when it sent no alert a rule names.</summary>
    /// <param name="serverAccepts">Versions the server is known to accept (the managed engine's follow-up), for the policy's explanation.</param>
    /// <param name="requested">The versions asked for (-Protocol); None: the OS default.</param>
    public static Verdict? Explain(WireEvidence wire, TlsProtocol serverAccepts, TlsProtocol requested = TlsProtocol.None)
    {
        var sent = wire.Alerts.FirstOrDefault(a => !a.Received && a.IsFatal);
        if (wire.ClientHellos.Count == 0 && wire.BytesReceived == 0)
        {
            // The local stack refused before offering: no ClientHello left this machine, at most its own alert.
            string versions = requested == TlsProtocol.None ? "the OS default versions" : ProtocolMap.Describe(requested);
            string what = sent != null ? $"only its own {sent.Name}" : "nothing";
            return new Verdict(FailureCategory.ProtocolVersionMismatch,
                $"This machine's TLS stack ({PlatformTlsPolicy.StackName}) sent no ClientHello for {versions}, {what}: its policy leaves nothing it can offer at those versions " +
                $"(no enabled suite works at them, or the versions are disabled), so the server was never asked. {PlatformTlsPolicy.WhereConfigured}",
                rule: DiagnosisRules.PlatformOfferedNothing);
        }
        if (sent == null) return null;
        var rule = Rules.FirstOrDefault(r => r.Alerts.Contains(sent.Description));
        if (rule == null) return null;
        var hello = wire.ServerHello;
        string stack = $"This machine's TLS stack ({PlatformTlsPolicy.StackName})";
        if (rule.Category == FailureCategory.ProtocolVersionMismatch)
        {
            var version = hello != null ? ProtocolVersions.FromWire(hello.VersionCode) : serverAccepts;
            string what = hello != null ? $"the server's {ProtocolVersions.DisplayNameOfWire(hello.VersionCode)}" : "the server's answer";
            return new Verdict(rule.Category, $"{stack} refused {what} with {sent.Name}. {PlatformTlsPolicy.ExplainVersionRefusal(version == TlsProtocol.None ? TlsProtocol.Tls10 : version)}", rule: rule.Name);
        }
        string suite = hello != null ? CipherSuiteCatalog.NameOf(hello.CipherSuite) : "the server's choice";
        return new Verdict(rule.Category, $"{stack} refused {suite} with {sent.Name}. {PlatformTlsPolicy.ExplainSuiteRefusal(suite)}", rule: rule.Name);
    }
}
