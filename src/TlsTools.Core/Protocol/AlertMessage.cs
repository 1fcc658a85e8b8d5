using System.Globalization;

namespace TlsTools.Protocol;

/// <summary>A plaintext TLS alert: level and description. Names and meanings are the catalog's (AlertCatalog).</summary>
public sealed class AlertMessage
{
    public AlertMessage(byte level, byte description) { Level = level; Description = description; }

    public byte Level { get; }
    public byte Description { get; }
    public bool IsFatal => Level == TlsAlertLevel.Fatal;

    /// <summary>Parses the fragment of an alert record: exactly two bytes.</summary>
    public static AlertMessage Parse(byte[] fragment)
    {
        var r = new ByteReader(fragment, "Alert");
        var alert = new AlertMessage(r.ReadByte("level"), r.ReadByte("description"));
        // Longer means encrypted (after ChangeCipherSpec) or several alerts; either way not one plaintext alert.
        r.ExpectEnd("the alert");
        return alert;
    }

    /// <summary>"fatal alert 40": the codes as they crossed the wire (AlertCatalog.Describe names them).</summary>
    public override string ToString() => $"{TlsAlertLevel.NameOf(Level)} alert {Description.ToString(CultureInfo.InvariantCulture)}";
}
