using System;
using TlsTools.Catalog;
using TlsTools.Protocol;

namespace TlsTools.Capture;

/// <summary>A captured alert, named by the one alert table (the Model's CapturedAlert holds the names, not the table).</summary>
internal static class CapturedAlerts
{
    public static CapturedAlert Of(DateTime time, bool fromClient, byte level, byte description) =>
        new CapturedAlert(time, fromClient, level, description, level == TlsAlertLevel.Fatal,
            AlertCatalog.NameOf(description), AlertCatalog.Describe(level, description));
}
