using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace TlsTools.Net;

/// <summary>
/// Opens a tunnel through a SOCKS5 proxy (RFC 1928), with user/password authentication (RFC 1929) when given
/// a credential. The target goes as a domain name, so the proxy resolves it (socks5h behaviour).
/// </summary>
public static class Socks5Tunnel
{
    const byte Version = 5, NoAuthentication = 0, UserPassword = 2, NoAcceptableMethod = 0xFF, Connect = 1;
    const byte AddressIPv4 = 1, AddressDomain = 3, AddressIPv6 = 4;

    /// <summary>The REP field of the proxy's reply (RFC 1928 §6).</summary>
    static readonly Dictionary<byte, string> ReplyMeanings = new Dictionary<byte, string>
    {
        [1] = "general SOCKS server failure",
        [2] = "connection not allowed by ruleset",
        [3] = "network unreachable (from the proxy)",
        [4] = "host unreachable (from the proxy)",
        [5] = "connection refused by the server (from the proxy)",
        [6] = "TTL expired",
        [7] = "command not supported",
        [8] = "address type not supported",
    };

    public static byte[] BuildGreeting(NetworkCredential? credential) =>
        credential == null ? new byte[] { Version, 1, NoAuthentication } : new byte[] { Version, 2, NoAuthentication, UserPassword };

    public static byte[] BuildAuthentication(NetworkCredential credential)
    {
        var user = Encoding.UTF8.GetBytes(credential.UserName ?? "");
        var password = Encoding.UTF8.GetBytes(credential.Password ?? "");
        if (user.Length > 255 || password.Length > 255)
            throw new ArgumentException("SOCKS5 user names and passwords are at most 255 bytes (RFC 1929).");
        var bytes = new List<byte> { 1, (byte)user.Length };
        bytes.AddRange(user);
        bytes.Add((byte)password.Length);
        bytes.AddRange(password);
        return bytes.ToArray();
    }

    public static byte[] BuildConnect(TargetEndpoint target)
    {
        var bytes = new List<byte> { Version, Connect, 0 };
        if (target.IpLiteral is IPAddress address)
        {
            bytes.Add(address.AddressFamily == AddressFamily.InterNetworkV6 ? AddressIPv6 : AddressIPv4);
            bytes.AddRange(address.GetAddressBytes());
        }
        else
        {
            var name = Encoding.ASCII.GetBytes(target.Host.TrimEnd('.'));
            bytes.Add(AddressDomain);
            bytes.Add((byte)name.Length);
            bytes.AddRange(name);
        }
        bytes.Add((byte)(target.Port >> 8));
        bytes.Add((byte)target.Port);
        return bytes.ToArray();
    }

    public static async Task<TunnelResult> OpenAsync(PlainChannel channel, ProxyAddress proxy, TargetEndpoint target, CancellationToken ct)
    {
        var credential = proxy.Credential;
        await channel.SendAsync(BuildGreeting(credential), ct).ConfigureAwait(false);
        var method = await channel.ReadExactAsync(2, ct).ConfigureAwait(false);
        if (method[0] != Version)
            return Refused(proxy, target, $"version byte 0x{method[0]:X2}", "it did not answer as a SOCKS5 proxy");
        if (method[1] == NoAcceptableMethod)
            return Refused(proxy, target, "no acceptable authentication method (0xFF)",
                credential == null ? "it requires authentication and no -ProxyCredential was given" : "it accepts neither no authentication nor user/password");
        if (method[1] == UserPassword)
        {
            if (credential == null)
                return Refused(proxy, target, "method user/password (2)", "it requires a user name and password and no -ProxyCredential was given");
            await channel.SendAsync(BuildAuthentication(credential), ct).ConfigureAwait(false);
            var status = await channel.ReadExactAsync(2, ct).ConfigureAwait(false);
            if (status[1] != 0)
                return Refused(proxy, target, $"authentication status {status[1]}", $"it rejected the user name and password of '{credential.UserName}'");
        }
        else if (method[1] != NoAuthentication)
            return Refused(proxy, target, $"method {method[1]}", "it asked for an authentication method this client does not speak (only none and user/password)");

        await channel.SendAsync(BuildConnect(target), ct).ConfigureAwait(false);
        var reply = await channel.ReadExactAsync(4, ct).ConfigureAwait(false);
        // Read the bound address to the end, so the next byte on the wire is the server's.
        int addressLength = reply[3] == AddressIPv4 ? 4 : reply[3] == AddressIPv6 ? 16
            : reply[3] == AddressDomain ? (await channel.ReadExactAsync(1, ct).ConfigureAwait(false))[0] : 0;
        await channel.ReadExactAsync(addressLength + 2, ct).ConfigureAwait(false);
        return Interpret(reply[1], proxy, target);
    }

    public static TunnelResult Interpret(byte replyCode, ProxyAddress proxy, TargetEndpoint target)
    {
        if (replyCode == 0) return TunnelResult.Open("SOCKS5 reply 0 (succeeded)");
        ReplyMeanings.TryGetValue(replyCode, out var meaning);
        return Refused(proxy, target, $"SOCKS5 reply {replyCode} ({meaning ?? "unassigned"})", meaning ?? "it refused the connection");
    }

    static TunnelResult Refused(ProxyAddress proxy, TargetEndpoint target, string reply, string why) =>
        TunnelResult.Refused(reply, $"The SOCKS5 proxy {proxy} refused the connection to {target} with {reply}: {why}.");
}
