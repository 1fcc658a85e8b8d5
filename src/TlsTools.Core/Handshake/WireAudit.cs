using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using TlsTools.Catalog;
using TlsTools.Protocol;
using static TlsTools.Handshake.WireEvidence;

namespace TlsTools.Handshake;

/// <summary>What one direction of the wire did, as a tap or a capture recorded it: the input of <see cref="WireAudit"/>.</summary>
public sealed class WireRecording
{
    /// <summary>The start of what the client sent (its ClientHello or two).</summary>
    public byte[] Sent { get; set; } = Array.Empty<byte>();
    /// <summary>The start of what the server sent, as kept.</summary>
    public byte[] Received { get; set; } = Array.Empty<byte>();
    /// <summary>All the bytes the server sent, kept or not.</summary>
    public long BytesReceived { get; set; }
    public bool ServerClosed { get; set; }
    public bool ServerReset { get; set; }
    public bool ClientBoundReached { get; set; }
    public IReadOnlyList<WireArrival> Arrivals { get; set; } = Array.Empty<WireArrival>();
}

/// <summary>
/// Audits the server's bytes against what the ClientHello offered, from this library's own parsing: one ordered
/// table of checks, each named as the diagnosis rule that reports it. The first violation on the wire (the lowest
/// offset; on a tie, the earlier check) is the one the evidence carries. Bounded: it reads only the kept bytes.
/// </summary>
public static class WireAudit
{
    /// <summary>RFC 8446 §5.1, RFC 5246 §6.2.1: a plaintext record carries at most 2^14 bytes.</summary>
    const int MaxPlaintextRecord = 1 << 14;
    /// <summary>RFC 8446 §5.2: a TLS 1.3 ciphertext record is at most 2^14 + 256 bytes.</summary>
    const int MaxTls13CiphertextRecord = (1 << 14) + 256;
    /// <summary>Plaintext handshake messages in one server flight beyond which the server is not finishing it.</summary>
    const int MaxFlightMessages = 32;
    /// <summary>TLS_EMPTY_RENEGOTIATION_INFO_SCSV and TLS_FALLBACK_SCSV signal in the offer; no server may choose them.</summary>
    static readonly ushort[] SignallingSuites = { 0x00FF, 0x5600 };

    /// <summary>
    /// The largest sane body per handshake message type, and whether a larger claim is a corrupt length field
    /// (MessageLengthMismatch: a ServerHello cannot be 64 KiB) or a message too long to accept (MessageTooLong).
    /// Types not listed take the general bound, <see cref="TlsLimits.MaxHandshakeMessage"/>.
    /// </summary>
    static readonly Dictionary<byte, (int Max, string Rule)> MessageBounds = new Dictionary<byte, (int Max, string Rule)>
    {
        [(byte)TlsHandshakeType.HelloRequest] = (0, MessageLengthMismatch),
        [(byte)TlsHandshakeType.ServerHello] = (4096, MessageLengthMismatch),
        [(byte)TlsHandshakeType.ServerHelloDone] = (0, MessageLengthMismatch),
    };

    /// <summary>A header claim no message of its type can have: a corrupt length field, whatever follows.</summary>
    public static bool IsImpossibleLength(byte type, int claimed) =>
        MessageBounds.TryGetValue(type, out var bound) && bound.Rule == MessageLengthMismatch && claimed > bound.Max;

    public const string RecordTooLong = nameof(RecordTooLong);
    public const string MessageLengthMismatch = nameof(MessageLengthMismatch);
    public const string MessageTooLong = nameof(MessageTooLong);
    public const string FlightTooLong = nameof(FlightTooLong);
    public const string UnofferedSuiteChosen = nameof(UnofferedSuiteChosen);
    public const string UnofferedVersionChosen = nameof(UnofferedVersionChosen);
    public const string UnofferedGroupChosen = nameof(UnofferedGroupChosen);
    public const string SecondHelloRetryRequest = nameof(SecondHelloRetryRequest);
    public const string CertificateUndecodable = nameof(CertificateUndecodable);
    public const string UndefinedAlert = nameof(UndefinedAlert);
    public const string DataBeforeFinished = nameof(DataBeforeFinished);
    public const string Ssl2RecordMalformed = nameof(Ssl2RecordMalformed);

