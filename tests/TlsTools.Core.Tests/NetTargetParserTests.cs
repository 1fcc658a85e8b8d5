using TlsTools.Net;
using Xunit;

namespace TlsTools.Core.Tests;

public class NetTargetParserTests
{
    [Theory]
    [InlineData("example.com", 443, "example.com", 443, false)]
    [InlineData("example.com:8443", 443, "example.com", 8443, true)]
    [InlineData("127.0.0.1", 636, "127.0.0.1", 636, false)]
    [InlineData("127.0.0.1:4433", 443, "127.0.0.1", 4433, true)]
    [InlineData("[::1]:4433", 443, "::1", 4433, true)]
    [InlineData("[::1]", 443, "::1", 443, false)]
    [InlineData("::1", 443, "::1", 443, false)]
    [InlineData("fe80::1", 443, "fe80::1", 443, false)]
    [InlineData("https://www.example.com/path?q=1", 1, "www.example.com", 443, true)]
    [InlineData("https://www.example.com:8443/", 443, "www.example.com", 8443, true)]
    [InlineData("HTTPS://[2001:db8::5]:9443/x", 443, "2001:db8::5", 9443, true)]
    [InlineData("ldaps://dc1.corp.example", 443, "dc1.corp.example", 636, true)]
    [InlineData("  host.example  ", 443, "host.example", 443, false)]
    public void ParsesEveryAcceptedForm(string text, int defaultPort, string host, int port, bool portFromInput)
    {
        var target = TargetParser.Parse(text, defaultPort);
        Assert.Equal(host, target.Host);
        Assert.Equal(port, target.Port);
        Assert.Equal(portFromInput, target.PortFromInput);
    }

    [Theory]
    [InlineData("localhost:70000", "out of range")]
    [InlineData("localhost:0", "out of range")]
    [InlineData("localhost:abc", "not a port number")]
    [InlineData("", "empty")]
    [InlineData("[::1", "never closes")]
    [InlineData("[zz]:443", "not an IPv6 address")]
    [InlineData("a:b:c", "not a valid IPv6 address")]
    [InlineData("gopher://host", "unknown scheme")]
    [InlineData("https:///path", "no host name")]
    [InlineData("bad host", "is not a host name")]
    [InlineData("exa$mple.com", "'$' is not allowed")]
    public void RejectsUnusableTargetsWithASpecificMessage(string text, string expected)
    {
        var ex = Assert.Throws<TargetFormatException>(() => TargetParser.Parse(text, 443));
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void AnAddressResolvedFromAName_RemembersTheName_ForTheProtocolsBeforeStartTls()
    {
        var named = TargetParser.Parse("xmpp.example.org:5222", 443);
        var probed = named.At(System.Net.IPAddress.Parse("192.0.2.7"));
        Assert.Equal("192.0.2.7", probed.Host);
        Assert.Equal(5222, probed.Port);
        Assert.True(probed.IsIpLiteral);
        Assert.Equal("xmpp.example.org", probed.ResolvedFrom);
        Assert.Equal("xmpp.example.org", probed.At(System.Net.IPAddress.Parse("192.0.2.8")).ResolvedFrom);
        Assert.Null(TargetParser.Parse("192.0.2.9", 443).At(System.Net.IPAddress.Parse("192.0.2.9")).ResolvedFrom);
    }

    [Fact]
    public void RejectsAnOutOfRangeDefaultPort()
    {
        var ex = Assert.Throws<TargetFormatException>(() => TargetParser.Parse("example.com", 70000));
        Assert.Contains("70000", ex.Message);
    }

    [Fact]
    public void SniIsTheHostNameButNotAnIpLiteral()
    {
        var options = new ConnectionOptions();
        Assert.Equal("example.com", options.EffectiveServerName(TargetParser.Parse("example.com.", 443)));
        Assert.Null(options.EffectiveServerName(TargetParser.Parse("10.0.0.1", 443)));
        options.ServerName = "other.example";
        Assert.Equal("other.example", options.EffectiveServerName(TargetParser.Parse("10.0.0.1", 443)));
        options.NoServerName = true;
        Assert.Null(options.EffectiveServerName(TargetParser.Parse("example.com", 443)));
    }
}
