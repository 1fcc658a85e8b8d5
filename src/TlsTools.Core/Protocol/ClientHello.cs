using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace TlsTools.Protocol;

/// <summary>A parsed ClientHello: what a client offered (ours in tests, anyone's in captures).</summary>
public sealed class ClientHello
{
    private ClientHello(ushort legacyVersion, byte[] random, byte[] sessionId, IReadOnlyList<ushort> cipherSuites,
        byte[] compressionMethods, IReadOnlyList<TlsExtension> extensions)
    {
        LegacyVersion = legacyVersion;
        Random = random;
        SessionId = sessionId;
        CipherSuites = cipherSuites;
        CompressionMethods = compressionMethods;
        Extensions = extensions;
    }

    public ushort LegacyVersion { get; }
    public byte[] Random { get; }
    public byte[] SessionId { get; }
    public IReadOnlyList<ushort> CipherSuites { get; }
    public byte[] CompressionMethods { get; }
    public IReadOnlyList<TlsExtension> Extensions { get; }
    /// <summary>SNI host name, or null.</summary>
    public string? ServerName { get; private set; }
    public IReadOnlyList<ushort> SupportedVersions { get; private set; } = new ushort[0];
    public IReadOnlyList<ushort> SupportedGroups { get; private set; } = new ushort[0];
    public IReadOnlyList<ushort> SignatureSchemes { get; private set; } = new ushort[0];
    /// <summary>key_share entries: group -> public key.</summary>
    public IReadOnlyDictionary<ushort, byte[]> KeyShares { get; private set; } = new Dictionary<ushort, byte[]>();
    public IReadOnlyList<string> AlpnProtocols { get; private set; } = new string[0];

    /// <summary>Parses a ClientHello handshake body (after the 4-byte handshake header).</summary>
    public static ClientHello Parse(byte[] body)
    {
        var r = new ByteReader(body, "ClientHello");
        var hello = new ClientHello(
            r.ReadUInt16("legacy_version"),
            r.ReadBytes(32, "random"),
            r.ReadVector8("session_id"),
            r.SliceVector16("cipher_suites").ReadRemainingUInt16s("cipher_suites"),
            r.ReadVector8("compression_methods"),
            r.AtEnd ? new List<TlsExtension>() : TlsExtension.ReadList(r.SliceVector16("extensions")));
        r.ExpectEnd("extensions");
        foreach (var extension in hello.Extensions) hello.Apply(extension);
        return hello;
    }

    private void Apply(TlsExtension extension)
    {
        var r = new ByteReader(extension.Data, "ClientHello extension " + extension.Type);
        switch (extension.Type)
        {
            case TlsExtensionType.ServerName:
                var names = r.SliceVector16("server_name_list");
                while (!names.AtEnd)
                {
                    byte nameType = names.ReadByte("name_type");
                    var name = names.ReadVector16("host_name");
                    if (nameType == 0) ServerName = Encoding.ASCII.GetString(name);
                }
                break;
            case TlsExtensionType.SupportedVersions:
                SupportedVersions = r.SliceVector8("versions").ReadRemainingUInt16s("versions");
                break;
            case TlsExtensionType.SupportedGroups:
                SupportedGroups = r.SliceVector16("named_group_list").ReadRemainingUInt16s("named_group_list");
                break;
            case TlsExtensionType.SignatureAlgorithms:
                SignatureSchemes = r.SliceVector16("supported_signature_algorithms").ReadRemainingUInt16s("signature_algorithms");
                break;
            case TlsExtensionType.KeyShare:
                var shares = r.SliceVector16("client_shares");
                var byGroup = new Dictionary<ushort, byte[]>();
                while (!shares.AtEnd) byGroup[shares.ReadUInt16("group")] = shares.ReadVector16("key_exchange");
                KeyShares = byGroup;
                break;
            case TlsExtensionType.Alpn:
                var list = r.SliceVector16("protocol_name_list");
                var ids = new List<string>();
                while (!list.AtEnd) ids.Add(Encoding.ASCII.GetString(list.ReadVector8("protocol_name")));
                AlpnProtocols = ids;
                break;
            default:
                return;
        }
        r.ExpectEnd("extension " + extension.Type);
    }

    public bool HasExtension(ushort type) => Extensions.Any(e => e.Type == type);

    /// <summary>The versions offered, as wire codes: supported_versions when present (TLS 1.3 clients, GREASE left out), else the one legacy_version.</summary>
    public IEnumerable<ushort> OfferedVersions => HasExtension(TlsExtensionType.SupportedVersions)
        ? SupportedVersions.Where(v => !IsGrease(v))
        : new[] { LegacyVersion };

    /// <summary>The versions offered, as flags (codes this library does not know, drafts and GREASE, left out).</summary>
    public TlsProtocol OfferedProtocols => OfferedVersions.Aggregate(TlsProtocol.None, (set, v) => set | TlsVersionCodes.FromWire(v));

    /// <summary>A GREASE value (RFC 8701): 0x?A?A with both bytes equal.</summary>
    public static bool IsGrease(ushort value) => (value & 0x0F0F) == 0x0A0A && (value >> 8) == (value & 0xFF);
}
