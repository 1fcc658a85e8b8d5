using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace TlsTools.Catalog;

/// <summary>
/// TLS inspection products and how their re-signing CAs are named (Data/inspection-products.tsv): a certificate
/// whose subject or issuer matches a row was, most likely, made by that product.
/// </summary>
public static class InspectionProductCatalog
{
    private sealed class Row
    {
        public Row(string product, Regex pattern) { Product = product; Pattern = pattern; }
        public string Product { get; }
        public Regex Pattern { get; }
    }

    private static readonly Lazy<List<Row>> Rows = new Lazy<List<Row>>(() =>
        TsvTable.Load("inspection-products.tsv").Select(r => new Row(
            r["Product"],
            new Regex(r["Pattern"], RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(200)))).ToList());

    /// <summary>The product a distinguished name names, or null.</summary>
    public static string? Identify(string? distinguishedName) =>
        string.IsNullOrEmpty(distinguishedName) ? null : Rows.Value.FirstOrDefault(r => r.Pattern.IsMatch(distinguishedName))?.Product;

    public static IReadOnlyList<string> Products => Rows.Value.Select(r => r.Product).ToList();
}
