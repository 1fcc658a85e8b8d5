using System;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Threading;
using TlsTools.Handshake;

namespace TlsTools.Assessment.Http;

/// <summary>
/// Test-TlsServer's one GET of / over the connection its full handshake already made: the status, the Server
/// header and HSTS (RFC 6797). Same-origin redirects are followed on that connection while it stays open, at most
/// <see cref="HttpBounds.MaxRedirects"/>; a redirect elsewhere is recorded, not followed. Nothing else is fetched
/// and no other connection is opened. Every read is bounded by <see cref="HttpBounds"/> and the time budget.
/// </summary>
public sealed class HttpHeaderProbe : IApplicationExchange
{
    readonly string _userAgent;

    /// <param name="hostHeader">The Host header: the name (with the port when not 443) the origin is.</param>
    /// <param name="userAgent">TlsTools/&lt;module version&gt;.</param>
    /// <param name="timeLimit">The exchange's own limit; <see cref="HttpBounds.TimeLimit"/> when null.</param>
    public HttpHeaderProbe(string hostHeader, string userAgent = "TlsTools", TimeSpan? timeLimit = null)
    {
        HostHeader = hostHeader;
        _userAgent = userAgent;
        TimeLimit = timeLimit ?? HttpBounds.TimeLimit;
    }

    public string HostHeader { get; }
    public TimeSpan TimeLimit { get; }
    public HttpFacts? Result { get; private set; }

    public void Run(Stream connection, TimeSpan budget, CancellationToken budgetSpent)
    {
        var clock = Stopwatch.StartNew();
        var reader = new HttpResponseReader(connection, clock, budget);
        var facts = new HttpFacts();
        var hsts = new HstsRecord(facts);
        try
        {
            Exchange(connection, reader, facts, hsts);
        }
        catch (HttpExchangeException ex)
        {
            facts.Problem = ex.Message;
        }
        catch (EndOfStreamException)
        {
            facts.Problem = "the server closed the connection without close_notify before the response was complete";
        }
        catch (Exception ex) when (ex is IOException || ex is ObjectDisposedException || ex is System.Net.Sockets.SocketException)
        {
            // The engine closes the socket when the budget has passed; before that, the server broke off.
            facts.Problem = budgetSpent.IsCancellationRequested || clock.Elapsed >= budget ? TimeUp(budget, reader.BytesRead) : $"the connection broke: {ex.Message}";
        }
        finally
        {
            facts.BytesRead = reader.BytesRead;
            facts.ElapsedMs = Math.Round(clock.Elapsed.TotalMilliseconds, 1);
            Result = facts;
        }
    }

    void Exchange(Stream connection, HttpResponseReader reader, HttpFacts facts, HstsRecord hsts)
    {
        string path = "/";
        long skipAllowance = HttpBounds.MaxSkippedBodyBytes;
        for (int responses = 0; ; responses++)
        {
            Send(connection, path);
            var head = reader.ReadFinalHead();
            if (head == null)
            {
                facts.Problem = responses == 0
                    ? "the server closed the connection (close_notify) without answering the GET"
                    : $"the server closed the connection (close_notify) without answering the GET of {path}";
                return;
            }
            facts.StatusCode = head.StatusCode;
            if (responses == 0) facts.Server = head.First("Server");
            hsts.Read(head);

            var location = head.IsRedirect ? head.First("Location") : null;
            if (location == null) return;
            var next = SameOriginRedirect.NextPath(HostHeader, path, location);
            if (next == null) { facts.RedirectNotFollowed = location; return; }
            if (facts.Redirects == HttpBounds.MaxRedirects)
            {
                facts.RedirectNotFollowed = location;
                facts.Problem = $"more than {HttpBounds.MaxRedirects} redirects: the one to {location} was not followed";
                return;
            }
            var notReusable = head.KeepsConnectionOpen ? reader.SkipBody(head, ref skipAllowance) : "the server closes the connection after it";
            if (notReusable != null)
            {
                facts.RedirectNotFollowed = location;
                facts.Problem = $"the redirect to {location} was not followed: {notReusable}, and no other connection is opened";
                return;
            }
            facts.Redirects++;
            path = next;
        }
    }

    void Send(Stream connection, string path)
    {
        // RFC 9112 section 3: request line, Host first; keep-alive so a same-origin redirect can reuse the connection.
        var request = Encoding.ASCII.GetBytes(
            $"GET {path} HTTP/1.1\r\nHost: {HostHeader}\r\nUser-Agent: {_userAgent}\r\nAccept: */*\r\nConnection: keep-alive\r\n\r\n");
        connection.Write(request, 0, request.Length);
        connection.Flush();
    }

    public void Failed(Exception error) => Result = new HttpFacts { Problem = $"the connection broke: {error.Message}" };

    public void NoTimeLeft() => Result = new HttpFacts { Problem = "no time was left after the handshake within -TimeoutSec" };

    internal static string TimeUp(TimeSpan budget, long bytesRead) =>
        $"no complete answer within {budget.TotalSeconds:0.###} s, the time the GET had ({bytesRead} bytes read)";

    /// <summary>
    /// HSTS as a browser holds it after the responses read: each valid header sets the policy (RFC 6797 section 8.1;
    /// of several in one response only the first counts); an invalid one changes nothing, and is reported only while
    /// no valid one has been seen.
    /// </summary>
    sealed class HstsRecord
    {
        readonly HttpFacts _facts;
        bool _valid;

        public HstsRecord(HttpFacts facts) { _facts = facts; }

        public void Read(HttpResponseHead head)
        {
            var header = head.First("Strict-Transport-Security");
            if (header == null) return;
            var policy = StrictTransportSecurity.Parse(header);
            if (!policy.IsValid && _valid) return;
            _valid |= policy.IsValid;
            _facts.StrictTransportSecurity = header;
            _facts.HstsMaxAge = policy.MaxAge;
            _facts.HstsIncludeSubDomains = policy.IncludeSubDomains;
            _facts.HstsPreload = policy.Preload;
            _facts.HstsProblem = policy.Problem;
        }
    }
}
