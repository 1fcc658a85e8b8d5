using System;
using System.Collections.Generic;
using System.Linq;
using Org.BouncyCastle.Crypto;

namespace TlsTools.TestServers;

/// <summary>
/// Every test server scenario as one row: name, the failure a client must report and the diagnosis rule that must
/// decide it (Test-TlsHandshake's DiagnosisRule with default settings), what it reproduces, and how it is served. Adding a scenario is adding a row; nothing else branches on scenario names.
/// </summary>
internal static class ScenarioCatalog
{
    const TlsProtocol Modern = TlsProtocol.Tls12 | TlsProtocol.Tls13;
    const TlsProtocol Tls10To12 = TlsProtocol.Tls10 | TlsProtocol.Tls11 | TlsProtocol.Tls12;

    // Cipher suite lists by IANA code, in server preference order.
    static readonly int[] Tls13Suites = { 0x1301, 0x1302, 0x1303 };
    static readonly int[] EcdheRsaAead = { 0xC02F, 0xC030, 0xCCA8 };
    static readonly int[] EcdheEcdsaAead = { 0xC02B, 0xC02C, 0xCCA9 };
    static readonly int[] LegacyCbc = { 0xC013, 0xC014, 0x002F, 0x0035 };                    // what TLS 1.0/1.1 servers offered
    static readonly int[] Ssl3Suites = { 0x002F, 0x0035, 0x000A, 0x0005, 0x0004 };           // AES/3DES via BouncyCastle, RC4 on the wire
    static readonly int[] WeakSuites = { 0x000A, 0xC012, 0x0016, 0x0009, 0x0005, 0x0004, 0xC011 }; // 3DES, DES, RC4
    static readonly int[] ExportSuites = { 0x0003, 0x0006, 0x0008 };                         // EXP-RC4-MD5, EXP-RC2-CBC-MD5, EXP-DES-CBC-SHA
    static readonly int[] StaticRsa = { 0x009C, 0x009D, 0x002F, 0x0035 };
    static readonly int[] NullSuites = { 0x003B, 0x0002, 0xC010 };
    static readonly int[] AnonymousDhSuites = { 0x00A6, 0x0034, 0x003A, 0xC018 };
    static readonly int[] DheRsa = { 0x009E, 0x009F, 0x0033, 0x0039 };
    static readonly int[] LegacyTail = { 0x000A, 0x0005 };                                    // 3DES, then RC4, after the modern suites
    // What an OpenSSL 1.0.x server with SSLv2 left on (and export kinds off) offered.
    static readonly Protocol.Ssl2CipherKind[] Ssl2Kinds = { Protocol.Ssl2CipherKind.Rc4128WithMd5, Protocol.Ssl2CipherKind.Des192Ede3CbcWithMd5 };

    static readonly int[] ModernRsa = Tls13Suites.Concat(EcdheRsaAead).ToArray();
    static readonly int[] ModernEcdsa = Tls13Suites.Concat(EcdheEcdsaAead).ToArray();

