using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace TlsTools.Protocol;

/// <summary>A parsed ServerHello (or TLS 1.3 HelloRetryRequest, which shares its shape).</summary>
public sealed class ServerHello
{
    /// <summary>RFC 8446 §4.1.3: a HelloRetryRequest is a ServerHello whose random is SHA-256("HelloRetryRequest").</summary>
    private static readonly byte[] HelloRetryRequestRandom =
    {
        0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C, 0x02, 0x1E, 0x65, 0xB8, 0x91,
        0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB, 0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C,
    };

    /// <summary>RFC 8446 §4.1.3: a TLS 1.3 server negotiating lower ends its random with "DOWNGRD" + 0x01 or 0x00.</summary>
    private static readonly byte[] DowngradePrefix = Encoding.ASCII.GetBytes("DOWNGRD");

    private ServerHello(ushort legacyVersion, byte[] random, byte[] sessionId, ushort cipherSuite, byte compressionMethod,
        IReadOnlyList<TlsExtension> extensions)
    {
        LegacyVersion = legacyVersion;
        Random = random;
        SessionId = sessionId;
        CipherSuite = cipherSuite;
        CompressionMethod = compressionMethod;
        Extensions = extensions;
    }

    /// <summary>The legacy_version field (0x0303 for TLS 1.3).</summary>
    public ushort LegacyVersion { get; }
    /// <summary>The negotiated version's wire code: supported_versions if present, else legacy_version.</summary>
    public ushort VersionCode { get; private set; }
    /// <summary>The negotiated version; None for a code no version has (drafts).</summary>
    public TlsProtocol Version { get; private set; }
    public byte[] Random { get; }
    public byte[] SessionId { get; }
    public ushort CipherSuite { get; }
    public byte CompressionMethod { get; }
    public IReadOnlyList<TlsExtension> Extensions { get; }
    public bool IsHelloRetryRequest { get; private set; }
    /// <summary>key_share group: the server's share (ServerHello) or the group it asks for (HelloRetryRequest).</summary>
    public ushort? SelectedGroup { get; private set; }
    /// <summary>The server's key_share public key (TLS 1.3 ServerHello only), else null.</summary>
    public byte[]? KeySharePublicKey { get; private set; }
    /// <summary>ALPN protocol the server selected, or null.</summary>
    public string? SelectedAlpn { get; private set; }
    /// <summary>The random carries the TLS 1.3 downgrade sentinel: the server could have done TLS 1.3 (or 1.2).</summary>
    public bool HasDowngradeSentinel { get; private set; }

    public bool HasExtension(ushort type) => Extensions.Any(e => e.Type == type);

    /// <summary>Parses a ServerHello handshake body (the bytes after the 4-byte handshake header).</summary>
    public static ServerHello Parse(byte[] body)
    {
        var r = new ByteReader(body, "ServerHello");
        ushort legacyVersion = r.ReadUInt16("legacy_version");
        var random = r.ReadBytes(32, "random");
        var sessionIdReader = r.SliceVector8("session_id");
        if (sessionIdReader.Remaining > 32) throw r.Fail($"session_id of {sessionIdReader.Remaining} bytes (max 32)");
        var sessionId = sessionIdReader.ReadBytes(sessionIdReader.Remaining, "session_id");
        ushort cipherSuite = r.ReadUInt16("cipher_suite");
        byte compressionMethod = r.ReadByte("compression_method");
        var extensions = r.AtEnd ? new List<TlsExtension>() : TlsExtension.ReadList(r.SliceVector16("extensions"));
        r.ExpectEnd("extensions");
        var hello = new ServerHello(legacyVersion, random, sessionId, cipherSuite, compressionMethod, extensions);

        hello.IsHelloRetryRequest = hello.Random.SequenceEqual(HelloRetryRequestRandom);
        hello.HasDowngradeSentinel = hello.Random.Skip(24).Take(7).SequenceEqual(DowngradePrefix);
        hello.VersionCode = hello.LegacyVersion;
        foreach (var extension in hello.Extensions) hello.Apply(extension);
        hello.Version = TlsVersionCodes.FromWire(hello.VersionCode);
        return hello;
    }

    /// <summary>Reads the extensions whose contents this class surfaces as properties.</summary>
    private void Apply(TlsExtension extension)
    {
        var r = new ByteReader(extension.Data, "ServerHello extension " + extension.Type);
        switch (extension.Type)
        {
            case TlsExtensionType.SupportedVersions:
                VersionCode = r.ReadUInt16("selected_version");
                break;
            case TlsExtensionType.KeyShare:
                SelectedGroup = r.ReadUInt16("group");
                // A HelloRetryRequest names only the group; a ServerHello adds the server's share.
                if (!IsHelloRetryRequest) KeySharePublicKey = r.ReadVector16("key_exchange");
                break;
            case TlsExtensionType.Alpn:
                var list = r.SliceVector16("protocol_name_list");
                SelectedAlpn = Encoding.ASCII.GetString(list.ReadVector8("protocol_name"));
                list.ExpectEnd("the one selected protocol");
                break;
            default:
                return;
        }
        r.ExpectEnd("extension " + extension.Type);
    }

    /// <summary>"ServerHello version 0x0304 suite 0x1301": the codes as they crossed the wire (the catalog names them).</summary>
    public override string ToString() =>
        $"{(IsHelloRetryRequest ? "HelloRetryRequest" : "ServerHello")} version 0x{VersionCode:X4} suite 0x{CipherSuite:X4}";
}
