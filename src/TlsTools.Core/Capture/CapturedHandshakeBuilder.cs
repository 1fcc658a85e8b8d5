using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography.X509Certificates;
using TlsTools.Catalog;
using TlsTools.Certificates;
using TlsTools.Diagnosis;
using TlsTools.Handshake;
using TlsTools.Protocol;

namespace TlsTools.Capture;

/// <summary>
/// Turns a finished <see cref="TlsConnection"/> into its <see cref="CapturedHandshake"/>. The cause comes from
/// the same rules as Test-TlsHandshake (<see cref="HandshakeDiagnoser"/>), fed an observation made from the
/// capture; only what a capture alone can show (a late start, an encrypted TLS 1.3 abort) is judged here.
/// </summary>
internal static class CapturedHandshakeBuilder
{
    /// <summary>The system's roots, for reads that name no trust store: loaded once, looked up by name as chains need them.</summary>
    private static readonly Lazy<TrustStore> SystemTrust = new Lazy<TrustStore>(() => TrustStore.Load(null));

    public static CapturedHandshake Build(TlsConnection c, bool captureEnded, string? path, TrustStore? trust = null)
    {
        int client = c.ClientDirection >= 0 ? c.ClientDirection : GuessClientDirection(c);
        int server = 1 - client;
        var key = c.Key;
        var clientAddress = client == 0 ? key.LowAddress : key.HighAddress;
        var serverAddress = client == 0 ? key.HighAddress : key.LowAddress;
        var hello = c.ClientHello;
        var chain = c.ParseCertificates();
        var leaf = chain.FirstOrDefault();

        var result = new CapturedHandshake
        {
            Time = c.FirstSeen,
            ClientAddress = clientAddress.ToIPAddress().ToString(),
            ClientPort = client == 0 ? key.LowPort : key.HighPort,
            ServerAddress = serverAddress.ToIPAddress().ToString(),
            ServerPort = client == 0 ? key.HighPort : key.LowPort,
            ServerName = hello?.ServerName,
            ClientVersions = DescribeOfferedVersions(c),
            ClientCipherSuites = hello == null ? null : string.Join(", ", hello.CipherSuites.Select(CipherSuiteCatalog.NameOf)),
            ClientCipherSuiteCodes = hello?.CipherSuites ?? Array.Empty<ushort>(),
            Alpn = hello == null || hello.AlpnProtocols.Count == 0 ? null : string.Join(", ", hello.AlpnProtocols),
            Ja3 = hello == null ? null : TlsFingerprint.Ja3(hello),
            Ja3Text = hello == null ? null : TlsFingerprint.Ja3Text(hello),
            Ja4 = hello == null ? null : TlsFingerprint.Ja4(hello),
            ServerVersion = c.ServerHello == null || c.ServerHello.Version == TlsProtocol.None ? (TlsProtocol?)null : c.ServerHello.Version,
            CipherSuite = c.ServerHello == null ? null : CipherSuiteCatalog.NameOf(c.ServerHello.CipherSuite),
            KeyExchangeGroup = c.KeyExchangeGroup,
            SelectedAlpn = c.ServerHello?.SelectedAlpn,
            Certificate = leaf,
            ServedChain = chain,
            CertificateSubject = leaf?.Subject,
            CertificateIssuer = leaf?.Issuer,
            CertificateNotAfter = leaf?.NotAfter.ToUniversalTime(),
            CertificateThumbprint = leaf == null ? null : Thumbprints.Sha256(leaf),
            AlertList = c.Alerts.ToList(),
            Alerts = c.Alerts.Count == 0 ? null : string.Join("; ", c.Alerts),
            ClientBytes = c.Streams[client].Bytes,
            ServerBytes = c.Streams[server].Bytes,
            DurationMs = Math.Round((c.LastSeen - c.FirstSeen).TotalMilliseconds, 3),
            Path = path,
            Timeline = c.Timeline.Select(e => new CapturedEvent(e.Time, Milliseconds(e.Time - c.FirstSeen), SideOf(e.Direction, client), e.What)).ToList(),
        };
        var end = c.End;
        result.EndedBy = end == null ? ConnectionSide.None : SideOf(end.Direction, client);
        result.EndedWith = end?.How ?? ConnectionEnding.CaptureEnd;
        result.EndedAfter = c.HandshakeCompleted ? nameof(TlsHandshakeType.Finished)
            : (end != null ? end.LastMessage : c.LastMessage) is { } last ? WireEvidence.MessageName((byte)last) : null;
        result.ServerSilenceMs = end?.ServerSilence is { } silence ? Milliseconds(silence) : (double?)null;

        var (outcome, verdict) = Judge(c, client, server, captureEnded, chain, trust);
        result.Outcome = outcome;
        result.FailureCategory = verdict.Category;
        result.FailureReason = verdict.Reason;
        result.Remedy = verdict.Remedy;
        result.DiagnosisRule = verdict.Rule;
        return result;
    }

    private static double Milliseconds(TimeSpan t) => Math.Round(t.TotalMilliseconds, 3);

    private static ConnectionSide SideOf(int direction, int client) => direction == client ? ConnectionSide.Client : ConnectionSide.Server;

