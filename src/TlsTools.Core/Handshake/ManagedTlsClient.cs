using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;
using TlsTools.Catalog;

namespace TlsTools.Handshake;

/// <summary>
/// BouncyCastle's TLS client, configured from a <see cref="ClientProfile"/>, that records every step into
/// a <see cref="HandshakeObservation"/> instead of deciding anything. Certificates are accepted here and
/// validated afterwards, so that one attempt yields both the handshake facts and every certificate problem.
/// </summary>
sealed class ManagedTlsClient : DefaultTlsClient
{
    readonly ClientProfile _profile;
    readonly HandshakeObservation _observation;
    readonly TranscriptRecorder _transcript;
    readonly WireTap? _tap;

    /// <param name="tap">The wire under the engine: an alert raised after the server ended TCP answers the close, not the server's bytes.</param>
    public ManagedTlsClient(ClientProfile profile, HandshakeObservation observation, TranscriptRecorder transcript, WireTap? tap = null)
        : base(new BcTlsCrypto(new SecureRandom()))
    {
        this._profile = profile;
        this._observation = observation;
        this._transcript = transcript;
        this._tap = tap;
    }

    protected override ProtocolVersion[] GetSupportedVersions() =>
        ProtocolMap.ToBouncyCastle(_profile.Protocols);

    protected override int[] GetSupportedCipherSuites() =>
        TlsUtilities.GetSupportedCipherSuites(Crypto, _profile.CipherSuites.ToArray());

    protected override IList<int> GetSupportedGroups(IList<int> namedGroupRoles)
    {
        var groups = _profile.Groups.Where(g => Crypto.HasNamedGroup(g)).ToList();
        // With DHE suites on offer, RFC 7919 groups tell the server which finite-field groups we take.
        if (namedGroupRoles.Contains(NamedGroupRole.dh))
            groups.AddRange(new[] { NamedGroup.ffdhe2048, NamedGroup.ffdhe3072 });
        return groups;
    }

    protected override IList<ServerName>? GetSniServerNames() =>
        _observation.ServerName == null ? null
            : new List<ServerName> { new ServerName(NameType.host_name, Encoding.ASCII.GetBytes(_observation.ServerName)) };

    protected override IList<ProtocolName>? GetProtocolNames() =>
        _profile.ApplicationProtocols.Count == 0 ? null : _profile.ApplicationProtocols.Select(ProtocolName.AsUtf8Encoding).ToList();

    protected override CertificateStatusRequest GetCertificateStatusRequest() =>
        _profile.RequestOcspStaple ? new CertificateStatusRequest(CertificateStatusType.ocsp, new OcspStatusRequest(null, null)) : base.GetCertificateStatusRequest();

    /// <summary>
    /// The engine's bound on one handshake message is the audit's (<see cref="Protocol.TlsLimits.MaxHandshakeMessage"/>), so a
    /// claim the engine refuses is one the audit names (MessageTooLong). BouncyCastle checks it before buffering the body.
    /// </summary>
    public override int GetMaxHandshakeMessageSize() => Protocol.TlsLimits.MaxHandshakeMessage;

    public override TlsDHGroupVerifier GetDHGroupVerifier() => new RecordingDhGroupVerifier(_observation);

    public override void NotifyHandshakeBeginning()
    {
        base.NotifyHandshakeBeginning();
        _observation.OfferedApplicationProtocols = _profile.ApplicationProtocols;
        _transcript.Add(TranscriptDirection.Sent, "ClientHello",
            $"versions {ProtocolMap.Describe(_profile.Protocols)}; {GetCipherSuites().Length} suites; " +
            $"SNI {(_observation.ServerName ?? "(none)")}" +
            (_profile.ApplicationProtocols.Count == 0 ? "" : $"; ALPN {string.Join(", ", _profile.ApplicationProtocols)}"));
    }

    public override void NotifyServerVersion(ProtocolVersion serverVersion)
    {
        base.NotifyServerVersion(serverVersion);
        _observation.ServerProtocol = ProtocolMap.FromBouncyCastle(serverVersion);
    }

