using System;

namespace TlsTools.Catalog;

/// <summary>What every row of an IANA registry carries: its code point, name and IANA recommendation.</summary>
public abstract class RegistryEntry
{
    private protected RegistryEntry(RegistryRow row)
    {
        Code = row.Code;
        CodeText = CodeFormat.Hex(row.Code);
        Name = row.Description;
        IanaRecommended = row.Recommended;
    }

    public ushort Code { get; }
    public string CodeText { get; }
    /// <summary>The IANA name.</summary>
    public string Name { get; }
    public bool IanaRecommended { get; }
    public override string ToString() => $"{CodeText} {Name}";
}
