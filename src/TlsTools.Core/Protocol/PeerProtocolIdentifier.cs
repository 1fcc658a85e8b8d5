using System;
using System.Linq;
using System.Text;

namespace TlsTools.Protocol;

/// <summary>Recognises what a peer speaks when its first bytes are not a TLS record.</summary>
public static class PeerProtocolIdentifier
{
    /// <summary>Greeting prefixes of the protocols people most often reach on a "TLS" port by mistake.</summary>
    static readonly (string Prefix, string Protocol, string Hint)[] Greetings =
    {
        ("HTTP/", "HTTP", "The port serves plain HTTP; use the HTTPS port (usually 443), or enable TLS on this listener (nginx: 'listen <port> ssl'; Apache: 'SSLEngine on')."),
        ("<!DOCTYPE", "HTML over plain HTTP", "The port serves plain HTTP; use the HTTPS port, or enable TLS on this listener."),
        ("<html", "HTML over plain HTTP", "The port serves plain HTTP; use the HTTPS port, or enable TLS on this listener."),
        ("SSH-", "SSH", "This is an SSH server, not a TLS service; check the port number."),
        ("220", "SMTP or FTP (a '220' greeting)", "The service starts in plain text and upgrades with STARTTLS; connect to its implicit-TLS port (SMTPS 465, FTPS 990) or use STARTTLS."),
        ("* OK", "IMAP", "IMAP starts in plain text; use port 993 for implicit TLS, or STARTTLS."),
        ("+OK", "POP3", "POP3 starts in plain text; use port 995 for implicit TLS, or STLS."),
        ("RFB ", "VNC", "This is a VNC server, not a TLS service; check the port number."),
    };

    /// <summary>TLS record content types: change_cipher_spec, alert, handshake, application_data, heartbeat.</summary>
    static bool IsTlsRecordStart(byte[] b) => b.Length >= 1 && b[0] >= 20 && b[0] <= 24 && (b.Length < 2 || b[1] == 3);

    /// <summary>An SSLv2 record header (high bit set) that carries a SERVER-HELLO (4) or an ERROR (0).</summary>
    static bool IsSsl2Record(byte[] b) => b.Length >= 3 && (b[0] & 0x80) != 0 && (b[2] == 4 || b[2] == 0);

    public static bool LooksLikeTls(byte[] firstBytes) =>
        firstBytes.Length == 0 || IsTlsRecordStart(firstBytes) || IsSsl2Record(firstBytes);

    /// <summary>Names the protocol and says what to do, e.g. ("HTTP", "The port serves plain HTTP; ...").</summary>
    public static (string Protocol, string Hint, string Excerpt) Identify(byte[] firstBytes)
    {
        string text = Encoding.ASCII.GetString(firstBytes);
        string excerpt = Printable(text);
        foreach (var g in Greetings)
            if (text.StartsWith(g.Prefix, StringComparison.OrdinalIgnoreCase))
                return (g.Protocol, g.Hint, excerpt);
        bool printable = firstBytes.All(b => b == '\r' || b == '\n' || b == '\t' || (b >= 32 && b < 127));
        return printable
            ? ("a plain-text protocol", "The service on this port does not speak TLS; check the port number or whether it needs STARTTLS.", excerpt)
            : ("a binary non-TLS protocol", "The service on this port does not speak TLS; check the port number.", BitConverter.ToString(firstBytes.Take(16).ToArray()).Replace('-', ' '));
    }

    static string Printable(string s)
    {
        var line = s.Split('\r', '\n')[0];
        var chars = line.Select(c => c >= 32 && c < 127 ? c : '.').Take(48).ToArray();
        return new string(chars);
    }
}
