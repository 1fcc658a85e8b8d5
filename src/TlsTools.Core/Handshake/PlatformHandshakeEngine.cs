using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;

namespace TlsTools.Handshake;

/// <summary>What this machine's own TLS stack (SslStream: SCHANNEL, OpenSSL or Apple's) made of the handshake.</summary>
public sealed class PlatformOutcome
{
    public bool HandshakeCompleted { get; set; }
    public TlsProtocol? Protocol { get; set; }
    /// <summary>The negotiated suite; null when the handshake did not get that far.</summary>
    public string? CipherSuite { get; set; }
    public IReadOnlyList<X509Certificate2> ServedChain { get; set; } = Array.Empty<X509Certificate2>();
    public SslPolicyErrors CertificateErrors { get; set; }
    /// <summary>The platform's own error text, innermost cause included: for the transcript only, never for a verdict.</summary>
    public string? Error { get; set; }
    public bool TimedOut { get; set; }
    public TimeSpan Elapsed { get; set; }
    public long BytesSent { get; set; }
    public long BytesReceived { get; set; }
    public byte[] FirstBytesReceived { get; set; } = Array.Empty<byte>();
    public bool PeerReset { get; set; }
    public bool PeerClosed { get; set; }
    /// <summary>What crossed the wire, typed: the alert this machine's stack sent (plaintext before encryption) says what it refused.</summary>
    public WireEvidence Wire { get; set; } = WireEvidence.None;
}

/// <summary>
/// One handshake with SslStream, i.e. what .NET applications on this machine get, bound by the OS policy.
/// The certificate is accepted during the handshake and judged afterwards, as with the managed engine.
/// </summary>
public static class PlatformHandshakeEngine
{
    /// <summary>SslProtocols values by flag; Tls13 (12288) is cast because netstandard2.0 does not name it.</summary>
    static readonly (TlsProtocol Flag, SslProtocols Value)[] Protocols =
    {
#pragma warning disable CS0618 // SSLv3 and TLS 1.0/1.1 are obsolete: offering them on request is the point.
        (TlsProtocol.Ssl3, SslProtocols.Ssl3),
        (TlsProtocol.Tls10, SslProtocols.Tls),
        (TlsProtocol.Tls11, SslProtocols.Tls11),
#pragma warning restore CS0618
        (TlsProtocol.Tls12, SslProtocols.Tls12),
        (TlsProtocol.Tls13, (SslProtocols)12288),
    };

    /// <param name="protocols">None: the OS default, which is what applications get.</param>
    /// <param name="clientCertificate">The certificate to present when the server asks for one; null for none.</param>
    public static async Task<PlatformOutcome> RunAsync(Socket socket, string targetHost, TlsProtocol protocols,
        TimeSpan timeout, CancellationToken cancel, ClientCredential? clientCertificate = null)
    {
        // SslStream takes the certificate with its key and sends what it can build of the chain from this machine's stores.
        var clientCertificates = clientCertificate == null ? null
            : new X509CertificateCollection { Certificates.ClientCredentialLoader.PlatformCertificate(clientCertificate) };
        var outcome = new PlatformOutcome();
        var watch = Stopwatch.StartNew();
        var enabled = protocols == TlsProtocol.None ? SslProtocols.None
            : Protocols.Where(p => (protocols & p.Flag) != 0).Aggregate(SslProtocols.None, (a, p) => a | p.Value);

        using (var deadline = new CancellationTokenSource(timeout))
        using (var either = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancel))
        using (either.Token.Register(() => socket.Dispose()))
        using (var tap = new WireTap(new NetworkStream(socket, ownsSocket: false)))
        using (var ssl = new SslStream(tap, false, (sender, certificate, chain, errors) =>
        {
            outcome.CertificateErrors = errors;
            outcome.ServedChain = ServedChain(certificate, chain);
            return true;
        }))
        {
            try
            {
                await ssl.AuthenticateAsClientAsync(targetHost, clientCertificates, enabled, false).ConfigureAwait(false);
                outcome.HandshakeCompleted = true;
                outcome.Protocol = Protocols.Where(p => p.Value == ssl.SslProtocol).Select(p => (TlsProtocol?)p.Flag).FirstOrDefault();
                outcome.CipherSuite = NegotiatedSuiteName(ssl);
            }
            catch (Exception ex) when (ex is AuthenticationException || ex is IOException || ex is ObjectDisposedException || ex is SocketException || ex is System.ComponentModel.Win32Exception)
            {
                outcome.TimedOut = deadline.IsCancellationRequested;
                cancel.ThrowIfCancellationRequested();
                outcome.Error = Flatten(ex);
            }
            finally
            {
                outcome.Elapsed = watch.Elapsed;
                outcome.BytesSent = tap.BytesSent;
                outcome.BytesReceived = tap.BytesReceived;
                outcome.FirstBytesReceived = tap.FirstBytes;
                outcome.PeerReset = tap.PeerReset;
                outcome.PeerClosed = tap.PeerClosed;
                outcome.Wire = tap.Examine();
            }
        }
        return outcome;
    }

    /// <summary>
    /// The served chain: the leaf plus what the platform put in the chain's extra store (the intermediates the
    /// server sent). Falls back to the built chain where the platform does not expose them.
    /// </summary>
    static IReadOnlyList<X509Certificate2> ServedChain(X509Certificate? certificate, X509Chain? chain)
    {
        var list = new List<X509Certificate2>();
        if (certificate != null) list.Add(new X509Certificate2(certificate));
        if (chain != null)
        {
            var extra = chain.ChainPolicy.ExtraStore.Cast<X509Certificate2>().ToList();
            var source = extra.Count > 0 ? extra : chain.ChainElements.Cast<X509ChainElement>().Skip(1).Select(e => e.Certificate).ToList();
            foreach (var c in source)
                if (!list.Any(x => x.Thumbprint == c.Thumbprint)) list.Add(new X509Certificate2(c));
        }
        return list;
    }

    /// <summary>SslStream.NegotiatedCipherSuite exists from .NET Core 3.0; on .NET Framework fall back to the algorithm names.</summary>
    static string? NegotiatedSuiteName(SslStream ssl)
    {
        var property = typeof(SslStream).GetProperty("NegotiatedCipherSuite");
        if (property != null)
        {
            try { return property.GetValue(ssl)?.ToString(); }
            catch (Exception ex) when (ex is System.Reflection.TargetInvocationException || ex is NotSupportedException) { }
        }
        return $"{ssl.KeyExchangeAlgorithm} {ssl.CipherAlgorithm}-{ssl.CipherStrength} {ssl.HashAlgorithm}";
    }

    static string Flatten(Exception ex)
    {
        var messages = new List<string>();
        for (var e = ex; e != null; e = e.InnerException)
            if (!string.IsNullOrWhiteSpace(e.Message) && !messages.Contains(e.Message.Trim()))
                messages.Add(e.Message.Trim().TrimEnd('.'));
        return string.Join(": ", messages);
    }
}
