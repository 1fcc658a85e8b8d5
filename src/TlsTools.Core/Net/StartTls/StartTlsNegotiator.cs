using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace TlsTools.Net.StartTls;

/// <summary>
/// The plain-text dialogue that precedes the ClientHello, one small dialect per protocol. Each leaves the
/// connection exactly where the peer expects the ClientHello, or says why it cannot, quoting the peer.
/// </summary>
public static class StartTlsNegotiator
{
    delegate Task<TunnelResult> Dialect(PlainChannel channel, string serverName, CancellationToken ct);

    static readonly Dictionary<StartTlsProtocol, Dialect> Dialects = new Dictionary<StartTlsProtocol, Dialect>
    {
        [StartTlsProtocol.Smtp] = (c, n, ct) => CodedReplyDialect.SmtpAsync(c, ct),
        [StartTlsProtocol.Ftp] = (c, n, ct) => CodedReplyDialect.FtpAsync(c, ct),
        [StartTlsProtocol.Imap] = (c, n, ct) => MailDialects.ImapAsync(c, ct),
        [StartTlsProtocol.Pop3] = (c, n, ct) => MailDialects.Pop3Async(c, ct),
        [StartTlsProtocol.Ldap] = (c, n, ct) => LdapDialect.NegotiateAsync(c, ct),
        [StartTlsProtocol.Xmpp] = XmppDialect.NegotiateAsync,
        [StartTlsProtocol.Postgres] = (c, n, ct) => DatabaseDialects.PostgresAsync(c, ct),
        [StartTlsProtocol.MySql] = (c, n, ct) => DatabaseDialects.MySqlAsync(c, ct),
    };

    /// <summary>The well-known plain-text ports of the protocols that upgrade in-band (-StartTls Auto).</summary>
    static readonly Dictionary<int, StartTlsProtocol> WellKnownPorts = new Dictionary<int, StartTlsProtocol>
    {
        [25] = StartTlsProtocol.Smtp, [587] = StartTlsProtocol.Smtp, [143] = StartTlsProtocol.Imap,
        [110] = StartTlsProtocol.Pop3, [21] = StartTlsProtocol.Ftp, [389] = StartTlsProtocol.Ldap,
        [5222] = StartTlsProtocol.Xmpp, [5432] = StartTlsProtocol.Postgres, [3306] = StartTlsProtocol.MySql,
    };

    /// <summary>The protocol to speak on this port: Auto resolved from the port (None where the port has no STARTTLS).</summary>
    public static StartTlsProtocol Resolve(StartTlsProtocol requested, int port) =>
        requested != StartTlsProtocol.Auto ? requested
        : WellKnownPorts.TryGetValue(port, out var protocol) ? protocol : StartTlsProtocol.None;

    public static Task<TunnelResult> NegotiateAsync(StartTlsProtocol protocol, PlainChannel channel, string serverName, CancellationToken ct)
    {
        if (!Dialects.TryGetValue(protocol, out var dialect))
            throw new ArgumentOutOfRangeException(nameof(protocol), protocol, "No STARTTLS dialect for this protocol.");
        return dialect(channel, serverName, ct);
    }
}
