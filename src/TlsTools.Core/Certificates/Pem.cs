using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace TlsTools.Certificates;

/// <summary>
/// PEM text (RFC 7468) both ways: the blocks of a file, and a certificate written as one. Written here once
/// because netstandard2.0 has no PemEncoding; readers decide themselves which labels they take.
/// </summary>
internal static class Pem
{
    private static readonly Regex Block = new Regex(
        @"-----BEGIN (?<label>[A-Z0-9 ]+)-----(?<body>.*?)-----END \k<label>-----",
        RegexOptions.Singleline | RegexOptions.CultureInvariant);

    public static bool LooksLikePem(string text) => text.Contains("-----BEGIN ");

    /// <summary>Every complete block, in file order: its label and its (still base64) body.</summary>
    public static IReadOnlyList<(string Label, string Body)> Blocks(string text) =>
        Block.Matches(text).Cast<Match>().Select(m => (m.Groups["label"].Value, m.Groups["body"].Value)).ToList();

    /// <summary>The DER bytes of a block body.</summary>
    /// <exception cref="FormatException">The body is not valid base64.</exception>
    public static byte[] Decode(string body) => Convert.FromBase64String(Regex.Replace(body, @"\s+", ""));

    /// <summary>One block, 64 base64 characters a line, as OpenSSL writes it.</summary>
    public static string Encode(string label, byte[] der)
    {
        var base64 = Convert.ToBase64String(der);
        var text = new StringBuilder($"-----BEGIN {label}-----\n");
        for (var i = 0; i < base64.Length; i += 64)
            text.Append(base64, i, Math.Min(64, base64.Length - i)).Append('\n');
        return text.Append($"-----END {label}-----\n").ToString();
    }
}