    /// <summary>One named check: every violation of its kind it finds in the evidence.</summary>
    public sealed class Check
    {
        public Check(string name, Func<WireEvidence, IEnumerable<ServerViolation>> find) { Name = name; Find = find; }
        public string Name { get; }
        public Func<WireEvidence, IEnumerable<ServerViolation>> Find { get; }
    }

    /// <summary>The ordered table of checks; each name is also the diagnosis rule that reports its violation.</summary>
    public static IReadOnlyList<Check> Checks { get; } = new[]
    {
        new Check(RecordTooLong, RecordsTooLong),
        new Check(MessageLengthMismatch, e => MessageLengths(e, MessageLengthMismatch)),
        new Check(MessageTooLong, e => MessageLengths(e, MessageTooLong)),
        new Check(FlightTooLong, FlightsTooLong),
        new Check(UnofferedSuiteChosen, UnofferedSuites),
        new Check(UnofferedVersionChosen, UnofferedVersions),
        new Check(UnofferedGroupChosen, UnofferedGroups),
        new Check(SecondHelloRetryRequest, SecondRetries),
        new Check(CertificateUndecodable, UndecodableCertificates),
        new Check(UndefinedAlert, UndefinedAlerts),
        new Check(DataBeforeFinished, EarlyData),
        new Check(Ssl2RecordMalformed, MalformedSsl2),
    };

    /// <summary>The typed evidence of one attempt, its first violation included.</summary>
    public static WireEvidence Examine(WireRecording wire)
    {
        var server = RecordWalk.Of(wire.Received);
        bool retried = server.Messages.Any(m => m.Type == (byte)TlsHandshakeType.ServerHello && m.Body != null && IsRetry(m.Body));
        var sent = RecordWalk.Of(wire.Sent, compatibilityCcs: retried);
        var evidence = new WireEvidence
        {
            ClientHellos = sent.Messages.Where(m => m.Complete && m.Type == (byte)TlsHandshakeType.ClientHello)
                .Select(m => TryParse(() => ClientHello.Parse(m.Body!))).Where(h => h != null).Select(h => h!).ToList(),
            ServerRecords = server,
            ServerBytes = wire.Received,
            BytesReceived = Math.Max(wire.BytesReceived, wire.Received.Length),
            ServerClosed = wire.ServerClosed,
            ServerReset = wire.ServerReset,
            ClientBoundReached = wire.ClientBoundReached,
            Arrivals = wire.Arrivals,
        };
        evidence.ServerHello = ServerHellos(evidence).Select(x => x.Hello).FirstOrDefault(h => !h.IsHelloRetryRequest);
        evidence.Alerts = PlaintextAlerts(evidence.ServerRecords, received: true).Concat(PlaintextAlerts(sent, received: false)).ToList();
        evidence.Violation = Checks
            .Select((check, order) => (Found: check.Find(evidence).FirstOrDefault(), Order: order))
            .Where(x => x.Found != null)
            .OrderBy(x => x.Found!.Offset).ThenBy(x => x.Order)
            .Select(x => x.Found).FirstOrDefault();
        return evidence;
    }

    static IEnumerable<ServerViolation> RecordsTooLong(WireEvidence e)
    {
        bool tls13 = e.ServerHello?.Version == TlsProtocol.Tls13;
        foreach (var r in e.ServerRecords.Records)
        {
            int max = !r.Encrypted ? MaxPlaintextRecord : tls13 ? MaxTls13CiphertextRecord : TlsLimits.MaxRecordFragment;
            if (r.ClaimedLength <= max) continue;
            string limit = !r.Encrypted ? "2^14, RFC 8446 §5.1" : tls13 ? "2^14 + 256, RFC 8446 §5.2" : "2^14 + 2048, RFC 5246 §6.2.3";
            yield return new ServerViolation(RecordTooLong,
                $"The server sent a {(r.Encrypted ? "encrypted " : "")}{ContentTypeName(r.ContentType)} record whose header ({Hex(e.ServerBytes, r.Offset, 5)}) claims {Count(r.ClaimedLength)} bytes; " +
                $"TLS allows at most {Count(max)} ({limit}): the server, or a device on the path, is corrupting TLS.", r.Offset);
        }
    }

