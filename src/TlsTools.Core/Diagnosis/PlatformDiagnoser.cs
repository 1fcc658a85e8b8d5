using System;
using System.Collections.Generic;
using System.Linq;
using TlsTools.Catalog;
using TlsTools.Handshake;
using TlsTools.Protocol;

namespace TlsTools.Diagnosis;

/// <summary>
/// Why this machine's own TLS stack (SslStream) refused a handshake, from what it sent: the alert it raised is
/// plaintext before encryption (TLS 1.2 and earlier, or before a TLS 1.3 ServerHello), so protocol_version means
/// the local policy refused the version; no ClientHello at all means it had nothing to offer. An ordered table
/// of named rules, like <see cref="HandshakeDiagnoser.Rules"/>; what none explains goes to that table.
/// </summary>
public static class PlatformDiagnoser
{
    const byte ProtocolVersion = TlsAlertDescription.ProtocolVersion;

    /// <summary>One refusal by the local stack: the alerts it sends for it, and the sentence that explains it.</summary>
    public sealed class Rule
    {
        public Rule(string name, byte[] alerts, FailureCategory category, Func<WireEvidence, TlsProtocol, AlertRecord, string> explain)
        {
            Name = name; Alerts = alerts; Category = category; Explain = explain;
        }
        public string Name { get; }
        /// <summary>The alerts the local stack sends for this refusal.</summary>
        public IReadOnlyList<byte> Alerts { get; }
        public FailureCategory Category { get; }
        /// <summary>The reason, from the wire evidence, the versions the server is known to accept, and the alert the stack sent.</summary>
        public Func<WireEvidence, TlsProtocol, AlertRecord, string> Explain { get; }
    }

    // No row for a suite refusal: no server choice was found that makes this stack send handshake_failure or
    // insufficient_security after a ServerHello (it leaves out what it would refuse, so the server refuses first, and
    // NegotiationRejected of the main table explains that from the server's alert).
    public static IReadOnlyList<Rule> Rules { get; } = new[]
    {
        new Rule("PlatformRefusedVersion", new[] { ProtocolVersion }, FailureCategory.ProtocolVersionMismatch, RefusedVersion),
    };

    static string Stack => $"This machine's TLS stack ({PlatformTlsPolicy.StackName})";

    static string RefusedVersion(WireEvidence wire, TlsProtocol serverAccepts, AlertRecord sent)
    {
        var hello = wire.ServerHello;
        var version = hello != null ? ProtocolVersions.FromWire(hello.VersionCode) : serverAccepts;
        string what = hello != null ? $"the server's {ProtocolVersions.DisplayNameOfWire(hello.VersionCode)}" : "the server's answer";
        return $"{Stack} refused {what} with {sent.Name}. {PlatformTlsPolicy.ExplainVersionRefusal(version == TlsProtocol.None ? TlsProtocol.Tls10 : version)}";
    }

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
                $"{Stack} sent no ClientHello for {versions}, {what}: its policy leaves nothing it can offer at those versions " +
                $"(no enabled suite works at them, or the versions are disabled), so the server was never asked. {PlatformTlsPolicy.WhereConfigured}",
                rule: DiagnosisRules.PlatformOfferedNothing);
        }
        if (sent == null) return null;
        var rule = Rules.FirstOrDefault(r => r.Alerts.Contains(sent.Description));
        return rule == null ? null : new Verdict(rule.Category, rule.Explain(wire, serverAccepts, sent), rule: rule.Name);
    }
}
