namespace TlsTools.Catalog;

/// <summary>Which of two ratings is worse. The enum's numeric order is not the order of severity (Deprecated came last).</summary>
internal static class RatingSeverity
{
    static readonly CipherSuiteRating[] BestToWorst =
    {
        CipherSuiteRating.Recommended, CipherSuiteRating.Secure, CipherSuiteRating.Deprecated, CipherSuiteRating.Weak, CipherSuiteRating.Insecure,
    };

    public static int Of(CipherSuiteRating rating) => System.Array.IndexOf(BestToWorst, rating);

    /// <summary>True when the verdict is worse than the rating so far: a row is as weak as its weakest part.</summary>
    public static bool IsWorse(RatingVerdict? verdict, CipherSuiteRating? than) =>
        verdict != null && (than == null || Of(verdict.Rating) > Of(than.Value));
}

/// <summary>One TLS cipher suite: its code, names and what its IANA name says it is made of.</summary>
public sealed class CipherSuiteInfo
{
    internal CipherSuiteInfo(ushort code, string name)
    {
        Code = code;
        CodeText = CodeFormat.Hex(code);
        Name = name;
    }

    public ushort Code { get; internal set; }
    /// <summary>"0xC02F".</summary>
    public string CodeText { get; internal set; }
    /// <summary>The IANA name, e.g. TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256.</summary>
    public string Name { get; internal set; }
    /// <summary>OpenSSL's name (ECDHE-RSA-AES128-GCM-SHA256); null where OpenSSL has no naming for it (GOST, KRB5...).</summary>
    public string? OpenSslName { get; internal set; }
    /// <summary>ECDHE, DHE, ECDH, DH, RSA, PSK, SRP, KRB5, ECCPWD, GOST, NULL; "any" for TLS 1.3 suites.</summary>
    public string KeyExchange { get; internal set; } = "";
    /// <summary>RSA, ECDSA, DSS, anon, PSK, SRP, KRB5, ECCPWD, GOST, NULL; "any" for TLS 1.3 suites.</summary>
    public string Authentication { get; internal set; } = "";
    /// <summary>The bulk cipher as IANA writes it: AES_128_GCM, CHACHA20_POLY1305, 3DES_EDE_CBC, RC4_128, NULL.</summary>
    public string Encryption { get; internal set; } = "";
    /// <summary>Key strength of the bulk cipher in bits (3DES counts as 112, its effective strength).</summary>
    public int Bits { get; internal set; }
    /// <summary>SHA1, SHA256, SHA384, MD5...; "AEAD" when the cipher authenticates itself.</summary>
    public string Mac { get; internal set; } = "";
    public bool Aead { get; internal set; }
    public bool ForwardSecrecy { get; internal set; }
    public bool IsTls13 { get; internal set; }
    /// <summary>Export-grade (deliberately weakened) suite.</summary>
    public bool Export { get; internal set; }
    /// <summary>A signalling value, not a real suite (TLS_EMPTY_RENEGOTIATION_INFO_SCSV, TLS_FALLBACK_SCSV).</summary>
    public bool IsSignaling { get; internal set; }
    /// <summary>The registry's Recommended column.</summary>
    public bool IanaRecommended { get; internal set; }
    /// <summary>The protocol versions that can negotiate this suite.</summary>
    public TlsProtocol Protocols { get; internal set; }
    public CipherSuiteRating Rating { get; internal set; }
    /// <summary>The rule that decided <see cref="Rating"/>, in words.</summary>
    public string RatingReason { get; internal set; } = "";

    public override string ToString() => $"{CodeText} {Name}";
}
