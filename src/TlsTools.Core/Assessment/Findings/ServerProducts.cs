using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using TlsTools.Catalog;

namespace TlsTools.Assessment.Findings;

/// <summary>One server product the findings carry configuration for: its name, its template, and its column on the finding.</summary>
public sealed class ServerProduct
{
    internal ServerProduct(string name, string templateFile, Action<AssessmentFinding, string?> setSnippet)
    {
        Name = name;
        _template = new Lazy<ConfigurationTemplate>(() => ConfigurationTemplate.Load(templateFile));
        SetSnippet = setSnippet;
    }

    private readonly Lazy<ConfigurationTemplate> _template;

    /// <summary>nginx, Apache, HAProxy, Windows, Postfix, Dovecot (ConfigurationSnippet.Product).</summary>
    public string Name { get; }
    public ConfigurationTemplate Template => _template.Value;
    internal Action<AssessmentFinding, string?> SetSnippet { get; }

    public override string ToString() => Name;
}

/// <summary>
/// The server products, in the order findings list them, and which one a server runs: the patterns of
/// Data/server-products.tsv tried on its HTTP Server header and its STARTTLS greeting.
/// </summary>
public static class ServerProducts
{
    public static readonly IReadOnlyList<ServerProduct> All = new[]
    {
        new ServerProduct("nginx", "nginx.conf.txt", (f, text) => f.Nginx = text),
        new ServerProduct("Apache", "apache.conf.txt", (f, text) => f.Apache = text),
        new ServerProduct("HAProxy", "haproxy.cfg.txt", (f, text) => f.HAProxy = text),
        new ServerProduct("Windows", "windows.ps1.txt", (f, text) => f.Windows = text),
        new ServerProduct("Postfix", "postfix.cf.txt", (f, text) => f.Postfix = text),
        new ServerProduct("Dovecot", "dovecot.conf.txt", (f, text) => f.Dovecot = text),
    };

    public static ServerProduct? Find(string? name) =>
        All.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>What a pattern is matched against.</summary>
    public enum Source
    {
        /// <summary>The HTTP Server header of the GET of /.</summary>
        Server,
        /// <summary>The first line the server sent in its STARTTLS dialogue.</summary>
        Greeting,
    }

    private sealed class Pattern
    {
        public Pattern(Source source, Regex regex, string product) { On = source; Regex = regex; Product = product; }
        public Source On { get; }
        public Regex Regex { get; }
        public string Product { get; }
    }

    private static readonly Lazy<IReadOnlyList<Pattern>> Patterns = new Lazy<IReadOnlyList<Pattern>>(() =>
        TsvTable.LoadResource(FindingData.ResourcePrefix, "server-products.tsv").Select(row => new Pattern(
            (Source)Enum.Parse(typeof(Source), row["Source"]),
            new Regex(row["Pattern"], RegexOptions.IgnoreCase | RegexOptions.CultureInvariant),
            Find(row["Product"])?.Name ?? throw new InvalidOperationException($"server-products.tsv line {row["#line"]}: '{row["Product"]}' is not a product ({string.Join(", ", All)}).")))
        .ToList());

    /// <summary>The product the text names (first matching row); null when none matches or there is no text.</summary>
    public static string? Infer(Source source, string? text) =>
        string.IsNullOrEmpty(text) ? null : Patterns.Value.FirstOrDefault(p => p.On == source && p.Regex.IsMatch(text))?.Product;
}
