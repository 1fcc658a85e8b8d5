using System.IO;
using System.Threading;
using TlsTools.Catalog;
using TlsTools.Protocol;

namespace TlsTools.Handshake;

/// <summary>
/// Names the key exchange group of a TLS 1.2-or-earlier handshake from the server's plaintext
/// ServerKeyExchange, read from the bytes the engine recorded (BouncyCastle reports the group only for TLS 1.3).
/// </summary>
static class KeyExchangeReader
{
    public static string? GroupOf(HandshakeObservation observation)
    {
        if (observation.ServerSuite == null || observation.ServerProtocol == TlsProtocol.Tls13) return null;
        var flight = new ServerFlight(CipherSuiteCatalog.ServerKeyExchangeOf((ushort)observation.ServerSuite.Value), observation.ServerProtocol ?? TlsProtocol.Tls12);
        if (!flight.CarriesKeyExchange) return null;
        try
        {
            // In memory: the await completes synchronously.
            flight.ReadAsync(new TlsRecordReader(new MemoryStream(observation.ReceivedFlight)), wantCertificates: false, CancellationToken.None)
                .GetAwaiter().GetResult();
        }
        catch (TlsParseException)
        {
            // A flight cut at the capture bound or a malformed message: the group stays unknown.
        }
        var ske = flight.KeyExchange;
        return ske == null ? null : ske.NamedGroup.HasValue ? NamedGroupCatalog.NameOf(ske.NamedGroup.Value) : $"DH {ske.DhPrimeBits}-bit";
    }
}
