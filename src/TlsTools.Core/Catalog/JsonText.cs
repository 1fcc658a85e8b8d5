using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace TlsTools.Catalog;

/// <summary>
/// A strict JSON reader (RFC 8259), for the data files this module reads (Mozilla's guideline JSON, custom profiles):
/// netstandard2.0 has no JSON library and the module ships none. Strict means: no comments, no trailing commas, no
/// single quotes, no leading zeros, no NaN, no control characters or lone surrogates in strings, no duplicate member
/// names, nothing after the value. Every error names its line, column and the path of the value it was reading.
/// </summary>
public static class JsonText
{
    public static JsonValue Parse(string text, JsonLimits? limits = null)
    {
        limits ??= JsonLimits.Default;
        if (text.Length > limits.MaxLength)
            throw new JsonFormatException($"the document is {text.Length} characters long, more than the limit of {limits.MaxLength}", "", 1, 1);
        return new Parser(text, limits).Document();
    }

    /// <summary>The path of a member: a dot and the name, or ["name"] when the name is not a plain identifier.</summary>
    public static string MemberPath(string parent, string name)
    {
        if (PlainName.IsMatch(name)) return parent.Length == 0 ? name : parent + "." + name;
        return parent + "[\"" + name.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"]";
    }

    public static string ItemPath(string parent, int index) => parent + "[" + index.ToString(CultureInfo.InvariantCulture) + "]";

    static readonly Regex PlainName = new Regex("^[A-Za-z_][A-Za-z0-9_-]*$", RegexOptions.CultureInvariant);

    sealed class Parser
    {
        readonly string _text;
        readonly JsonLimits _limits;
        int _pos;
        int _line = 1;
        int _lineStart;

        public Parser(string text, JsonLimits limits)
        {
            _text = text;
            _limits = limits;
            // A UTF-8 byte order mark decoded into the text is not part of the document.
            if (text.Length > 0 && text[0] == '\uFEFF') _pos = _lineStart = 1;
        }

        int Column => _pos - _lineStart + 1;
        bool AtEnd => _pos >= _text.Length;
        char Current => _text[_pos];

        public JsonValue Document()
        {
            SkipWhitespace();
            if (AtEnd) throw Error("the document is empty", "");
            var value = Value("", 0);
            SkipWhitespace();
            if (!AtEnd) throw Error($"unexpected {Describe(Current)} after the end of the value", "");
            return value;
        }

        JsonValue Value(string path, int depth)
        {
            if (AtEnd) throw Error("the document ends where a value was expected", path);
            int line = _line, column = Column;
            switch (Current)
            {
                case '{': return Object(path, depth + 1, line, column);
                case '[': return Array(path, depth + 1, line, column);
                case '"': return new JsonValue(JsonKind.String, path, line, column, String(path));
                case 't': Literal("true", path); return new JsonValue(JsonKind.Boolean, path, line, column, "true");
                case 'f': Literal("false", path); return new JsonValue(JsonKind.Boolean, path, line, column, "false");
                case 'n': Literal("null", path); return new JsonValue(JsonKind.Null, path, line, column);
                default:
                    if (Current == '-' || IsDigit(Current)) return new JsonValue(JsonKind.Number, path, line, column, Number(path));
                    throw Error($"unexpected {Describe(Current)} where a value was expected", path);
            }
        }

        JsonValue Object(string path, int depth, int line, int column)
        {
            CheckDepth(depth, path);
            _pos++;
            var members = new List<KeyValuePair<string, JsonValue>>();
            var seen = new Dictionary<string, int>();
            SkipWhitespace();
            if (!AtEnd && Current == '}') { _pos++; return new JsonValue(JsonKind.Object, path, line, column, members: members); }
            while (true)
            {
                SkipWhitespace();
                if (AtEnd || Current != '"')
                    throw Error(AtEnd ? "the document ends inside an object" : $"expected a member name in double quotes, found {Describe(Current)}", path);
                int nameLine = _line;
                string name = String(path);
                // Two members of one name would leave it to the reader which one counts: refuse the file instead.
                if (seen.TryGetValue(name, out int firstLine))
                    throw Error($"duplicate member \"{name}\" (first at line {firstLine})", path);
                seen.Add(name, nameLine);
                SkipWhitespace();
                Expect(':', "after a member name", path);
                SkipWhitespace();
                string memberPath = MemberPath(path, name);
                members.Add(new KeyValuePair<string, JsonValue>(name, Value(memberPath, depth)));
                SkipWhitespace();
                if (AtEnd) throw Error("the document ends inside an object", path);
                if (Current == ',') { _pos++; continue; }
                if (Current == '}') { _pos++; return new JsonValue(JsonKind.Object, path, line, column, members: members); }
                throw Error($"expected ',' or '}}' after a member, found {Describe(Current)}", path);
            }
        }

        JsonValue Array(string path, int depth, int line, int column)
        {
            CheckDepth(depth, path);
            _pos++;
            var items = new List<JsonValue>();
            SkipWhitespace();
            if (!AtEnd && Current == ']') { _pos++; return new JsonValue(JsonKind.Array, path, line, column, items: items); }
            while (true)
            {
                SkipWhitespace();
                if (!AtEnd && Current == ']') throw Error("a trailing comma before ']'", path);
                items.Add(Value(ItemPath(path, items.Count), depth));
                SkipWhitespace();
                if (AtEnd) throw Error("the document ends inside an array", path);
                if (Current == ',') { _pos++; continue; }
                if (Current == ']') { _pos++; return new JsonValue(JsonKind.Array, path, line, column, items: items); }
                throw Error($"expected ',' or ']' after an item, found {Describe(Current)}", path);
            }
        }

