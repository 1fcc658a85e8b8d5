using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Sockets;
using System.Threading.Tasks;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Agreement;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Macs;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;
using TlsTools.Protocol;

namespace TlsTools.Assessment.Checks;

/// <summary>How one handshake of a <see cref="Tls12ProbeSession"/> ended.</summary>
internal enum ProbeHandshakeEnd
{
    /// <summary>Both Finished messages crossed and the server's verified.</summary>
    Completed,
    /// <summary>The server answered with an alert (Alert and Detail say which).</summary>
    Alert,
    /// <summary>The server closed or reset the connection.</summary>
    Closed,
    /// <summary>Nothing within the deadline.</summary>
    Timeout,
    /// <summary>Something this client does not speak, or a message that breaks the protocol (Detail says what).</summary>
    Failed,
}

internal sealed class ProbeHandshakeResult
{
    public ProbeHandshakeResult(ProbeHandshakeEnd end, string detail, byte? alert = null) { End = end; Detail = detail; Alert = alert; }
    public ProbeHandshakeEnd End { get; }
    public string Detail { get; }
    /// <summary>The alert description, when End is Alert.</summary>
    public byte? Alert { get; }
}

/// <summary>
/// The smallest TLS 1.2 client that can renegotiate, which BouncyCastle's TLS client cannot (it only refuses): one
/// key exchange (ECDHE over X25519), one record protection (AES-128-GCM, RFC 5288), SHA-256 PRF (RFC 5246 5),
/// extended master secret when the server agrees (RFC 7627), and RFC 5746's renegotiation_info carrying the previous
/// Finished. The server's certificate and signature are not verified: a check asks how the server behaves, it sends
/// no secrets. Every read goes through the connection's deadline and bounds; nothing it does throws for what the
/// server sends.
/// </summary>
internal sealed class Tls12ProbeSession
{
    /// <summary>TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256.</summary>
    public static readonly ushort[] Suites = { 0xC02F, 0xC02B };
    const ushort X25519 = 0x001D;
    const int MaxHandshakeMessage = 1 << 17;   // a certificate chain fits; a hostile length does not
    const int TagLength = 16, ExplicitNonceLength = 8;
    /// <summary>Records one handshake may take: a real one needs under ten; a server that streams HelloRequests or data never ends it.</summary>
    const int MaxRecordsPerHandshake = 64;
    static readonly SecureRandom Random = new SecureRandom();

    readonly CheckConnection _connection;
    readonly string? _serverName;
    readonly List<byte> _handshakeBytes = new List<byte>();
    RecordKeys? _read, _write;
    int _recordsThisHandshake;
    byte[] _clientVerify = Array.Empty<byte>();

    public Tls12ProbeSession(CheckConnection connection, string? serverName) { _connection = connection; _serverName = serverName; }

    /// <summary>True once a first handshake completed: the next <see cref="HandshakeAsync"/> is a renegotiation.</summary>
    public bool Established { get; private set; }
    /// <summary>Whether the first ServerHello carried renegotiation_info.</summary>
    public bool ServerSecureRenegotiation { get; private set; }

