using System;
using System.Collections.Generic;
using System.Linq;
using TlsTools.Handshake;
using TlsTools.Net;

namespace TlsTools.Assessment;

/// <summary>
/// Everything the assessment saw of one server, from the wire: the versions and suites its probes were accepted with,
/// the groups, the chain of the one full handshake, what that handshake negotiated (stapled OCSP, client certificate
/// request) and the GET of / that rode on it. The grade, the profiles and the findings are all judged from this alone,
/// so each of them can be tested on evidence gathered from a real server.
/// </summary>
public sealed class ServerEvidence
{
    public TargetEndpoint Target { get; set; } = new TargetEndpoint("localhost", ConnectionOptions.DefaultPort, false);
    /// <summary>The SNI sent; null when none was.</summary>
    public string? ServerName { get; set; }
    public StartTlsProtocol StartTls { get; set; }
    /// <summary>The first line of the server's STARTTLS dialogue (SMTP's 220, IMAP's * OK, POP3's +OK, FTP's 220); null otherwise.</summary>
    public string? StartTlsGreeting { get; set; }

    /// <summary>One row per version probed, oldest first (Supported true, false, or null for no answer).</summary>
    public IReadOnlyList<ProtocolSupportResult> Protocols { get; set; } = Array.Empty<ProtocolSupportResult>();
    /// <summary>Every (version, suite) accepted, oldest version first, each in the server's order when it has one.</summary>
    public IReadOnlyList<CipherSupportResult> Suites { get; set; } = Array.Empty<CipherSupportResult>();
    /// <summary>The groups accepted (IANA names: x25519, secp256r1, X25519MLKEM768, ffdhe2048), in the server's order when it has one.</summary>
    public IReadOnlyList<string> Groups { get; set; } = Array.Empty<string>();
    public PreferenceSource? GroupOrder { get; set; }
    /// <summary>Why some versions' enumerations are incomplete ("enumeration incomplete: ..."), joined; null when every one completed.</summary>
    public string? ScanProblem { get; set; }

    /// <summary>The inspected chain of the full handshake; null when that handshake yielded none.</summary>
    public ChainReport? Chain { get; set; }
    /// <summary>The full handshake; null when the transport failed first.</summary>
    public HandshakeObservation? Handshake { get; set; }
    /// <summary>The GET of /; null when none was made (STARTTLS, -NoHttp, or the handshake failed).</summary>
    public HttpFacts? Http { get; set; }
    /// <summary>Why no GET was made, when one would have been; null otherwise.</summary>
    public string? HttpNotMade { get; set; }
    /// <summary>The vulnerability and behaviour checks that ran (all of them unless -Check or -ExcludeCheck chose).</summary>
    public ServerCheckResultList Checks { get; set; } = ServerCheckResultList.Empty;
    /// <summary>Why no check ran at all (nothing was accepted); null when they ran.</summary>
    public string? ChecksNotRun { get; set; }

    /// <summary>The versions accepted, as one flag set.</summary>
    public TlsProtocol AcceptedProtocols => Protocols.Where(p => p.Supported == true).Aggregate(TlsProtocol.None, (set, p) => set | p.Protocol);
    public bool Accepts(TlsProtocol version) => (AcceptedProtocols & version) != 0;
    /// <summary>The newest and oldest accepted versions; None when none is.</summary>
    public TlsProtocol BestProtocol => Protocols.Where(p => p.Supported == true).Select(p => p.Protocol).DefaultIfEmpty(TlsProtocol.None).Max();
    public TlsProtocol WorstProtocol => Protocols.Where(p => p.Supported == true).Select(p => p.Protocol).DefaultIfEmpty(TlsProtocol.None).Min();

    /// <summary>The leaf's row; null without a chain.</summary>
    public ChainCertificate? Leaf => Chain?.Certificates.FirstOrDefault(c => c.Position == 0) ?? Chain?.Certificates.FirstOrDefault();
    public bool OcspStapled => Handshake?.StapledOcspResponse is { Length: > 0 };
    public bool ClientCertificateRequested => Handshake?.ClientCertificateRequested == true;
    public bool HasChainProblem(ChainProblem problem) => Chain?.Findings.Any(f => f.Problem == problem) == true;
}
