using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using TlsTools.Catalog;
using Xunit;
using StjDocument = System.Text.Json.JsonDocument;
using StjElement = System.Text.Json.JsonElement;
using StjKind = System.Text.Json.JsonValueKind;

namespace TlsTools.Core.Tests;

/// <summary>
/// The strict JSON reader, on real files cross-checked against System.Text.Json (a reader nobody here wrote: the
/// two must see the same tree), on every escape, and on malformed input: each refused with its problem, line,
/// column and path.
/// </summary>
public class CatalogJsonTextTests
{
    static string RepoRoot => Path.GetFullPath(Path.Combine(ProtocolTestData.DataDirectory(), "..", "..", ".."));

    /// <summary>Real JSON files: Mozilla's guidelines as embedded, the repository's tool manifest, and the build's own dependency and runtime files.</summary>
    public static IEnumerable<object[]> RealFiles() => new[]
    {
        Path.Combine(RepoRoot, "src", "TlsTools.Core", "Assessment", "Profiles", "Data", "server-side-tls-5.7.json"),
        Path.Combine(RepoRoot, "src", "TlsTools.Core", "Assessment", "Profiles", "Data", "server-side-tls-5.8.json"),
        Path.Combine(RepoRoot, "src", "TlsTools.Core", "Assessment", "Profiles", "Data", "server-side-tls-6.0.json"),
        Path.Combine(RepoRoot, "dotnet-tools.json"),
        Path.Combine(AppContext.BaseDirectory, "TlsTools.Core.Tests.deps.json"),
        Path.Combine(AppContext.BaseDirectory, "TlsTools.Core.Tests.runtimeconfig.json"),
    }.Select(p => new object[] { p });

    [Theory]
    [MemberData(nameof(RealFiles))]
    public void ReadsARealFileAsSystemTextJsonDoes(string path)
    {
        string text = File.ReadAllText(path);
        var ours = JsonText.Parse(text);
        using var theirs = StjDocument.Parse(text);
        AssertSame(theirs.RootElement, ours);
    }

    static void AssertSame(StjElement expected, JsonValue actual)
    {
        switch (expected.ValueKind)
        {
            case StjKind.Object:
                Assert.Equal(JsonKind.Object, actual.Kind);
                var members = expected.EnumerateObject().ToList();
                Assert.Equal(members.Select(m => m.Name), actual.Members.Select(m => m.Key));
                foreach (var m in members) AssertSame(m.Value, actual.Member(m.Name)!);
                break;
            case StjKind.Array:
                Assert.Equal(JsonKind.Array, actual.Kind);
                var items = expected.EnumerateArray().ToList();
                Assert.Equal(items.Count, actual.Items.Count);
                for (int i = 0; i < items.Count; i++) AssertSame(items[i], actual.Items[i]);
                break;
            case StjKind.String:
                Assert.Equal(JsonKind.String, actual.Kind);
                Assert.Equal(expected.GetString(), actual.Text);
                break;
            case StjKind.Number:
                Assert.Equal(JsonKind.Number, actual.Kind);
                Assert.Equal(expected.GetRawText(), actual.Text);
                break;
            case StjKind.True:
            case StjKind.False:
                Assert.Equal(JsonKind.Boolean, actual.Kind);
                Assert.Equal(expected.GetBoolean(), actual.Boolean);
                break;
            default:
                Assert.Equal(JsonKind.Null, actual.Kind);
                break;
        }
    }

    [Fact]
    public void KeepsANumberAsWrittenAndGivesWholeNumbers()
    {
        var doc = JsonText.Parse("{\"version\": 6.0, \"size\": 2048, \"neg\": -1, \"exp\": 1e3, \"big\": 123456789012345678901}");
        Assert.Equal("6.0", doc.Member("version")!.Text);
        Assert.Null(doc.Member("version")!.Integer);
        Assert.Equal(2048, doc.Member("size")!.Integer);
        Assert.Equal(-1, doc.Member("neg")!.Integer);
        Assert.Null(doc.Member("exp")!.Integer);
        Assert.Equal("123456789012345678901", doc.Member("big")!.Text);
        Assert.Null(doc.Member("big")!.Integer);
    }

    [Fact]
    public void DecodesEveryEscape()
    {
        var value = JsonText.Parse(@"""q\"" b\\ s\/ \b\f\n\r\t \u00e9 \u20AC \ud83d\ude00""");
        Assert.Equal("q\" b\\ s/ \b\f\n\r\t é € 😀", value.Text);
        using var theirs = StjDocument.Parse(@"""q\"" b\\ s\/ \b\f\n\r\t \u00e9 \u20AC \ud83d\ude00""");
        Assert.Equal(theirs.RootElement.GetString(), value.Text);
    }

    [Fact]
    public void NamesEachValuesPathAndPosition()
    {
        var doc = JsonText.Parse("{\n  \"configurations\": {\n    \"modern\": {\"tls_versions\": [\"TLSv1.2\", \"TLSv1.3\"], \"odd name\": 1}\n  }\n}");
        var versions = doc.Member("configurations")!.Member("modern")!.Member("tls_versions")!;
        Assert.Equal("configurations.modern.tls_versions", versions.Path);
        Assert.Equal("configurations.modern.tls_versions[1]", versions.Items[1].Path);
        Assert.Equal(3, versions.Items[1].Line);
        Assert.Equal(44, versions.Items[1].Column);
        Assert.Equal("configurations.modern[\"odd name\"]", doc.Member("configurations")!.Member("modern")!.Member("odd name")!.Path);
        Assert.Equal("", doc.Path);
    }