    /// <summary>A handshake header whose length the records cannot satisfy, or that exceeds the bound for its type.</summary>
    static IEnumerable<ServerViolation> MessageLengths(WireEvidence e, string rule)
    {
        var records = e.ServerRecords.Records;
        var messages = e.ServerRecords.Messages;
        for (int i = 0; i < messages.Count; i++)
        {
            var m = messages[i];
            long offset = records[m.RecordIndex].Offset;
            string name = MessageName(m.Type);
            string carried = m.ContinuationRecords == 0 ? "its record carries" : $"its {m.ContinuationRecords + 1} records carry";
            var bound = MessageBounds.TryGetValue(m.Type, out var b) ? b : (Max: TlsLimits.MaxHandshakeMessage, Rule: MessageTooLong);
            if (m.ClaimedLength > bound.Max)
            {
                if (bound.Rule != rule) continue;
                yield return rule == MessageLengthMismatch
                    ? new ServerViolation(rule, $"The server's {name} claims {Count(m.ClaimedLength)} bytes but {carried} {Count(m.CarriedLength)}" +
                        $" (no {name} is longer than {Count(bound.Max)}): the server, or a device on the path, is corrupting TLS.", offset)
                    : new ServerViolation(rule, $"The server's {name} message claims {Count(m.ClaimedLength)} bytes, beyond the {Count(bound.Max)} the client accepts for any handshake message" +
                        $" (a long real chain is a few tens of KiB); {Count(m.CarriedLength)} arrived before the client stopped.", offset);
                continue;
            }
            if (m.Complete || rule != MessageLengthMismatch) continue;
            if (m.InterruptedBy is byte type)
                yield return new ServerViolation(rule, $"The server's {name} claims {Count(m.ClaimedLength)} bytes but {carried} {Count(m.CarriedLength)}, and then a {ContentTypeName(type)} record interrupts it" +
                    " (RFC 8446 §5.1 forbids interleaving): the server, or a device on the path, is corrupting TLS.", offset);
            else if (i == messages.Count - 1 && e.KeptAll && (e.ServerClosed || e.ServerReset) && !e.ServerRecords.EndsInsideHeader)
                yield return new ServerViolation(rule, $"The server's {name} claims {Count(m.ClaimedLength)} bytes but {carried} {Count(m.CarriedLength)} before the connection ended" +
                    $" ({(e.ServerReset ? "TCP RST" : "TCP FIN")}): the server, or a device on the path, cut or corrupted TLS.", offset);
        }
    }

    /// <summary>A plaintext flight that never ends: the client's byte bound, the walk's record bound, or too many messages.</summary>
    static IEnumerable<ServerViolation> FlightsTooLong(WireEvidence e)
    {
        var walk = e.ServerRecords;
        bool ended = walk.Records.Any(r => r.Encrypted || r.ContentType == (byte)TlsContentType.ChangeCipherSpec)
            || walk.Messages.Any(m => m.Type == (byte)TlsHandshakeType.ServerHelloDone);
        if (ended) yield break;
        string last = walk.Records.Count == 0 ? "" : $"; the last kept: {ContentTypeName(walk.Records[walk.Records.Count - 1].ContentType)}, {Count(walk.Records[walk.Records.Count - 1].ClaimedLength)} bytes";
        if (e.ClientBoundReached || walk.RecordLimitReached)
            yield return new ServerViolation(FlightTooLong,
                $"The server sent {Count(e.BytesReceived)}{(e.ClientBoundReached ? "" : "+")} bytes in {Count(walk.Records.Count)}{(walk.RecordLimitReached || !e.KeptAll ? "+" : "")} records without ending its handshake flight" +
                $" (no ServerHelloDone, ChangeCipherSpec or encrypted record{last}); the client stops at {(e.ClientBoundReached ? $"{Count(WireTap.HandshakeReceiveBound / 1024)} KiB" : $"{Count(RecordWalk.MaxRecords)} records")}.", long.MaxValue);
        else if (walk.Messages.Count > MaxFlightMessages)
            yield return new ServerViolation(FlightTooLong,
                $"The server sent {Count(walk.Messages.Count)} plaintext handshake messages without ending its flight (a real one has at most 8); the client stops at {MaxFlightMessages}.", long.MaxValue);
    }

