using System;
using System.Linq;
using System.Net.Sockets;
using System.Text;
using System.Threading.Tasks;
using TlsTools.Protocol;

namespace TlsTools.TestServers;

/// <summary>What a scripted server does once its answer is out.</summary>
internal enum AfterAnswer
{
    /// <summary>Keeps the connection open and reads until the client closes or the deadline passes.</summary>
    Wait,
    /// <summary>Closes its side with a FIN (no alert, no RST), then reads until the client closes.</summary>
    Close,
}

/// <summary>
/// A broken server in three steps: read the whole ClientHello (bounded by the record reader), send one crafted answer,
/// then wait or close. Every scripted scenario is one answer function of <see cref="BrokenAnswers"/> and one
/// <see cref="AfterAnswer"/>; the answers are at most a few KiB.
/// </summary>
internal sealed class ScriptedResponder : IConnectionHandler
{
    readonly Func<ClientHello, byte[]> _answer;
    readonly AfterAnswer _then;

    public ScriptedResponder(Func<ClientHello, byte[]> answer, AfterAnswer then)
    {
        _answer = answer;
        _then = then;
    }

    public async Task HandleAsync(ScenarioConnection connection)
    {
        var hello = await RawSteps.ReadClientHelloAsync(connection).ConfigureAwait(false);
        if (hello == null) return;
        var bytes = _answer(hello);
        if (bytes.Length > 0) await connection.Stream.WriteAsync(bytes, 0, bytes.Length, connection.Deadline).ConfigureAwait(false);
        if (_then == AfterAnswer.Close) connection.Socket.Shutdown(SocketShutdown.Send);
        // Reading on (never leaving the client's bytes unread) keeps the close a FIN: Linux resets a socket closed with unread data.
        await RawSteps.DrainAsync(connection).ConfigureAwait(false);
    }
}

/// <summary>
/// The crafted answers to a ClientHello, one per scripted scenario. Where an answer needs a TLS 1.2 suite and the client
/// offered none this server knows, it refuses with handshake_failure, as a real TLS 1.2 server would.
/// </summary>
internal static class BrokenAnswers
{
    /// <summary>How much of a promised body the oversized and truncated answers carry: a ServerHello's worth.</summary>
    const int TeaserLength = 38;
    /// <summary>The part of the 16 MiB Certificate message that is sent before the server stops: one full record.</summary>
    const int HugeCertificateSent = 16 * 1024;

    static readonly byte[] GarbageBytes = Garbage256();

    /// <summary>
    /// 256 bytes that look random. The first byte is fixed at 0x01: not a TLS content type (20..24) and high bit clear
    /// (not an SSLv2 header), so the answer is neither, whatever the noise after it.
    /// </summary>
    static byte[] Garbage256()
    {
        var bytes = CraftedMessages.Noise("Garbage", 256);
        bytes[0] = 0x01;
        return bytes;
    }

    public static byte[] Garbage(ClientHello hello) => GarbageBytes;

    /// <summary>
    /// A handshake record header claiming 65,535 bytes (16 03 03 FF FF), over the 2^14 + 2048 RFC 5246 §6.2.3 allows,
    /// followed by the start of a ServerHello; the rest never comes.
    /// </summary>
    public static byte[] OversizedRecord(ClientHello hello) => WithTls12Suite(hello, suite =>
        new ByteWriter()
            .Byte((byte)TlsContentType.Handshake).UInt16(CraftedMessages.Tls12).UInt16(0xFFFF)
            .Bytes(CraftedMessages.ServerHello(hello, CraftedMessages.Tls12, suite))
            .ToArray());

    /// <summary>
    /// One whole 42-byte record whose ServerHello header claims 65,535 bytes (02 00 FF FF) and carries 38: version,
    /// random, empty session id, suite, compression. The server then closes, so the message can never be completed.
    /// </summary>
    public static byte[] TruncatedServerHello(ClientHello hello) => WithTls12Suite(hello, suite =>
    {
        var body = CraftedMessages.ServerHelloBody(hello, CraftedMessages.Tls12, suite).Take(TeaserLength).ToArray();
        var message = new ByteWriter().Byte((byte)TlsHandshakeType.ServerHello).UInt24(0xFFFF).Bytes(body).ToArray();
        return CraftedMessages.Record(TlsContentType.Handshake, message);
    });

