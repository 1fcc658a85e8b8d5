using System;
using System.Collections.Generic;
using System.Security.Cryptography.X509Certificates;
using TlsTools.Catalog;
using TlsTools.Handshake;
using TlsTools.Protocol;

namespace TlsTools.Capture;

/// <summary>
/// Everything one TCP connection showed about its TLS handshake, gathered as the scanners report it.
/// Directions are 0 (low endpoint to high) and 1; which one is the client is learnt from the SYN or,
/// failing that, from who sent the ClientHello.
/// </summary>
internal sealed class TlsConnection : ITlsEvents
{
    /// <summary>Certificates kept from the server's Certificate message: the leaf and enough of the chain to judge it.</summary>
    private const int MaxCertificates = 8;
    /// <summary>An encrypted TLS 1.3 record of exactly this size is an alert: 2 bytes + content type + 16-byte AEAD tag.</summary>
    internal const int Tls13EncryptedAlertLength = 2 + 1 + 16;
    /// <summary>
    /// The shortest encrypted record a client's TLS 1.3 Finished can be: 4-byte header, 32-byte verify_data (SHA-256, the
    /// smallest hash of a TLS 1.3 suite, RFC 8446 §4.4.4), content type, 16-byte tag. A shorter first record that stays the
    /// client's only one is its encrypted alert, padded (RFC 8446 §5.4: Java pads, OpenSSL does not).
    /// </summary>
    internal const int Tls13ShortestFinishedLength = 4 + 32 + 1 + 16;
    /// <summary>Events kept for the timeline: a whole handshake with room to spare; a long connection's later records are not needed.</summary>
    internal const int MaxTimelineEvents = 48;
    /// <summary>close_notify (RFC 8446 §6.1): a warning-level alert that still ends the connection.</summary>
    private const byte CloseNotify = 0;

    public TlsConnection(FlowKey key, DateTime firstSeen)
    {
        Key = key;
        FirstSeen = LastSeen = firstSeen;
        Streams = new[] { new TcpHalfStream(), new TcpHalfStream() };
        Scanners = new[] { new TlsStreamScanner(this, 0), new TlsStreamScanner(this, 1) };
    }

    public FlowKey Key { get; }
    public TcpHalfStream[] Streams { get; }
    public TlsStreamScanner[] Scanners { get; }
    public DateTime FirstSeen { get; }
    public DateTime LastSeen { get; set; }
    /// <summary>Time of the packet being processed: events take their timestamps from it.</summary>
    public DateTime Now { get; set; }

    /// <summary>0 or 1 once known, -1 before.</summary>
    public int ClientDirection { get; set; } = -1;
    public int ServerDirection => ClientDirection < 0 ? -1 : 1 - ClientDirection;

    /// <summary>Null until a ClientHello is read (or when it could not be).</summary>
    public ClientHello? ClientHello { get; private set; }
    public DateTime? ClientHelloTime { get; private set; }
    /// <summary>Why the ClientHello could not be read; null when it could (or none was seen).</summary>
    public string? ClientHelloError { get; private set; }
    public ushort? Ssl2ClientVersion { get; private set; }
    /// <summary>Null until a ServerHello is read.</summary>
    public ServerHello? ServerHello { get; private set; }
    public bool HelloRetryRequested { get; private set; }
    public List<byte[]> CertificateDer { get; } = new List<byte[]>();
    public bool ClientCertificateRequested { get; private set; }
    /// <summary>Null until a key exchange names its group.</summary>
    public string? KeyExchangeGroup { get; private set; }
    public int? DhPrimeBits { get; private set; }
    public List<CapturedAlert> Alerts { get; } = new List<CapturedAlert>();

    public bool[] SentChangeCipherSpec { get; } = new bool[2];
    /// <summary>TLS 1.2 and earlier: an encrypted handshake record (the Finished) after ChangeCipherSpec.</summary>
    public bool[] SentEncryptedHandshake { get; } = new bool[2];
    public int[] OpaqueRecords { get; } = new int[2];
    /// <summary>TLS 1.3: length of the client's first encrypted record after the ServerHello.</summary>
    public int? ClientFirstEncryptedLength { get; private set; }
    public bool[] NotTls { get; } = new bool[2];
    public bool[] SpokeTls { get; } = new bool[2];
    public string? LostSync { get; private set; }