    /// <summary>Each complete ServerHello or HelloRetryRequest, with the ClientHello it answers and its offset.</summary>
    static IEnumerable<(ServerHello Hello, ClientHello? Offer, long Offset, int Retries)> ServerHellos(WireEvidence e)
    {
        int answered = 0;
        foreach (var m in e.ServerRecords.Messages)
        {
            if (!m.Complete || m.Type != (byte)TlsHandshakeType.ServerHello) continue;
            var hello = TryParse(() => ServerHello.Parse(m.Body!));
            if (hello == null) continue;
            var offer = e.ClientHellos.Count == 0 ? null : e.ClientHellos[Math.Min(answered, e.ClientHellos.Count - 1)];
            if (hello.IsHelloRetryRequest) answered++;
            yield return (hello, offer, e.ServerRecords.Records[m.RecordIndex].Offset, answered);
        }
    }

    static IEnumerable<ServerViolation> UnofferedSuites(WireEvidence e)
    {
        foreach (var (hello, offer, offset, _) in ServerHellos(e))
        {
            if (offer == null || (offer.CipherSuites.Contains(hello.CipherSuite) && !SignallingSuites.Contains(hello.CipherSuite))) continue;
            string name = CipherSuiteCatalog.TryGet(hello.CipherSuite, out var suite) ? $" ({suite.Name})" : "";
            yield return new ServerViolation(UnofferedSuiteChosen,
                $"The server chose cipher suite {CodeFormat.Hex(hello.CipherSuite)}{name}, which the client did not offer (it offered {offer.CipherSuites.Count} suites).", offset);
        }
    }

    /// <summary>
    /// A version above what was offered. A lower one is not a violation: that is a version mismatch, which the client
    /// answers with protocol_version.
    /// </summary>
    static IEnumerable<ServerViolation> UnofferedVersions(WireEvidence e)
    {
        foreach (var (hello, offer, offset, _) in ServerHellos(e))
        {
            if (offer == null) continue;
            bool viaExtension = hello.HasExtension(TlsExtensionType.SupportedVersions);
            bool fine = viaExtension ? offer.SupportedVersions.Contains(hello.VersionCode) : hello.VersionCode <= offer.LegacyVersion;
            if (fine) continue;
            yield return new ServerViolation(UnofferedVersionChosen,
                $"The server chose version {VersionText(hello.VersionCode)}{(viaExtension ? " in supported_versions" : "")}, " +
                $"which the client did not offer (it offered {string.Join(", ", offer.OfferedVersions.Select(ProtocolVersions.DisplayNameOfWire))}).", offset);
        }
    }

    /// <summary>
    /// TLS 1.3: a key_share for a group the ClientHello sent no share of (RFC 8446 §4.2.8), or a HelloRetryRequest asking for a
    /// group not in supported_groups. TLS 1.2: an ECDHE ServerKeyExchange on a group not in supported_groups.
    /// </summary>
    static IEnumerable<ServerViolation> UnofferedGroups(WireEvidence e)
    {
        foreach (var (hello, offer, offset, _) in ServerHellos(e))
        {
            if (offer == null || hello.SelectedGroup is not ushort group) continue;
            if (hello.IsHelloRetryRequest && offer.KeyShares.ContainsKey(group))
            {
                yield return new ServerViolation(UnofferedGroupChosen,
                    $"The server's HelloRetryRequest asks for key-exchange group {CodeFormat.Hex(group)} ({NamedGroupCatalog.NameOf(group)}), for which the ClientHello already sent a key share " +
                    "(RFC 8446 §4.2.8 forbids asking for it again).", offset);
                continue;
            }
            bool fine = hello.IsHelloRetryRequest ? offer.SupportedGroups.Contains(group) : offer.KeyShares.ContainsKey(group);
            if (fine) continue;
            var offered = hello.IsHelloRetryRequest ? offer.SupportedGroups : offer.KeyShares.Keys.ToList();
            yield return new ServerViolation(UnofferedGroupChosen,
                $"The server's {(hello.IsHelloRetryRequest ? "HelloRetryRequest asks for" : "ServerHello chose")} key-exchange group {CodeFormat.Hex(group)} ({NamedGroupCatalog.NameOf(group)}), " +
                $"which the client did not {(hello.IsHelloRetryRequest ? "list in supported_groups" : "send a key share for")} (it offered {string.Join(", ", offered.Select(NamedGroupCatalog.NameOf))}).", offset);
        }
        var tls12 = e.ServerHello;
        var first = e.ClientHellos.FirstOrDefault();
        if (tls12 == null || first == null || tls12.VersionCode >= 0x0304 || first.SupportedGroups.Count == 0) yield break;
        if (!CipherSuiteCatalog.TryGet(tls12.CipherSuite, out var suite) || !ServerKeyExchange.TryGetKind(suite.KeyExchange, out var kind) || kind != ServerKeyExchangeKind.Ecdhe) yield break;
        foreach (var m in e.ServerRecords.Messages.Where(m => m.Complete && m.Type == (byte)TlsHandshakeType.ServerKeyExchange))
        {
            var ske = TryParse(() => ServerKeyExchange.Parse(m.Body!, kind, ProtocolVersions.FromWire(tls12.VersionCode)));
            if (ske?.NamedGroup is not ushort group || first.SupportedGroups.Contains(group)) continue;
            yield return new ServerViolation(UnofferedGroupChosen,
                $"The server's ServerKeyExchange uses group {CodeFormat.Hex(group)} ({NamedGroupCatalog.NameOf(group)}), which the client did not list in supported_groups " +
                $"(it offered {string.Join(", ", first.SupportedGroups.Select(NamedGroupCatalog.NameOf))}).", e.ServerRecords.Records[m.RecordIndex].Offset);
        }
    }

