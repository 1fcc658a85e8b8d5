using System.Linq;
using TlsTools.Protocol;

namespace TlsTools.Assessment.Checks;

/// <summary>
/// Does the server answer a ClientHello of 256 to 511 bytes? Some (old F5 BIG-IP firmware among them) hang on that
/// length, which is why RFC 7685 padding exists and clients pad such hellos to 512. The accepted ClientHello (at most
/// four suites a version), lengthened with assigned suites to land in that window, without the padding extension;
/// the control is the same hello padded to 512 bytes.
/// </summary>
public sealed class HelloSize256IntoleranceCheck : HelloIntoleranceCheck
{
    /// <summary>The handshake message length aimed at: well inside 256..511.</summary>
    const int Target = 300;
    const int WindowStart = 256, WindowEnd = 511;

    public override string Name => "HelloSize256Intolerance";

    protected override HelloVariant? Build(CheckContext context, out CheckOutcome? instead)
    {
        instead = null;
        if (Accepted(context, suitesPerVersion: 4) is not ClientHelloOptions accepted) { instead = NothingAccepted(); return null; }
        var tested = Copy(accepted, o => o.PadAwkwardLengths = false);
        int length = HandshakeLength(tested);
        if (length < Target)
        {
            var filler = FillerSuites(accepted.CipherSuites).Take((Target - length + 1) / 2).ToList();
            tested.CipherSuites = accepted.CipherSuites.Concat(filler).ToList();
            length = HandshakeLength(tested);
        }
        if (length < WindowStart || length > WindowEnd)
        {
            instead = CheckOutcome.Inconclusive($"the accepted ClientHello is {length} bytes and cannot be brought into 256..511");
            return null;
        }
        var control = Copy(tested, o => o.PadAwkwardLengths = true);
        return new HelloVariant(tested, control, $"its length: {length} bytes (in the 256..511 window) without the padding extension (RFC 7685), "
            + $"where the control is padded to {HandshakeLength(control)}");
    }

    /// <summary>The ClientHello handshake message's length (header included): the record's payload, as the F5 bug counts it.</summary>
    static int HandshakeLength(ClientHelloOptions options) => ClientHelloBuilder.Build(options).Length - 5;
}