    /// <summary>A correct TLS 1.2 ServerHello that chooses suite 0xC0FF, which the client never offered (RFC 5246 §7.4.1.3).</summary>
    public static byte[] UnofferedSuite(ClientHello hello) =>
        CraftedMessages.Record(TlsContentType.Handshake, CraftedMessages.ServerHello(hello, CraftedMessages.Tls12, CraftedMessages.UnassignedSuite));

    /// <summary>A ServerHello with legacy_version 0x0305, above anything defined or offered, and no supported_versions.</summary>
    public static byte[] UnofferedVersion(ClientHello hello) => WithTls12Suite(hello, suite =>
        CraftedMessages.Record(TlsContentType.Handshake, CraftedMessages.ServerHello(hello, CraftedMessages.UndefinedVersion, suite)));

    /// <summary>
    /// A TLS 1.2 ServerHello, then a Certificate message whose header claims 16 MiB (0B FF FF FF) and whose list length
    /// agrees (FF FF FC); 16 KiB of it are sent (a DER SEQUENCE header, then filler), the rest never.
    /// </summary>
    public static byte[] HugeCertificateMessage(ClientHello hello) => WithTls12Suite(hello, suite =>
    {
        int max = CraftedMessages.Max24BitLength;
        var start = new ByteWriter()
            .Byte((byte)TlsHandshakeType.Certificate).UInt24(max)
            .UInt24(max - 3)                          // certificate_list: all of the message after its own length
            .UInt24(max - 6)                          // the first (and only) entry
            .Byte(0x30).Byte(0x83).UInt24(max - 11)   // a DER SEQUENCE header for that entry
            .ToArray();
        var sent = start.Concat(Enumerable.Repeat((byte)0x00, HugeCertificateSent - start.Length)).ToArray();
        return CraftedMessages.Record(TlsContentType.Handshake, CraftedMessages.ServerHello(hello, CraftedMessages.Tls12, suite))
            .Concat(CraftedMessages.Record(TlsContentType.Handshake, sent)).ToArray();
    });

    /// <summary>The one entry of the undecodable Certificate: text where DER belongs (0x74 is no certificate's tag).</summary>
    internal static readonly byte[] NotDer = Encoding.ASCII.GetBytes("this entry is not a DER certificate");

    /// <summary>A TLS 1.2 ServerHello, then a well-framed Certificate message (RFC 5246 §7.4.2) whose only entry is not DER.</summary>
    public static byte[] UndecodableCertificate(ClientHello hello) => WithTls12Suite(hello, suite =>
    {
        var certificate = ClientHelloBuilder.HandshakeMessage(TlsHandshakeType.Certificate,
            new ByteWriter().Begin(3).Begin(3).Bytes(NotDer).End().End().ToArray());
        return CraftedMessages.Record(TlsContentType.Handshake,
            CraftedMessages.ServerHello(hello, CraftedMessages.Tls12, suite).Concat(certificate).ToArray());
    });

    /// <summary>A fatal alert of description 254 (02 FE), which no RFC defines, instead of a ServerHello.</summary>
    public static byte[] UndefinedAlert(ClientHello hello) => CraftedMessages.FatalAlert(CraftedMessages.UndefinedAlert);

    /// <summary>An application_data record (23) of 32 bytes before any ServerHello: data with no keys to protect it.</summary>
    public static byte[] DataBeforeHandshake(ClientHello hello) =>
        CraftedMessages.Record(TlsContentType.ApplicationData, CraftedMessages.Noise("DataBeforeHandshake", 32));

    /// <summary>Nothing: the server reads the ClientHello and closes.</summary>
    public static byte[] Nothing(ClientHello hello) => Array.Empty<byte>();

    /// <summary>
    /// One complete SSLv2 record: a 2-byte header (80 1A: high bit set, length 26) and a message that claims to be a
    /// SERVER-HELLO (type 4) but whose certificate-length (1,024) runs past the record: no SSLv2 ServerHello parses it.
    /// </summary>
    public static byte[] Ssl2Garbage(ClientHello hello)
    {
        var message = new ByteWriter()
            .Byte(4)              // msg_type SERVER-HELLO
            .Byte(0)              // session-id-hit: no
            .Byte(1)              // certificate-type: X.509
            .UInt16(0x0002)       // server-version: SSL 2.0
            .UInt16(1024)         // certificate-length: far more than follows
            .UInt16(3)            // cipher-specs-length: one spec
            .UInt16(16)           // connection-id-length
            .Bytes(CraftedMessages.Noise("Ssl2Garbage", 15))   // what fits: 26 bytes in all
            .ToArray();
        return new ByteWriter().UInt16(0x8000 | message.Length).Bytes(message).ToArray();
    }