    static IEnumerable<ServerViolation> SecondRetries(WireEvidence e)
    {
        foreach (var (hello, _, offset, retries) in ServerHellos(e))
            if (hello.IsHelloRetryRequest && retries >= 2)
                yield return new ServerViolation(SecondHelloRetryRequest,
                    $"The server answered the retried ClientHello with a second HelloRetryRequest{(hello.SelectedGroup is ushort g ? $" (asking for {NamedGroupCatalog.NameOf(g)} again)" : "")}; " +
                    "RFC 8446 §4.1.4 allows one, and a client aborts with unexpected_message.", offset);
    }

    /// <summary>A plaintext (TLS 1.2 and earlier) Certificate message whose list does not parse or whose entries are not DER certificates.</summary>
    static IEnumerable<ServerViolation> UndecodableCertificates(WireEvidence e)
    {
        foreach (var m in e.ServerRecords.Messages.Where(m => m.Complete && m.Type == (byte)TlsHandshakeType.Certificate))
        {
            long offset = e.ServerRecords.Records[m.RecordIndex].Offset;
            var list = TryParse(() => CertificateMessage.Parse(m.Body!));
            if (list == null)
            {
                yield return new ServerViolation(CertificateUndecodable,
                    $"The server's Certificate message ({Count(m.ClaimedLength)} bytes) has a certificate_list whose lengths do not add up (it starts {Hex(m.Body!, 0, 8)}).", offset);
                continue;
            }
            for (int i = 0; i < list.Count; i++)
            {
                if (IsCertificate(list[i])) continue;
                yield return new ServerViolation(CertificateUndecodable,
                    $"Entry {i + 1} of the {list.Count} in the server's Certificate message ({Count(list[i].Length)} bytes, starting {Hex(list[i], 0, 8)}) is not a DER X.509 certificate.", offset);
                break;
            }
        }
    }

