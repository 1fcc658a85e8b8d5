using System;
using System.Diagnostics.CodeAnalysis;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;

namespace TlsTools.Certificates;

/// <summary>What one bounded download gave: the body, or the reason there is none.</summary>
internal sealed class FetchResult
{
    private FetchResult(byte[]? body, string? error) { Body = body; Error = error; Succeeded = error == null; }
    /// <summary>The response body; null on failure.</summary>
    public byte[]? Body { get; }
    /// <summary>Null on success; else a sentence such as "http://x/ca.crt: HTTP 404 Not Found".</summary>
    public string? Error { get; }
    [MemberNotNullWhen(true, nameof(Body))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool Succeeded { get; }
    public static FetchResult Ok(byte[] body) => new FetchResult(body, null);
    public static FetchResult Fail(string error) => new FetchResult(null, error);
}

/// <summary>
/// HTTP for AIA, OCSP and CRL: every request has a deadline, a byte limit checked while reading (never
/// trusting Content-Length), and a small redirect budget, so a hostile or broken URL in a certificate
/// cannot hang the cmdlet, fill memory, or bounce it around forever. Redirects are followed here, not by
/// the handler, so the budget is ours and https-to-http downgrades are refused.
/// </summary>
internal sealed class BoundedHttpClient
{
    public const int MaxRedirects = 3;

    // One handler for the process: sockets are pooled and the system proxy settings apply.
    private static readonly HttpClient Client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false })
    {
        Timeout = System.Threading.Timeout.InfiniteTimeSpan,   // our own deadline per request
    };

    private readonly TimeSpan _timeout;
    private readonly Net.TargetDeadline? _deadline;

    /// <param name="deadline">The target's deadline: no request waits past it, and none starts without time left (its
    /// result says so); null: each request has <paramref name="timeout"/>.</param>
    public BoundedHttpClient(TimeSpan timeout, Net.TargetDeadline? deadline = null) { _timeout = timeout; _deadline = deadline; }

    public Task<FetchResult> GetAsync(Uri url, int maxBytes, CancellationToken cancel) =>
        SendAsync(url, () => new HttpRequestMessage(HttpMethod.Get, url), maxBytes, cancel);

    public Task<FetchResult> PostAsync(Uri url, string contentType, byte[] body, int maxBytes, CancellationToken cancel) =>
        SendAsync(url, () =>
        {
            var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
            return new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
        }, maxBytes, cancel);

    private async Task<FetchResult> SendAsync(Uri url, Func<HttpRequestMessage> makeRequest, int maxBytes, CancellationToken cancel)
    {
        if (_deadline != null && !_deadline.HasTimeForStep)
            return FetchResult.Fail($"{url}: not fetched, {_deadline.Skip($"fetching {url}")}");
        using (var deadline = new CancellationTokenSource(_deadline?.Cap(_timeout) ?? _timeout))
        using (var either = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancel))
        {
            try
            {
                var current = url;
                for (var hop = 0; ; hop++)
                {
                    using (var request = makeRequest())
                    {
                        request.RequestUri = current;
                        using (var response = await Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, either.Token).ConfigureAwait(false))
                        {
                            var status = (int)response.StatusCode;
                            if (status >= 300 && status < 400 && response.Headers.Location != null)
                            {
                                if (hop >= MaxRedirects) return FetchResult.Fail($"{url}: more than {MaxRedirects} redirects.");
                                var next = new Uri(current, response.Headers.Location);
                                if (current.Scheme == Uri.UriSchemeHttps && next.Scheme != Uri.UriSchemeHttps)
                                    return FetchResult.Fail($"{url}: refused a redirect from https to {next.Scheme}.");
                                current = next;
                                continue;
                            }
                            if (!response.IsSuccessStatusCode)
                                return FetchResult.Fail($"{current}: HTTP {status} {response.ReasonPhrase}.");
                            return await ReadBoundedAsync(current, response, maxBytes, either.Token).ConfigureAwait(false);
                        }
                    }
                }
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancel.IsCancellationRequested)
            {
                return FetchResult.Fail($"{url}: no answer within {_timeout.TotalSeconds:0.#} s.");
            }
            catch (Exception e) when (e is HttpRequestException || e is IOException || e is WebException || e is InvalidOperationException)
            {
                return FetchResult.Fail($"{url}: {Innermost(e).Message}");
            }
        }
    }

    private static async Task<FetchResult> ReadBoundedAsync(Uri url, HttpResponseMessage response, int maxBytes, CancellationToken cancel)
    {
        if (response.Content.Headers.ContentLength > maxBytes)
            return FetchResult.Fail($"{url}: the response is {response.Content.Headers.ContentLength} bytes, more than the {maxBytes}-byte limit.");
        using (var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false))
        using (var buffer = new MemoryStream())
        {
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await stream.ReadAsync(chunk, 0, chunk.Length, cancel).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                    return FetchResult.Fail($"{url}: the response exceeds the {maxBytes}-byte limit.");
                buffer.Write(chunk, 0, read);
            }
            return FetchResult.Ok(buffer.ToArray());
        }
    }

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException != null) e = e.InnerException;
        return e;
    }
}
