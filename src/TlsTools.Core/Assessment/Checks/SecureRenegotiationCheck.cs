using System.Linq;
using System.Threading.Tasks;
using TlsTools.Catalog;
using TlsTools.Protocol;

namespace TlsTools.Assessment.Checks;

/// <summary>
/// Secure renegotiation (RFC 5746): one ClientHello for the newest version below TLS 1.3, with the accepted suites and
/// TLS_EMPTY_RENEGOTIATION_INFO_SCSV (RFC 5746 3.3: the client's signal, which SSLv3 servers also understand). A server
/// that supports RFC 5746 must answer with an empty renegotiation_info extension (3.6); one without the extension
/// cannot bind a renegotiation to the connection it renegotiates. TLS 1.3 has no renegotiation (RFC 8446 4.1.2), so a
/// TLS 1.3-only server is NotApplicable. The extension reading is <see cref="RenegotiationInfo"/>, shared with
/// <see cref="InsecureRenegotiationCheck"/>.
/// </summary>
public sealed class SecureRenegotiationCheck : ServerCheck
{
    public override string Name => "SecureRenegotiation";

    public override async Task<CheckOutcome> RunAsync(CheckContext context)
    {
        var version = context.BestLegacyVersion;
        if (version == TlsProtocol.None)
            return CheckOutcome.NotApplicable("only TLS 1.3 is accepted, which has no renegotiation (RFC 8446 4.1.2)");
        var answer = await RenegotiationInfo.AskAsync(context, version).ConfigureAwait(false);
        var name = ProtocolVersions.DisplayName(version);
        return answer.Kind switch
        {
            RenegotiationInfoKind.Empty => CheckOutcome.NotVulnerable($"the {name} ServerHello has an empty renegotiation_info extension (RFC 5746)"),
            RenegotiationInfoKind.Absent => CheckOutcome.Vulnerable($"the {name} ServerHello has no renegotiation_info extension (RFC 5746)"),
            RenegotiationInfoKind.NotEmpty => CheckOutcome.Vulnerable($"the {name} ServerHello's renegotiation_info is not empty ({answer.Detail}) on an initial handshake, which RFC 5746 3.4 makes clients refuse"),
            _ => CheckOutcome.Inconclusive(answer.Detail),
        };
    }
}

/// <summary>What the ServerHello said about renegotiation_info (RFC 5746 3.6).</summary>
public enum RenegotiationInfoKind
{
    /// <summary>No ServerHello (an alert, silence, a reset, garbage): nothing to decide from.</summary>
    NoServerHello,
    /// <summary>The extension is there with an empty renegotiated_connection: the server supports RFC 5746.</summary>
    Empty,
    /// <summary>The ServerHello has no renegotiation_info: the server does not support RFC 5746.</summary>
    Absent,
    /// <summary>The extension is there but not the one byte 0x00 an initial handshake has.</summary>
    NotEmpty,
}

/// <summary>One ClientHello that signals RFC 5746, and what the ServerHello's renegotiation_info said.</summary>
public sealed class RenegotiationInfo
{
    RenegotiationInfo(RenegotiationInfoKind kind, string detail) { Kind = kind; Detail = detail; }

    public RenegotiationInfoKind Kind { get; }
    /// <summary>For NoServerHello, what came instead (a sentence); for NotEmpty, the extension's bytes in hex.</summary>
    public string Detail { get; }

    /// <summary>The extension's body on an initial handshake: renegotiated_connection of length 0 (RFC 5746 3.2).</summary>
    static readonly byte[] EmptyRenegotiatedConnection = { 0 };

    public static async Task<RenegotiationInfo> AskAsync(CheckContext context, TlsProtocol version)
    {
        using var exchange = await HelloAnswer.SendAsync(context, new ClientHelloOptions
        {
            Versions = version,
            CipherSuites = context.AcceptedSuites(version).ToList(),
            ServerName = context.ServerName,
            SignalRenegotiation = true,
        }).ConfigureAwait(false);
        if (exchange.ServerHello is not ServerHello serverHello)
            return new RenegotiationInfo(RenegotiationInfoKind.NoServerHello,
                exchange.Failure($"{CheckWording.AVersion(version)} ClientHello with TLS_EMPTY_RENEGOTIATION_INFO_SCSV")!);
        var extension = serverHello.Extensions.FirstOrDefault(e => e.Type == TlsExtensionType.RenegotiationInfo);
        if (extension == null) return new RenegotiationInfo(RenegotiationInfoKind.Absent, "");
        return extension.Data.SequenceEqual(EmptyRenegotiatedConnection)
            ? new RenegotiationInfo(RenegotiationInfoKind.Empty, "")
            : new RenegotiationInfo(RenegotiationInfoKind.NotEmpty, extension.Data.Length == 0 ? "no bytes" : System.BitConverter.ToString(extension.Data.Take(16).ToArray()).Replace("-", " "));
    }
}