    /// <summary>Per direction: when its last new payload byte arrived; null before any.</summary>
    public DateTime?[] LastDataTime { get; } = new DateTime?[2];
    /// <summary>Per direction: when its first FIN and first RST arrived; null when none did.</summary>
    public DateTime?[] FinTime { get; } = new DateTime?[2];
    public DateTime?[] RstTime { get; } = new DateTime?[2];
    /// <summary>The first thing that ended the connection (a FIN, RST or ending alert, from either side); null while none has.</summary>
    public ConnectionEndEvidence? End { get; private set; }
    /// <summary>What crossed the wire, in order, with times (bounded by <see cref="MaxTimelineEvents"/>).</summary>
    public List<TimelineEntry> Timeline { get; } = new List<TimelineEntry>();
    /// <summary>The last handshake message read, from either side; null before any.</summary>
    public TlsHandshakeType? LastMessage => _lastMessage;
    private TlsHandshakeType? _lastMessage;
    private int _lastMessageDirection = -1;
    private TlsHandshakeType? _lastServerMessage;

    public bool IsTls13 => ServerHello != null && ServerHello.Version == TlsProtocol.Tls13;

    /// <summary>Both sides finished the handshake; from here on nothing more is read.</summary>
    public bool HandshakeCompleted
    {
        get
        {
            if (ServerHello == null || ClientDirection < 0) return false;
            if (IsTls13) return ClientFirstEncryptedLength >= Tls13ShortestFinishedLength || (ClientFirstEncryptedLength > Tls13EncryptedAlertLength && OpaqueRecords[ClientDirection] > 1);
            return SentEncryptedHandshake[0] && SentEncryptedHandshake[1];
        }
    }

    /// <summary>
    /// TLS 1.3: the client answered the server's encrypted flight with one record too short to be a Finished and sent
    /// nothing more (an unpadded alert is exactly 19 bytes; a short record followed by another was an empty Certificate).
    /// </summary>
    public bool ClientAbortedEncrypted => IsTls13 && ClientFirstEncryptedLength is int first &&
        (first == Tls13EncryptedAlertLength || (first < Tls13ShortestFinishedLength && OpaqueRecords[ClientDirection] == 1));

    /// <summary>Nothing more to read: a finished handshake, or an unpadded alert (a padded one waits for a second record).</summary>
    public bool Settled => HandshakeCompleted || (IsTls13 && ClientFirstEncryptedLength == Tls13EncryptedAlertLength);

    public bool IsTlsConnection => SpokeTls[0] || SpokeTls[1];

    /// <summary>Bytes held for this connection right now.</summary>
    public int BufferedBytes => Streams[0].PendingBytes + Streams[1].PendingBytes + Scanners[0].BufferedBytes + Scanners[1].BufferedBytes;

    public void OnNotTls(int direction) => NotTls[direction] = true;

    public void OnSsl2Hello(int direction, byte messageType, ushort version)
    {
        SpokeTls[direction] = true;
        if (messageType != 1) return;
        if (ClientDirection < 0) ClientDirection = direction;
        Ssl2ClientVersion = version;
        ClientHelloTime = ClientHelloTime ?? Now;
    }

    public void OnHandshake(int direction, TlsHandshakeType type, byte[] body)
    {
        SpokeTls[direction] = true;
        if (type == TlsHandshakeType.ClientHello && ClientDirection < 0) ClientDirection = direction;
        bool fromClient = direction == ClientDirection;
        Record(direction, WireEvidence.MessageName((byte)type));
        _lastMessage = type;
        _lastMessageDirection = direction;
        if (!fromClient) _lastServerMessage = type;
        if (fromClient && type == TlsHandshakeType.ClientHello) ReadClientHello(body);
        if (fromClient) return;
        switch (type)
        {
            case TlsHandshakeType.ServerHello: ReadServerHello(body); break;
            case TlsHandshakeType.Certificate: ReadCertificates(body); break;
            case TlsHandshakeType.ServerKeyExchange: ReadKeyExchange(body); break;
            case TlsHandshakeType.CertificateRequest: ClientCertificateRequested = true; break;
        }
    }

