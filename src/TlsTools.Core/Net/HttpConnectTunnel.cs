using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace TlsTools.Net;

/// <summary>Opens a tunnel through an HTTP proxy with CONNECT (RFC 9110 §9.3.6), with Basic authentication when given a credential.</summary>
public static class HttpConnectTunnel
{
    /// <summary>What a refusal status means for the person who has to fix it.</summary>
    static readonly Dictionary<int, string> StatusMeanings = new Dictionary<int, string>
    {
        [400] = "the proxy did not understand the CONNECT request",
        [401] = "the proxy requires authentication",
        [403] = "the proxy's policy forbids tunnels to this host or port",
        [405] = "the proxy does not allow CONNECT",
        [407] = "the proxy requires authentication",
        [502] = "the proxy could not reach the server (refused, unreachable or name not found from the proxy)",
        [503] = "the proxy could not reach the server or is overloaded",
        [504] = "the proxy timed out connecting to the server",
    };

    public static string BuildRequest(TargetEndpoint target, NetworkCredential? credential)
    {
        string authority = target.ToString();
        var request = new StringBuilder()
            .Append("CONNECT ").Append(authority).Append(" HTTP/1.1\r\n")
            .Append("Host: ").Append(authority).Append("\r\n")
            .Append("User-Agent: TlsTools\r\n");
        if (credential != null)
        {
            string token = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credential.UserName}:{credential.Password}"));
            request.Append("Proxy-Authorization: Basic ").Append(token).Append("\r\n");
        }
        return request.Append("\r\n").ToString();
    }

    public static async Task<TunnelResult> OpenAsync(PlainChannel channel, ProxyAddress proxy, TargetEndpoint target, CancellationToken ct)
    {
        await channel.SendAsync(BuildRequest(target, proxy.Credential), ct).ConfigureAwait(false);
        string status = await channel.ReadLineAsync(ct).ConfigureAwait(false);
        var headers = new List<string>();
        for (string line = await channel.ReadLineAsync(ct).ConfigureAwait(false); line.Length > 0; line = await channel.ReadLineAsync(ct).ConfigureAwait(false))
            headers.Add(line);
        return Interpret(status, headers, proxy, target);
    }

    /// <summary>2xx opens the tunnel; anything else is a refusal quoted with its status line.</summary>
    public static TunnelResult Interpret(string statusLine, IReadOnlyList<string> headers, ProxyAddress proxy, TargetEndpoint target)
    {
        var parts = statusLine.Split(new[] { ' ' }, 3);
        if (parts.Length < 2 || !parts[0].StartsWith("HTTP/", StringComparison.Ordinal) || !int.TryParse(parts[1], out int code))
            return TunnelResult.Refused(statusLine,
                $"The proxy {proxy} answered CONNECT {target} with \"{PlainChannel.Quote(statusLine)}\", which is not an HTTP status line: is it an HTTP proxy?");
        if (code >= 200 && code < 300) return TunnelResult.Open(statusLine);

        StatusMeanings.TryGetValue(code, out var meaning);
        meaning = meaning ?? "the proxy refused the tunnel";
        // 407 is the standard answer; some proxies (tinyproxy among them) answer a wrong password with 401.
        if (code == 407 || code == 401)
        {
            string? challenge = headers.FirstOrDefault(h => h.StartsWith("Proxy-Authenticate:", StringComparison.OrdinalIgnoreCase));
            meaning += proxy.Credential == null
                ? " and no -ProxyCredential was given" : $" and rejected the credential of '{proxy.Credential.UserName}'";
            if (challenge != null) meaning += $" ({challenge.Trim()})";
        }
        return TunnelResult.Refused(statusLine, $"The proxy {proxy} refused CONNECT {target} with \"{statusLine.Trim()}\": {meaning}.");
    }
}
