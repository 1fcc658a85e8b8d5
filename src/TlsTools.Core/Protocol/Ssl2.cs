using System.Collections.Generic;

namespace TlsTools.Protocol;

/// <summary>SSLv2 cipher kinds; the value is the 3-byte code on the wire.</summary>
public enum Ssl2CipherKind
{
    Rc4128WithMd5 = 0x010080,
    Rc4128Export40WithMd5 = 0x020080,
    Rc2128CbcWithMd5 = 0x030080,
    Rc2128CbcExport40WithMd5 = 0x040080,
    Idea128CbcWithMd5 = 0x050080,
    Des64CbcWithMd5 = 0x060040,
    Des192Ede3CbcWithMd5 = 0x0700C0,
}

public static class Ssl2CipherKinds
{
    /// <summary>Every SSLv2 cipher kind: a probe offers all of them.</summary>
    public static IReadOnlyList<Ssl2CipherKind> All { get; } = new[]
    {
        Ssl2CipherKind.Rc4128WithMd5, Ssl2CipherKind.Rc4128Export40WithMd5, Ssl2CipherKind.Rc2128CbcWithMd5,
        Ssl2CipherKind.Rc2128CbcExport40WithMd5, Ssl2CipherKind.Idea128CbcWithMd5, Ssl2CipherKind.Des64CbcWithMd5,
        Ssl2CipherKind.Des192Ede3CbcWithMd5,
    };
}
