using System;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace TlsTools.Net.StartTls;

/// <summary>PostgreSQL SSLRequest (protocol 3, §55.2.10) and the MySQL SSL request packet (HandshakeResponse41 cut short).</summary>
public static class DatabaseDialects
{
    /// <summary>Int32 length 8, Int32 80877103: "I want SSL".</summary>
    public static readonly byte[] PostgresSslRequest = { 0, 0, 0, 8, 0x04, 0xD2, 0x16, 0x2F };

    public static async Task<TunnelResult> PostgresAsync(PlainChannel channel, CancellationToken ct)
    {
        await channel.SendAsync(PostgresSslRequest, ct).ConfigureAwait(false);
        byte answer = await channel.ReadByteAsync(ct).ConfigureAwait(false);
        if (answer == (byte)'S') return TunnelResult.Open("S");
        string reply = answer == (byte)'N' ? "N (SSL not supported)" : answer == (byte)'E' ? "E (error response)" : $"0x{answer:X2}";
        return TunnelResult.Refused(reply, answer == (byte)'N'
            ? "PostgreSQL STARTTLS not offered: the server answered the SSLRequest with 'N': ssl = off in postgresql.conf."
            : $"PostgreSQL STARTTLS not offered: the server answered the SSLRequest with {reply}, not 'S'.");
    }

    const uint ClientLongPassword = 0x1, ClientProtocol41 = 0x200, ClientSsl = 0x800, ClientSecureConnection = 0x8000;
    const int MaxPacket = 16 * 1024 * 1024;

    public static async Task<TunnelResult> MySqlAsync(PlainChannel channel, CancellationToken ct)
    {
        var header = await channel.ReadExactAsync(4, ct).ConfigureAwait(false);
        int length = header[0] | header[1] << 8 | header[2] << 16;
        if (length > PlainChannel.MaxReplyBytes || length < 1)
            return TunnelResult.Refused($"{length}-byte packet", $"MySQL STARTTLS not offered: the first packet ({length} bytes) is no MySQL greeting.");
        var greeting = await channel.ReadExactAsync(length, ct).ConfigureAwait(false);
        var (capabilities, refusal) = ReadGreeting(greeting);
        if (refusal != null) return refusal;
        if ((capabilities & ClientSsl) == 0)
            return TunnelResult.Refused("capabilities without CLIENT_SSL",
                $"MySQL STARTTLS not offered: the server's greeting ({ServerVersion(greeting)}) lacks the CLIENT_SSL capability: TLS is not configured (ssl_cert/ssl_key, or have_ssl=DISABLED).");
        await channel.SendAsync(BuildSslRequest(header[3]), ct).ConfigureAwait(false);
        return TunnelResult.Open($"MySQL {ServerVersion(greeting)} with CLIENT_SSL");
    }

    /// <summary>Capability flags of a Protocol::HandshakeV10 packet, or the refusal an ERR packet carries.</summary>
    public static (uint Capabilities, TunnelResult? Refusal) ReadGreeting(byte[] payload)
    {
        if (payload[0] == 0xFF)
        {
            // ERR_Packet before any handshake: error code, then (maybe) '#' + SQLSTATE, then the message.
            int code = payload.Length >= 3 ? payload[1] | payload[2] << 8 : 0;
            int start = payload.Length > 3 && payload[3] == '#' ? 9 : 3;
            string message = start < payload.Length ? Encoding.UTF8.GetString(payload, start, payload.Length - start) : "";
            return (0, TunnelResult.Refused($"ERR {code}: {message}", $"MySQL STARTTLS not offered: the server refused the connection with error {code}: \"{message}\"."));
        }
        if (payload[0] != 10)
            return (0, TunnelResult.Refused($"protocol version {payload[0]}", $"MySQL STARTTLS not offered: the greeting speaks protocol version {payload[0]}, not 10."));
        int at = Array.IndexOf(payload, (byte)0, 1);
        // version NUL, thread id (4), auth data part 1 (8), filler (1), capability flags lower (2), charset, status, upper (2)
        int lower = at + 1 + 4 + 8 + 1;
        if (at < 0 || lower + 2 > payload.Length)
            return (0, TunnelResult.Refused("truncated greeting", "MySQL STARTTLS not offered: the greeting is truncated."));
        uint capabilities = (uint)(payload[lower] | payload[lower + 1] << 8);
        int upper = lower + 2 + 1 + 2;
        if (upper + 2 <= payload.Length) capabilities |= (uint)(payload[upper] | payload[upper + 1] << 8) << 16;
        return (capabilities, null);
    }

    /// <summary>SSLRequest: capability flags, max packet size, character set (utf8mb4), 23 zero bytes; sequence id after the greeting's.</summary>
    public static byte[] BuildSslRequest(byte greetingSequence)
    {
        var packet = new byte[4 + 32];
        packet[0] = 32;
        packet[3] = (byte)(greetingSequence + 1);
        uint flags = ClientLongPassword | ClientProtocol41 | ClientSsl | ClientSecureConnection;
        BitConverterLe(flags, packet, 4);
        BitConverterLe(MaxPacket, packet, 8);
        packet[12] = 45;
        return packet;
    }

    static void BitConverterLe(uint value, byte[] into, int at)
    {
        for (int i = 0; i < 4; i++) into[at + i] = (byte)(value >> (8 * i));
    }

    static void BitConverterLe(int value, byte[] into, int at) => BitConverterLe((uint)value, into, at);

    static string ServerVersion(byte[] greeting)
    {
        int at = Array.IndexOf(greeting, (byte)0, 1);
        return at > 1 ? "server " + Encoding.ASCII.GetString(greeting, 1, at - 1) : "server";
    }
}
