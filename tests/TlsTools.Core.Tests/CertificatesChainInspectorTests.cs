using System;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using TlsTools.Certificates;
using Xunit;

namespace TlsTools.Core.Tests;

/// <summary>Get-CertificateChain's Core: path order vs served order, unneeded certificates, bundles, bounded HTTP.</summary>
public class CertificatesChainInspectorTests
{
    private static readonly TestCert Root = TestPki.Root();
    private static readonly TestCert Intermediate = TestPki.Intermediate(Root);
    private static readonly TestCert Leaf = TestPki.Leaf(Intermediate);
    private static readonly TrustStore Trust = TrustStore.FromCertificates(new[] { Root.Cert });

    private static ChainReport Inspect(params TestCert[] served) =>
        ChainInspector.InspectAsync(new ChainInspectionRequest
        {
            Certificates = served.Select(c => c.Cert).ToList(), HostName = "localhost", Trust = Trust,
            FetchMissingIssuers = false, ComputerName = "h", Port = 1,
        }, CancellationToken.None).GetAwaiter().GetResult();

    [Fact]
    public void CompleteChain_NoProblems_RowsInPathOrder()
    {
        var report = Inspect(Leaf, Intermediate);

        Assert.True(report.ChainValid);
        Assert.Equal("", report.ChainProblems);
        Assert.Equal(new[] { CertificateRole.Leaf, CertificateRole.Intermediate, CertificateRole.Root }, report.Certificates.Select(r => r.Role));
        Assert.Equal(new[] { CertificateSource.Served, CertificateSource.Served, CertificateSource.TrustStore }, report.Certificates.Select(r => r.Source));
        Assert.Equal(new int?[] { 0, 1, null }, report.Certificates.Select(r => r.SentPosition));
    }

    [Fact]
    public void RootSentBeforeIntermediate_WrongOrderAndUnneededRoot_StillValid()
    {
        var report = Inspect(Leaf, Root, Intermediate);

        Assert.True(report.ChainValid);
        Assert.Equal("WrongOrder, UnneededCertificate", report.ChainProblems);
        var root = report.Certificates.Single(r => r.Role == CertificateRole.Root);
        Assert.Equal(1, root.SentPosition);
        Assert.Equal(new[] { ChainProblem.UnneededCertificate }, root.ProblemList);
    }

    [Fact]
    public void DuplicateIntermediate_UnneededOnTheCopy_NotWrongOrder()
    {
        var report = Inspect(Leaf, Intermediate, Intermediate);

        Assert.Equal("UnneededCertificate", report.ChainProblems);
        var copy = report.Certificates.Last();
        Assert.Null(copy.Position);
        Assert.Equal(2, copy.SentPosition);
        Assert.Contains("sent twice (positions 1 and 2)", copy.ProblemDetails);
    }

    [Fact]
    public void LeafOnlyWithoutFetching_IncompleteChain_NotRepaired()
    {
        var report = Inspect(Leaf);

        Assert.Equal("IncompleteChain", report.ChainProblems);
        Assert.False(report.ChainValid);
        Assert.False(report.RepairedChainValid);
    }

    [Fact]
    public void Sha1Rsa1024Leaf_WeakSignatureAndWeakKey_Invalid()
    {
        var weak = TestPki.Leaf(Intermediate, s => { s.SignatureAlgorithm = "SHA1WITHRSA"; s.Key = TestPki.Rsa1024Key; });

        var report = Inspect(weak, Intermediate);

        Assert.Equal(new[] { ChainProblem.WeakSignature, ChainProblem.WeakKey }, report.Certificates[0].ProblemList);
        Assert.False(report.ChainValid);
    }

    [Fact]
    public void Bundle_ExcludesRootUnlessAsked_P7bKeepsLeafFirstOrder()
    {
        var report = Inspect(Leaf, Intermediate);

        Assert.Equal(2, report.GetBundle(includeRoot: false).Count);
        var p7b = ChainBundleWriter.Encode(report.GetBundle(includeRoot: true), BundleFormat.P7b);
        var decoded = CertificateDecoder.Decode(p7b);
        Assert.Equal(new[] { "CN=localhost", "CN=Test Intermediate CA", "CN=Test Root" }, decoded.Select(c => c.SubjectDN.ToString()));
    }

    [Fact]
    public void ConcatenatedDer_DecodesEveryCertificateInOrder()
    {
        var der = ChainBundleWriter.Encode(new[] { Leaf.Cert, Intermediate.Cert }, BundleFormat.Der);

        Assert.Equal(new[] { "CN=localhost", "CN=Test Intermediate CA" }, CertificateDecoder.Decode(der).Select(c => c.SubjectDN.ToString()));
    }

    [Fact]
    public async Task Http_RedirectLoop_StopsAfterTheBudget()
    {
        using var server = new TinyHttpServer("HTTP/1.1 302 Found\r\nLocation: /again\r\nContent-Length: 0\r\n\r\n");
        var result = await new BoundedHttpClient(TimeSpan.FromSeconds(5)).GetAsync(server.Url, 1024, CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Contains($"more than {BoundedHttpClient.MaxRedirects} redirects", result.Error);
        Assert.Equal(BoundedHttpClient.MaxRedirects + 1, server.Requests);
    }

    [Fact]
    public async Task Http_BodyOverTheLimit_Refused()
    {
        using var server = new TinyHttpServer("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n" + new string('x', 5000));
        var result = await new BoundedHttpClient(TimeSpan.FromSeconds(5)).GetAsync(server.Url, 1000, CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Contains("1000-byte limit", result.Error);
    }

    [Fact]
    public async Task Http_SilentServer_TimesOut()
    {
        using var server = new TinyHttpServer(null);
        var result = await new BoundedHttpClient(TimeSpan.FromMilliseconds(500)).GetAsync(server.Url, 1000, CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Contains("no answer within 0.5 s", result.Error);
    }

    /// <summary>Answers every connection on 127.0.0.1 with one fixed response (or never, for null), then closes.</summary>
    private sealed class TinyHttpServer : IDisposable
    {
        private readonly TcpListener _listener = new TcpListener(IPAddress.Loopback, 0);
        private int _requests;

        /// <param name="response">What every request gets; null for a server that accepts and never answers.</param>
        public TinyHttpServer(string? response)
        {
            _listener.Start();
            Url = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/start");
            _ = Task.Run(async () =>
            {
                while (true)
                {
                    TcpClient client;
                    try { client = await _listener.AcceptTcpClientAsync(); } catch (Exception) { return; }
                    Interlocked.Increment(ref _requests);
                    _ = Task.Run(async () =>
                    {
                        using (client)
                        {
                            var stream = client.GetStream();
                            _ = await stream.ReadAsync(new byte[4096], 0, 4096);   // the request itself is not read: any request gets the response
                            if (response == null) { await Task.Delay(5000); return; }
                            var bytes = Encoding.ASCII.GetBytes(response);
                            await stream.WriteAsync(bytes, 0, bytes.Length);
                        }
                    });
                }
            });
        }

        public Uri Url { get; }
        public int Requests => Volatile.Read(ref _requests);
        public void Dispose() => _listener.Stop();
    }
}
