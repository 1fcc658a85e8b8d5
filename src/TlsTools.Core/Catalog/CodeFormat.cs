using System.Globalization;

namespace TlsTools.Catalog;

internal static class CodeFormat
{
    /// <summary>"0xC02F": the way TLS code points are written in tools and logs.</summary>
    public static string Hex(ushort code) => "0x" + code.ToString("X4", CultureInfo.InvariantCulture);

    /// <summary>The name shown for a code point that no registry row explains.</summary>
    public static string Unknown(ushort code) => Hex(code) + " (unknown)";
}
