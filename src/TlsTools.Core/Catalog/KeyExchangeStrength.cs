using System.Collections.Generic;
using System.Linq;

namespace TlsTools.Catalog;

/// <summary>A rating and the sentence that justifies it.</summary>
public sealed class RatingVerdict
{
    internal RatingVerdict(CipherSuiteRating rating, string reason) { Rating = rating; Reason = reason; }
    public CipherSuiteRating Rating { get; }
    public string Reason { get; }
    public override string ToString() => $"{Rating}: {Reason}";
}

/// <summary>
/// The one rule for "this key-exchange group is weak". Get-CipherSupport rates its DHE and ECDHE rows with it,
/// and Test-TlsHandshake's weak-DH verdict asks <see cref="IsWeakDhGroup"/>, so the two cannot disagree.
///
///   DH prime under 1024 bits   Insecure  breakable today (Logjam precomputation reaches 512- and 768-bit groups)
///   DH prime under 2048 bits   Weak      current clients (Chrome, Firefox, OpenSSL at SECLEVEL 2) refuse it
///   curve of under 200 bits    Insecure  80-96-bit security; IANA marks them Discouraged
///   224-239-bit curve          Weak      112-bit security; IANA marks them Discouraged
///   binary curve (sect283+)    Weak      RFC 8422 deprecates them; no current browser offers one
///   anything else              no verdict: the suite's own rating stands
/// </summary>
public static class KeyExchangeStrength
{
    /// <summary>The smallest DH prime current clients accept; smaller groups fail Test-TlsHandshake and rate Weak.</summary>
    public const int MinimumDhBits = 2048;
    /// <summary>DH primes below this rate Insecure.</summary>
    public const int InsecureBelowDhBits = 1024;

    static readonly (CipherSuiteRating Rating, string Why, ushort[] Codes)[] CurveTable =
    {
        (CipherSuiteRating.Insecure, "an elliptic curve of under 200 bits (80-96-bit security), which IANA marks Discouraged",
            new ushort[] { 1, 2, 3, 4, 5, 15, 16, 17, 18, 19 }),          // sect163*, sect193*, secp160*, secp192*
        (CipherSuiteRating.Weak, "a 224-239-bit elliptic curve (112-bit security), which IANA marks Discouraged",
            new ushort[] { 6, 7, 8, 20, 21 }),                             // sect233*, sect239k1, secp224*
        (CipherSuiteRating.Weak, "a binary elliptic curve, deprecated by RFC 8422 and offered by no current browser",
            new ushort[] { 9, 10, 11, 12, 13, 14 }),                       // sect283* .. sect571*
    };

    static readonly Dictionary<ushort, (CipherSuiteRating Rating, string Why)> Curves =
        CurveTable.SelectMany(row => row.Codes.Select(code => (code, row.Rating, row.Why)))
            .ToDictionary(x => x.code, x => (x.Rating, x.Why));

    /// <summary>True when a client that follows current practice aborts on a DH group of this size (null: no DH group).</summary>
    public static bool IsWeakDhGroup(int? primeBits) => primeBits.HasValue && primeBits.Value < MinimumDhBits;

    /// <summary>The verdict on a finite-field DH group of this prime size; null when it is strong enough to say nothing.</summary>
    public static RatingVerdict? RateDhGroup(int primeBits)
    {
        if (primeBits < InsecureBelowDhBits)
            return new RatingVerdict(CipherSuiteRating.Insecure, $"{primeBits}-bit DH group: under {InsecureBelowDhBits} bits it can be broken (Logjam); use at least {MinimumDhBits} bits");
        if (IsWeakDhGroup(primeBits))
            return new RatingVerdict(CipherSuiteRating.Weak, $"{primeBits}-bit DH group: current clients require at least {MinimumDhBits} bits and abort (Logjam)");
        return null;
    }

    /// <summary>The verdict on a named group (curve, ffdhe, hybrid); null when it is strong enough to say nothing.</summary>
    public static RatingVerdict? RateGroup(ushort code)
    {
        if (Curves.TryGetValue(code, out var curve))
            return new RatingVerdict(curve.Rating, $"{NamedGroupCatalog.NameOf(code)}: {curve.Why}");
        return FiniteFieldBits(code) is int bits ? RateDhGroup(bits) : null;
    }

    /// <summary>The prime size of an RFC 7919 group, which carries it in its name (ffdhe2048); null for any other group.</summary>
    public static int? FiniteFieldBits(ushort code)
    {
        var name = NamedGroupCatalog.NameOf(code);
        return name.StartsWith("ffdhe", System.StringComparison.Ordinal) && int.TryParse(name.Substring(5), out int bits) ? bits : (int?)null;
    }
}
