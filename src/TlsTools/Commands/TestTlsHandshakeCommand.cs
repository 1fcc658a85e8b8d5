using System;
using System.Linq;
using System.Management.Automation;
using TlsTools.Certificates;
using TlsTools.Diagnosis;
using TlsTools.Net;

namespace TlsTools.Commands;

/// <summary>
/// Does a handshake to this endpoint work as a normal client's would, and if not, exactly why.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "TlsHandshake")]
[OutputType(typeof(HandshakeResult))]
public sealed class TestTlsHandshakeCommand : NetworkTargetCmdlet
{
    [Parameter]
    [ValidateSet("Ssl3", "Tls10", "Tls11", "Tls12", "Tls13")]
    public TlsProtocol[]? Protocol { get; set; }

    [Parameter]
    public HandshakeEngine Engine { get; set; } = HandshakeEngine.Managed;

    /// <summary>ALPN names to offer (h2, http/1.1, acme-tls/1, ...); an empty list offers none. Default: h2, http/1.1 unless -StartTls.</summary>
    [Parameter]
    [AllowEmptyCollection]
    [ValidateLength(1, 255)]
    [Alias("Alpn")]
    public string[]? ApplicationProtocol { get; set; }

    /// <summary>Ask each certificate's OCSP responder (then its CRL) too; a stapled response is checked without it.</summary>
    [Parameter]
    public SwitchParameter CheckRevocation { get; set; }

    protected override string ProgressActivity => "Test-TlsHandshake";

    protected override void StartTarget(TargetEndpoint target, ConnectionOptions options, TrustStore trust)
    {
        var request = new HandshakeTestRequest
        {
            Target = target,
            Options = options,
            Protocols = (Protocol ?? Array.Empty<TlsProtocol>()).Aggregate(TlsProtocol.None, (set, p) => set | p),
            Engine = Engine,
            CompareServerName = CompareServerName,
            ExpectedThumbprint = ExpectedThumbprint,
            CheckRevocation = CheckRevocation,
            ApplicationProtocols = ApplicationProtocol,
            Trust = trust,
            Log = LogVerbose,
        };
        StartTarget(target.ToString(), async ct => await HandshakeTester.TestAsync(request, ct).ConfigureAwait(false));
    }
}