    public override void NotifySelectedCipherSuite(int selectedCipherSuite)
    {
        base.NotifySelectedCipherSuite(selectedCipherSuite);
        _observation.ServerSuite = selectedCipherSuite;
        _transcript.Add(TranscriptDirection.Received, "ServerHello",
            $"{ProtocolMap.Display(_observation.ServerProtocol)}, {Catalog.CipherSuiteCatalog.NameOf((ushort)selectedCipherSuite)}");
    }

    public override void NotifyAlertRaised(short alertLevel, short alertDescription, string? message, System.Exception? cause)
    {
        // BouncyCastle "raises" internal_error when the transport itself fails (silence, reset, close):
        // nothing reached the server, so it is a step of the transcript, not an alert of the handshake.
        if (alertDescription == AlertDescription.internal_error && cause != null && IsTransportFailure(cause))
        {
            _transcript.Note("Transport", $"the connection failed: {cause.Message}");
            return;
        }
        // The tap saw the server's FIN (or RST) first: the engine gave up on a closed connection, and its alert judges nothing the server sent.
        if (_tap != null && (_tap.PeerClosed || _tap.PeerReset))
        {
            _transcript.Note("Transport", $"the server had ended the connection ({(_tap.PeerReset ? "TCP RST" : "TCP FIN")}); the client stopped");
            return;
        }
        var alert = new AlertRecord(false, (byte)alertLevel, (byte)alertDescription, message ?? cause?.Message);
        _observation.Alerts.Add(alert);
        _transcript.Add(TranscriptDirection.Sent, "Alert", alert + (alert.Detail != null ? $" (the engine's words: {alert.Detail})" : ""));
    }

    static bool IsTransportFailure(System.Exception cause)
    {
        for (var e = cause; e != null; e = e.InnerException)
            if (e is System.IO.IOException || e is System.Net.Sockets.SocketException || e is System.ObjectDisposedException)
                return true;
        return false;
    }

    public override void NotifyAlertReceived(short alertLevel, short alertDescription)
    {
        var alert = new AlertRecord(true, (byte)alertLevel, (byte)alertDescription);
        _observation.Alerts.Add(alert);
        _transcript.Add(TranscriptDirection.Received, "Alert", alert.ToString());
    }

    public override void NotifyHandshakeComplete()
    {
        base.NotifyHandshakeComplete();
        var parameters = m_context.SecurityParameters;
        // BouncyCastle names the group for TLS 1.3; for earlier versions KeyExchangeReader reads it off the wire.
        if (parameters.NegotiatedGroup >= 0)
            _observation.KeyExchangeGroup = Catalog.NamedGroupCatalog.NameOf((ushort)parameters.NegotiatedGroup);
        _observation.ApplicationProtocol = parameters.ApplicationProtocol?.GetUtf8Decoding();
        _transcript.Add(TranscriptDirection.Received, "Finished", "handshake complete" +
            (_observation.ApplicationProtocol == null ? "" : $"; ALPN {_observation.ApplicationProtocol}"));
    }

    public override TlsAuthentication GetAuthentication() =>
        new RecordingAuthentication(_observation, _transcript, _profile.ClientCredential, m_context, (BcTlsCrypto)Crypto);

    /// <summary>
    /// Keeps the served chain; answers a CertificateRequest with the profile's client certificate (or none), and notes
    /// the request, the CA names it listed and what was sent.
    /// </summary>
    sealed class RecordingAuthentication : TlsAuthentication
    {
        readonly HandshakeObservation _observation;
        readonly TranscriptRecorder _transcript;
        readonly ClientCredential? _credential;
        readonly TlsContext _context;
        readonly BcTlsCrypto _crypto;

        public RecordingAuthentication(HandshakeObservation observation, TranscriptRecorder transcript, ClientCredential? credential, TlsContext context, BcTlsCrypto crypto)
        {
            this._observation = observation;
            this._transcript = transcript;
            this._credential = credential;
            this._context = context;
            this._crypto = crypto;
        }

