using System;
using System.Security;
using System.Threading;
using System.Threading.Tasks;

namespace TlsTools.Net.StartTls;

/// <summary>XMPP client-to-server STARTTLS (RFC 6120 §5): open a stream, find starttls among the features, ask, await proceed.</summary>
public static class XmppDialect
{
    public static async Task<TunnelResult> NegotiateAsync(PlainChannel channel, string serverName, CancellationToken ct)
    {
        string domain = SecurityElement.Escape(serverName ?? "localhost");
        await channel.SendAsync("<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' " +
                                $"to='{domain}' version='1.0'>", ct).ConfigureAwait(false);
        string features = await ReadUntilEitherAsync(channel, "</stream:features>", "</stream:stream>", ct).ConfigureAwait(false);
        if (features.IndexOf("<starttls", StringComparison.Ordinal) < 0)
            return NotOffered(features, "starttls is not among the stream features");
        await channel.SendAsync("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>", ct).ConfigureAwait(false);
        string answer = await channel.ReadUntilAsync(">", ct).ConfigureAwait(false);
        return answer.IndexOf("<proceed", StringComparison.Ordinal) >= 0
            ? TunnelResult.Open(answer.Trim()) : NotOffered(answer, "the server did not answer starttls with proceed");
    }

    static async Task<string> ReadUntilEitherAsync(PlainChannel channel, string first, string second, CancellationToken ct)
    {
        var text = new System.Text.StringBuilder();
        while (true)
        {
            text.Append(await channel.ReadUntilAsync(">", ct).ConfigureAwait(false));
            string s = text.ToString();
            if (s.EndsWith(first, StringComparison.Ordinal) || s.EndsWith(second, StringComparison.Ordinal)) return s;
        }
    }

    static TunnelResult NotOffered(string reply, string why) =>
        TunnelResult.Refused(PlainChannel.Quote(reply), $"XMPP STARTTLS not offered: {why}; the server sent \"{PlainChannel.Quote(reply, 300)}\".");
}