    /// <summary>A DER SEQUENCE whose length fills the entry exactly, and that the platform decodes as a certificate.</summary>
    static bool IsCertificate(byte[] der)
    {
        if (der.Length < 2 || der[0] != 0x30) return false;
        int length, header;
        if (der[1] < 0x80) { length = der[1]; header = 2; }
        else
        {
            int n = der[1] & 0x7F;
            if (n == 0 || n > 3 || der.Length < 2 + n) return false;
            length = 0;
            for (int i = 0; i < n; i++) length = (length << 8) | der[2 + i];
            header = 2 + n;
        }
        if (header + length != der.Length) return false;
        try
        {
            using (new X509Certificate2(der)) return true;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    static IEnumerable<ServerViolation> UndefinedAlerts(WireEvidence e)
    {
        foreach (var r in e.ServerRecords.Records.Where(r => !r.Encrypted && r.ContentType == (byte)TlsContentType.Alert && r.Start.Length >= 2))
        {
            byte level = r.Start[0], description = r.Start[1];
            bool levelDefined = level == AlertCatalog.LevelWarning || level == AlertCatalog.LevelFatal;
            if (levelDefined && AlertCatalog.TryGet(description, out _)) continue;
            yield return new ServerViolation(UndefinedAlert, levelDefined
                ? $"The server sent a {(level == AlertCatalog.LevelFatal ? "fatal" : "warning")} alert with undefined code {description} (0x{description:X2}); the TLS alert registry has no such alert."
                : $"The server sent an alert with undefined level {level} (0x{level:X2}; only 1 warning and 2 fatal exist), description {description}.", r.Offset);
        }
    }

    /// <summary>Plaintext application_data: before any ServerHello, or (TLS 1.2 and earlier) before the server's ChangeCipherSpec.</summary>
    static IEnumerable<ServerViolation> EarlyData(WireEvidence e)
    {
        var walk = e.ServerRecords;
        foreach (var r in walk.Records.Where(r => !r.Encrypted && r.ContentType == (byte)TlsContentType.ApplicationData))
        {
            bool afterHello = walk.Messages.Any(m => m.Type == (byte)TlsHandshakeType.ServerHello && m.Complete && walk.Records[m.RecordIndex].Offset < r.Offset);
            yield return new ServerViolation(DataBeforeFinished,
                $"The server sent an application_data (23) record of {Count(r.ClaimedLength)} bytes{(r.Start.Length == 0 ? "" : $" (starting {Hex(r.Start, 0, 8)})")} " +
                (afterHello ? "after its ServerHello but before its ChangeCipherSpec and Finished" : "before any ServerHello") +
                ": application data before the handshake finished.", r.Offset);
        }
    }

    /// <summary>An SSLv2 record header (high bit set) claiming a SERVER-HELLO (4) or ERROR (0) whose body is not one.</summary>
    static IEnumerable<ServerViolation> MalformedSsl2(WireEvidence e)
    {
        var b = e.ServerBytes;
        if (b.Length < 3 || (b[0] & 0x80) == 0 || (b[2] != Ssl2ServerHello.ServerHelloType && b[2] != 0)) yield break;
        int claimed = ((b[0] & 0x7F) << 8) | b[1];
        int carried = Math.Min(claimed, b.Length - 2);
        bool complete = carried == claimed;
        bool fine = b[2] == 0
            ? claimed == 3
            : complete && TryParse(() => Ssl2ServerHello.Parse(b.Take(2 + claimed).ToArray())) != null;
        if (fine || (!complete && !(e.KeptAll && (e.ServerClosed || e.ServerReset)) && b[2] != 0)) yield break;
        string what = b[2] == 0 ? "an SSLv2 ERROR (3 bytes)" : "an SSLv2 SERVER-HELLO";
        string why = !complete ? $"the record claims {Count(claimed)} bytes and {Count(carried)} arrived before the connection ended"
            : b[2] == 0 ? $"the record claims {Count(claimed)} bytes" : $"its {Count(claimed)} bytes do not hold the fields a SERVER-HELLO declares";
        yield return new ServerViolation(Ssl2RecordMalformed,
            $"The server answered with an SSLv2 record header ({Hex(b, 0, 3)}) announcing {what}, but {why} (it starts {Hex(b, 0, 12)}).", 0);
    }

    /// <summary>"0x0303 (TLS 1.2)", or "0x0305 (no TLS version)".</summary>
    static string VersionText(ushort code) =>
        $"{CodeFormat.Hex(code)} ({(ProtocolVersions.TryFromWire(code, out var v) ? ProtocolVersions.DisplayName(v) : "no TLS version")})";

    /// <summary>The plaintext alert records of one direction.</summary>
    static IEnumerable<AlertRecord> PlaintextAlerts(RecordWalk walk, bool received) =>
        walk.Records.Where(r => !r.Encrypted && r.ContentType == (byte)TlsContentType.Alert && r.Start.Length == 2 && r.Complete)
            .Select(r => new AlertRecord(received, r.Start[0], r.Start[1]));

    static bool IsRetry(byte[] body) => TryParse(() => ServerHello.Parse(body))?.IsHelloRetryRequest == true;

    static T? TryParse<T>(Func<T> parse) where T : class
    {
        try
        {
            return parse();
        }
        catch (TlsParseException)
        {
            return null;
        }
    }
}