        public void NotifyServerCertificate(TlsServerCertificate serverCertificate)
        {
            var list = serverCertificate.Certificate.GetCertificateList();
            _observation.ServedChain = list.Select(c => new X509Certificate2(c.GetEncoded())).ToArray();
            _observation.StapledOcspResponse = serverCertificate.CertificateStatus?.OcspResponse?.GetEncoded()
                ?? Tls13StapledResponse(serverCertificate.Certificate);
            var leaf = _observation.ServedChain.FirstOrDefault();
            _transcript.Add(TranscriptDirection.Received, "Certificate",
                leaf == null ? "empty" : $"{list.Length} certificate(s); leaf {leaf.Subject}, issued by {leaf.Issuer}, expires {leaf.NotAfter.ToUniversalTime():yyyy-MM-dd}");
        }

        /// <summary>
        /// TLS 1.3 staples inside the leaf's CertificateEntry (status_request extension, RFC 8446 4.4.2.1),
        /// where BouncyCastle does not surface it: CertificateStatus = status_type ocsp(1), then a 24-bit
        /// length and the DER OCSPResponse. Lengths are checked against what is there.
        /// </summary>
        static byte[]? Tls13StapledResponse(Certificate? certificate)
        {
            if (certificate == null || certificate.Length == 0) return null;
            var extensions = certificate.GetCertificateEntryAt(0).Extensions;
            if (extensions == null || !extensions.TryGetValue(ExtensionType.status_request, out var status)) return null;
            if (status.Length < 4 || status[0] != CertificateStatusType.ocsp) return null;
            int length = (status[1] << 16) | (status[2] << 8) | status[3];
            if (length == 0 || length > status.Length - 4) return null;
            var response = new byte[length];
            System.Array.Copy(status, 4, response, 0, length);
            return response;
        }

        public TlsCredentials? GetClientCredentials(CertificateRequest certificateRequest)
        {
            _observation.ClientCertificateRequested = true;
            var authorities = (certificateRequest.CertificateAuthorities ?? new List<Org.BouncyCastle.Asn1.X509.X509Name>())
                .Select(name => new X500DistinguishedName(name.GetEncoded()).Name).ToList();
            _observation.ClientCertificateAuthorities = authorities;
            string request = "the server asks for a client certificate" + (authorities.Count > 0 ? $" issued by {string.Join("; ", authorities)}" : " (naming no CA)");
            if (_credential == null)
            {
                _transcript.Add(TranscriptDirection.Received, "CertificateRequest", request + "; none sent (no -ClientCertificate)");
                return null;
            }
            var signer = ClientCertificateSigner.For(_credential, _context, _crypto, certificateRequest, out var withheld);
            if (signer == null)
            {
                _observation.ClientCertificateWithheld = $"the client certificate {_credential.Certificate.Subject} was not sent: {withheld}";
                _transcript.Add(TranscriptDirection.Received, "CertificateRequest", $"{request}; {_observation.ClientCertificateWithheld}");
                return null;
            }
            _observation.ClientCertificatePresented = _credential.Certificate;
            _transcript.Add(TranscriptDirection.Received, "CertificateRequest", request);
            _transcript.Add(TranscriptDirection.Sent, "Certificate",
                $"client certificate {_credential.Certificate.Subject}, issued by {_credential.Certificate.Issuer} ({_credential.Chain.Count} certificate(s)); " +
                $"CertificateVerify with {(signer.SignatureAndHashAlgorithm is { } a ? Catalog.SignatureSchemeCatalog.NameOf((ushort)SignatureScheme.From(a)) : "the version's default signature")}");
            return signer;
        }
    }

    /// <summary>Accepts any well-formed finite-field group at or above the client minimum, and records its size.</summary>
    sealed class RecordingDhGroupVerifier : TlsDHGroupVerifier
    {
        readonly HandshakeObservation _observation;

        public RecordingDhGroupVerifier(HandshakeObservation observation) { this._observation = observation; }

        public bool Accept(DHGroup dhGroup)
        {
            _observation.DhPrimeBits = dhGroup.P.BitLength;
            return !KeyExchangeStrength.IsWeakDhGroup(dhGroup.P.BitLength) && dhGroup.P.TestBit(0);
        }
    }
}
