using System;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using TlsTools.Catalog;
using TlsTools.Protocol;

namespace TlsTools.TestServers;

/// <summary>What a wire flaw serves with: the scenario's versions and suites, its credential, its PKI.</summary>
internal sealed class LegacyServing
{
    public LegacyServing(TlsServing serving, ServerCredential credential, ScenarioPki pki)
    {
        Serving = serving;
        Credential = credential;
        Pki = pki;
    }

    public TlsServing Serving { get; }
    public ServerCredential Credential { get; }
    public ScenarioPki Pki { get; }

    /// <summary>The legacy server's choice for this hello, from the scenario's versions below TLS 1.3 and its suites.</summary>
    public LegacyChoice Choose(ClientHello hello) => LegacyNegotiator.Choose(hello, Serving.Versions & ~TlsProtocol.Tls13, Serving.Suites);

    /// <summary>ServerHello (with <paramref name="extensions"/>), Certificate, ServerHelloDone; or the refusal alert.</summary>
    public byte[] FirstFlight(ClientHello hello, LegacyChoice choice, params TlsExtension[] extensions) =>
        choice.Alert == null ? LegacyFlight.Build(hello, choice, Credential, () => Pki.ExportRsaKey, extensions) : LegacyFlight.Alert(choice);
}

/// <summary>
/// A flaw of a TLS implementation that no library still has, played on the wire after the ClientHello: the scenario
/// is a healthy BouncyCastle server for every hello the flaw does not take (so Test-TlsHandshake and the scan's probes
/// see a normal server), and the flawed server for those it does.
/// </summary>
internal interface IWireFlaw
{
    /// <summary>Whether this hello is answered by the flawed server.</summary>
    bool Takes(ClientHello hello);
    Task ServeAsync(ScenarioConnection connection, ClientHello hello, LegacyServing serving);
}

/// <summary>
/// Heartbleed (CVE-2014-0160), as OpenSSL 1.0.1 to 1.0.1f had it: a TLS 1.2-or-older hello that offers heartbeat
/// (RFC 6520) gets the heartbeat extension back (mode 1, peer_allowed_to_send) with a ServerHello, Certificate and
/// ServerHelloDone, and every HeartbeatRequest that follows, before or without a key exchange, is answered with as many
/// payload bytes as its payload_length claims. What the request really carried is echoed; the rest, where the flawed
/// server leaked its memory, is a fixed ASCII pattern: this server has no secrets to leak. The flight has no
/// ServerKeyExchange, so a client that goes on to its key exchange is hung up on (the checks never do).
/// </summary>
internal sealed class HeartbleedFlaw : IWireFlaw
{
    const byte PeerAllowedToSend = 1, HeartbeatRequest = 1, HeartbeatResponse = 2;
    const int Padding = 16;
    /// <summary>A heartbeat message must fit one record (RFC 6520 section 4); a claim past that is cut there.</summary>
    const int MaxPayload = (1 << 14) - 3 - Padding;
    /// <summary>Records the server answers per connection: a client that keeps asking is hung up on after these.</summary>
    const int MaxRequests = 8;
    static readonly byte[] Pattern = Encoding.ASCII.GetBytes("TlsTools test server: not memory. ");

    public bool Takes(ClientHello hello) =>
        hello.HasExtension(TlsExtensionType.Heartbeat) && (hello.OfferedProtocols & TlsProtocol.Tls13) == 0;

    public async Task ServeAsync(ScenarioConnection connection, ClientHello hello, LegacyServing serving)
    {
        var choice = serving.Choose(hello);
        var flight = serving.FirstFlight(hello, choice, new TlsExtension(TlsExtensionType.Heartbeat, new[] { PeerAllowedToSend }));
        await connection.Stream.WriteAsync(flight, 0, flight.Length, connection.Deadline).ConfigureAwait(false);
        if (choice.Alert != null) return;
        ushort wire = ProtocolVersions.ToWire(choice.Version);
        var reader = new TlsRecordReader(connection.Stream);
        for (int i = 0; i < MaxRequests; i++)
        {
            var record = await reader.ReadRecordAsync(connection.Deadline).ConfigureAwait(false);
            // The client's key exchange (or anything but a heartbeat): this server cannot go on, so it hangs up.
            if (record == null || record.ContentType != TlsContentType.Heartbeat || record.Fragment.Length < 3 || record.Fragment[0] != HeartbeatRequest)
                return;
            var answer = ClientHelloBuilder.Records(TlsContentType.Heartbeat, wire, Response(record.Fragment));
            await connection.Stream.WriteAsync(answer, 0, answer.Length, connection.Deadline).ConfigureAwait(false);
        }
    }

    /// <summary>The flaw: payload_length is believed, not checked against the record (the fix discards such requests).</summary>
    static byte[] Response(byte[] request)
    {
        int claimed = Math.Min((request[1] << 8) | request[2], MaxPayload);
        var payload = new byte[claimed];
        int carried = Math.Min(claimed, request.Length - 3);
        Buffer.BlockCopy(request, 3, payload, 0, carried);
        for (int i = carried; i < claimed; i++) payload[i] = Pattern[(i - carried) % Pattern.Length];
        return new ByteWriter().Byte(HeartbeatResponse).UInt16(claimed).Bytes(payload).Bytes(KeyShareFactory.RandomBytes(Padding)).ToArray();
    }
}

/// <summary>
/// CCS injection (CVE-2014-0224), as OpenSSL before 1.0.1h had it: a TLS 1.2-or-older hello gets the legacy flight
/// (ServerHello, Certificate, ServerHelloDone), and a ChangeCipherSpec that comes before the client's key exchange is
/// taken without a word: the flawed server switched to keys made from an empty master secret. The next record cannot
/// be read under those keys, so it is answered with a fatal decryption_failed (21), the alert of the vulnerable server
/// testssl.sh documents. A client that sends its key exchange instead is hung up on (the flight has no key exchange to
/// go on with); hellos that offer TLS 1.3 get the healthy BouncyCastle server.
/// </summary>
internal sealed class CcsInjectionFlaw : IWireFlaw
{
    const byte DecryptionFailed = 21;

    public bool Takes(ClientHello hello) => (hello.OfferedProtocols & TlsProtocol.Tls13) == 0;

    public async Task ServeAsync(ScenarioConnection connection, ClientHello hello, LegacyServing serving)
    {
        var choice = serving.Choose(hello);
        var flight = serving.FirstFlight(hello, choice);
        await connection.Stream.WriteAsync(flight, 0, flight.Length, connection.Deadline).ConfigureAwait(false);
        if (choice.Alert != null) return;
        var reader = new TlsRecordReader(connection.Stream);
        var record = await reader.ReadRecordAsync(connection.Deadline).ConfigureAwait(false);
        if (record?.ContentType != TlsContentType.ChangeCipherSpec) return;
        // The flaw: the early ChangeCipherSpec is accepted, silently. Whatever comes next fails to decrypt.
        if (await reader.ReadRecordAsync(connection.Deadline).ConfigureAwait(false) == null) return;
        var alert = ClientHelloBuilder.Records(TlsContentType.Alert, ProtocolVersions.ToWire(choice.Version), new[] { AlertCatalog.LevelFatal, DecryptionFailed });
        await connection.Stream.WriteAsync(alert, 0, alert.Length, connection.Deadline).ConfigureAwait(false);
    }
}
