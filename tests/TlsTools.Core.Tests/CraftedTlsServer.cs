using System;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using TlsTools.Protocol;

namespace TlsTools.Core.Tests;

/// <summary>
/// A TCP server on 127.0.0.1 whose every connection runs the test's conversation, written in records and messages: what a
/// server with a flaw no library has would send. After the conversation the connection is held open (a server that
/// says nothing more) until Dispose, unless the conversation resets it. The check tests share it.
/// </summary>
internal sealed class CraftedTlsServer : IDisposable
{
    readonly TcpListener _listener;
    readonly CancellationTokenSource _stop = new CancellationTokenSource();

    /// <summary>One accepted connection: its stream, a record reader over it, and the server's stop token.</summary>
    internal sealed class Conversation
    {
        internal Conversation(TcpClient client, CancellationToken stop)
        {
            Client = client;
            Stream = client.GetStream();
            Reader = new TlsRecordReader(Stream);
            Stop = stop;
        }

        public TcpClient Client { get; }
        public NetworkStream Stream { get; }
        public TlsRecordReader Reader { get; }
        public CancellationToken Stop { get; }
        /// <summary>Set by the conversation to end the connection with a TCP reset instead of holding it.</summary>
        public bool Reset { get; set; }

        public Task SendAsync(byte[]? bytes) => bytes == null ? Task.CompletedTask : Stream.WriteAsync(bytes, 0, bytes.Length);
        public async Task<ClientHello> ReadClientHelloAsync() => ClientHello.Parse((await Reader.ReadMessageAsync(Stop))!.Body);
    }

    CraftedTlsServer(Func<Conversation, Task> converse)
    {
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _ = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client;
                try { client = await _listener.AcceptTcpClientAsync(); } catch (Exception) { return; }
                _ = Task.Run(() => ServeAsync(client, converse));
            }
        });
    }

    async Task ServeAsync(TcpClient client, Func<Conversation, Task> converse)
    {
        using (client)
        {
            var conversation = new Conversation(client, _stop.Token);
            try
            {
                await converse(conversation);
                if (conversation.Reset)
                {
                    client.Client.LingerState = new LingerOption(true, 0);   // Dispose closes with RST
                    return;
                }
                await Task.Delay(Timeout.Infinite, _stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException || e is IOException || e is SocketException || e is ObjectDisposedException || e is TlsParseException) { }
        }
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>A server that runs <paramref name="converse"/> on every connection.</summary>
    public static CraftedTlsServer Start(Func<Conversation, Task> converse) => new CraftedTlsServer(converse);

    /// <summary>
    /// A server that reads one ClientHello and sends what <paramref name="answer"/> makes of it (null: nothing), then holds
    /// the connection, or resets it when <paramref name="resetAfterAnswer"/>.
    /// </summary>
    public static CraftedTlsServer AnswerHello(Func<ClientHello, byte[]?> answer, bool resetAfterAnswer = false) => new CraftedTlsServer(async c =>
    {
        await c.SendAsync(answer(await c.ReadClientHelloAsync()));
        c.Reset = resetAfterAnswer;
    });

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
    }
}