    [Fact]
    public void SkipsAByteOrderMark()
    {
        Assert.Equal(JsonKind.Array, JsonText.Parse("\uFEFF[]").Kind);
    }

    /// <summary>Malformed input: the problem, where it is (line, column) and the path being read. System.Text.Json refuses each too.</summary>
    [Theory]
    [InlineData("", "the document is empty", 1, 1, "")]
    [InlineData("   ", "the document is empty", 1, 4, "")]
    [InlineData("{\"a\": [1, 2,]}", "a trailing comma before ']'", 1, 13, "a")]
    [InlineData("{\"a\": 1,}", "expected a member name in double quotes, found '}'", 1, 9, "")]
    [InlineData("{\"a\": 1 // note\n}", "expected ',' or '}' after a member, found '/' (JSON has no comments)", 1, 9, "")]
    [InlineData("{'a': 1}", "expected a member name in double quotes, found a single quote (JSON strings use double quotes)", 1, 2, "")]
    [InlineData("{\"a\":\n  012}", "a number with a leading zero", 2, 4, "a")]
    [InlineData("[1.]", "a decimal point not followed by a digit", 1, 4, "[0]")]
    [InlineData("[1e]", "an exponent without digits", 1, 4, "[0]")]
    [InlineData("[-]", "a '-' not followed by a digit", 1, 3, "[0]")]
    [InlineData("[NaN]", "unexpected 'N' where a value was expected", 1, 2, "[0]")]
    [InlineData("[truex]", "unexpected 'x' after 'true'", 1, 6, "[0]")]
    [InlineData("[nul]", "unexpected 'n' where a value was expected", 1, 2, "[0]")]
    [InlineData("{\"a\": \"x\ty\"}", "a control character (U+0009) inside a string; write it as an escape", 1, 9, "a")]
    [InlineData("[\"\\x\"]", "'\\x' is not a JSON escape", 1, 5, "[0]")]
    [InlineData("[\"\\u12G4\"]", "'\\u12G4' is not four hexadecimal digits", 1, 5, "[0]")]
    [InlineData("[\"\\ud83d\"]", "a high surrogate escape without the low surrogate after it", 1, 9, "[0]")]
    [InlineData("[\"\\ude00\"]", "a lone low surrogate escape", 1, 9, "[0]")]
    [InlineData("{\"a\": \"open", "the document ends inside a string", 1, 12, "a")]
    [InlineData("{\"a\": [1, 2", "the document ends inside an array", 1, 12, "a")]
    [InlineData("{\"a\": 1", "the document ends inside an object", 1, 8, "")]
    [InlineData("{\"a\" 1}", "expected ':' after a member name, found '1'", 1, 6, "")]
    [InlineData("{\"a\": 1}\n{}", "unexpected '{' after the end of the value", 2, 1, "")]
    [InlineData("{\"a\": 1,\n \"a\": 2}", "duplicate member \"a\" (first at line 1)", 2, 5, "")]
    public void RefusesMalformedInput(string text, string problem, int line, int column, string path)
    {
        var ex = Assert.Throws<JsonFormatException>(() => JsonText.Parse(text));
        Assert.Equal(problem, ex.Problem);
        Assert.Equal((line, column), (ex.Line, ex.Column));
        Assert.Equal(path, ex.Path);
        Assert.Contains($"at line {line}, column {column}", ex.Message);
        // System.Text.Json refuses the rest as well. Duplicate names it allows, and a lone surrogate escape it only
        // refuses when the string is read (GetString), not when parsing.
        if (!StricterThanSystemTextJson.Any(p => problem.Contains(p)))
            Assert.ThrowsAny<System.Text.Json.JsonException>(() => { using var _ = StjDocument.Parse(text); });
    }

    static readonly string[] StricterThanSystemTextJson = { "duplicate member", "surrogate escape" };

    [Fact]
    public void RefusesALoneSurrogateCharacter()
    {
        var ex = Assert.Throws<JsonFormatException>(() => JsonText.Parse("[\"a\ud800\"]"));
        Assert.Equal("a lone surrogate character inside a string", ex.Problem);
    }

    [Fact]
    public void BoundsTheNesting()
    {
        string deep = new string('[', 33) + new string(']', 33);
        var ex = Assert.Throws<JsonFormatException>(() => JsonText.Parse(deep));
        Assert.Equal("objects and arrays nested deeper than 32 levels", ex.Problem);
        Assert.Equal((1, 33), (ex.Line, ex.Column));
        Assert.Equal(string.Concat(Enumerable.Repeat("[0]", 32)), ex.Path);
        string limit = new string('[', 32) + new string(']', 32);
        Assert.Equal(JsonKind.Array, JsonText.Parse(limit).Kind);
    }

    [Fact]
    public void BoundsTheLength()
    {
        var limits = new JsonLimits { MaxLength = 100 };
        var text = "[" + string.Join(",", Enumerable.Repeat("1", 60)) + "]";
        var ex = Assert.Throws<JsonFormatException>(() => JsonText.Parse(text, limits));
        Assert.Equal($"the document is {text.Length} characters long, more than the limit of 100", ex.Problem);
        Assert.Equal(60, JsonText.Parse(text).Items.Count);
    }
}
