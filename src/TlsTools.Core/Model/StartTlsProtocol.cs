namespace TlsTools;

/// <summary>The plain-text protocols that switch to TLS in-band (STARTTLS and its relatives).</summary>
public enum StartTlsProtocol
{
    /// <summary>TLS from the first byte.</summary>
    None = 0,
    /// <summary>Chosen from the port: 25/587 Smtp, 143 Imap, 110 Pop3, 21 Ftp, 389 Ldap, 5222 Xmpp, 5432 Postgres, 3306 MySql.</summary>
    Auto,
    Smtp,
    Imap,
    Pop3,
    Ftp,
    Ldap,
    Xmpp,
    Postgres,
    MySql,
}
