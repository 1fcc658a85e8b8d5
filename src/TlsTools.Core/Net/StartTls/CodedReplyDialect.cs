using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace TlsTools.Net.StartTls;

/// <summary>
/// SMTP (RFC 3207) and FTP (RFC 4217): replies are a three-digit code, "code-text" lines continuing and
/// "code text" ending a reply.
/// </summary>
public static class CodedReplyDialect
{
    public const string EhloName = "tlstools.localdomain";

    public static async Task<TunnelResult> SmtpAsync(PlainChannel channel, CancellationToken ct)
    {
        var greeting = await ReadReplyAsync(channel, ct).ConfigureAwait(false);
        if (greeting.Code != 220) return NotOffered("SMTP", "greeting", greeting, "the server did not greet with 220");
        await channel.SendAsync($"EHLO {EhloName}\r\n", ct).ConfigureAwait(false);
        var ehlo = await ReadReplyAsync(channel, ct).ConfigureAwait(false);
        if (ehlo.Code != 250) return NotOffered("SMTP", "EHLO", ehlo, "the server refused EHLO");
        if (!ehlo.Lines.Skip(1).Any(l => l.Length > 4 && l.Substring(4).Trim().Equals("STARTTLS", StringComparison.OrdinalIgnoreCase)))
            return NotOffered("SMTP", "EHLO", ehlo, "STARTTLS is not among the extensions the server lists");
        await channel.SendAsync("STARTTLS\r\n", ct).ConfigureAwait(false);
        var start = await ReadReplyAsync(channel, ct).ConfigureAwait(false);
        return start.Code == 220 ? TunnelResult.Open(start.Text) : NotOffered("SMTP", "STARTTLS", start, "the server refused STARTTLS");
    }

    public static async Task<TunnelResult> FtpAsync(PlainChannel channel, CancellationToken ct)
    {
        var greeting = await ReadReplyAsync(channel, ct).ConfigureAwait(false);
        if (greeting.Code != 220) return NotOffered("FTP", "greeting", greeting, "the server did not greet with 220");
        await channel.SendAsync("AUTH TLS\r\n", ct).ConfigureAwait(false);
        var auth = await ReadReplyAsync(channel, ct).ConfigureAwait(false);
        return auth.Code == 234 ? TunnelResult.Open(auth.Text) : NotOffered("FTP", "AUTH TLS", auth, "the server refused AUTH TLS");
    }

    public sealed class Reply
    {
        public int Code { get; set; }
        public List<string> Lines { get; } = new List<string>();
        /// <summary>The lines joined, each without its code.</summary>
        public string Text => string.Join(" | ", Lines.Select(l => l.Length > 4 ? l.Substring(4) : ""));
        public string Quoted => PlainChannel.Quote(string.Join("\n", Lines));
    }

    /// <summary>One reply; Code is 0 when the first line does not start with three digits (not this protocol).</summary>
    public static async Task<Reply> ReadReplyAsync(PlainChannel channel, CancellationToken ct)
    {
        var reply = new Reply();
        while (true)
        {
            string line = await channel.ReadLineAsync(ct).ConfigureAwait(false);
            reply.Lines.Add(line);
            bool coded = line.Length >= 3 && char.IsDigit(line[0]) && char.IsDigit(line[1]) && char.IsDigit(line[2]);
            if (!coded) return reply;
            reply.Code = int.Parse(line.Substring(0, 3));
            if (line.Length == 3 || line[3] != '-') return reply;
        }
    }

    static TunnelResult NotOffered(string protocol, string step, Reply reply, string why) =>
        TunnelResult.Refused(reply.Quoted, $"{protocol} STARTTLS not offered: {why}; its {step} reply was \"{reply.Quoted}\".");
}
