using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace TlsTools.Protocol;

/// <summary>
/// The plaintext part of a TLS 1.2-or-earlier server flight after the ServerHello: the Certificate message
/// (the chain, DER, leaf first) and, for an (EC)DHE suite, the ServerKeyExchange (group, DH size). Filled as
/// the messages are read, so whatever arrived before a reader stopped (deadline, reset, garbage) is kept.
/// The probes read it off the wire; the managed engine's observation reads it from the bytes it recorded.
/// </summary>
public sealed class ServerFlight
{
    /// <summary>
    /// Handshake messages read while looking for what is wanted. A real server sends the ServerHello,
    /// Certificate, CertificateStatus, ServerKeyExchange, CertificateRequest, ServerHelloDone: a handful. More
    /// is a hostile peer.
    /// </summary>
    public const int MaxMessages = 8;

    readonly TlsProtocol _version;
    readonly ServerKeyExchangeKind _kind;

    /// <param name="keyExchange">The shape of the suite's ServerKeyExchange; null for a suite that sends none (the caller
    /// knows the suite from the catalog: CipherSuiteCatalog.ServerKeyExchangeOf).</param>
    public ServerFlight(ServerKeyExchangeKind? keyExchange, TlsProtocol version)
    {
        this._version = version == TlsProtocol.None ? TlsProtocol.Tls12 : version;
        CarriesKeyExchange = keyExchange.HasValue;
        _kind = keyExchange.GetValueOrDefault();
    }

    /// <summary>The suite's key exchange sends a ServerKeyExchange ((EC)DHE); RSA key exchange sends none.</summary>
    public bool CarriesKeyExchange { get; }
    /// <summary>The Certificate message's chain; null until it has been read.</summary>
    public IReadOnlyList<byte[]>? Certificates { get; private set; }
    /// <summary>The ServerKeyExchange; null until it has been read (and always for a suite that sends none).</summary>
    public ServerKeyExchange? KeyExchange { get; private set; }

    /// <summary>
    /// Reads messages until the flight ends (ServerHelloDone, a record that is not a handshake message, the end
    /// of the stream) or everything wanted has been read. Earlier messages (the ServerHello itself) are skipped.
    /// Throws as the reader does; what was read before stays in the properties.
    /// </summary>
    public async Task ReadAsync(TlsRecordReader reader, bool wantCertificates, CancellationToken ct)
    {
        for (int i = 0; i < MaxMessages && !HasAll(wantCertificates); i++)
        {
            var message = await reader.ReadMessageAsync(ct).ConfigureAwait(false);
            if (message == null || message.ContentType != TlsContentType.Handshake) return;   // change_cipher_spec: past the plaintext
            if (message.HandshakeType == TlsHandshakeType.ServerHelloDone) return;
            if (message.HandshakeType == TlsHandshakeType.Certificate && wantCertificates)
                Certificates = CertificateMessage.Parse(message.Body);
            if (message.HandshakeType == TlsHandshakeType.ServerKeyExchange && CarriesKeyExchange)
                KeyExchange = ServerKeyExchange.Parse(message.Body, _kind, _version);
        }
    }

    bool HasAll(bool wantCertificates) =>
        (!wantCertificates || Certificates != null) && (!CarriesKeyExchange || KeyExchange != null);
}