        string String(string path)
        {
            _pos++;
            var value = new StringBuilder();
            while (true)
            {
                if (AtEnd) throw Error("the document ends inside a string", path);
                char c = Current;
                if (c == '"') { _pos++; return value.ToString(); }
                if (c < 0x20) throw Error($"a control character (U+{(int)c:X4}) inside a string; write it as an escape", path);
                if (c == '\\') { _pos++; value.Append(Escape(path)); continue; }
                if (char.IsHighSurrogate(c) && (_pos + 1 >= _text.Length || !char.IsLowSurrogate(_text[_pos + 1])))
                    throw Error("a lone surrogate character inside a string", path);
                if (char.IsLowSurrogate(c) && (_pos == 0 || !char.IsHighSurrogate(_text[_pos - 1])))
                    throw Error("a lone surrogate character inside a string", path);
                value.Append(c);
                _pos++;
            }
        }

        static readonly Dictionary<char, char> SimpleEscapes = new Dictionary<char, char>
        {
            ['"'] = '"', ['\\'] = '\\', ['/'] = '/', ['b'] = '\b', ['f'] = '\f', ['n'] = '\n', ['r'] = '\r', ['t'] = '\t',
        };

        /// <summary>The character(s) of one escape, the backslash already read.</summary>
        string Escape(string path)
        {
            if (AtEnd) throw Error("the document ends inside an escape", path);
            char c = Current;
            _pos++;
            if (SimpleEscapes.TryGetValue(c, out char simple)) return simple.ToString();
            if (c != 'u') throw Error($"'\\{c}' is not a JSON escape", path);
            char unit = HexUnit(path);
            if (char.IsLowSurrogate(unit)) throw Error("a lone low surrogate escape", path);
            if (!char.IsHighSurrogate(unit)) return unit.ToString();
            // A character outside the BMP is two escapes, high then low surrogate (RFC 8259 section 7).
            if (_pos + 1 >= _text.Length || _text[_pos] != '\\' || _text[_pos + 1] != 'u')
                throw Error("a high surrogate escape without the low surrogate after it", path);
            _pos += 2;
            char low = HexUnit(path);
            if (!char.IsLowSurrogate(low)) throw Error("a high surrogate escape without the low surrogate after it", path);
            return new string(new[] { unit, low });
        }

        char HexUnit(string path)
        {
            if (_pos + 4 > _text.Length) throw Error("the document ends inside a \\u escape", path);
            string hex = _text.Substring(_pos, 4);
            if (!int.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int code) || hex.Trim() != hex)
                throw Error($"'\\u{hex}' is not four hexadecimal digits", path);
            _pos += 4;
            return (char)code;
        }

        /// <summary>-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?; the text as written.</summary>
        string Number(string path)
        {
            int start = _pos;
            if (Current == '-') _pos++;
            if (AtEnd || !IsDigit(Current)) throw Error("a '-' not followed by a digit", path);
            if (Current == '0')
            {
                _pos++;
                if (!AtEnd && IsDigit(Current)) throw Error("a number with a leading zero", path);
            }
            else Digits();
            if (!AtEnd && Current == '.')
            {
                _pos++;
                if (AtEnd || !IsDigit(Current)) throw Error("a decimal point not followed by a digit", path);
                Digits();
            }
            if (!AtEnd && (Current == 'e' || Current == 'E'))
            {
                _pos++;
                if (!AtEnd && (Current == '+' || Current == '-')) _pos++;
                if (AtEnd || !IsDigit(Current)) throw Error("an exponent without digits", path);
                Digits();
            }
            return _text.Substring(start, _pos - start);
        }

        void Digits()
        {
            while (!AtEnd && IsDigit(Current)) _pos++;
        }

        void Literal(string word, string path)
        {
            if (string.CompareOrdinal(_text, _pos, word, 0, word.Length) != 0)
                throw Error($"unexpected {Describe(Current)} where a value was expected", path);
            _pos += word.Length;
            // "truex" or "nullify" is not the literal followed by something valid.
            if (!AtEnd && char.IsLetterOrDigit(Current)) throw Error($"unexpected {Describe(Current)} after '{word}'", path);
        }

        void Expect(char c, string where, string path)
        {
            if (AtEnd) throw Error($"the document ends where '{c}' was expected {where}", path);
            if (Current != c) throw Error($"expected '{c}' {where}, found {Describe(Current)}", path);
            _pos++;
        }

        void CheckDepth(int depth, string path)
        {
            if (depth > _limits.MaxDepth) throw Error($"objects and arrays nested deeper than {_limits.MaxDepth} levels", path);
        }

        /// <summary>Only the four whitespace characters of RFC 8259; a line feed starts a new line for the positions.</summary>
        void SkipWhitespace()
        {
            while (!AtEnd)
            {
                char c = Current;
                if (c == '\n') { _pos++; _line++; _lineStart = _pos; }
                else if (c == ' ' || c == '\t' || c == '\r') _pos++;
                else return;
            }
        }

        static bool IsDigit(char c) => c >= '0' && c <= '9';

        static string Describe(char c) => c switch
        {
            '/' => "'/' (JSON has no comments)",
            '\'' => "a single quote (JSON strings use double quotes)",
            _ when c < 0x20 || c > 0x7E => $"character U+{(int)c:X4}",
            _ => $"'{c}'",
        };

        JsonFormatException Error(string problem, string path) => new JsonFormatException(problem, path, _line, Column);
    }
}
