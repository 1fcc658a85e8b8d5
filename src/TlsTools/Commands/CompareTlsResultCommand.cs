using System;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using TlsTools.Diagnosis;

namespace TlsTools.Commands;

/// <summary>
/// Names what differs between two result sets (two vantage points, before and after a change). Thin: it flattens
/// each input object to text (live, Import-Clixml or Import-Csv alike) and Core's ResultComparer compares.
/// </summary>
[Cmdlet(VerbsData.Compare, "TlsResult")]
[OutputType(typeof(TlsResultDifference))]
public sealed class CompareTlsResultCommand : PSCmdlet
{
    readonly List<ResultRecord> _reference = new List<ResultRecord>();
    readonly List<ResultRecord> _difference = new List<ResultRecord>();

    /// <summary>Results of Test-TlsHandshake, Get-TlsProtocolSupport or Get-CipherSupport: the baseline.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [AllowEmptyCollection]
    public PSObject[] ReferenceObject { get; set; } = Array.Empty<PSObject>();

    /// <summary>The results to compare with the baseline; from the pipeline too.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true)]
    [AllowEmptyCollection]
    public PSObject[] DifferenceObject { get; set; } = Array.Empty<PSObject>();

    /// <summary>Also write the aspects that are the same.</summary>
    [Parameter]
    public SwitchParameter IncludeEqual { get; set; }

    protected override void BeginProcessing()
    {
        foreach (var item in ReferenceObject ?? Array.Empty<PSObject>()) Add(item, _reference);
    }

    protected override void ProcessRecord()
    {
        foreach (var item in DifferenceObject ?? Array.Empty<PSObject>()) Add(item, _difference);
    }

    protected override void EndProcessing()
    {
        foreach (var row in ResultComparer.Compare(_reference, _difference, IncludeEqual))
            WriteObject(row);
    }

    void Add(PSObject item, List<ResultRecord> into)
    {
        var record = item == null ? null : Flatten(item);
        if (record != null && ResultComparer.KindOf(record) != null)
        {
            into.Add(record);
            return;
        }
        var ex = new ArgumentException("Not a TlsTools result: give objects of Test-TlsHandshake, Get-TlsProtocolSupport or Get-CipherSupport (live, Import-Clixml or Import-Csv), with ComputerName and Port.");
        WriteError(new ErrorRecord(ex, "NotATlsResult", ErrorCategory.InvalidArgument, item));
    }

    /// <summary>Every property as invariant text; null when the object has no ComputerName and Port.</summary>
    static ResultRecord? Flatten(PSObject item)
    {
        var properties = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in item.Properties)
        {
            object value;
            try { value = property.Value; }
            catch (GetValueException) { continue; }
            // A deserialized enum (Import-Clixml) is a PSObject around its number whose ToString is the name: the name is what a live enum and a CSV cell give.
            properties[property.Name] = value is PSObject wrapped ? wrapped.ToString() : Convert.ToString(value, CultureInfo.InvariantCulture);
        }
        if (!properties.TryGetValue("ComputerName", out var host) || string.IsNullOrEmpty(host)) return null;
        if (!properties.TryGetValue("Port", out var portText) || !int.TryParse(portText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var port)) return null;
        return new ResultRecord(host, port, properties);
    }
}
