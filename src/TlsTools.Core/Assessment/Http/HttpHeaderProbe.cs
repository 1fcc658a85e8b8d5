using System;
using System.IO;
using TlsTools.Handshake;

namespace TlsTools.Assessment.Http;

/// <summary>One bounded GET of / after the handshake. (Placeholder.)</summary>
public sealed class HttpHeaderProbe : IApplicationExchange
{
    public HttpHeaderProbe(string hostHeader) { HostHeader = hostHeader; }
    public string HostHeader { get; }
    public HttpFacts? Result { get; private set; }
    public void Run(Stream connection, TimeSpan budget) => Result = new HttpFacts { Problem = "not built yet" };
    public void Failed(Exception error) => Result = new HttpFacts { Problem = error.Message };
    public void NoTimeLeft() => Result = new HttpFacts { Problem = "no time left" };
}
