using TlsTools.Protocol;

namespace TlsTools.Assessment.Checks;

/// <summary>
/// Does the server ignore an extension it does not know, as RFC 8446 4.1.2 and RFC 5246 7.4.1.4 require? The accepted
/// ClientHello plus one empty extension of a type the IANA registry leaves unassigned (0x1234).
/// </summary>
public sealed class UnknownExtensionIntoleranceCheck : HelloIntoleranceCheck
{
    public override string Name => "UnknownExtensionIntolerance";

    protected override HelloVariant? Build(CheckContext context, out CheckOutcome? instead)
    {
        instead = null;
        if (Accepted(context) is not ClientHelloOptions control) { instead = NothingAccepted(); return null; }
        var tested = Copy(control, o => o.ExtraExtensions.Add(new TlsExtension(TlsExtensionType.Unassigned, new byte[0])));
        return new HelloVariant(tested, control, $"an empty extension of the unassigned type 0x{TlsExtensionType.Unassigned:X4}");
    }
}
