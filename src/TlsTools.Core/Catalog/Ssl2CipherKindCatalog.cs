using System.Collections.Generic;
using TlsTools.Protocol;

namespace TlsTools.Catalog;

/// <summary>One SSLv2 cipher kind, described like a cipher suite so that SSLv2 rows look like the others.</summary>
public sealed class Ssl2CipherKindInfo
{
    internal Ssl2CipherKindInfo(Ssl2CipherKind kind, string name, string openSslName, string encryption, int bits, bool export)
    { Kind = kind; Name = name; OpenSslName = openSslName; Encryption = encryption; Bits = bits; Export = export; }

    public Ssl2CipherKind Kind { get; }
    /// <summary>"0x010080": the 3-byte code on the wire.</summary>
    public string CodeText => "0x" + ((int)Kind).ToString("X6");
    /// <summary>The SSL 2.0 draft's name, e.g. SSL_CK_RC4_128_WITH_MD5.</summary>
    public string Name { get; }
    public string OpenSslName { get; }
    public string Encryption { get; }
    public int Bits { get; }
    public bool Export { get; }
}

/// <summary>
/// The seven SSLv2 cipher kinds. All use RSA key transport and an MD5 MAC, and SSLv2 itself is broken
/// (RFC 6176 prohibits it; DROWN, CVE-2016-0800), so every one rates Insecure whatever its cipher.
/// </summary>
public static class Ssl2CipherKindCatalog
{
    public const string RatingReason = "SSLv2 is broken (RFC 6176, DROWN)";

    private static readonly Dictionary<Ssl2CipherKind, Ssl2CipherKindInfo> Kinds = new Dictionary<Ssl2CipherKind, Ssl2CipherKindInfo>
    {
        [Ssl2CipherKind.Rc4128WithMd5] = new Ssl2CipherKindInfo(Ssl2CipherKind.Rc4128WithMd5, "SSL_CK_RC4_128_WITH_MD5", "RC4-MD5", "RC4_128", 128, false),
        [Ssl2CipherKind.Rc4128Export40WithMd5] = new Ssl2CipherKindInfo(Ssl2CipherKind.Rc4128Export40WithMd5, "SSL_CK_RC4_128_EXPORT40_WITH_MD5", "EXP-RC4-MD5", "RC4_40", 40, true),
        [Ssl2CipherKind.Rc2128CbcWithMd5] = new Ssl2CipherKindInfo(Ssl2CipherKind.Rc2128CbcWithMd5, "SSL_CK_RC2_128_CBC_WITH_MD5", "RC2-CBC-MD5", "RC2_CBC_128", 128, false),
        [Ssl2CipherKind.Rc2128CbcExport40WithMd5] = new Ssl2CipherKindInfo(Ssl2CipherKind.Rc2128CbcExport40WithMd5, "SSL_CK_RC2_128_CBC_EXPORT40_WITH_MD5", "EXP-RC2-CBC-MD5", "RC2_CBC_40", 40, true),
        [Ssl2CipherKind.Idea128CbcWithMd5] = new Ssl2CipherKindInfo(Ssl2CipherKind.Idea128CbcWithMd5, "SSL_CK_IDEA_128_CBC_WITH_MD5", "IDEA-CBC-MD5", "IDEA_CBC", 128, false),
        [Ssl2CipherKind.Des64CbcWithMd5] = new Ssl2CipherKindInfo(Ssl2CipherKind.Des64CbcWithMd5, "SSL_CK_DES_64_CBC_WITH_MD5", "DES-CBC-MD5", "DES_CBC", 56, false),
        [Ssl2CipherKind.Des192Ede3CbcWithMd5] = new Ssl2CipherKindInfo(Ssl2CipherKind.Des192Ede3CbcWithMd5, "SSL_CK_DES_192_EDE3_CBC_WITH_MD5", "DES-CBC3-MD5", "3DES_EDE_CBC", 112, false),
    };

    /// <summary>The description of a kind; null for a 3-byte value the SSL 2.0 draft does not define.</summary>
    public static Ssl2CipherKindInfo? Find(Ssl2CipherKind kind) => Kinds.TryGetValue(kind, out var info) ? info : null;
}
