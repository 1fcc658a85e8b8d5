using System;
using System.Threading;
using System.Threading.Tasks;

namespace TlsTools.Net.StartTls;

/// <summary>IMAP STARTTLS (RFC 3501 §6.2.1) and POP3 STLS (RFC 2595 §4).</summary>
public static class MailDialects
{
    const string Tag = "T1";

    public static async Task<TunnelResult> ImapAsync(PlainChannel channel, CancellationToken ct)
    {
        string greeting = await channel.ReadLineAsync(ct).ConfigureAwait(false);
        if (!greeting.StartsWith("* OK", StringComparison.OrdinalIgnoreCase))
            return NotOffered("IMAP", "greeting", greeting, "the server did not greet with * OK");
        await channel.SendAsync($"{Tag} STARTTLS\r\n", ct).ConfigureAwait(false);
        // Untagged lines may come first; the tagged one is the answer.
        string line;
        do line = await channel.ReadLineAsync(ct).ConfigureAwait(false);
        while (!line.StartsWith(Tag + " ", StringComparison.Ordinal));
        return line.Substring(Tag.Length + 1).StartsWith("OK", StringComparison.OrdinalIgnoreCase)
            ? TunnelResult.Open(line) : NotOffered("IMAP", "STARTTLS", line, "the server refused STARTTLS");
    }

    public static async Task<TunnelResult> Pop3Async(PlainChannel channel, CancellationToken ct)
    {
        string greeting = await channel.ReadLineAsync(ct).ConfigureAwait(false);
        if (!greeting.StartsWith("+OK", StringComparison.OrdinalIgnoreCase))
            return NotOffered("POP3", "greeting", greeting, "the server did not greet with +OK");
        await channel.SendAsync("STLS\r\n", ct).ConfigureAwait(false);
        string answer = await channel.ReadLineAsync(ct).ConfigureAwait(false);
        return answer.StartsWith("+OK", StringComparison.OrdinalIgnoreCase)
            ? TunnelResult.Open(answer) : NotOffered("POP3", "STLS", answer, "the server refused STLS");
    }

    static TunnelResult NotOffered(string protocol, string step, string reply, string why) =>
        TunnelResult.Refused(PlainChannel.Quote(reply), $"{protocol} STARTTLS not offered: {why}; its {step} reply was \"{PlainChannel.Quote(reply)}\".");
}
