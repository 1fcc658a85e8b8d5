using System.Collections.Generic;

namespace TlsTools;

/// <summary>
/// Get-CipherSupport: one cipher suite one server accepts with one protocol version. A target where nothing at
/// all is accepted gets one row with no suite and the reason in <see cref="Problem"/>.
/// </summary>
public sealed class CipherSupportResult : ITargetFindings
{
    public string ComputerName { get; set; } = "";
    public int Port { get; set; }
    public string? IPAddress { get; set; }
    /// <summary>The SNI sent; null when none was.</summary>
    public string? ServerName { get; set; }
    public TlsProtocol Protocol { get; set; }
    /// <summary>IANA name (TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256; SSLv2: SSL_CK_RC4_128_WITH_MD5).</summary>
    public string? CipherSuite { get; set; }
    public string? OpenSslName { get; set; }
    /// <summary>"0xC02F" (SSLv2: the 3-byte kind, "0x010080").</summary>
    public string? Code { get; set; }
    public string? KeyExchange { get; set; }
    public string? Authentication { get; set; }
    public string? Encryption { get; set; }
    public int? Bits { get; set; }
    public string? Mac { get; set; }
    public bool? Aead { get; set; }
    public bool? ForwardSecrecy { get; set; }
    public CipherSuiteRating? Rating { get; set; }
    public string? RatingReason { get; set; }
    /// <summary>1 = the server's favourite for this version; null when the server follows the client's order.</summary>
    public int? PreferenceOrder { get; set; }
    /// <summary>Whose order picks the suite for this version: Server, Client, or Undetermined (one suite).</summary>
    public PreferenceSource? SuiteOrder { get; set; }
    /// <summary>The group of the key exchange as negotiated when this suite was found (x25519, secp256r1, ffdhe2048).</summary>
    public string? KeyExchangeGroup { get; set; }
    /// <summary>Size of the DH prime for DHE suites (1024 is Logjam territory).</summary>
    public int? DhBits { get; set; }
    /// <summary>-IncludeGroups: the groups the server accepts, in its order when it has one, joined with ", ".</summary>
    public string? SupportedGroups { get; set; }
    /// <summary>-IncludeGroups: whose order picks the group.</summary>
    public PreferenceSource? GroupOrder { get; set; }
    /// <summary>-IncludeGroups: the version the groups were probed with (TLS 1.3, else the newest with ECDHE).</summary>
    public TlsProtocol? GroupsProtocol { get; set; }
    /// <summary>TCP connections made to the server for the whole scan of this target.</summary>
    public int Connections { get; set; }
    /// <summary>Null normally. Why nothing was accepted, or what broke off this version's enumeration.</summary>
    public string? Problem { get; set; }
    /// <summary>None unless the server accepted nothing: then why, as Test-TlsHandshake names it.</summary>
    public FailureCategory FailureCategory { get; set; }
    public string? FailureReason { get; set; }
    /// <summary>The diagnosis rule that named <see cref="FailureCategory"/> (as Test-TlsHandshake's DiagnosisRule); null when None.</summary>
    public string? DiagnosisRule { get; set; }
    public string? Remedy { get; set; }
    public bool InterceptionSuspected { get; set; }
    public string? InterceptionEvidence { get; set; }
    public ServerNameBehavior ServerNameBehavior { get; set; }
    public string? ServerNameComparison { get; set; }

    /// <summary>-IncludeGroups: <see cref="SupportedGroups"/> as a list.</summary>
    public IReadOnlyList<string>? Groups { get; set; }

    public override string ToString() => $"{ComputerName}:{Port} {Protocol} {CipherSuite}";
}
