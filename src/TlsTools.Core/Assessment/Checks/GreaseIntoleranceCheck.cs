namespace TlsTools.Assessment.Checks;

/// <summary>
/// Does the server ignore GREASE values (RFC 8701), which Chrome and others send in every ClientHello so that servers
/// stay tolerant? The accepted ClientHello with a GREASE cipher suite, group, signature scheme, two GREASE extensions,
/// and with TLS 1.3 a GREASE version and key share.
/// </summary>
public sealed class GreaseIntoleranceCheck : HelloIntoleranceCheck
{
    public override string Name => "GreaseIntolerance";

    protected override HelloVariant? Build(CheckContext context, out CheckOutcome? instead)
    {
        instead = null;
        if (Accepted(context) is not Protocol.ClientHelloOptions control) { instead = NothingAccepted(); return null; }
        var tested = Copy(control, o => o.Grease = true);
        var where = (control.Versions & TlsProtocol.Tls13) != 0
            ? "cipher_suites, supported_groups, signature_algorithms, supported_versions, key_share and two extensions"
            : "cipher_suites, supported_groups, signature_algorithms and two extensions";
        return new HelloVariant(tested, control, $"GREASE values (RFC 8701, 0x0A0A-0x5A5A) in {where}");
    }
}
