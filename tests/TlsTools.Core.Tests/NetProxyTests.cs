using System;
using System.Collections.Generic;
using System.Net;
using System.Text;
using TlsTools.Net;
using Xunit;

namespace TlsTools.Core.Tests;

public class NetProxyTests
{
    static Func<string, string?> Env(params (string Name, string Value)[] vars)
    {
        var map = new Dictionary<string, string>();
        foreach (var (n, v) in vars) map[n] = v;
        return name => map.TryGetValue(name, out var v) ? v : null;
    }

    static TargetEndpoint Target(string text) => TargetParser.Parse(text, 443);

    [Theory]
    [InlineData("http://proxy.example:3128", ProxyKind.HttpConnect, "proxy.example", 3128)]
    [InlineData("proxy.example:3128", ProxyKind.HttpConnect, "proxy.example", 3128)]
    [InlineData("http://proxy.example", ProxyKind.HttpConnect, "proxy.example", 8080)]
    [InlineData("socks5://127.0.0.1", ProxyKind.Socks5, "127.0.0.1", 1080)]
    [InlineData("SOCKS5H://[::1]:9050/", ProxyKind.Socks5, "::1", 9050)]
    public void ParsesProxyAddresses(string text, ProxyKind kind, string host, int port)
    {
        var proxy = ProxyAddress.Parse(text);
        Assert.Equal(kind, proxy.Kind);
        Assert.Equal(host, proxy.Endpoint.Host);
        Assert.Equal(port, proxy.Endpoint.Port);
        Assert.Null(proxy.Credential);
    }

    [Fact]
    public void CredentialsInTheUrlAreDecodedAndNeverShown()
    {
        var proxy = ProxyAddress.Parse("http://alice:p%40ss%3Aword@proxy.example:3128");
        Assert.NotNull(proxy.Credential);
        Assert.Equal("alice", proxy.Credential.UserName);
        Assert.Equal("p@ss:word", proxy.Credential.Password);
        Assert.Equal("http://proxy.example:3128", proxy.ToString());
        Assert.Equal("http://alice:***@proxy.example:3128", ProxyAddress.Redact("http://alice:secret@proxy.example:3128"));
    }

    [Theory]
    [InlineData("https://proxy.example:443", "not supported")]
    [InlineData("ftp://proxy.example", "unknown proxy scheme 'ftp'")]
    [InlineData("http://proxy.example:70000", "out of range")]
    [InlineData("", "empty")]
    public void RejectsUnusableProxies(string text, string phrase)
    {
        var ex = Assert.Throws<ProxyFormatException>(() => ProxyAddress.Parse(text));
        Assert.Contains(phrase, ex.Message);
    }

    [Fact]
    public void ExplicitProxyWinsAndTakesTheCredential()
    {
        var options = new ConnectionOptions { Proxy = "socks5://10.0.0.1:1080", ProxyCredential = new NetworkCredential("bob", "pw") };
        var choice = ProxySelector.Choose(Target("127.0.0.1"), options, Env(("HTTPS_PROXY", "http://other:1")));
        Assert.NotNull(choice);
        Assert.Equal("-Proxy", choice.Source);
        Assert.Equal(ProxyKind.Socks5, choice.Proxy.Kind);
        Assert.NotNull(choice.Proxy.Credential);
        Assert.Equal("bob", choice.Proxy.Credential.UserName);
    }

    [Fact]
    public void EnvironmentProxyIsUsedUnlessNoProxyOrBypassed()
    {
        var env = Env(("HTTPS_PROXY", "http://corp-proxy:3128"), ("NO_PROXY", "internal.example, .corp.example,10.0.0.0/8"));
        Assert.Equal("HTTPS_PROXY", ProxySelector.Choose(Target("www.example.com"), new ConnectionOptions(), env)?.Source);
        Assert.Null(ProxySelector.Choose(Target("www.example.com"), new ConnectionOptions { NoProxy = true }, env));
        Assert.Null(ProxySelector.Choose(Target("internal.example"), new ConnectionOptions(), env));
        Assert.Null(ProxySelector.Choose(Target("a.b.corp.example"), new ConnectionOptions(), env));
        Assert.Null(ProxySelector.Choose(Target("10.20.30.40"), new ConnectionOptions(), env));
        Assert.NotNull(ProxySelector.Choose(Target("11.0.0.1"), new ConnectionOptions(), env));
        Assert.NotNull(ProxySelector.Choose(Target("notinternal.example"), new ConnectionOptions(), env));
    }