    public void OnChangeCipherSpec(int direction)
    {
        SpokeTls[direction] = true;
        SentChangeCipherSpec[direction] = true;
        Record(direction, "ChangeCipherSpec");
    }

    public void OnAlert(int direction, byte level, byte description)
    {
        SpokeTls[direction] = true;
        var alert = CapturedAlerts.Of(Now, direction == ClientDirection, level, description);
        Alerts.Add(alert);
        Record(direction, Catalog.AlertCatalog.Describe(level, description));
        if (alert.IsFatal || description == CloseNotify) Ended(direction, ConnectionEnding.Alert, null);
    }

    public void OnOpaqueRecord(int direction, TlsContentType type, int length)
    {
        SpokeTls[direction] = true;
        OpaqueRecords[direction]++;
        if (type == TlsContentType.Handshake && SentChangeCipherSpec[direction]) SentEncryptedHandshake[direction] = true;
        Record(direction, $"encrypted {(type == TlsContentType.ApplicationData ? "record" : type.ToString())} ({length} bytes)");
        if (IsTls13 && direction == ClientDirection && type == TlsContentType.ApplicationData && ClientFirstEncryptedLength == null)
        {
            ClientFirstEncryptedLength = length;
            // An alert-sized first record is the client's encrypted abort: an alert ends the connection, even one we cannot read.
            if (length == Tls13EncryptedAlertLength) Ended(direction, ConnectionEnding.Alert, null);
        }
    }

    /// <summary>New payload bytes arrived in this direction (retransmissions do not count: they say nothing new).</summary>
    public void OnData(int direction) => LastDataTime[direction] = Now;

    /// <summary>A FIN or RST arrived in this direction: the first of each is kept, and the first of all may be the end.</summary>
    public void OnTcpEnd(int direction, bool reset)
    {
        var times = reset ? RstTime : FinTime;
        if (times[direction] != null) return;   // a retransmitted FIN, or a second RST, ends nothing new
        times[direction] = Now;
        Record(direction, reset ? "RST" : "FIN");
        if (End == null) Ended(direction, reset ? ConnectionEnding.Rst : ConnectionEnding.Fin, ServerSilenceBefore(direction));
    }

    /// <summary>
    /// When the client ends the connection: how long it had waited with no byte from the server since its own last
    /// bytes (the server owed the answer). Null when the server answered them, when the server ends it, or after a completed handshake.
    /// </summary>
    private TimeSpan? ServerSilenceBefore(int direction)
    {
        // After a completed handshake a quiet server is just a finished exchange, not one the client gave up on.
        if (ClientDirection < 0 || direction != ClientDirection || HandshakeCompleted) return null;
        var clientLast = LastDataTime[direction];
        var serverLast = LastDataTime[1 - direction];
        if (clientLast == null || (serverLast != null && serverLast >= clientLast)) return null;
        return Now - clientLast.Value;
    }

    private void Ended(int direction, ConnectionEnding how, TimeSpan? serverSilence)
    {
        if (End != null) return;
        End = new ConnectionEndEvidence(direction, how, Now, _lastMessage, _lastMessageDirection, _lastServerMessage, serverSilence);
    }

    private void Record(int direction, string what)
    {
        if (Timeline.Count < MaxTimelineEvents) Timeline.Add(new TimelineEntry(Now, direction, what));
    }

    public void OnLostSync(int direction, string why) => LostSync = LostSync ?? why;

    private void ReadClientHello(byte[] body)
    {
        if (ClientHello != null) return;     // the second ClientHello after a HelloRetryRequest repeats the offer
        ClientHelloTime = Now;
        try { ClientHello = ClientHello.Parse(body); }
        catch (TlsParseException e) { ClientHelloError = e.Message; }
    }

