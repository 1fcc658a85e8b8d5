using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using TlsTools.Catalog;

namespace TlsTools.Assessment.Checks;

/// <summary>One row of dh-primes.tsv: a Diffie-Hellman prime that many servers share.</summary>
public sealed class WellKnownDhPrime
{
    internal WellKnownDhPrime(string name, string source, int bits, string prime) { Name = name; Source = source; Bits = bits; Prime = prime; }

    /// <summary>ffdhe2048, modp1024, rfc5114-1024-160, nginx-1024.</summary>
    public string Name { get; }
    /// <summary>Where it is published: "RFC 2409 6.2 (Oakley Group 2)".</summary>
    public string Source { get; }
    public int Bits { get; }
    /// <summary>Big-endian upper-case hex, no leading zeros.</summary>
    public string Prime { get; }

    public override string ToString() => $"{Name} ({Source})";
}

/// <summary>The well-known primes of Data/dh-primes.tsv, found by value.</summary>
public static class WellKnownDhPrimes
{
    static readonly Lazy<IReadOnlyList<WellKnownDhPrime>> Rows = new Lazy<IReadOnlyList<WellKnownDhPrime>>(Load);

    public static IReadOnlyList<WellKnownDhPrime> All => Rows.Value;

    /// <summary>The row whose prime is <paramref name="prime"/> (big-endian, leading zero bytes allowed); null for any other.</summary>
    public static WellKnownDhPrime? Find(byte[] prime)
    {
        var hex = Hex(prime);
        return All.FirstOrDefault(p => p.Prime == hex);
    }

    /// <summary>Big-endian bytes as upper-case hex without leading zeros (what the table holds).</summary>
    public static string Hex(byte[] bigEndian)
    {
        var text = string.Concat(bigEndian.Select(b => b.ToString("X2")));
        var trimmed = text.TrimStart('0');
        return trimmed.Length == 0 ? "0" : trimmed;
    }

    static IReadOnlyList<WellKnownDhPrime> Load()
    {
        var rows = TsvTable.LoadResource("TlsTools.Assessment.Checks.Data.", "dh-primes.tsv");
        return rows.Select(row =>
        {
            var prime = row["Prime"].ToUpperInvariant();
            int bits = int.Parse(row["Bits"], System.Globalization.CultureInfo.InvariantCulture);
            // A row whose Bits disagree with its hex was mistyped: fail at first use, not with a wrong verdict.
            if (prime.Length == 0 || prime[0] == '0' || !prime.All(Uri.IsHexDigit) || BitLength(prime) != bits)
                throw new InvalidDataException($"dh-primes.tsv line {row["#line"]}: the prime of {row["Name"]} is not {bits} bits of hex without leading zeros.");
            return new WellKnownDhPrime(row["Name"], row["Source"], bits, prime);
        }).ToList();
    }

    static int BitLength(string hex)
    {
        int top = Convert.ToInt32(hex.Substring(0, 1), 16), bits = 0;
        for (; top != 0; top >>= 1) bits++;
        return (hex.Length - 1) * 4 + bits;
    }
}
