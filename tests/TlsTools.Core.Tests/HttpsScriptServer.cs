using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace TlsTools.Core.Tests;

/// <summary>
/// A real HTTPS server on 127.0.0.1 (.NET's SslStream, ALPN http/1.1) whose answers a test scripts byte for byte:
/// each connection is handed to the script after the handshake. It counts connections and records every request
/// head, so a test can assert what the client sent and that it opened no second connection.
/// </summary>
internal sealed class HttpsScriptServer : IDisposable
{
    /// <summary>No script runs longer: a client that never closes cannot keep the test waiting.</summary>
    static readonly TimeSpan ConnectionLimit = TimeSpan.FromSeconds(30);
    static readonly Lazy<X509Certificate2> Certificate = new Lazy<X509Certificate2>(CreateCertificate);

    readonly TcpListener _listener = new TcpListener(IPAddress.Loopback, 0);
    readonly Func<Conversation, Task> _script;
    readonly CancellationTokenSource _stop = new CancellationTokenSource();
    int _connections;

    public HttpsScriptServer(Func<Conversation, Task> script)
    {
        _script = script;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _ = AcceptLoopAsync();
    }

    public int Port { get; }
    public int Connections => Volatile.Read(ref _connections);
    /// <summary>Every request head received (request line and header lines, CRLF-separated), in order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new ConcurrentQueue<string>();

    /// <summary>Answers every request with <paramref name="responses"/> in turn (the last one repeated).</summary>
    public static HttpsScriptServer Answering(params string[] responses) => new HttpsScriptServer(async c =>
    {
        for (int i = 0; await c.ReadRequestAsync() != null; i++)
            await c.WriteAsync(responses[Math.Min(i, responses.Length - 1)]);
    });

    async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception) { return; }
            Interlocked.Increment(ref _connections);
            _ = ServeAsync(client);
        }
    }

    async Task ServeAsync(TcpClient client)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        limit.CancelAfter(ConnectionLimit);
        using var closeAtLimit = limit.Token.Register(client.Dispose);
        using (client)
        using (var tls = new SslStream(client.GetStream()))
        {
            try
            {
                await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
                {
                    ServerCertificate = Certificate.Value,
                    ApplicationProtocols = new List<SslApplicationProtocol> { SslApplicationProtocol.Http11 },
                }, limit.Token);
                await _script(new Conversation(this, tls, client.Client, limit.Token));
            }
            catch (Exception ex) when (ex is IOException || ex is OperationCanceledException || ex is ObjectDisposedException || ex is SocketException || ex is System.Security.Authentication.AuthenticationException)
            {
                // The client went away (it closes once it has what it needs), or the limit passed.
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
    }

    static X509Certificate2 CreateCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var made = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        // Through PKCS#12 so the key is usable by SslStream on every platform.
        return X509CertificateLoader.LoadPkcs12(made.Export(X509ContentType.Pfx), null);
    }

    /// <summary>One connection, after its handshake.</summary>
    internal sealed class Conversation
    {
        readonly HttpsScriptServer _server;
        readonly Socket _socket;
        readonly byte[] _one = new byte[1];

        public Conversation(HttpsScriptServer server, SslStream tls, Socket socket, CancellationToken limit)
        {
            _server = server;
            Tls = tls;
            _socket = socket;
            Limit = limit;
        }

        public SslStream Tls { get; }
        public CancellationToken Limit { get; }

        /// <summary>The next request head (up to the empty line, at most 16 KiB); null when the client closed.</summary>
        public async Task<string?> ReadRequestAsync()
        {
            var head = new StringBuilder();
            while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
            {
                if (head.Length > 16 * 1024) throw new IOException("request head too long");
                if (await Tls.ReadAsync(_one, 0, 1, Limit) == 0) return null;
                head.Append((char)_one[0]);
            }
            var request = head.ToString(0, head.Length - 4);
            _server.Requests.Enqueue(request);
            return request;
        }

        public Task WriteAsync(string text) => WriteAsync(Encoding.ASCII.GetBytes(text));

        public async Task WriteAsync(byte[] bytes)
        {
            await Tls.WriteAsync(bytes, 0, bytes.Length, Limit);
            await Tls.FlushAsync(Limit);
        }

        /// <summary>Sends close_notify, then waits for the client to close.</summary>
        public async Task CloseNotifyAsync()
        {
            await Tls.ShutdownAsync();
            while (await Tls.ReadAsync(_one, 0, 1, Limit) > 0) { }
        }

        /// <summary>Ends the TCP stream (FIN) with no close_notify, then waits for the client to close.</summary>
        public async Task EndWithoutCloseNotifyAsync()
        {
            _socket.Shutdown(SocketShutdown.Send);
            while (await Tls.ReadAsync(_one, 0, 1, Limit) > 0) { }
        }

        /// <summary>Writes <paramref name="piece"/> over and over until the client goes away (or the limit passes).</summary>
        public async Task WriteForeverAsync(string piece)
        {
            var bytes = Encoding.ASCII.GetBytes(piece);
            while (true) await WriteAsync(bytes);
        }
    }
}
