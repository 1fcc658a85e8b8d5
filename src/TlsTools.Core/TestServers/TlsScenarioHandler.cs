using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;
using TlsTools.Protocol;
using ClientHello = TlsTools.Protocol.ClientHello;

namespace TlsTools.TestServers;

/// <summary>
/// Serves a TLS scenario. It reads and parses the ClientHello itself first, then either hands the connection
/// (ClientHello replayed) to BouncyCastle's server for a real handshake, or, when the suite a legacy server
/// would pick is one no library serves any more, answers on the wire itself.
/// </summary>
internal sealed class TlsScenarioHandler : IConnectionHandler
{
    static readonly byte[] HttpAnswer = Encoding.ASCII.GetBytes(
        "HTTP/1.1 200 OK\r\nServer: TlsTools-TestServer\r\nContent-Type: text/plain\r\nContent-Length: 21\r\nConnection: close\r\n\r\nTlsTools test server\n");

    /// <summary>Any real client sends its ClientHello at once; ten seconds is generous.</summary>
    static readonly TimeSpan HelloTimeout = TimeSpan.FromSeconds(10);

    readonly TlsServing _serving;
    readonly ScenarioPki _pki;
    readonly ServerCredential _credential;
    readonly ServerCredential? _sniCredential;
    /// <summary>The scenario's suites BouncyCastle can serve, in the scenario's order.</summary>
    readonly int[] _libraryServed;
    readonly bool _anyWireOnly;

    public TlsScenarioHandler(TlsServing serving, ScenarioPki pki)
    {
        this._serving = serving;
        this._pki = pki;
        _credential = serving.Credential(pki);
        _sniCredential = serving.SniCredential?.Invoke(pki);
        _libraryServed = LibrarySupport.Filter(serving.Suites);
        _anyWireOnly = _libraryServed.Length < serving.Suites.Count;
    }

    public async Task HandleAsync(ScenarioConnection connection)
    {
        // The reader bounds every length before allocating: a hostile "ClientHello" costs at most one record.
        // A client that connects and trickles (or sends nothing) loses its slot after HelloTimeout.
        TlsMessage? message;
        RecordingStream recording;
        using (var helloDeadline = CancellationTokenSource.CreateLinkedTokenSource(connection.Deadline))
        using (helloDeadline.Token.Register(connection.Socket.Dispose))
        {
            helloDeadline.CancelAfter(HelloTimeout);
            Stream source = connection.Stream;
            if (_serving.Ssl2Kinds != null)
            {
                // SSLv2 enabled beside TLS: the first three bytes tell an SSLv2 CLIENT-HELLO from a TLS record.
                var head = await Ssl2Responder.ReadHeadAsync(connection.Stream, 3, helloDeadline.Token).ConfigureAwait(false);
                if (head == null) return;
                if (Ssl2Responder.IsClientHello(head))
                {
                    await Ssl2Responder.ServeAsync(connection, head, _serving.Ssl2Kinds, _credential, helloDeadline.Token).ConfigureAwait(false);
                    return;
                }
                source = new ReplayStream(head, connection.Stream);
            }
            recording = new RecordingStream(source);
            message = await new TlsRecordReader(recording).ReadMessageAsync(helloDeadline.Token).ConfigureAwait(false);
        }
        if (message == null || message.HandshakeType != TlsHandshakeType.ClientHello) return;   // not TLS: hang up, as servers do
        var hello = ClientHello.Parse(message.Body);
        var refusal = _serving.Refuses?.Invoke(hello, message.Body.Length + 4) ?? Refusal.None;
        if (refusal != Refusal.None)
        {
            await HelloIntolerance.RefuseAsync(connection, refusal).ConfigureAwait(false);
            return;
        }
        if (_serving.Flaw?.Takes(hello) == true)
        {
            await _serving.Flaw.ServeAsync(connection, hello, new LegacyServing(_serving, _credential, _pki)).ConfigureAwait(false);
            return;
        }

        if (_serving.HelloDelay > TimeSpan.Zero)
            await Task.Delay(_serving.HelloDelay, connection.Deadline).ConfigureAwait(false);

        if (_anyWireOnly)
        {
            var choice = LegacyNegotiator.Choose(hello, _serving.Versions, _serving.Suites);
            bool wireSuite = choice.Alert == null && !_libraryServed.Contains(choice.Suite);
            bool refusedWithoutLibrary = choice.Alert != null && _libraryServed.Length == 0;
            if (wireSuite || refusedWithoutLibrary)
            {
                await AnswerOnTheWireAsync(connection, hello, choice).ConfigureAwait(false);
                return;
            }
        }
        var captured = recording.Captured;
        // BouncyCastle's server blocks on the socket: its own thread, so that many connections never starve the pool.
        await Task.Factory.StartNew(() => ServeWithBouncyCastle(connection, captured), CancellationToken.None,
            TaskCreationOptions.LongRunning, TaskScheduler.Default).ConfigureAwait(false);
    }

    async Task AnswerOnTheWireAsync(ScenarioConnection connection, ClientHello hello, LegacyChoice choice)
    {
        var bytes = choice.Alert == null ? LegacyFlight.Build(hello, choice, _credential, () => _pki.ExportRsaKey) : LegacyFlight.Alert(choice);
        await connection.Stream.WriteAsync(bytes, 0, bytes.Length, connection.Deadline).ConfigureAwait(false);
        // The client's key exchange (or its alert) comes next; we cannot go on, so hang up once it arrives.
        await RawSteps.ReadFirstBytesAsync(connection).ConfigureAwait(false);
    }

    void ServeWithBouncyCastle(ScenarioConnection connection, byte[] clientHello)
    {
        var server = new ScenarioTlsServer(new BcTlsCrypto(new SecureRandom()), _serving, _credential, _sniCredential, _libraryServed);
        var protocol = new TlsServerProtocol(new ReplayStream(clientHello, connection.Stream));
        try
        {
            protocol.Accept(server);
            // Answer one request, so curl and browsers see a page; then close_notify.
            var buffer = new byte[4096];
            if (protocol.Stream.Read(buffer, 0, buffer.Length) > 0)
                protocol.Stream.Write(HttpAnswer, 0, HttpAnswer.Length);
            protocol.Close();
        }
        catch (Exception ex) when (ex is IOException || ex is TlsException || ex is ObjectDisposedException)
        {
            // The client went away or the handshake failed as the scenario intends; the alert has been sent.
        }
    }
}

/// <summary>Which suites BouncyCastle's server can negotiate with its own crypto (RC4, DES and export are gone).</summary>
internal static class LibrarySupport
{
    static readonly BcTlsCrypto Crypto = new BcTlsCrypto(new SecureRandom());

    public static int[] Filter(System.Collections.Generic.IEnumerable<int> suites) =>
        suites.Where(s => TlsUtilities.GetSupportedCipherSuites(Crypto, new[] { s }).Length == 1).ToArray();
}
