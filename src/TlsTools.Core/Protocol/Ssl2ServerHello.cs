using System.Collections.Generic;

namespace TlsTools.Protocol;

/// <summary>An SSLv2 SERVER-HELLO: the server speaks SSLv2 and lists the cipher kinds it shares with us.</summary>
public sealed class Ssl2ServerHello
{
    internal const byte ClientHelloType = 1;
    internal const byte ServerHelloType = 4;

    private Ssl2ServerHello(bool sessionIdHit, byte certificateType, ushort version, byte[] certificate,
        IReadOnlyList<Ssl2CipherKind> cipherKinds, byte[] connectionId)
    {
        SessionIdHit = sessionIdHit;
        CertificateType = certificateType;
        Version = version;
        Certificate = certificate;
        CipherKinds = cipherKinds;
        ConnectionId = connectionId;
    }

    public bool SessionIdHit { get; }
    public byte CertificateType { get; }
    public ushort Version { get; }
    /// <summary>The server certificate, DER.</summary>
    public byte[] Certificate { get; }
    /// <summary>Raw 3-byte kinds; values outside <see cref="Ssl2CipherKind"/> are kept as they are.</summary>
    public IReadOnlyList<Ssl2CipherKind> CipherKinds { get; }
    public byte[] ConnectionId { get; }

    /// <summary>
    /// The first bytes of an answer look like an SSLv2 SERVER-HELLO: a 2-byte header with the high bit set,
    /// then message type 4. TLS records start with a content type of 20..24, so the two never collide.
    /// </summary>
    public static bool LooksLike(byte[]? firstBytes) =>
        firstBytes != null && firstBytes.Length >= 3 && (firstBytes[0] & 0x80) != 0 && firstBytes[2] == ServerHelloType;

    /// <summary>Parses one SSLv2 record (2- or 3-byte header included) holding a SERVER-HELLO.</summary>
    public static Ssl2ServerHello Parse(byte[] record)
    {
        var r = new ByteReader(record, "SSLv2 SERVER-HELLO");
        byte first = r.ReadByte("record header");
        bool twoByteHeader = (first & 0x80) != 0;
        int length = ((first & (twoByteHeader ? 0x7F : 0x3F)) << 8) | r.ReadByte("record header");
        if (!twoByteHeader) r.ReadByte("padding length");
        var m = r.Slice(length, "message");

        if (m.ReadByte("message type") != ServerHelloType) throw m.Fail("not a SERVER-HELLO");
        bool sessionIdHit = m.ReadByte("session-id-hit") != 0;
        byte certificateType = m.ReadByte("certificate-type");
        ushort version = m.ReadUInt16("server-version");
        int certificateLength = m.ReadUInt16("certificate-length");
        int cipherSpecsLength = m.ReadUInt16("cipher-specs-length");
        int connectionIdLength = m.ReadUInt16("connection-id-length");
        if (cipherSpecsLength % 3 != 0) throw m.Fail($"cipher-specs-length {cipherSpecsLength} is not a multiple of 3");
        var certificate = m.ReadBytes(certificateLength, "certificate");
        var kinds = new List<Ssl2CipherKind>(cipherSpecsLength / 3);
        for (int i = 0; i < cipherSpecsLength / 3; i++) kinds.Add((Ssl2CipherKind)m.ReadUInt24("cipher-spec"));
        var connectionId = m.ReadBytes(connectionIdLength, "connection-id");
        m.ExpectEnd("connection-id");
        return new Ssl2ServerHello(sessionIdHit, certificateType, version, certificate, kinds, connectionId);
    }
}
