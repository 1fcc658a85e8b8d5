using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using TlsTools.Net;
using TlsTools.Net.StartTls;
using Xunit;

namespace TlsTools.Core.Tests;

/// <summary>
/// Each STARTTLS dialect against a scripted peer on 127.0.0.1 that speaks the server side, then records the
/// next bytes: the connector must hand over the socket exactly where the ClientHello belongs.
/// </summary>
public class NetStartTlsTests
{
    static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    sealed class ScriptedPeer : IDisposable
    {
        readonly TcpListener _listener = new TcpListener(IPAddress.Loopback, 0);
        public Task<string?> AfterDialogue { get; }
        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public ScriptedPeer(Func<Stream, Task<bool>> script)
        {
            _listener.Start();
            AfterDialogue = Task.Run(async () =>
            {
                using (var client = await _listener.AcceptTcpClientAsync())
                using (var stream = client.GetStream())
                {
                    if (!await script(stream)) { await Task.Delay(200); return null; }
                    var buffer = new byte[5];
                    int n = 0;
                    while (n < 5) { int r = await stream.ReadAsync(buffer, n, 5 - n); if (r == 0) break; n += r; }
                    return Encoding.ASCII.GetString(buffer, 0, n);
                }
            });
        }

        public void Dispose() => _listener.Stop();
    }

    static async Task<string> ReadLine(Stream s)
    {
        var sb = new StringBuilder();
        var b = new byte[1];
        while (await s.ReadAsync(b, 0, 1) == 1 && b[0] != '\n') sb.Append((char)b[0]);
        return sb.ToString().TrimEnd('\r');
    }

    static Task Send(Stream s, string text) => Send(s, Encoding.ASCII.GetBytes(text));
    static async Task Send(Stream s, byte[] bytes) { await s.WriteAsync(bytes, 0, bytes.Length); await s.FlushAsync(); }

    static async Task<TransportOutcome> Connect(ScriptedPeer peer, StartTlsProtocol protocol)
    {
        var options = new ConnectionOptions { StartTls = protocol, NoProxy = true, ServerName = "mail.test" };
        return await TransportConnector.ConnectAsync(new TargetEndpoint("127.0.0.1", peer.Port, true), options, Timeout, CancellationToken.None);
    }

    static async Task AssertHandsOverAtClientHello(ScriptedPeer peer, TransportOutcome outcome)
    {
        Assert.Equal(TransportError.None, outcome.Error);
        Assert.NotNull(outcome.Socket);
        using (outcome.Socket)
        {
            outcome.Socket.Send(Encoding.ASCII.GetBytes("HELLO"));
            Assert.Equal("HELLO", await peer.AfterDialogue.WaitAsync(Timeout));
        }
    }

    [Fact]
    public async Task Smtp_EhloListsStartTls_SwitchesAfter220()
    {
        using (var peer = new ScriptedPeer(async s =>
        {
            await Send(s, "220-mail.test ESMTP\r\n220 second greeting line\r\n");
            Assert.Equal("EHLO " + CodedReplyDialect.EhloName, await ReadLine(s));
            await Send(s, "250-mail.test\r\n250-PIPELINING\r\n250-STARTTLS\r\n250 8BITMIME\r\n");
            Assert.Equal("STARTTLS", await ReadLine(s));
            await Send(s, "220 2.0.0 Ready to start TLS\r\n");
            return true;
        }))
        {
            var outcome = await Connect(peer, StartTlsProtocol.Smtp);
            Assert.Equal(StartTlsProtocol.Smtp, outcome.StartTls);
            await AssertHandsOverAtClientHello(peer, outcome);
        }
    }

    [Fact]
    public async Task Smtp_WithoutStartTls_IsNotOfferedWithTheEhloReplyAsEvidence()
    {
        using (var peer = new ScriptedPeer(async s =>
        {
            await Send(s, "220 mail.test ESMTP\r\n");
            await ReadLine(s);
            await Send(s, "250-mail.test\r\n250 PIPELINING\r\n");
            return false;
        }))
        {
            var outcome = await Connect(peer, StartTlsProtocol.Smtp);
            Assert.Equal(TransportError.StartTlsNotOffered, outcome.Error);
            Assert.Null(outcome.Socket);
            Assert.Contains("STARTTLS is not among the extensions the server lists", outcome.Message);
            Assert.Contains("250-mail.test | 250 PIPELINING", outcome.Message);
        }
    }

    [Fact]
    public async Task Imap_TaggedOk()
    {
        using (var peer = new ScriptedPeer(async s =>
        {
            await Send(s, "* OK [CAPABILITY IMAP4rev1 STARTTLS] ready\r\n");
            Assert.Equal("T1 STARTTLS", await ReadLine(s));
            await Send(s, "T1 OK Begin TLS negotiation now\r\n");
            return true;
        }))
            await AssertHandsOverAtClientHello(peer, await Connect(peer, StartTlsProtocol.Imap));
    }