    private void ReadServerHello(byte[] body)
    {
        ServerHello hello;
        try { hello = ServerHello.Parse(body); }
        catch (TlsParseException) { return; }
        if (hello.IsHelloRetryRequest) { HelloRetryRequested = true; }
        else ServerHello = hello;
        if (hello.Version == TlsProtocol.Tls13)
            foreach (var scanner in Scanners) scanner.Tls13 = true;
        if (hello.SelectedGroup.HasValue) KeyExchangeGroup = NamedGroupCatalog.NameOf(hello.SelectedGroup.Value);
    }

    /// <summary>TLS 1.2 and earlier Certificate: the first message only, and what of it the capture holds.</summary>
    private void ReadCertificates(byte[] body)
    {
        if (CertificateDer.Count > 0) return;
        CertificateDer.AddRange(CertificateMessage.ParseLeading(body, MaxCertificates));
    }

    private void ReadKeyExchange(byte[] body)
    {
        if (ServerHello == null || !CipherSuiteCatalog.TryGet(ServerHello.CipherSuite, out var suite) ||
            !ServerKeyExchange.TryGetKind(suite.KeyExchange, out var kind))
            return;
        try
        {
            var ske = ServerKeyExchange.Parse(body, kind, ServerHello.Version == TlsProtocol.None ? TlsProtocol.Tls12 : ServerHello.Version);
            if (ske.NamedGroup.HasValue) KeyExchangeGroup = NamedGroupCatalog.NameOf(ske.NamedGroup.Value);
            else { DhPrimeBits = ske.DhPrimeBits; KeyExchangeGroup = $"DH {ske.DhPrimeBits}-bit"; }
        }
        catch (TlsParseException)
        {
            // An odd ServerKeyExchange leaves the group unknown; the rest of the handshake still counts.
        }
    }

    /// <summary>The served certificates as X509Certificate2; ones that do not parse are left out.</summary>
    public List<X509Certificate2> ParseCertificates()
    {
        var list = new List<X509Certificate2>();
        foreach (var der in CertificateDer)
        {
            // Bytes from the wire may be anything: a certificate counts only if the fields shown can be read.
            try
            {
                var certificate = new X509Certificate2(der);
                GC.KeepAlive(certificate.Subject + certificate.Issuer + certificate.NotAfter + certificate.SubjectName.RawData.Length + certificate.IssuerName.RawData.Length);
                list.Add(certificate);
            }
            catch (Exception e) when (e is System.Security.Cryptography.CryptographicException || e is ArgumentException || e is FormatException || e is OverflowException) { }
        }
        return list;
    }
}

/// <summary>One entry of a connection's timeline, by direction (0 or 1; which is the client is settled when the result is built).</summary>
internal readonly struct TimelineEntry
{
    public TimelineEntry(DateTime time, int direction, string what) { Time = time; Direction = direction; What = what; }
    public DateTime Time { get; }
    public int Direction { get; }
    public string What { get; }
}

/// <summary>The first FIN, RST or ending alert of a connection: who, how, when, after which message, after how long a silence.</summary>
internal sealed class ConnectionEndEvidence
{
    public ConnectionEndEvidence(int direction, ConnectionEnding how, DateTime time, TlsHandshakeType? lastMessage, int lastMessageDirection,
        TlsHandshakeType? lastServerMessage, TimeSpan? serverSilence)
    {
        Direction = direction; How = how; Time = time; LastMessage = lastMessage; LastMessageDirection = lastMessageDirection;
        LastServerMessage = lastServerMessage; ServerSilence = serverSilence;
    }

    public int Direction { get; }
    public ConnectionEnding How { get; }
    public DateTime Time { get; }
    /// <summary>The last handshake message either side sent before the end, and its direction (-1 when none).</summary>
    public TlsHandshakeType? LastMessage { get; }
    public int LastMessageDirection { get; }
    /// <summary>The server's last handshake message before the end; null when it sent none.</summary>
    public TlsHandshakeType? LastServerMessage { get; }
    /// <summary>Set when the client ended it with a FIN or RST while the server owed an answer: how long the client had waited.</summary>
    public TimeSpan? ServerSilence { get; }
}