    private static (CaptureOutcome, Verdict) Judge(TlsConnection c, int client, int server, bool captureEnded, List<X509Certificate2> chain, TrustStore? trust)
    {
        if (c.HandshakeCompleted) return (CaptureOutcome.Completed, Verdict.Success);
        if (c.ClientHello == null && c.Ssl2ClientVersion == null)
            return (CaptureOutcome.Incomplete, new Verdict(FailureCategory.None,
                c.ClientHelloError != null
                    ? $"The ClientHello could not be read: {c.ClientHelloError}"
                    : "The capture does not show this connection's ClientHello (it started after the handshake began).", rule: DiagnosisRules.ClientHelloNotCaptured));
        if (c.ClientAbortedEncrypted)
            return (CaptureOutcome.Failed, new Verdict(FailureCategory.AlertReceived,
                "The client aborted with an encrypted alert right after the server's TLS 1.3 flight (certificate, CertificateVerify, Finished); TLS 1.3 hides which alert, but at this point it is almost always the client rejecting the server's certificate.",
                "Check the certificate the server sends with Get-CertificateChain or Test-TlsHandshake against this server name, and the client's trust store; the client's own error log names the alert.", DiagnosisRules.ClientAbortedEncrypted));

        var observation = Observe(c, client, server, captureEnded, chain);
        observation.ServedChainValidation = ValidateRejectedChain(c, chain, trust);
        var verdict = HandshakeDiagnoser.Diagnose(observation, null, null);
        return (OutcomeOf(c, observation, verdict), verdict);
    }

    private static CaptureOutcome OutcomeOf(TlsConnection c, HandshakeObservation o, Verdict verdict)
    {
        if (verdict.Category == FailureCategory.NotTls) return CaptureOutcome.NotTls;
        bool ended = o.Alerts.Any(a => a.IsFatal) || o.PeerReset || o.PeerClosed || o.ClientClosed || o.ClientReset;
        return ended && c.LostSync == null ? CaptureOutcome.Failed : CaptureOutcome.Incomplete;
    }

    /// <summary>What the client side of the capture saw, in the shape the diagnosis rules read.</summary>
    private static HandshakeObservation Observe(TlsConnection c, int client, int server, bool captureEnded, List<X509Certificate2> chain)
    {
        var hello = c.ClientHello;
        var serverStream = c.Streams[server];
        var end = c.End;
        // The first end decides who ended it: a server FIN that answers the client's FIN (or alert) is not the server hanging up.
        bool clientFirst = end != null && end.Direction == client;
        var o = new HandshakeObservation
        {
            OfferedProtocols = OfferedProtocols(c),
            OfferedSuites = hello?.CipherSuites.Select(s => (int)s).ToList() ?? new List<int>(),
            ServerName = hello?.ServerName,
            ServerProtocol = c.ServerHello?.Version,
            ServerSuite = c.ServerHello?.CipherSuite,
            KeyExchangeGroup = c.KeyExchangeGroup,
            DhPrimeBits = c.DhPrimeBits,
            ServedChain = chain,
            ClientCertificateRequested = c.ClientCertificateRequested,
            BytesSent = c.Streams[client].Bytes,
            BytesReceived = serverStream.Bytes,
            FirstBytesReceived = c.Scanners[server].FirstBytes,
            // The server's FIN or RST counts when it came before the client ended the connection.
            PeerReset = serverStream.SawRst && !clientFirst,
            PeerClosed = serverStream.SawFin && !clientFirst,
            Elapsed = c.LastSeen - (c.ClientHelloTime ?? c.FirstSeen),
            ClientClosed = clientFirst && end!.How == ConnectionEnding.Fin,
            ClientReset = clientFirst && end!.How == ConnectionEnding.Rst,
            LastServerMessage = end != null ? end.LastServerMessage : null,
            ServerSilence = end?.ServerSilence,
        };
        foreach (var alert in c.Alerts) o.Alerts.Add(new AlertRecord(!alert.FromClient, alert.Level, alert.Description));
        // Nothing ended the handshake: the capture (or the reader's idle limit) stopped while both sides still waited.
        o.TimedOut = end == null && captureEnded;
        return o;
    }

    /// <summary>
    /// The served chain judged by the one validator (as Test-TlsHandshake judges it), at the capture's time and for the
    /// SNI name, when the client refused the handshake with an alert: it names the cause the client's alert only hints at.
    /// </summary>
    private static ChainValidationResult? ValidateRejectedChain(TlsConnection c, List<X509Certificate2> chain, TrustStore? trust)
    {
        if (chain.Count == 0 || !c.Alerts.Any(a => a.FromClient && a.IsFatal)) return null;
        try { return ChainValidator.Validate(chain, c.ClientHello?.ServerName, c.FirstSeen, trust ?? SystemTrust.Value); }
        catch (Exception e) when (e is ArgumentException || e is System.Security.Cryptography.CryptographicException || e is InvalidOperationException ||
            e is System.IO.IOException || e is FormatException || e is Org.BouncyCastle.Security.GeneralSecurityException)
        {
            // Bytes from the wire that X509Certificate2 read but the validator cannot (BouncyCastle's stricter ASN.1, e.g. a damaged date): the alert's own meaning explains the refusal.
            return null;
        }
    }

    private static TlsProtocol OfferedProtocols(TlsConnection c)
    {
        if (c.Ssl2ClientVersion.HasValue) return TlsProtocol.Ssl2 | ProtocolVersions.FromWire(c.Ssl2ClientVersion.Value);
        return c.ClientHello?.OfferedProtocols ?? TlsProtocol.None;
    }

    private static string? DescribeOfferedVersions(TlsConnection c)
    {
        if (c.Ssl2ClientVersion.HasValue)
            return "SSLv2 hello, up to " + ProtocolVersions.DisplayNameOfWire(c.Ssl2ClientVersion.Value);
        var versions = (c.ClientHello?.OfferedVersions ?? Enumerable.Empty<ushort>()).Select(ProtocolVersions.DisplayNameOfWire).ToList();
        return versions.Count == 0 ? null : string.Join(", ", versions);
    }

    /// <summary>Without a SYN or a ClientHello: the side on the lower port is most likely the server.</summary>
    private static int GuessClientDirection(TlsConnection c) => c.Key.LowPort < c.Key.HighPort ? 1 : 0;
}