    public static IReadOnlyList<ScenarioDefinition> All { get; } = new[]
    {
        Tls("Good", FailureCategory.None, "HandshakeTrusted", "Healthy: TLS 1.2 and 1.3, ECDHE with AEAD suites, RSA 2048 leaf, full chain.",
            new TlsServing { Versions = Modern, Suites = ModernRsa, Credential = Issued("Good") }),
        Tls("GoodEcdsa", FailureCategory.None, "HandshakeTrusted", "Healthy with an ECDSA P-256 leaf: TLS 1.2 and 1.3, ECDHE-ECDSA AEAD suites, full chain.",
            new TlsServing { Versions = Modern, Suites = ModernEcdsa, Credential = Issued("GoodEcdsa", key: pki => pki.EcdsaKey) }),
        Tls("Expired", FailureCategory.CertificateExpired, "CertificateRefused", "The leaf certificate expired 30 days ago.",
            new TlsServing { Versions = Modern, Suites = ModernRsa, Credential = Issued("Expired", s => { s.NotBefore = s.NotBefore.AddDays(-120); s.NotAfter = s.NotBefore.AddDays(90); }) }),
        Tls("NotYetValid", FailureCategory.CertificateNotYetValid, "CertificateRefused", "The leaf certificate becomes valid only in 30 days (clock skew, or deployed too early).",
            new TlsServing { Versions = Modern, Suites = ModernRsa, Credential = Issued("NotYetValid", s => { s.NotBefore = s.NotBefore.AddDays(31); s.NotAfter = s.NotBefore.AddDays(90); }) }),
        Tls("WrongHost", FailureCategory.NameMismatch, "CertificateRefused", "The certificate is for other.tlstools.test, not the name the client asks for.",
            new TlsServing { Versions = Modern, Suites = ModernRsa, Credential = Issued("Other") }),
        Tls("SelfSigned", FailureCategory.SelfSigned, "CertificateRefused", "A self-signed leaf certificate, as appliances and test set-ups ship.",
            new TlsServing { Versions = Modern, Suites = ModernRsa, Credential = pki => new ServerCredential(new[] { pki.SelfSignedLeaf(Host("SelfSigned"), pki.LeafKey) }, pki.LeafKey.Private) }),
        Tls("UntrustedRoot", FailureCategory.UntrustedRoot, "CertificateRefused", "A complete chain up to a root the client does not trust (a private CA not deployed to clients).",
            new TlsServing { Versions = Modern, Suites = ModernRsa, Credential = Chain("UntrustedRoot", pki => pki.UntrustedRoot, (pki, leaf) => new[] { leaf, pki.UntrustedRoot.Certificate }) }),
        Tls("IncompleteChain", FailureCategory.IncompleteChain, "CertificateRefused", "Only the leaf is sent; the intermediate CA certificate is missing from the server configuration.",
            new TlsServing { Versions = Modern, Suites = ModernRsa, Credential = Chain("IncompleteChain", pki => pki.Intermediate, (pki, leaf) => new[] { leaf }) }),
        Tls("WrongOrderChain", FailureCategory.None, "HandshakeTrusted", "Leaf, then root, then intermediate: out of order. Tolerant clients (ours, browsers, OpenSSL) rebuild the path; strict ones fail.",
            new TlsServing { Versions = Modern, Suites = ModernRsa, Credential = Chain("WrongOrderChain", pki => pki.Intermediate, (pki, leaf) => new[] { leaf, pki.Root.Certificate, pki.Intermediate.Certificate }) }),
        Tls("Sha1Signature", FailureCategory.WeakSignature, "CertificateRefused", "The leaf is signed with SHA-1 (ecdsa-with-SHA1), which browsers and OpenSSL at security level 1+ reject.",
            new TlsServing { Versions = Modern, Suites = ModernRsa, Credential = Issued("Sha1Signature", s => s.SignatureAlgorithm = "SHA1WITHECDSA") }),
        Tls("WeakKey", FailureCategory.WeakCertificateKey, "CertificateRefused", "The leaf has a 1024-bit RSA key (at least 2048 bits are required).",
            new TlsServing { Versions = Modern, Suites = ModernRsa, Credential = Issued("WeakKey", key: pki => pki.WeakRsaKey) }),
        Tls("Tls10Only", FailureCategory.ProtocolVersionMismatch, "NegotiationRejected", "Accepts only TLS 1.0 (CBC suites), like a server never updated since 2010.",
            new TlsServing { Versions = TlsProtocol.Tls10, Suites = LegacyCbc, Credential = Issued("Tls10Only") }),
        Tls("Tls11Only", FailureCategory.ProtocolVersionMismatch, "NegotiationRejected", "Accepts only TLS 1.1 (CBC suites).",
            new TlsServing { Versions = TlsProtocol.Tls11, Suites = LegacyCbc, Credential = Issued("Tls11Only") }),
        Tls("Tls13Only", FailureCategory.None, "HandshakeTrusted", "Accepts only TLS 1.3: current clients connect, TLS 1.2-only clients (older Windows, Java 8) cannot.",
            new TlsServing { Versions = TlsProtocol.Tls13, Suites = Tls13Suites, Credential = Issued("Tls13Only") }),
        Tls("Ssl3Only", FailureCategory.ProtocolVersionMismatch, "NegotiationRejected", "Accepts only SSLv3 (AES and 3DES through BouncyCastle, RC4 answered on the wire).",
            new TlsServing { Versions = TlsProtocol.Ssl3, Suites = Ssl3Suites, Credential = Issued("Ssl3Only") }),
        Tls("Ssl2Enabled", FailureCategory.None, "HandshakeTrusted", "TLS 1.2 and 1.3 as Good, but SSLv2 still enabled with the same RSA key (RC4-MD5, DES-CBC3-MD5): DROWN (CVE-2016-0800).",
            new TlsServing { Versions = Modern, Suites = ModernRsa, Ssl2Kinds = Ssl2Kinds, Credential = Issued("Ssl2Enabled") }),
        Tls("LegacyCiphers", FailureCategory.None, "HandshakeTrusted", "TLS 1.2 and 1.3 as Good, but 3DES and RC4 still accepted after the AEAD suites (Sweet32, RC4 biases); modern clients never pick them.",
            new TlsServing { Versions = Modern, Suites = ModernRsa.Concat(LegacyTail).ToArray(), Credential = Issued("LegacyCiphers") }),
        Tls("Heartbleed", FailureCategory.None, "HandshakeTrusted", "TLS 1.2 and 1.3 as Good, but a TLS 1.2 hello offering heartbeat meets OpenSSL 1.0.1's Heartbleed (CVE-2014-0160): a HeartbeatRequest is answered with as many bytes as it claims (a fixed pattern stands in for the memory).",
            new TlsServing { Versions = Modern, Suites = ModernRsa, Flaw = new HeartbleedFlaw(), Credential = Issued("Heartbleed") }),
        Tls("CcsInjection", FailureCategory.None, "HandshakeTrusted", "TLS 1.3 as Good, but a TLS 1.2 hello meets OpenSSL 1.0.1g's CCS injection flaw (CVE-2014-0224): a ChangeCipherSpec before the key exchange is taken silently, the next record answered with decryption_failed.",
            new TlsServing { Versions = Modern, Suites = ModernRsa, Flaw = new CcsInjectionFlaw(), Credential = Issued("CcsInjection") }),
        Tls("WeakCiphers", FailureCategory.NoSharedCipher, "NegotiationRejected", "TLS 1.0-1.2 with only 3DES, single DES and RC4 suites (Sweet32, RC4 biases).",
            new TlsServing { Versions = Tls10To12, Suites = WeakSuites, Credential = Issued("WeakCiphers") }),
        Tls("ExportCiphers", FailureCategory.ProtocolVersionMismatch, "NegotiationRejected", "Only export-grade suites (40-bit RC4/RC2/DES, FREAK), with SSLv3 and TLS 1.0 as export-era servers had.",
            new TlsServing { Versions = TlsProtocol.Ssl3 | TlsProtocol.Tls10, Suites = ExportSuites, Credential = Issued("ExportCiphers") }),
        Tls("NoForwardSecrecy", FailureCategory.None, "HandshakeTrusted", "TLS 1.2 with static RSA key exchange only: the handshake works, but no forward secrecy (Get-CipherSupport rates it).",
            new TlsServing { Versions = TlsProtocol.Tls12, Suites = StaticRsa, Credential = Issued("NoForwardSecrecy") }),
        Tls("NullCipher", FailureCategory.NoSharedCipher, "NegotiationRejected", "Only NULL-encryption suites: authenticated but cleartext.",
            new TlsServing { Versions = Tls10To12, Suites = NullSuites, Credential = Issued("NullCipher") }),
        Tls("AnonymousDh", FailureCategory.NoSharedCipher, "NegotiationRejected", "Only anonymous (unauthenticated) DH and ECDH suites: no certificate, open to man-in-the-middle.",
            new TlsServing { Versions = Tls10To12, Suites = AnonymousDhSuites, Credential = Issued("AnonymousDh") }),
        Tls("WeakDh", FailureCategory.WeakDhGroup, "WeakDhGroupChosen", "DHE suites only, with a 1024-bit DH group (Logjam).",
            new TlsServing { Versions = TlsProtocol.Tls12, Suites = DheRsa, DhPrimeBits = 1024, Credential = Issued("WeakDh") }),
        Tls("SniRequired", FailureCategory.UnrecognizedName, "ServerUnrecognizedName", "Without SNI the server answers unrecognized_name (112); with SNI sniRequired.tlstools.test it works.",
            new TlsServing { Versions = Modern, Suites = ModernRsa, RequireSni = true, Credential = Issued("SniRequired") }, sendsSni: false),
        Tls("SniMismatch", FailureCategory.NameMismatch, "CertificateRefused", "Without SNI the server presents its default certificate (default.tlstools.test); with SNI sniMismatch.tlstools.test the right one.",
            new TlsServing { Versions = Modern, Suites = ModernRsa, Credential = Issued("Default"), SniName = Host("SniMismatch"), SniCredential = Issued("SniMismatch") }, sendsSni: false),
        Tls("ClientCertificateRequired", FailureCategory.ClientCertificateRequired, "ClientCertificateMissing", "Requires a client certificate (mutual TLS) and rejects clients without one.",
            new TlsServing { Versions = Modern, Suites = ModernRsa, RequireClientCertificate = true, Credential = Issued("ClientCertificateRequired") }),
        Tls("Interception", FailureCategory.InterceptionSuspected, "ChainResigned", "Right host name, but issued by an unknown 'inspection' CA, as a TLS-intercepting proxy re-signs sites.",
            new TlsServing { Versions = Modern, Suites = ModernRsa, Credential = Chain("Interception", pki => pki.InspectionCa, (pki, leaf) => new[] { leaf, pki.InspectionCa.Certificate }) }),
        Raw("NotTls", FailureCategory.NotTls, "AnswerNotTls", "Speaks plain HTTP on the port (TLS client pointed at an HTTP listener).", new PlainHttpResponder()),
        Raw("Silent", FailureCategory.ServerSilent, "ServerSilentAfterHello", "Accepts the TCP connection and never answers (a firewall or proxy that swallows the traffic).", new SilentResponder()),
        Raw("ResetAfterHello", FailureCategory.ConnectionReset, "ResetAfterClientHello", "Resets the connection (TCP RST) right after the ClientHello, as DPI firewalls do.", new ResetResponder()),
        Raw("DripFeed", FailureCategory.HandshakeTimeout, "HandshakeStalled", "Answers the ClientHello with a ServerHello dripped one byte every 2 s: never silent long enough for a read timeout, never a whole record; only the client's overall deadline (-TimeoutSec) ends it.", new DripFeedResponder()),
        Tls("SlowHandshake", FailureCategory.None, "HandshakeTrusted", "Healthy, but answers the ClientHello only after 3 s: clients with shorter timeouts report ServerSilent.",
            new TlsServing { Versions = Modern, Suites = ModernRsa, HelloDelay = TimeSpan.FromSeconds(3), Credential = Issued("SlowHandshake") }),
        // Intolerant servers: real TLS 1.2 for mainstream clients, refusals for what RFC 8446 and RFC 8701 say to ignore.
        Tls("Intolerant", FailureCategory.None, "HandshakeTrusted", "TLS 1.2 only, serving mainstream clients, but refusing (handshake_failure) a ClientHello with an extension type it does not know or a GREASE value (RFC 8701).",
            new TlsServing { Versions = TlsProtocol.Tls12, Suites = EcdheRsaAead, Refuses = HelloIntolerance.OldStack, Credential = Issued("Intolerant") }),
        Tls("VersionIntolerant", FailureCategory.AlertReceived, "ServerFatalAlert", "TLS 1.2 only, and answering any ClientHello that offers TLS 1.3 (supported_versions) with handshake_failure instead of negotiating TLS 1.2 (version intolerance): current clients fail, TLS 1.2-only ones connect.",
            new TlsServing { Versions = TlsProtocol.Tls12, Suites = EcdheRsaAead, Refuses = HelloIntolerance.Tls13Hello, Credential = Issued("VersionIntolerant") }),
        // Broken servers: each answers the ClientHello with bytes that break one rule of the protocol, and nothing else.
        Raw("Garbage", FailureCategory.NotTls, "AnswerNotTls", "Answers the ClientHello with 256 random-looking binary bytes: some other binary protocol on the port, not TLS.",
            Scripted(BrokenAnswers.Garbage)),
        Raw("OversizedRecord", FailureCategory.ProtocolViolation, "RecordTooLong", "Answers with a handshake record whose header claims 65,535 bytes (16 03 03 FF FF), over the 2^14 + 2048 a TLS record may hold.",
            Scripted(BrokenAnswers.OversizedRecord)),
        Raw("EndlessRecords", FailureCategory.ProtocolViolation, "FlightTooLong", "Sends a valid TLS 1.2 ServerHello, then 16 KiB records of HelloRequest messages without end: a flight that never completes, until the client stops at its bound.",
            new EndlessRecordsResponder()),
        Raw("TruncatedServerHello", FailureCategory.ProtocolViolation, "MessageLengthMismatch", "Sends one 42-byte record whose ServerHello header claims 65,535 bytes, then closes: the message can never be whole.",
            Scripted(BrokenAnswers.TruncatedServerHello, AfterAnswer.Close)),
        Raw("UnofferedSuite", FailureCategory.ProtocolViolation, "UnofferedSuiteChosen", "Sends a correct TLS 1.2 ServerHello that chooses cipher suite 0xC0FF, which the client never offered.",
            Scripted(BrokenAnswers.UnofferedSuite)),
        Raw("UnofferedVersion", FailureCategory.ProtocolViolation, "UnofferedVersionChosen", "Sends a ServerHello with version 0x0305, higher than anything the client offered (or anyone defined).",
            Scripted(BrokenAnswers.UnofferedVersion)),
        Raw("HelloRetryLoop", FailureCategory.ProtocolViolation, "SecondHelloRetryRequest", "Answers every ClientHello, the retried one too, with a TLS 1.3 HelloRetryRequest; RFC 8446 allows one per connection.",
            new HelloRetryLoopResponder()),
        Raw("HugeCertificateMessage", FailureCategory.ProtocolViolation, "MessageTooLong", "Sends a TLS 1.2 ServerHello, then a Certificate message whose header claims 16 MiB; 16 KiB of it come, the rest never.",
            Scripted(BrokenAnswers.HugeCertificateMessage)),
        Raw("UndecodableCertificate", FailureCategory.ProtocolViolation, "CertificateUndecodable", "Sends a TLS 1.2 ServerHello, then a Certificate message whose one entry is text, not a DER certificate.",
            Scripted(BrokenAnswers.UndecodableCertificate)),
        Raw("UndefinedAlert", FailureCategory.ProtocolViolation, "UndefinedAlert", "Answers the ClientHello with a fatal alert of description 254 (0xFE), which no RFC defines, then closes.",
            Scripted(BrokenAnswers.UndefinedAlert, AfterAnswer.Close)),
        Raw("DataBeforeHandshake", FailureCategory.ProtocolViolation, "DataBeforeFinished", "Answers the ClientHello with an application_data record (23) before any ServerHello: data no key protects.",
            Scripted(BrokenAnswers.DataBeforeHandshake)),
        Raw("CloseAfterHello", FailureCategory.ConnectionClosed, "ClosedAfterClientHello", "Reads the ClientHello, then closes the connection with a FIN, without an alert (a proxy or server that drops TLS).",
            Scripted(BrokenAnswers.Nothing, AfterAnswer.Close)),
        Raw("Ssl2Garbage", FailureCategory.ProtocolViolation, "Ssl2RecordMalformed", "Answers with an SSLv2 record (high bit set, 2-byte length) whose SERVER-HELLO claims a 1,024-byte certificate in a 26-byte message.",
            Scripted(BrokenAnswers.Ssl2Garbage)),
    };