    [Fact]
    public void LowerCaseVariableComesFirstAndAllProxyIsTheFallback()
    {
        Assert.Equal("https_proxy", ProxySelector.Choose(Target("www.example.com"), new ConnectionOptions(),
            Env(("https_proxy", "http://a:1"), ("HTTPS_PROXY", "http://b:1")))?.Source);
        Assert.Equal("ALL_PROXY", ProxySelector.Choose(Target("www.example.com"), new ConnectionOptions(),
            Env(("ALL_PROXY", "socks5://c:1080")))?.Source);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("[::1]")]
    [InlineData("localhost")]
    public void LoopbackNeverGoesThroughTheEnvironmentProxy(string target)
    {
        Assert.Null(ProxySelector.Choose(Target(target), new ConnectionOptions(), Env(("HTTPS_PROXY", "http://corp-proxy:3128"))));
    }

    [Fact]
    public void NoProxyStarBypassesEverything()
    {
        Assert.True(ProxySelector.IsBypassed("anything.example", "*"));
        Assert.True(ProxySelector.IsBypassed("fd00::5", "fd00::/8"));
        Assert.False(ProxySelector.IsBypassed("fe80::1", "fd00::/8"));
    }

    [Fact]
    public void ConnectRequestCarriesBasicAuthentication()
    {
        var text = HttpConnectTunnel.BuildRequest(Target("www.example.com:8443"), new NetworkCredential("alice", "secret"));
        Assert.StartsWith("CONNECT www.example.com:8443 HTTP/1.1\r\nHost: www.example.com:8443\r\n", text);
        Assert.Contains("Proxy-Authorization: Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("alice:secret")) + "\r\n", text);
        Assert.EndsWith("\r\n\r\n", text);
        Assert.DoesNotContain("Proxy-Authorization", HttpConnectTunnel.BuildRequest(Target("[::1]:443"), null));
        Assert.StartsWith("CONNECT [::1]:443 HTTP/1.1", HttpConnectTunnel.BuildRequest(Target("[::1]:443"), null));
    }

    [Fact]
    public void ProxyStatusLinesAreInterpreted()
    {
        var proxy = ProxyAddress.Parse("http://proxy.example:3128");
        var target = Target("www.example.com");
        Assert.True(HttpConnectTunnel.Interpret("HTTP/1.1 200 Connection established", new string[0], proxy, target).Opened);
        var refused = HttpConnectTunnel.Interpret("HTTP/1.1 407 Proxy Authentication Required",
            new[] { "Proxy-Authenticate: Basic realm=\"corp\"" }, proxy, target);
        Assert.False(refused.Opened);
        Assert.Equal("HTTP/1.1 407 Proxy Authentication Required", refused.Reply);
        Assert.Contains("requires authentication and no -ProxyCredential was given (Proxy-Authenticate: Basic realm=\"corp\")", refused.Message);
        Assert.Contains("policy forbids", HttpConnectTunnel.Interpret("HTTP/1.0 403 Forbidden", new string[0], proxy, target).Message);
        Assert.Contains("not an HTTP status line", HttpConnectTunnel.Interpret("SSH-2.0-OpenSSH_9.2", new string[0], proxy, target).Message);
    }

    [Fact]
    public void Socks5MessagesFollowRfc1928And1929()
    {
        Assert.Equal(new byte[] { 5, 1, 0 }, Socks5Tunnel.BuildGreeting(null));
        Assert.Equal(new byte[] { 5, 2, 0, 2 }, Socks5Tunnel.BuildGreeting(new NetworkCredential("u", "p")));
        Assert.Equal(new byte[] { 1, 1, (byte)'u', 2, (byte)'p', (byte)'w' }, Socks5Tunnel.BuildAuthentication(new NetworkCredential("u", "pw")));
        Assert.Equal(new byte[] { 5, 1, 0, 1, 127, 0, 0, 1, 0x01, 0xBB }, Socks5Tunnel.BuildConnect(Target("127.0.0.1")));
        var named = Socks5Tunnel.BuildConnect(Target("ab.example:8443"));
        Assert.Equal(new byte[] { 5, 1, 0, 3, 10 }, named[..5]);
        Assert.Equal("ab.example", Encoding.ASCII.GetString(named, 5, 10));
        Assert.Equal(new byte[] { 0x20, 0xFB }, named[15..]);
        var refusal = Socks5Tunnel.Interpret(2, ProxyAddress.Parse("socks5://p:1080"), Target("x.example"));
        Assert.Equal("SOCKS5 reply 2 (connection not allowed by ruleset)", refusal.Reply);
    }
}