    [Fact]
    public async Task Imap_Bad_IsNotOffered()
    {
        using (var peer = new ScriptedPeer(async s =>
        {
            await Send(s, "* OK ready\r\n");
            await ReadLine(s);
            await Send(s, "T1 BAD Unknown command\r\n");
            return false;
        }))
        {
            var outcome = await Connect(peer, StartTlsProtocol.Imap);
            Assert.Equal(TransportError.StartTlsNotOffered, outcome.Error);
            Assert.Equal("T1 BAD Unknown command", outcome.Reply);
        }
    }

    [Fact]
    public async Task Pop3_Stls()
    {
        using (var peer = new ScriptedPeer(async s =>
        {
            await Send(s, "+OK POP3 ready\r\n");
            Assert.Equal("STLS", await ReadLine(s));
            await Send(s, "+OK Begin TLS\r\n");
            return true;
        }))
            await AssertHandsOverAtClientHello(peer, await Connect(peer, StartTlsProtocol.Pop3));
    }

    [Fact]
    public async Task Ftp_AuthTls()
    {
        using (var peer = new ScriptedPeer(async s =>
        {
            await Send(s, "220 FTP ready\r\n");
            Assert.Equal("AUTH TLS", await ReadLine(s));
            await Send(s, "234 AUTH TLS successful\r\n");
            return true;
        }))
            await AssertHandsOverAtClientHello(peer, await Connect(peer, StartTlsProtocol.Ftp));
    }

    [Fact]
    public async Task Ldap_ExtendedResponseSuccess()
    {
        using (var peer = new ScriptedPeer(async s =>
        {
            var request = new byte[LdapDialect.BuildRequest().Length];
            int n = 0;
            while (n < request.Length) n += await s.ReadAsync(request, n, request.Length - n);
            Assert.Equal(LdapDialect.BuildRequest(), request);
            // What slapd answers: LDAPMessage { 1, ExtendedResponse { success, "", "" , responseName } }.
            await Send(s, new byte[] { 0x30, 0x24, 0x02, 0x01, 0x01, 0x78, 0x1F, 0x0A, 0x01, 0x00, 0x04, 0x00, 0x04, 0x00, 0x8A, 0x16 }
                .Concat(Encoding.ASCII.GetBytes("1.3.6.1.4.1.1466.20037")).ToArray());
            return true;
        }))
            await AssertHandsOverAtClientHello(peer, await Connect(peer, StartTlsProtocol.Ldap));
    }

    [Fact]
    public void Ldap_RequestIsTheStartTlsExtendedOperation()
    {
        var bytes = LdapDialect.BuildRequest();
        Assert.Equal(new byte[] { 0x30, 0x1D, 0x02, 0x01, 0x01, 0x77, 0x18, 0x80, 0x16 }, bytes[..9]);
        Assert.Equal("1.3.6.1.4.1.1466.20037", Encoding.ASCII.GetString(bytes, 9, 22));
    }

    [Fact]
    public void Ldap_ProtocolErrorIsNotOffered()
    {
        var body = new byte[] { 0x02, 0x01, 0x01, 0x78, 0x1D, 0x0A, 0x01, 0x02, 0x04, 0x00, 0x04, 0x16 }
            .Concat(Encoding.ASCII.GetBytes("unsupported extended op")).ToArray();
        body[4] = (byte)(body.Length - 5);
        body[11] = (byte)(body.Length - 12);
        var result = LdapDialect.Interpret(body);
        Assert.False(result.Opened);
        Assert.Equal("protocolError (2): unsupported extended op", result.Reply);
    }

