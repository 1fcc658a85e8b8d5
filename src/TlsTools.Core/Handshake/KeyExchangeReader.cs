using System.IO;
using System.Threading;
using TlsTools.Catalog;
using TlsTools.Protocol;

namespace TlsTools.Handshake
{
    /// <summary>
    /// Names the key exchange group of a TLS 1.2-or-earlier handshake from the server's plaintext
    /// ServerKeyExchange (BouncyCastle reports the group only for TLS 1.3).
    /// </summary>
    static class KeyExchangeReader
    {
        public static string GroupOf(HandshakeObservation observation)
        {
            if (observation.ServerSuite == null || observation.ServerProtocol == TlsProtocol.Tls13) return null;
            if (!CipherSuiteCatalog.TryGet((ushort)observation.ServerSuite.Value, out var suite) ||
                !ServerKeyExchange.TryGetKind(suite.KeyExchange, out var kind))
                return null;
            try
            {
                var reader = new TlsRecordReader(new MemoryStream(observation.ReceivedFlight));
                for (TlsMessage message; (message = reader.ReadMessageAsync(CancellationToken.None).GetAwaiter().GetResult()) != null;)
                {
                    if (message.ContentType != TlsContentType.Handshake) return null; // change_cipher_spec: past the plaintext
                    if (message.HandshakeType != TlsHandshakeType.ServerKeyExchange) continue;
                    var ske = ServerKeyExchange.Parse(message.Body, kind, observation.ServerProtocol ?? TlsProtocol.Tls12);
                    return ske.NamedGroup.HasValue ? NamedGroupCatalog.NameOf(ske.NamedGroup.Value) : $"DH {ske.DhPrimeBits}-bit";
                }
            }
            catch (TlsParseException)
            {
                // A flight cut at the capture bound or a malformed message: the group stays unknown.
            }
            return null;
        }
    }
}
