using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using TlsTools.Protocol;

namespace TlsTools.TestServers;

/// <summary>
/// The SSLv2 side of a server that still has SSLv2 enabled beside TLS (as OpenSSL before 1.0.2g could), the DROWN
/// configuration (CVE-2016-0800): it answers an SSLv2 CLIENT-HELLO with a valid SERVER-HELLO (SSL 2.0 draft, "Server
/// Hello") carrying the scenario's leaf (same RSA key as its TLS side) and the cipher kinds it shares with the client,
/// or with ERROR NO-CIPHER when it shares none. It goes no further: the client's CLIENT-MASTER-KEY ends the connection.
/// </summary>
internal static class Ssl2Responder
{
    const byte ServerHello = 4, Error = 0;
    const ushort NoCipherError = 0x0001, CertificateTypeX509 = 1;
    /// <summary>The largest record a 2-byte SSLv2 header can announce.</summary>
    const int MaxRecord = 0x7FFF;

    /// <summary>True when the first three bytes are an SSLv2 record header (high bit set) and a CLIENT-HELLO (type 1).</summary>
    public static bool IsClientHello(byte[] head) => head.Length == 3 && (head[0] & 0x80) != 0 && head[2] == 1;

    public static async Task ServeAsync(ScenarioConnection connection, byte[] head, IReadOnlyList<Ssl2CipherKind> serverKinds, ServerCredential credential, CancellationToken ct)
    {
        int length = ((head[0] & 0x7F) << 8) | head[1];
        if (length < 9 || length > MaxRecord) return;                 // not a CLIENT-HELLO any parser accepts: hang up
        var body = new byte[length];
        body[0] = head[2];
        if (!await ReadExactlyAsync(connection.Stream, body, 1, length - 1, ct).ConfigureAwait(false)) return;

        var offered = OfferedKinds(body);
        var shared = serverKinds.Where(offered.Contains).ToList();
        var answer = shared.Count == 0 ? ErrorRecord(NoCipherError) : ServerHelloRecord(credential, shared);
        await connection.Stream.WriteAsync(answer, 0, answer.Length, ct).ConfigureAwait(false);
        await RawSteps.ReadFirstBytesAsync(connection).ConfigureAwait(false);
    }

    /// <summary>Reads exactly the first bytes of the connection; null when the client closed before sending them.</summary>
    public static async Task<byte[]?> ReadHeadAsync(Stream stream, int count, CancellationToken ct)
    {
        var head = new byte[count];
        return await ReadExactlyAsync(stream, head, 0, count, ct).ConfigureAwait(false) ? head : null;
    }

    /// <summary>CLIENT-HELLO: type, version, cipher-specs-length, session-id-length, challenge-length, then the 3-byte kinds.</summary>
    static HashSet<Ssl2CipherKind> OfferedKinds(byte[] body)
    {
        var r = new ByteReader(body, "SSLv2 CLIENT-HELLO");
        r.ReadByte("message type");
        r.ReadUInt16("version");
        int specsLength = r.ReadUInt16("cipher-specs-length");
        r.ReadUInt16("session-id-length");
        r.ReadUInt16("challenge-length");
        var kinds = new HashSet<Ssl2CipherKind>();
        for (int i = 0; i < specsLength / 3; i++) kinds.Add((Ssl2CipherKind)r.ReadUInt24("cipher-spec"));
        return kinds;
    }

    static byte[] ServerHelloRecord(ServerCredential credential, IReadOnlyList<Ssl2CipherKind> kinds)
    {
        var certificate = credential.ServedChain[0].GetEncoded();
        var connectionId = KeyShareFactory.RandomBytes(16);
        var message = new ByteWriter()
            .Byte(ServerHello)
            .Byte(0)                                  // session-id-hit: no
            .Byte(CertificateTypeX509)
            .UInt16(TlsVersionCodes.ToWire(TlsProtocol.Ssl2))
            .UInt16(certificate.Length)
            .UInt16(kinds.Count * 3)
            .UInt16(connectionId.Length)
            .Bytes(certificate);
        foreach (var kind in kinds) message.UInt24((int)kind);
        return Record(message.Bytes(connectionId).ToArray());
    }

    static byte[] ErrorRecord(ushort code) => Record(new ByteWriter().Byte(Error).UInt16(code).ToArray());

    static byte[] Record(byte[] message) => new ByteWriter().UInt16(0x8000 | message.Length).Bytes(message).ToArray();

    static async Task<bool> ReadExactlyAsync(Stream stream, byte[] buffer, int offset, int count, CancellationToken ct)
    {
        while (count > 0)
        {
            int n = await stream.ReadAsync(buffer, offset, count, ct).ConfigureAwait(false);
            if (n == 0) return false;
            offset += n;
            count -= n;
        }
        return true;
    }
}