    public async Task<ProbeHandshakeResult> HandshakeAsync()
    {
        var transcript = new MemoryStream();
        _recordsThisHandshake = 0;
        var hello = ClientHelloBuilder.Build(new ClientHelloOptions
        {
            Versions = TlsProtocol.Tls12,
            CipherSuites = Suites.ToList(),
            NamedGroups = { X25519 },
            ServerName = _serverName,
            // RFC 5746 3.5: the SCSV in a first hello only; a renegotiating hello carries the extension with the previous client Finished.
            SignalRenegotiation = !Established,
            ExtraExtensions = Established && ServerSecureRenegotiation
                ? new List<TlsExtension> { new TlsExtension(TlsExtensionType.RenegotiationInfo, new[] { (byte)_clientVerify.Length }.Concat(_clientVerify).ToArray()) }
                : new List<TlsExtension>(),
        });
        var helloMessage = hello.Skip(5).ToArray();   // one record: a hello of a few hundred bytes
        if (!await SendAsync(TlsContentType.Handshake, helloMessage).ConfigureAwait(false)) return Ended(ProbeHandshakeEnd.Closed, "the connection closed before the ClientHello was sent");
        transcript.Write(helloMessage, 0, helloMessage.Length);

        var serverHello = await ExpectAsync(TlsHandshakeType.ServerHello, transcript).ConfigureAwait(false);
        if (serverHello.Result != null) return serverHello.Result;
        ServerHello sh;
        try { sh = ServerHello.Parse(serverHello.Body!); }
        catch (TlsParseException e) { return Ended(ProbeHandshakeEnd.Failed, "the ServerHello does not parse: " + e.Message); }
        if (sh.Version != TlsProtocol.Tls12 || !Suites.Contains(sh.CipherSuite))
            return Ended(ProbeHandshakeEnd.Failed, $"the server chose version 0x{sh.VersionCode:X4} and suite 0x{sh.CipherSuite:X4}, not TLS 1.2 with ECDHE AES-128-GCM");
        if (!Established) ServerSecureRenegotiation = sh.HasExtension(TlsExtensionType.RenegotiationInfo);
        bool extendedMasterSecret = sh.HasExtension(TlsExtensionType.ExtendedMasterSecret);

        ServerKeyExchange? keyExchange = null;
        while (true)
        {
            var next = await ReadHandshakeAsync(transcript).ConfigureAwait(false);
            if (next.Result != null) return next.Result;
            if (next.Type == TlsHandshakeType.ServerHelloDone) break;
            if (next.Type == TlsHandshakeType.CertificateRequest) return Ended(ProbeHandshakeEnd.Failed, "the server asks for a client certificate");
            if (next.Type == TlsHandshakeType.ServerKeyExchange)
            {
                try { keyExchange = ServerKeyExchange.Parse(next.Body!, ServerKeyExchangeKind.Ecdhe); }
                catch (TlsParseException e) { return Ended(ProbeHandshakeEnd.Failed, "the ServerKeyExchange does not parse: " + e.Message); }
            }
            else if (next.Type != TlsHandshakeType.Certificate && next.Type != TlsHandshakeType.CertificateStatus)
                return Ended(ProbeHandshakeEnd.Failed, $"unexpected {next.Type} before ServerHelloDone");
        }
        if (keyExchange?.NamedGroup != X25519 || keyExchange.PublicKey.Length != 32)
            return Ended(ProbeHandshakeEnd.Failed, "the ServerKeyExchange is not an X25519 share");

        var priv = new X25519PrivateKeyParameters(Random);
        var premaster = new byte[32];
        try
        {
            var agreement = new X25519Agreement();
            agreement.Init(priv);
            agreement.CalculateAgreement(new X25519PublicKeyParameters(keyExchange.PublicKey, 0), premaster, 0);
        }
        catch (InvalidOperationException) { return Ended(ProbeHandshakeEnd.Failed, "the server's X25519 share is degenerate"); }
        var clientKeyExchange = ClientHelloBuilder.HandshakeMessage(TlsHandshakeType.ClientKeyExchange,
            new[] { (byte)32 }.Concat(priv.GeneratePublicKey().GetEncoded()).ToArray());
        transcript.Write(clientKeyExchange, 0, clientKeyExchange.Length);
        if (!await SendAsync(TlsContentType.Handshake, clientKeyExchange).ConfigureAwait(false)) return Ended(ProbeHandshakeEnd.Closed, "the connection closed at ClientKeyExchange");

        var master = extendedMasterSecret
            ? Prf(premaster, "extended master secret", Sha256(transcript), 48)
            : Prf(premaster, "master secret", ClientRandom(helloMessage).Concat(sh.Random).ToArray(), 48);
        var block = Prf(master, "key expansion", sh.Random.Concat(ClientRandom(helloMessage)).ToArray(), 40);
        var clientKeys = new RecordKeys(block.Take(16).ToArray(), block.Skip(32).Take(4).ToArray());
        var serverKeys = new RecordKeys(block.Skip(16).Take(16).ToArray(), block.Skip(36).Take(4).ToArray());

        if (!await SendAsync(TlsContentType.ChangeCipherSpec, new byte[] { 1 }).ConfigureAwait(false)) return Ended(ProbeHandshakeEnd.Closed, "the connection closed at ChangeCipherSpec");
        _write = clientKeys;
        var clientVerify = Prf(master, "client finished", Sha256(transcript), 12);
        var finished = ClientHelloBuilder.HandshakeMessage(TlsHandshakeType.Finished, clientVerify);
        transcript.Write(finished, 0, finished.Length);
        if (!await SendAsync(TlsContentType.Handshake, finished).ConfigureAwait(false)) return Ended(ProbeHandshakeEnd.Closed, "the connection closed at Finished");

        var record = await ReadRecordAsync().ConfigureAwait(false);
        if (record.Result != null) return record.Result;
        if (record.RecordType == TlsContentType.Alert) return AlertEnd(record.Payload!);
        if (record.RecordType != TlsContentType.ChangeCipherSpec) return Ended(ProbeHandshakeEnd.Failed, $"a {record.RecordType} record where ChangeCipherSpec belongs");
        _read = serverKeys;
        var expected = Prf(master, "server finished", Sha256(transcript), 12);
        var serverFinished = await ExpectAsync(TlsHandshakeType.Finished, transcript).ConfigureAwait(false);
        if (serverFinished.Result != null) return serverFinished.Result;
        if (!serverFinished.Body!.SequenceEqual(expected)) return Ended(ProbeHandshakeEnd.Failed, "the server's Finished does not verify");
        _clientVerify = clientVerify;
        Established = true;
        return Ended(ProbeHandshakeEnd.Completed, "handshake completed");
    }