    static byte[] WithTls12Suite(ClientHello hello, Func<ushort, byte[]> answer) =>
        CraftedMessages.Tls12Suite(hello) is ushort suite ? answer(suite) : CraftedMessages.FatalAlert(CraftedMessages.HandshakeFailure);
}

/// <summary>
/// A valid TLS 1.2 ServerHello, then an endless flight: 16 KiB records packed with HelloRequest messages (00 00 00 00),
/// which RFC 5246 §7.4.1.1 lets a server send at any time and tells a negotiating client to ignore. The flight is
/// well-formed record by record and never completes; the server sends one record every <see cref="Pace"/> until the
/// client goes away (the write fails) or the connection deadline passes. One 16 KiB buffer, sent again and again.
/// </summary>
internal sealed class EndlessRecordsResponder : IConnectionHandler
{
    public static readonly TimeSpan Pace = TimeSpan.FromMilliseconds(10);
    const int RecordPayload = 16 * 1024;

    /// <summary>4,096 HelloRequests of 4 bytes each (type 0, length 0): exactly one full record.</summary>
    static readonly byte[] HelloRequests = CraftedMessages.Record(TlsContentType.Handshake, new byte[RecordPayload]);

    public async Task HandleAsync(ScenarioConnection connection)
    {
        var hello = await RawSteps.ReadClientHelloAsync(connection).ConfigureAwait(false);
        if (hello == null) return;
        if (!(CraftedMessages.Tls12Suite(hello) is ushort suite))
        {
            var alert = CraftedMessages.FatalAlert(CraftedMessages.HandshakeFailure);
            await connection.Stream.WriteAsync(alert, 0, alert.Length, connection.Deadline).ConfigureAwait(false);
            return;
        }
        var serverHello = CraftedMessages.Record(TlsContentType.Handshake, CraftedMessages.ServerHello(hello, CraftedMessages.Tls12, suite));
        await connection.Stream.WriteAsync(serverHello, 0, serverHello.Length, connection.Deadline).ConfigureAwait(false);
        // A client that gives up closes; its RST then fails the next write, which ends this loop (and the connection).
        while (!connection.Deadline.IsCancellationRequested)
        {
            await connection.Stream.WriteAsync(HelloRequests, 0, HelloRequests.Length, connection.Deadline).ConfigureAwait(false);
            await Task.Delay(Pace, connection.Deadline).ConfigureAwait(false);
        }
    }
}

/// <summary>
/// Answers every ClientHello on the connection, the first and the retried one alike, with a HelloRetryRequest
/// (RFC 8446 §4.1.4). A client must abort at the second one (unexpected_message); this server never stops asking.
/// A client that offers no TLS 1.3 gets protocol_version, as a TLS 1.3-only server answers it.
/// </summary>
internal sealed class HelloRetryLoopResponder : IConnectionHandler
{
    /// <summary>Messages read from one client at most (hellos, change_cipher_spec): a client that loops too is cut off.</summary>
    const int MaxMessages = 16;

    public async Task HandleAsync(ScenarioConnection connection)
    {
        var reader = new TlsRecordReader(connection.Stream);
        for (int i = 0; i < MaxMessages; i++)
        {
            var message = await reader.ReadMessageAsync(connection.Deadline).ConfigureAwait(false);
            if (message == null || message.ContentType == TlsContentType.Alert) break;
            // The client's middlebox-compatibility change_cipher_spec (RFC 8446 §D.4) sits between the two hellos.
            if (message.HandshakeType != TlsHandshakeType.ClientHello) continue;
            var hello = ClientHello.Parse(message.Body);
            var answer = CraftedMessages.Tls13Suite(hello) is ushort suite && hello.SupportedVersions.Contains(CraftedMessages.Tls13)
                ? CraftedMessages.Record(TlsContentType.Handshake, CraftedMessages.HelloRetryRequest(hello, suite))
                : CraftedMessages.FatalAlert(CraftedMessages.ProtocolVersion);
            await connection.Stream.WriteAsync(answer, 0, answer.Length, connection.Deadline).ConfigureAwait(false);
        }
        await RawSteps.DrainAsync(connection).ConfigureAwait(false);
    }
}
