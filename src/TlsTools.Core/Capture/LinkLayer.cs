using System.Collections.Generic;

namespace TlsTools.Capture;

/// <summary>
/// Finds the IP packet inside a link-layer frame. One row per LINKTYPE (tcpdump.org/linktypes.html):
/// the function returns the offset of the IP header, or -1 when the frame carries something else.
/// </summary>
internal static class LinkLayer
{
    private delegate int IpOffset(byte[] b, int offset, int length);

    private const ushort EtherIPv4 = 0x0800, EtherIPv6 = 0x86DD;
    /// <summary>802.1Q, 802.1ad (QinQ) and the pre-standard 0x9100 tag: each adds 4 bytes before the real type.</summary>
    private static readonly HashSet<ushort> VlanTags = new HashSet<ushort> { 0x8100, 0x88A8, 0x9100 };

    private static readonly Dictionary<int, IpOffset> ByLinkType = new Dictionary<int, IpOffset>
    {
        [0] = (b, o, n) => Raw(b, o + 4, n - 4),        // NULL: 4-byte address family in the capturing host's order
        [1] = Ethernet,                                 // EN10MB, with any number of VLAN tags
        [12] = Raw,                                     // DLT_RAW on some BSDs
        [14] = Raw,                                     // DLT_RAW on OpenBSD
        [101] = Raw,                                    // RAW: the frame is the IP packet
        [108] = (b, o, n) => Raw(b, o + 4, n - 4),      // LOOP: like NULL, family in network order
        [113] = (b, o, n) => EtherType(b, o, n, 14, 16),   // LINUX_SLL: protocol at 14, 16-byte header
        [228] = Raw,                                    // IPV4
        [229] = Raw,                                    // IPV6
        [276] = (b, o, n) => EtherType(b, o, n, 0, 20),    // LINUX_SLL2: protocol at 0, 20-byte header
    };

    public static bool IsSupported(int linkType) => ByLinkType.ContainsKey(linkType);

    /// <summary>Offset of the IPv4/IPv6 header in the frame, or -1.</summary>
    public static int FindIp(int linkType, byte[] buffer, int offset, int length) =>
        ByLinkType.TryGetValue(linkType, out var find) ? find(buffer, offset, length) : -1;

    /// <summary>The IP version nibble decides; a payload too short for any IP header is not IP.</summary>
    private static int Raw(byte[] b, int o, int n)
    {
        if (n < 20) return -1;
        int version = b[o] >> 4;
        return version == 4 || version == 6 ? o : -1;
    }

    private static int EtherType(byte[] b, int o, int n, int typeAt, int headerLength)
    {
        if (n < headerLength) return -1;
        return IsIp(Endian.U16BE(b, o + typeAt)) ? Raw(b, o + headerLength, n - headerLength) : -1;
    }

    private static int Ethernet(byte[] b, int o, int n)
    {
        int at = 12;
        if (n < at + 2) return -1;
        ushort type = Endian.U16BE(b, o + at);
        while (VlanTags.Contains(type) && n >= at + 6)
        {
            at += 4;
            type = Endian.U16BE(b, o + at);
        }
        return IsIp(type) ? Raw(b, o + at + 2, n - at - 2) : -1;
    }

    private static bool IsIp(ushort etherType) => etherType == EtherIPv4 || etherType == EtherIPv6;
}