    static byte[] ClientRandom(byte[] helloMessage) => helloMessage.Skip(4 + 2).Take(32).ToArray();

    static ProbeHandshakeResult Ended(ProbeHandshakeEnd end, string detail) => new ProbeHandshakeResult(end, detail);

    static ProbeHandshakeResult AlertEnd(byte[] payload) =>
        payload.Length < 2
            ? Ended(ProbeHandshakeEnd.Failed, "a truncated alert")
            : new ProbeHandshakeResult(ProbeHandshakeEnd.Alert,
                $"{(payload[0] == 1 ? "warning" : "fatal")} alert {Catalog.AlertCatalog.NameOf(payload[1])} ({payload[1]})", payload[1]);

    /// <summary>A read's outcome: a handshake message, a record, or (Result) how the handshake ended.</summary>
    sealed class Step
    {
        public ProbeHandshakeResult? Result;
        public TlsHandshakeType Type;
        public byte[]? Body;
        public TlsContentType RecordType;
        public byte[]? Payload;
    }

    async Task<Step> ExpectAsync(TlsHandshakeType type, MemoryStream transcript)
    {
        var step = await ReadHandshakeAsync(transcript).ConfigureAwait(false);
        if (step.Result == null && step.Type != type)
            step.Result = Ended(ProbeHandshakeEnd.Failed, $"{step.Type} where {type} belongs");
        return step;
    }

    /// <summary>The next handshake message (added to the transcript), or how the handshake ended instead.</summary>
    async Task<Step> ReadHandshakeAsync(MemoryStream transcript)
    {
        while (true)
        {
            if (_handshakeBytes.Count >= 4)
            {
                int length = (_handshakeBytes[1] << 16) | (_handshakeBytes[2] << 8) | _handshakeBytes[3];
                if (length > MaxHandshakeMessage) return new Step { Result = Ended(ProbeHandshakeEnd.Failed, $"a handshake message of {length} bytes") };
                if (_handshakeBytes.Count >= 4 + length)
                {
                    var message = _handshakeBytes.Take(4 + length).ToArray();
                    _handshakeBytes.RemoveRange(0, 4 + length);
                    if (message[0] == (byte)TlsHandshakeType.HelloRequest && length == 0) continue;   // not part of the transcript (RFC 5246 7.4.1.1)
                    transcript.Write(message, 0, message.Length);
                    return new Step { Type = (TlsHandshakeType)message[0], Body = message.Skip(4).ToArray() };
                }
            }
            var record = await ReadRecordAsync().ConfigureAwait(false);
            if (record.Result != null) return record;
            if (record.RecordType == TlsContentType.Alert)
            {
                // A warning no_renegotiation ends a renegotiation as surely as a fatal alert (RFC 5246 7.2.2).
                return new Step { Result = AlertEnd(record.Payload!) };
            }
            if (record.RecordType == TlsContentType.ApplicationData) continue;   // a -www answer racing the hello: not ours to read
            if (record.RecordType != TlsContentType.Handshake) return new Step { Result = Ended(ProbeHandshakeEnd.Failed, $"a {record.RecordType} record inside the handshake") };
            _handshakeBytes.AddRange(record.Payload!);
        }
    }

    async Task<Step> ReadRecordAsync()
    {
        if (++_recordsThisHandshake > MaxRecordsPerHandshake)
            return new Step { Result = Ended(ProbeHandshakeEnd.Failed, $"the handshake did not end within {MaxRecordsPerHandshake} records") };
        TlsRecord? record;
        try { record = await _connection.Reader.ReadRecordAsync(_connection.Token).ConfigureAwait(false); }
        catch (TlsParseException e) { return new Step { Result = Ended(ProbeHandshakeEnd.Failed, "not TLS: " + e.Message) }; }
        catch (Exception e) when (_connection.Token.IsCancellationRequested && (e is OperationCanceledException || e is ObjectDisposedException || e is IOException || e is SocketException))
        {
            return new Step { Result = Ended(ProbeHandshakeEnd.Timeout, "no answer within the deadline") };
        }
        catch (Exception e) when (e is IOException || e is SocketException || e is ObjectDisposedException)
        {
            return new Step { Result = Ended(ProbeHandshakeEnd.Closed, "connection reset") };
        }
        if (record == null) return new Step { Result = Ended(ProbeHandshakeEnd.Closed, "connection closed") };
        var payload = record.Fragment;
        if (_read != null)
        {
            var plain = _read.Open(record.ContentType, payload);
            if (plain == null) return new Step { Result = Ended(ProbeHandshakeEnd.Failed, $"a {record.ContentType} record that does not decrypt") };
            payload = plain;
        }
        return new Step { RecordType = record.ContentType, Payload = payload };
    }

