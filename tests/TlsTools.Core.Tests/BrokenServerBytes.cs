using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using TlsTools.Protocol;

namespace TlsTools.Core.Tests;

/// <summary>Byte builders for what broken servers send: records, handshake messages, ServerHellos, alerts (RFC 8446 / RFC 5246 layouts).</summary>
internal static class TlsBytes
{
    /// <summary>RFC 8446 §4.1.3: the random that marks a HelloRetryRequest, SHA-256("HelloRetryRequest").</summary>
    public static readonly byte[] HelloRetryRandom =
    {
        0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C, 0x02, 0x1E, 0x65, 0xB8, 0x91,
        0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB, 0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C,
    };

    public static byte[] Record(byte type, byte[] fragment, int? claimed = null) =>
        Concat(new byte[] { type, 3, 3, (byte)((claimed ?? fragment.Length) >> 8), (byte)(claimed ?? fragment.Length) }, fragment);

    public static byte[] Handshake(byte type, byte[] body, int? claimed = null)
    {
        int n = claimed ?? body.Length;
        return Concat(new byte[] { type, (byte)(n >> 16), (byte)(n >> 8), (byte)n }, body);
    }

    public static byte[] HandshakeRecord(byte type, byte[] body, int? claimed = null) => Record(22, Handshake(type, body, claimed));

    public static byte[] Extension(ushort type, byte[] data) => Concat(U16(type), U16(data.Length), data);

    /// <summary>A ServerHello body: legacy_version, random, the echoed session id, suite, null compression, extensions.</summary>
    public static byte[] ServerHelloBody(ushort version, ushort suite, byte[]? sessionId = null, byte[]? random = null, params byte[][] extensions)
    {
        random ??= Enumerable.Range(0, 32).Select(i => (byte)(0xA0 + i)).ToArray();
        sessionId ??= Array.Empty<byte>();
        var ext = Concat(extensions);
        return Concat(U16(version), random, new[] { (byte)sessionId.Length }, sessionId, U16(suite), new byte[] { 0 },
            extensions.Length == 0 ? Array.Empty<byte>() : Concat(U16(ext.Length), ext));
    }

    /// <summary>
    /// A whole TLS 1.2 ServerHello record choosing TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 (0xC02F), with an empty
    /// renegotiation_info (RFC 5746: clients abort without it) and extended_master_secret (RFC 7627).
    /// </summary>
    public static byte[] Tls12ServerHello(ushort suite = 0xC02F, ushort version = 0x0303) =>
        HandshakeRecord(2, ServerHelloBody(version, suite, null, null, Extension(0xFF01, new byte[] { 0 }), Extension(23, Array.Empty<byte>())));

    public static byte[] SupportedVersion(ushort version) => Extension(43, U16(version));
    public static byte[] KeyShare(ushort group, int keyLength) => Extension(51, Concat(U16(group), U16(keyLength), new byte[keyLength]));
    public static byte[] KeyShareRequest(ushort group) => Extension(51, U16(group));

    public static byte[] Alert(byte level, byte description) => Record(21, new[] { level, description });

    public static byte[] U16(int v) => new[] { (byte)(v >> 8), (byte)v };
    public static byte[] U24(int v) => new[] { (byte)(v >> 16), (byte)(v >> 8), (byte)v };

    public static byte[] Concat(params byte[][] parts)
    {
        var all = new byte[parts.Sum(p => p.Length)];
        int at = 0;
        foreach (var p in parts) { Buffer.BlockCopy(p, 0, all, at, p.Length); at += p.Length; }
        return all;
    }
}

/// <summary>
/// A server on 127.0.0.1 that reads each ClientHello and then misbehaves as its script says: real bytes on a real
/// socket, for one test. Every connection runs the script; Dispose stops the listener.
/// </summary>
internal sealed class BrokenServer : IDisposable
{
    readonly TcpListener _listener = new TcpListener(IPAddress.Loopback, 0);
    readonly CancellationTokenSource _stop = new CancellationTokenSource();
    readonly Func<Conversation, Task> _script;

    BrokenServer(Func<Conversation, Task> script)
    {
        _script = script;
        _listener.Start();
        _ = AcceptLoopAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public static BrokenServer Start(Func<Conversation, Task> script) => new BrokenServer(script);

    /// <summary>Reads the ClientHello, sends <paramref name="bytes"/>, then waits for the client to close.</summary>
    public static BrokenServer Sending(params byte[][] bytes) => Start(async c =>
    {
        await c.ReadClientHelloAsync();
        await c.SendAsync(TlsBytes.Concat(bytes));
        await c.DrainAsync();
    });

    async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try { socket = await _listener.AcceptSocketAsync(_stop.Token); }
            catch (Exception e) when (e is OperationCanceledException || e is SocketException || e is ObjectDisposedException) { return; }
            _ = Task.Run(async () =>
            {
                using (socket)
                using (var c = new Conversation(socket, _stop.Token))
                {
                    try { await _script(c); }
                    catch (Exception e) when (e is IOException || e is SocketException || e is OperationCanceledException || e is ObjectDisposedException) { }
                }
            });
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
    }

    internal sealed class Conversation : IDisposable
    {
        readonly CancellationTokenSource _deadline;

        public Conversation(Socket socket, CancellationToken stop)
        {
            Socket = socket;
            Stream = new NetworkStream(socket, ownsSocket: false);
            // No test waits on this: it only stops a script whose client vanished.
            _deadline = CancellationTokenSource.CreateLinkedTokenSource(stop);
            _deadline.CancelAfter(TimeSpan.FromSeconds(60));
        }

        public Socket Socket { get; }
        public NetworkStream Stream { get; }
        CancellationToken Token => _deadline.Token;

        /// <summary>Reads records until a whole ClientHello arrived (skipping a compatibility ChangeCipherSpec); returns it parsed.</summary>
        public async Task<ClientHello> ReadClientHelloAsync()
        {
            var reader = new TlsRecordReader(Stream);
            while (true)
            {
                var message = await reader.ReadMessageAsync(Token) ?? throw new EndOfStreamException();
                if (message.HandshakeType == TlsHandshakeType.ClientHello) return ClientHello.Parse(message.Body);
            }
        }

        public Task SendAsync(byte[] bytes) => Stream.WriteAsync(bytes, 0, bytes.Length, Token);

        /// <summary>Reads and discards until the client closes.</summary>
        public async Task DrainAsync()
        {
            var buffer = new byte[4096];
            while (await Stream.ReadAsync(buffer, 0, buffer.Length, Token) > 0) { }
        }

        /// <summary>Ends TCP with a FIN.</summary>
        public void Close() => Socket.Shutdown(SocketShutdown.Send);

        /// <summary>Ends TCP with a RST (linger 0).</summary>
        public void Reset()
        {
            Socket.LingerState = new LingerOption(true, 0);
            Socket.Close();
        }

        public void Dispose()
        {
            Stream.Dispose();
            _deadline.Dispose();
        }
    }
}
