using System.Collections.Generic;

namespace TlsTools.Protocol;

/// <summary>What a ClientHello offers. Defaults make a hello any modern server answers.</summary>
public sealed class ClientHelloOptions
{
    /// <summary>
    /// The versions to offer. Without Tls13 the highest flag becomes client_version (one classic hello);
    /// with Tls13, legacy_version is TLS 1.2 and every flag from TLS 1.0 up goes into supported_versions.
    /// </summary>
    public TlsProtocol Versions { get; set; } = TlsProtocol.Tls12 | TlsProtocol.Tls13;

    /// <summary>Cipher suite codes in preference order. Empty means "the builder's modern default".</summary>
    public IList<ushort> CipherSuites { get; set; } = new List<ushort>();

    /// <summary>supported_groups, in preference order. Empty means <see cref="ClientHelloBuilder.DefaultGroups"/>.</summary>
    public IList<ushort> NamedGroups { get; set; } = new List<ushort>();

    /// <summary>signature_algorithms. Empty means <see cref="ClientHelloBuilder.DefaultSignatureSchemes"/>.</summary>
    public IList<ushort> SignatureSchemes { get; set; } = new List<ushort>();

    /// <summary>SNI host name; null or empty sends no server_name extension.</summary>
    public string? ServerName { get; set; }

    /// <summary>ALPN protocol ids ("h2", "http/1.1"); empty sends no ALPN extension.</summary>
    public IList<string> AlpnProtocols { get; set; } = new List<string>();

    /// <summary>TLS 1.3 key shares to send: x25519 is always sent; a real P-256 point is added when true.</summary>
    public bool IncludeP256KeyShare { get; set; } = true;

    /// <summary>
    /// False sends an empty TLS 1.3 key_share list (RFC 8446 §4.2.8 allows it): the server must then answer
    /// with a HelloRetryRequest naming the group it prefers, which is how a prober asks "which group?".
    /// </summary>
    public bool SendKeyShares { get; set; } = true;

    /// <summary>
    /// Signal secure renegotiation (RFC 5746): TLS_EMPTY_RENEGOTIATION_INFO_SCSV in the suite list, which also
    /// works for SSLv3 servers that ignore extensions.
    /// </summary>
    public bool SignalRenegotiation { get; set; } = true;

    /// <summary>Fixed 32-byte client random for reproducible output; null draws a random one.</summary>
    public byte[]? Random { get; set; }

    /// <summary>
    /// compression_methods in preference order (1 = DEFLATE, RFC 3749). Empty offers null only; null (0) is added at the
    /// end when missing, as RFC 5246 7.4.1.2 requires every hello to offer it.
    /// </summary>
    public IList<byte> CompressionMethods { get; set; } = new List<byte>();

    /// <summary>Extensions sent after the builder's own (a check's heartbeat, session_ticket, an unknown type), before any padding.</summary>
    public IList<TlsExtension> ExtraExtensions { get; set; } = new List<TlsExtension>();

    /// <summary>legacy_session_id to send (0-32 bytes, resumption by id); null sends the builder's default.</summary>
    public byte[]? SessionId { get; set; }

    /// <summary>
    /// False sends no padding extension, even for a hello of 256-511 bytes (which the builder pads to 512, RFC 7685,
    /// because some servers hang on those): how the intolerance check asks exactly that question.
    /// </summary>
    public bool PadAwkwardLengths { get; set; } = true;

    /// <summary>
    /// RFC 8701: a GREASE value (<see cref="TlsGrease"/>) first in cipher_suites, supported_groups and
    /// signature_algorithms, and with TLS 1.3 in supported_versions and key_share (a one-byte share); an empty GREASE
    /// extension first and a one-byte one last. What Chrome sends, so that servers keep ignoring unknown values.
    /// </summary>
    public bool Grease { get; set; }
}
