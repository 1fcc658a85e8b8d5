using System.Linq;
using TlsTools.Certificates;
using Xunit;

namespace TlsTools.Core.Tests;

public class CertificatesHostNameMatcherTests
{
    private static readonly TestCert Root = TestPki.Root();

    private static TestCert LeafNamed(string commonName, string[] dns, string[]? ips = null) =>
        TestPki.Leaf(Root, s => { s.CommonName = commonName; s.DnsNames = dns; s.IpAddresses = ips ?? new string[0]; });

    [Theory]
    [InlineData("www.example.test", true)]
    [InlineData("WWW.EXAMPLE.TEST", true)]
    [InlineData("www.example.test.", true)]
    [InlineData("a.b.example.test", false)]
    [InlineData("example.test", false)]
    [InlineData("www.example.test.evil", false)]
    public void Wildcard_CoversExactlyOneLeftMostLabel(string host, bool expected)
    {
        var cert = LeafNamed("wild", new[] { "*.example.test" });

        Assert.Equal(expected, HostNameMatcher.Matches(cert.Cert, host));
    }

    [Fact]
    public void WildcardDirectlyAboveTopLevelDomain_NeverMatches()
    {
        var cert = LeafNamed("tld", new[] { "*.test" });

        Assert.False(HostNameMatcher.Matches(cert.Cert, "example.test"));
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("10.0.0.1", false)]
    [InlineData("::1", true)]
    [InlineData("[::1]", true)]
    public void IpLiteral_MatchesIpSans(string host, bool expected)
    {
        var cert = LeafNamed("ip", new[] { "localhost" }, new[] { "127.0.0.1", "::1" });

        Assert.Equal(expected, HostNameMatcher.Matches(cert.Cert, host));
    }

    [Fact]
    public void IpLiteral_DoesNotMatchADnsNameThatReadsLikeIt()
    {
        var cert = LeafNamed("dns-ip", new[] { "127.0.0.1" });

        Assert.False(HostNameMatcher.Matches(cert.Cert, "127.0.0.1"));
    }

    [Fact]
    public void CommonName_IsUsedOnlyWithoutSanExtension()
    {
        var legacy = LeafNamed("legacy.example.test", new string[0]);
        var modern = LeafNamed("cn.example.test", new[] { "san.example.test" });

        Assert.True(HostNameMatcher.Matches(legacy.Cert, "legacy.example.test"));
        Assert.Equal(new[] { "legacy.example.test" }, HostNameMatcher.GetDnsNames(legacy.Cert));
        Assert.False(HostNameMatcher.Matches(modern.Cert, "cn.example.test"));
        Assert.True(HostNameMatcher.Matches(modern.Cert, "san.example.test"));
    }

    [Fact]
    public void GetDnsNamesAndIPAddresses_ReadTheSanExtension()
    {
        var cert = LeafNamed("both", new[] { "a.example.test", "b.example.test" }, new[] { "192.0.2.7" });

        Assert.Equal(new[] { "a.example.test", "b.example.test" }, HostNameMatcher.GetDnsNames(cert.Cert));
        Assert.Equal(new[] { "192.0.2.7" }, HostNameMatcher.GetIPAddresses(cert.Cert).Select(ip => ip.ToString()));
    }
}
