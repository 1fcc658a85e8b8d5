using System.Collections.Generic;
using System.Linq;

namespace TlsTools.Protocol;

/// <summary>One hello extension: its type and raw body.</summary>
public sealed class TlsExtension
{
    public TlsExtension(ushort type, byte[]? data) { Type = type; Data = data ?? new byte[0]; }
    public ushort Type { get; }
    public byte[] Data { get; }

    /// <summary>An extensions block; a type appearing twice is an error (RFC 8446 §4.2).</summary>
    internal static List<TlsExtension> ReadList(ByteReader r)
    {
        var extensions = new List<TlsExtension>();
        while (!r.AtEnd)
        {
            ushort type = r.ReadUInt16("extension type");
            if (extensions.Any(e => e.Type == type)) throw r.Fail($"extension {type} appears twice");
            extensions.Add(new TlsExtension(type, r.ReadVector16("extension data")));
        }
        return extensions;
    }
}