    [Fact]
    public async Task Xmpp_StarttlsFeatureAndProceed()
    {
        using (var peer = new ScriptedPeer(async s =>
        {
            var head = new StringBuilder();
            var b = new byte[1];
            while (!head.ToString().EndsWith("version='1.0'>") && await s.ReadAsync(b, 0, 1) == 1) head.Append((char)b[0]);
            Assert.Contains("to='mail.test'", head.ToString());
            await Send(s, "<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' id='1' from='mail.test' version='1.0'>" +
                          "<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism></mechanisms></stream:features>");
            var ask = new byte["<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>".Length];
            int n = 0;
            while (n < ask.Length) n += await s.ReadAsync(ask, n, ask.Length - n);
            await Send(s, "<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
            return true;
        }))
            await AssertHandsOverAtClientHello(peer, await Connect(peer, StartTlsProtocol.Xmpp));
    }

    [Fact]
    public async Task Postgres_AnswersNWhenSslIsOff()
    {
        using (var peer = new ScriptedPeer(async s =>
        {
            var request = new byte[8];
            int n = 0;
            while (n < 8) n += await s.ReadAsync(request, n, 8 - n);
            Assert.Equal(DatabaseDialects.PostgresSslRequest, request);
            await Send(s, new[] { (byte)'N' });
            return false;
        }))
        {
            var outcome = await Connect(peer, StartTlsProtocol.Postgres);
            Assert.Equal(TransportError.StartTlsNotOffered, outcome.Error);
            Assert.Contains("'N': ssl = off", outcome.Message);
        }
    }

    static byte[] MySqlGreeting(bool ssl)
    {
        // Protocol::HandshakeV10 as MySQL 8 sends it (capability bits trimmed to what matters here).
        var payload = new System.Collections.Generic.List<byte> { 10 };
        payload.AddRange(Encoding.ASCII.GetBytes("8.0.36\0"));
        payload.AddRange(new byte[] { 1, 0, 0, 0 });
        payload.AddRange(Encoding.ASCII.GetBytes("abcdefgh"));
        payload.Add(0);
        ushort lower = (ushort)(0x0200 | 0x8000 | (ssl ? 0x0800 : 0));
        payload.AddRange(new[] { (byte)lower, (byte)(lower >> 8), (byte)45, (byte)2, (byte)0, (byte)0x08, (byte)0 });
        payload.AddRange(new byte[11]);
        var packet = new System.Collections.Generic.List<byte> { (byte)payload.Count, 0, 0, 0 };
        packet.AddRange(payload);
        return packet.ToArray();
    }

    [Fact]
    public async Task MySql_SslRequestFollowsTheGreeting()
    {
        using (var peer = new ScriptedPeer(async s =>
        {
            await Send(s, MySqlGreeting(ssl: true));
            var request = new byte[36];
            int n = 0;
            while (n < 36) n += await s.ReadAsync(request, n, 36 - n);
            Assert.Equal(new byte[] { 32, 0, 0, 1 }, request[..4]);
            Assert.Equal(0x0800, (request[4] | request[5] << 8) & 0x0800);
            return true;
        }))
            await AssertHandsOverAtClientHello(peer, await Connect(peer, StartTlsProtocol.MySql));
    }

    [Fact]
    public async Task MySql_WithoutClientSsl_IsNotOffered()
    {
        using (var peer = new ScriptedPeer(async s => { await Send(s, MySqlGreeting(ssl: false)); return false; }))
        {
            var outcome = await Connect(peer, StartTlsProtocol.MySql);
            Assert.Equal(TransportError.StartTlsNotOffered, outcome.Error);
            Assert.Contains("server 8.0.36", outcome.Message);
            Assert.Contains("lacks the CLIENT_SSL capability", outcome.Message);
        }
    }

    [Fact]
    public async Task SilentPeer_IsNotOfferedWithinTheDeadline()
    {
        using (var peer = new ScriptedPeer(async s => { await Task.Delay(8000); return false; }))
        {
            var options = new ConnectionOptions { StartTls = StartTlsProtocol.Smtp, NoProxy = true };
            var outcome = await TransportConnector.ConnectAsync(new TargetEndpoint("127.0.0.1", peer.Port, true), options, TimeSpan.FromSeconds(3), CancellationToken.None);
            Assert.Equal(TransportError.StartTlsNotOffered, outcome.Error);
            // The dialogue gets what is left of the 3 s after the connect: "within 3 s", or "2.9 s" on a loaded machine, and
            // once "1.x s" on two cores shared by four builds (with a 1 s budget, the connect under a fully parallel suite
            // once left too little for the dialogue: Timeout).
            Assert.Matches(@"did not finish the Smtp dialogue within (3|[12]\.\d) s, having sent nothing", outcome.Message);
        }
    }

    [Theory]
    [InlineData(25, StartTlsProtocol.Smtp)]
    [InlineData(587, StartTlsProtocol.Smtp)]
    [InlineData(143, StartTlsProtocol.Imap)]
    [InlineData(110, StartTlsProtocol.Pop3)]
    [InlineData(21, StartTlsProtocol.Ftp)]
    [InlineData(389, StartTlsProtocol.Ldap)]
    [InlineData(5222, StartTlsProtocol.Xmpp)]
    [InlineData(5432, StartTlsProtocol.Postgres)]
    [InlineData(3306, StartTlsProtocol.MySql)]
    [InlineData(443, StartTlsProtocol.None)]
    [InlineData(465, StartTlsProtocol.None)]
    public void AutoChoosesFromTheWellKnownPort(int port, StartTlsProtocol expected)
    {
        Assert.Equal(expected, StartTlsNegotiator.Resolve(StartTlsProtocol.Auto, port));
        Assert.Equal(StartTlsProtocol.Imap, StartTlsNegotiator.Resolve(StartTlsProtocol.Imap, port));
    }
}
