using System;
using System.Collections.Generic;
using System.Security.Cryptography.X509Certificates;

namespace TlsTools.Handshake;

/// <summary>A TLS alert, as sent or received.</summary>
public sealed class AlertRecord
{
    public AlertRecord(bool received, byte level, byte description, string? detail = null)
    {
        Received = received;
        Level = level;
        Description = description;
        Detail = detail;
    }

    public bool Received { get; }
    public byte Level { get; }
    public byte Description { get; }
    /// <summary>For an alert we raised: the engine's reason (e.g. "DH group too small").</summary>
    public string? Detail { get; }
    public bool IsFatal => Level == 2;
    /// <summary>"fatal handshake_failure (40)": the alert itself, for sentences.</summary>
    public string Name => Catalog.AlertCatalog.Describe(Level, Description);

    public override string ToString() =>
        $"{(Received ? "received" : "sent")} {Name}";
}

/// <summary>Everything one handshake attempt saw, before any interpretation. Diagnosis reads this.</summary>
public sealed class HandshakeObservation
{
    public TlsProtocol OfferedProtocols { get; set; }
    public IReadOnlyList<int> OfferedSuites { get; set; } = Array.Empty<int>();
    /// <summary>The SNI name sent; null when none was.</summary>
    public string? ServerName { get; set; }

    public TlsProtocol? ServerProtocol { get; set; }
    public int? ServerSuite { get; set; }
    /// <summary>The negotiated group (x25519, "DH 2048-bit"); null when not seen.</summary>
    public string? KeyExchangeGroup { get; set; }
    /// <summary>The ALPN protocol the server selected (h2, http/1.1); null when none was negotiated.</summary>
    public string? ApplicationProtocol { get; set; }
    /// <summary>The ALPN names the ClientHello offered; empty when it offered none.</summary>
    public IReadOnlyList<string> OfferedApplicationProtocols { get; set; } = Array.Empty<string>();
    public int? DhPrimeBits { get; set; }
    public IReadOnlyList<X509Certificate2> ServedChain { get; set; } = Array.Empty<X509Certificate2>();
    /// <summary>The DER OCSPResponse the server stapled (when the profile asked for one), or null.</summary>
    public byte[]? StapledOcspResponse { get; set; }
    /// <summary>The server sent a CertificateRequest: it asks for a client certificate (mutual TLS).</summary>
    public bool ClientCertificateRequested { get; set; }
    /// <summary>
    /// The certificate_authorities of the CertificateRequest, as distinguished names ("CN=Corp Client CA, O=Example"):
    /// the issuers whose client certificates the server accepts. Empty when it named none (or sent no request).
    /// </summary>
    public IReadOnlyList<string> ClientCertificateAuthorities { get; set; } = Array.Empty<string>();
    /// <summary>The client certificate the handshake presented (Certificate and CertificateVerify sent); null when none was.</summary>
    public X509Certificate2? ClientCertificatePresented { get; set; }
    /// <summary>Why a client certificate that was given was not presented (no signature scheme or certificate type of the request fits its key); null otherwise.</summary>
    public string? ClientCertificateWithheld { get; set; }
    public List<AlertRecord> Alerts { get; } = new List<AlertRecord>();

    public bool HandshakeCompleted { get; set; }
    public bool TimedOut { get; set; }
    /// <summary>Why the attempt failed; null when nothing went wrong.</summary>
    public Exception? Error { get; set; }
    public TimeSpan Elapsed { get; set; }

    public long BytesSent { get; set; }
    public long BytesReceived { get; set; }
    public byte[] FirstBytesReceived { get; set; } = Array.Empty<byte>();
    /// <summary>The start of what the server sent (bounded): its plaintext flight before TLS 1.3.</summary>
    public byte[] ReceivedFlight { get; set; } = Array.Empty<byte>();
    public bool PeerClosed { get; set; }
    public bool PeerReset { get; set; }
    /// <summary>
    /// The typed evidence of what crossed the wire: the ClientHello(s), the server's records and plaintext messages,
    /// alerts with their sender, and the first protocol violation (<see cref="WireAudit"/>). Empty when nothing was recorded.
    /// </summary>
    public WireEvidence Wire { get; set; } = WireEvidence.None;

    public AlertRecord? FirstFatalAlert => Alerts.Find(a => a.IsFatal);

    // Who ended the attempt, after what, after how long a silence, and what this machine's validator makes of the
    // served chain. A capture shows both sides; in our own handshakes the client is this machine, which ends an
    // attempt only at its deadline (TimedOut), so these stay unset there. PeerClosed and PeerReset are the server's.
    /// <summary>The client closed the connection (TCP FIN) before the server ended it.</summary>
    public bool ClientClosed { get; set; }
    /// <summary>The client reset the connection (TCP RST) before the server ended it.</summary>
    public bool ClientReset { get; set; }
    /// <summary>The server's last handshake message before the end; null when it sent none (or it was encrypted).</summary>
    public Protocol.TlsHandshakeType? LastServerMessage { get; set; }
    /// <summary>How long the client had waited without a byte from the server when it ended the connection; null when the server had answered.</summary>
    public TimeSpan? ServerSilence { get; set; }
    /// <summary>
    /// The served chain as this machine's validator judges it (Read-TlsCapture, to name the cause of a client's
    /// certificate alert); null when it was not validated.
    /// </summary>
    public Certificates.ChainValidationResult? ServedChainValidation { get; set; }
}
