using TlsTools.Catalog;

namespace TlsTools.Protocol;

/// <summary>A plaintext TLS alert: level and description.</summary>
public sealed class AlertMessage
{
    public AlertMessage(byte level, byte description) { Level = level; Description = description; }

    public byte Level { get; }
    public byte Description { get; }
    public bool IsFatal => Level == AlertCatalog.LevelFatal;
    /// <summary>"handshake_failure".</summary>
    public string Name => AlertCatalog.NameOf(Description);

    /// <summary>Parses the fragment of an alert record: exactly two bytes.</summary>
    public static AlertMessage Parse(byte[] fragment)
    {
        var r = new ByteReader(fragment, "Alert");
        var alert = new AlertMessage(r.ReadByte("level"), r.ReadByte("description"));
        // Longer means encrypted (after ChangeCipherSpec) or several alerts; either way not one plaintext alert.
        r.ExpectEnd("the alert");
        return alert;
    }

    /// <summary>"fatal handshake_failure (40)".</summary>
    public override string ToString() => AlertCatalog.Describe(Level, Description);
}
