using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Diagnostics.CodeAnalysis;

namespace TlsTools.Catalog;

/// <summary>One TLS alert description (RFC 8446 section 6, RFC 5246 section 7.2, RFC 7301, RFC 8446).</summary>
public sealed class AlertInfo
{
    internal AlertInfo(byte code, string name, string meaning) { Code = code; Name = name; Meaning = meaning; }
    public byte Code { get; }
    /// <summary>RFC name: handshake_failure.</summary>
    public string Name { get; }
    /// <summary>What it usually means, in plain English.</summary>
    public string Meaning { get; }
    public override string ToString() => $"{Name} ({Code})";
}

/// <summary>
/// TLS alert descriptions. Not among the IANA CSVs, so typed from the RFCs (8446 §6, 5246 §7.2, 6066, 7301, 8446).
/// </summary>
public static class AlertCatalog
{
    public const byte LevelWarning = 1;
    public const byte LevelFatal = 2;

    private static readonly AlertInfo[] Alerts =
    {
        new AlertInfo(0, "close_notify", "The peer closed the connection in an orderly way."),
        new AlertInfo(10, "unexpected_message", "A message arrived out of order; usually a protocol bug or something in the path that is not TLS."),
        new AlertInfo(20, "bad_record_mac", "A record failed its integrity check: corruption, or keys that do not match."),
        new AlertInfo(21, "decryption_failed", "Obsolete (SSLv3/TLS 1.0): a record could not be decrypted."),
        new AlertInfo(22, "record_overflow", "A record was longer than the protocol allows."),
        new AlertInfo(30, "decompression_failure", "Obsolete: TLS compression failed."),
        new AlertInfo(40, "handshake_failure", "No acceptable set of parameters: usually no cipher suite, group or signature algorithm in common."),
        new AlertInfo(41, "no_certificate", "Obsolete (SSLv3): the client has no certificate to send."),
        new AlertInfo(42, "bad_certificate", "A certificate was corrupt or its signature did not verify."),
        new AlertInfo(43, "unsupported_certificate", "A certificate was of a type the peer does not support."),
        new AlertInfo(44, "certificate_revoked", "A certificate was revoked by its issuer."),
        new AlertInfo(45, "certificate_expired", "A certificate has expired or is not yet valid."),
        new AlertInfo(46, "certificate_unknown", "A certificate was rejected for some other reason, often an untrusted issuer."),
        new AlertInfo(47, "illegal_parameter", "A handshake field was out of range or inconsistent with the others."),
        new AlertInfo(48, "unknown_ca", "The certificate chain does not lead to a CA the peer trusts."),
        new AlertInfo(49, "access_denied", "The certificate was valid, but access control refused the connection."),
        new AlertInfo(50, "decode_error", "A message could not be decoded: a field was out of range or a length was wrong."),
        new AlertInfo(51, "decrypt_error", "A cryptographic check in the handshake failed (signature, Finished, key exchange)."),
        new AlertInfo(60, "export_restriction", "Obsolete: an export-restricted negotiation was refused."),
        new AlertInfo(70, "protocol_version", "The peer does not support the protocol version that was offered."),
        new AlertInfo(71, "insufficient_security", "The peer requires stronger cipher suites than were offered."),
        new AlertInfo(80, "internal_error", "The peer failed for a reason unrelated to the protocol (e.g. out of memory, misconfiguration)."),
        new AlertInfo(86, "inappropriate_fallback", "A fallback to a lower version was refused because the client could do better (TLS_FALLBACK_SCSV)."),
        new AlertInfo(90, "user_canceled", "The peer cancelled the handshake."),
        new AlertInfo(100, "no_renegotiation", "The peer refused to renegotiate."),
        new AlertInfo(109, "missing_extension", "A required extension was not sent (TLS 1.3)."),
        new AlertInfo(110, "unsupported_extension", "An extension appeared that was not offered or is not allowed here."),
        new AlertInfo(111, "certificate_unobtainable", "Obsolete: a certificate could not be fetched from a URL."),
        new AlertInfo(112, "unrecognized_name", "The server has no site for the name sent in SNI."),
        new AlertInfo(113, "bad_certificate_status_response", "The OCSP response stapled by the server was invalid."),
        new AlertInfo(114, "bad_certificate_hash_value", "Obsolete: a certificate hash did not match."),
        new AlertInfo(115, "unknown_psk_identity", "The server does not know the PSK identity offered."),
        new AlertInfo(116, "certificate_required", "The server requires a client certificate and none was sent."),
        new AlertInfo(120, "no_application_protocol", "No ALPN protocol in common with the server."),
    };

    private static readonly Dictionary<byte, AlertInfo> ByCode = Alerts.ToDictionary(a => a.Code);

    private static readonly Dictionary<byte, string> Levels = new Dictionary<byte, string>
    {
        [LevelWarning] = "warning",
        [LevelFatal] = "fatal",
    };

    public static IReadOnlyList<AlertInfo> All => Alerts;

    public static bool TryGet(byte description, [MaybeNullWhen(false)] out AlertInfo alert) => ByCode.TryGetValue(description, out alert);

    /// <summary>"handshake_failure", or "unknown_alert_N".</summary>
    public static string NameOf(byte description) =>
        TryGet(description, out var alert) ? alert.Name : "unknown_alert_" + description.ToString(CultureInfo.InvariantCulture);

    /// <summary>The plain-English meaning, or null for an unregistered code.</summary>
    public static string? MeaningOf(byte description) => TryGet(description, out var alert) ? alert.Meaning : null;

    /// <summary>"fatal handshake_failure (40)".</summary>
    public static string Describe(byte level, byte description)
    {
        string levelText = Levels.TryGetValue(level, out var known) ? known : "level" + level.ToString(CultureInfo.InvariantCulture);
        return $"{levelText} {NameOf(description)} ({description.ToString(CultureInfo.InvariantCulture)})";
    }
}
