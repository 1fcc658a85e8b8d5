using System.Linq;
using System.Net.Sockets;
using System.Threading.Tasks;
using TlsTools.Protocol;

namespace TlsTools.TestServers;

/// <summary>What an intolerant server does with a ClientHello it cannot stomach.</summary>
internal enum Refusal
{
    /// <summary>It serves the hello as any server would.</summary>
    None,
    /// <summary>A fatal handshake_failure alert, then it closes.</summary>
    Alert,
    /// <summary>It never answers (the F5 BIG-IP hang on hellos of 256..511 bytes), until the client gives up.</summary>
    Hang,
}

/// <summary>
/// The intolerant servers' rules (scenarios Intolerant and VersionIntolerant): old TLS stacks and appliances that break
/// on what RFC 8446 and RFC 8701 require a server to ignore. Each takes the ClientHello and its handshake message
/// length (header included) and says what the server does; anything else it serves normally.
/// </summary>
internal static class HelloIntolerance
{
    /// <summary>Extension types this old stack has in its table: up to 64, and the few well-known higher ones.</summary>
    static readonly ushort[] KnownHighTypes = { 13172 /* next_protocol_negotiation */, 17513, 17613 /* application_settings */, 65037 /* encrypted_client_hello */, TlsExtensionType.RenegotiationInfo };
    const int MaxSuites = 128;
    const int AwkwardStart = 256, AwkwardEnd = 511;

    /// <summary>A TLS 1.2 stack from before GREASE: it refuses a hello with an extension type it does not know, or any GREASE value.</summary>
    public static Refusal OldStack(ClientHello hello, int length)
    {
        if (hello.Extensions.Any(e => !Known(e.Type))) return Refusal.Alert;
        if (hello.CipherSuites.Any(ClientHello.IsGrease) || hello.SupportedGroups.Any(ClientHello.IsGrease)
            || hello.SignatureSchemes.Any(ClientHello.IsGrease) || hello.SupportedVersions.Any(ClientHello.IsGrease))
            return Refusal.Alert;
        return Refusal.None;
    }

    /// <summary>
    /// A stack that refuses more than 128 suites. Not a scenario of its own: the scan's own probes offer every suite
    /// of a version at once (335 for TLS 1.2), so such a server is seen to accept nothing; the xunit tests serve it.
    /// </summary>
    public static Refusal LongCipherList(ClientHello hello, int length) => hello.CipherSuites.Count > MaxSuites ? Refusal.Alert : Refusal.None;

    /// <summary>
    /// The F5 BIG-IP bug (the reason for RFC 7685): it hangs on a hello of 256..511 bytes without the padding extension.
    /// Not a scenario of its own: the 326-byte hello of this machine's TLS stack would hang too, so Test-TlsHandshake
    /// would stall on it; the xunit tests serve it.
    /// </summary>
    public static Refusal AwkwardLength(ClientHello hello, int length) =>
        length >= AwkwardStart && length <= AwkwardEnd && !hello.HasExtension(TlsExtensionType.Padding) ? Refusal.Hang : Refusal.None;

    /// <summary>A TLS 1.2 stack that fails on supported_versions instead of negotiating TLS 1.2 (RFC 8446 D.1).</summary>
    public static Refusal Tls13Hello(ClientHello hello, int length) =>
        hello.HasExtension(TlsExtensionType.SupportedVersions) ? Refusal.Alert : Refusal.None;

    static bool Known(ushort type) => type <= 64 || KnownHighTypes.Contains(type);

    /// <summary>Carries out a refusal: the alert (then a FIN) or nothing, reading on until the client goes.</summary>
    public static async Task RefuseAsync(ScenarioConnection connection, Refusal refusal)
    {
        if (refusal == Refusal.Alert)
        {
            var alert = CraftedMessages.FatalAlert(CraftedMessages.HandshakeFailure);
            await connection.Stream.WriteAsync(alert, 0, alert.Length, connection.Deadline).ConfigureAwait(false);
            connection.Socket.Shutdown(SocketShutdown.Send);
        }
        await RawSteps.DrainAsync(connection).ConfigureAwait(false);
    }
}
