using System;
using System.Collections.Generic;
using System.Security.Cryptography.X509Certificates;
using TlsTools.Catalog;
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

    public bool IsTls13 => ServerHello != null && ServerHello.Version == TlsProtocol.Tls13;

    /// <summary>Both sides finished the handshake; from here on nothing more is read.</summary>
    public bool HandshakeCompleted
    {
        get
        {
            if (ServerHello == null || ClientDirection < 0) return false;
            if (IsTls13) return ClientFirstEncryptedLength > Tls13EncryptedAlertLength;
            return SentEncryptedHandshake[0] && SentEncryptedHandshake[1];
        }
    }

    /// <summary>TLS 1.3: the client answered the server's encrypted flight with one alert-sized record.</summary>
    public bool ClientAbortedEncrypted => IsTls13 && ClientFirstEncryptedLength == Tls13EncryptedAlertLength;

    public bool Settled => HandshakeCompleted || ClientAbortedEncrypted;

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
    }

    public void OnAlert(int direction, byte level, byte description)
    {
        SpokeTls[direction] = true;
        Alerts.Add(CapturedAlerts.Of(Now, direction == ClientDirection, level, description));
    }

    public void OnOpaqueRecord(int direction, TlsContentType type, int length)
    {
        SpokeTls[direction] = true;
        OpaqueRecords[direction]++;
        if (type == TlsContentType.Handshake && SentChangeCipherSpec[direction]) SentEncryptedHandshake[direction] = true;
        if (IsTls13 && direction == ClientDirection && type == TlsContentType.ApplicationData && ClientFirstEncryptedLength == null)
            ClientFirstEncryptedLength = length;
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