    Task<bool> SendAsync(TlsContentType type, byte[] payload)
    {
        var fragment = _write == null ? payload : _write.Seal(type, payload);
        return _connection.SendAsync(new ByteWriter().Byte((byte)type).UInt16(0x0303).Begin(2).Bytes(fragment).End().ToArray());
    }

    static byte[] Sha256(MemoryStream transcript)
    {
        var digest = new Sha256Digest();
        var bytes = transcript.ToArray();
        digest.BlockUpdate(bytes, 0, bytes.Length);
        var hash = new byte[32];
        digest.DoFinal(hash, 0);
        return hash;
    }

    /// <summary>The TLS 1.2 PRF with SHA-256 (RFC 5246 5): P_SHA256(secret, label + seed).</summary>
    internal static byte[] Prf(byte[] secret, string label, byte[] seed, int length)
    {
        var labelSeed = System.Text.Encoding.ASCII.GetBytes(label).Concat(seed).ToArray();
        var hmac = new HMac(new Sha256Digest());
        hmac.Init(new KeyParameter(secret));
        var output = new List<byte>(length + 32);
        var a = labelSeed;
        while (output.Count < length)
        {
            a = Mac(hmac, a);
            output.AddRange(Mac(hmac, a.Concat(labelSeed).ToArray()));
        }
        return output.Take(length).ToArray();
    }

    static byte[] Mac(HMac hmac, byte[] data)
    {
        hmac.BlockUpdate(data, 0, data.Length);
        var result = new byte[hmac.GetMacSize()];
        hmac.DoFinal(result, 0);
        return result;
    }

    /// <summary>One direction's AES-128-GCM record protection (RFC 5288): salt, key and sequence number.</summary>
    sealed class RecordKeys
    {
        readonly byte[] _key, _salt;
        ulong _sequence;

        public RecordKeys(byte[] key, byte[] salt) { _key = key; _salt = salt; }

        public byte[] Seal(TlsContentType type, byte[] plain)
        {
            var explicitNonce = BigEndian(_sequence);
            var cipher = Cipher(true, explicitNonce, type, plain.Length);
            var output = new byte[cipher.GetOutputSize(plain.Length)];
            int n = cipher.ProcessBytes(plain, 0, plain.Length, output, 0);
            cipher.DoFinal(output, n);
            _sequence++;
            return explicitNonce.Concat(output).ToArray();
        }

        /// <summary>The plaintext; null when the record is too short or its tag does not verify.</summary>
        public byte[]? Open(TlsContentType type, byte[] fragment)
        {
            if (fragment.Length < ExplicitNonceLength + TagLength) return null;
            var cipher = Cipher(false, fragment.Take(ExplicitNonceLength).ToArray(), type, fragment.Length - ExplicitNonceLength - TagLength);
            var output = new byte[fragment.Length - ExplicitNonceLength - TagLength];
            try
            {
                int n = cipher.ProcessBytes(fragment, ExplicitNonceLength, fragment.Length - ExplicitNonceLength, output, 0);
                cipher.DoFinal(output, n);
            }
            catch (InvalidCipherTextException) { return null; }
            _sequence++;
            return output;
        }

        GcmBlockCipher Cipher(bool encrypt, byte[] explicitNonce, TlsContentType type, int plainLength)
        {
            var additional = BigEndian(_sequence).Concat(new byte[] { (byte)type, 3, 3, (byte)(plainLength >> 8), (byte)plainLength }).ToArray();
            var cipher = new GcmBlockCipher(new AesEngine());
            cipher.Init(encrypt, new AeadParameters(new KeyParameter(_key), TagLength * 8, _salt.Concat(explicitNonce).ToArray(), additional));
            return cipher;
        }

        static byte[] BigEndian(ulong value) => Enumerable.Range(0, 8).Select(i => (byte)(value >> (56 - 8 * i))).ToArray();
    }
}
