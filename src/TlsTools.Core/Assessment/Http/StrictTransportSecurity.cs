using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace TlsTools.Assessment.Http;

/// <summary>A Strict-Transport-Security header's policy, or why it does not count.</summary>
internal sealed class HstsPolicy
{
    /// <summary>Seconds; null when the header is invalid.</summary>
    public long? MaxAge { get; set; }
    public bool IncludeSubDomains { get; set; }
    /// <summary>Not in RFC 6797: the opt-in to browsers' preload lists (hstspreload.org).</summary>
    public bool Preload { get; set; }
    /// <summary>Why a browser ignores the header; null when it is valid.</summary>
    public string? Problem { get; set; }
    public bool IsValid => Problem == null;
}

/// <summary>
/// Parses a Strict-Transport-Security value by RFC 6797 section 6.1: directives separated by ";" (empty ones
/// allowed), each a token with an optional "=" token or quoted-string value; names are case-insensitive, unknown
/// ones are ignored, each may appear only once, and max-age (delta-seconds) is required. A header that breaks a
/// rule is ignored by browsers: the policy is then invalid with the rule named.
/// </summary>
internal static class StrictTransportSecurity
{
    /// <summary>RFC 9110 section 5.6.2's tchar, besides letters and digits.</summary>
    const string TokenSymbols = "!#$%&'*+-.^_`|~";

    public static HstsPolicy Parse(string value)
    {
        var directives = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var syntax = Directives(value, directives);
        if (syntax != null) return Invalid(syntax);
        if (!directives.TryGetValue("max-age", out var maxAge))
            return Invalid("no max-age directive (RFC 6797 section 6.1.1 requires one)");
        if (maxAge == null || maxAge.Length == 0 || !maxAge.All(c => c >= '0' && c <= '9'))
            return Invalid($"max-age is not a number of seconds: '{maxAge}'");
        return new HstsPolicy
        {
            // A value past long's range is still a valid delta-seconds: it means "for ever".
            MaxAge = long.TryParse(maxAge, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ? seconds : long.MaxValue,
            IncludeSubDomains = directives.ContainsKey("includeSubDomains"),
            Preload = directives.ContainsKey("preload"),
        };
    }

    static HstsPolicy Invalid(string problem) => new HstsPolicy { Problem = problem };

    /// <summary>Fills <paramref name="directives"/> (name to value, null when valueless); returns the syntax or duplicate problem, or null.</summary>
    static string? Directives(string value, Dictionary<string, string?> directives)
    {
        int i = 0;
        while (true)
        {
            SkipSpace(value, ref i);
            if (i == value.Length) return null;
            if (value[i] == ';') { i++; continue; }
            var name = Token(value, ref i);
            if (name.Length == 0) return $"not a directive at '{value.Substring(i)}'";
            SkipSpace(value, ref i);
            string? directiveValue = null;
            if (i < value.Length && value[i] == '=')
            {
                i++;
                SkipSpace(value, ref i);
                directiveValue = i < value.Length && value[i] == '"' ? QuotedString(value, ref i) : Token(value, ref i);
                if (directiveValue == null) return $"an unterminated quoted value for {name}";
                SkipSpace(value, ref i);
            }
            if (i < value.Length && value[i] != ';') return $"not a directive at '{value.Substring(i)}'";
            if (directives.ContainsKey(name)) return $"the directive {name} appears twice (RFC 6797 section 6.1, rule 2)";
            directives[name] = directiveValue;
        }
    }

    static void SkipSpace(string value, ref int i)
    {
        while (i < value.Length && (value[i] == ' ' || value[i] == '\t')) i++;
    }

    static string Token(string value, ref int i)
    {
        int start = i;
        while (i < value.Length && (char.IsLetterOrDigit(value[i]) && value[i] < 0x80 || TokenSymbols.IndexOf(value[i]) >= 0)) i++;
        return value.Substring(start, i - start);
    }

    /// <summary>A quoted-string with its backslash escapes undone (RFC 9110 section 5.6.4); null when it does not end.</summary>
    static string? QuotedString(string value, ref int i)
    {
        var text = new StringBuilder();
        for (i++; i < value.Length; i++)
        {
            if (value[i] == '"') { i++; return text.ToString(); }
            if (value[i] == '\\' && i + 1 < value.Length) i++;
            text.Append(value[i]);
        }
        return null;
    }
}