    public static ScenarioDefinition? Find(string name) =>
        All.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The host name of a scenario's certificate: "good.tlstools.test".</summary>
    public static string Host(string scenario) => scenario.ToLowerInvariant() + "." + ScenarioPki.Domain;

    static ScenarioDefinition Tls(string name, FailureCategory expected, string rule, string description, TlsServing serving, bool sendsSni = true) =>
        new ScenarioDefinition(name, expected, rule, description, pki => new TlsScenarioHandler(serving, pki), sendsSni ? Host(name) : null);

    static ScenarioDefinition Raw(string name, FailureCategory expected, string rule, string description, IConnectionHandler handler) =>
        new ScenarioDefinition(name, expected, rule, description, _ => handler, Host(name));

    static IConnectionHandler Scripted(Func<Protocol.ClientHello, byte[]> answer, AfterAnswer then = AfterAnswer.Wait) =>
        new ScriptedResponder(answer, then);

    /// <summary>A leaf for the scenario's host from the trusted intermediate, served with that intermediate.</summary>
    static Func<ScenarioPki, ServerCredential> Issued(string hostLabel, Action<CertificateSpec>? adjust = null,
        Func<ScenarioPki, AsymmetricCipherKeyPair>? key = null) =>
        pki =>
        {
            var pair = key?.Invoke(pki) ?? pki.LeafKey;
            var leaf = pki.Leaf(Host(hostLabel), pki.Intermediate, spec =>
            {
                spec.PublicKey = pair.Public;
                adjust?.Invoke(spec);
            });
            return new ServerCredential(new[] { leaf, pki.Intermediate.Certificate }, pair.Private);
        };

    /// <summary>A leaf for the scenario's host from <paramref name="issuer"/>, served as <paramref name="served"/> lists it.</summary>
    static Func<ScenarioPki, ServerCredential> Chain(string hostLabel, Func<ScenarioPki, CertificateAuthority> issuer,
        Func<ScenarioPki, Org.BouncyCastle.X509.X509Certificate, Org.BouncyCastle.X509.X509Certificate[]> served) =>
        pki => new ServerCredential(served(pki, pki.Leaf(Host(hostLabel), issuer(pki))), pki.LeafKey.Private);
}
