using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Text;

namespace TlsTools.Assessment.Http;

/// <summary>The server's answer broke a bound or the protocol; the message says how, in the words of HttpFacts.Problem.</summary>
internal sealed class HttpExchangeException : Exception
{
    public HttpExchangeException(string message) : base(message) { }
}

/// <summary>
/// Reads HTTP/1.x responses from a stream within <see cref="HttpBounds"/>: a line, a head, a skipped body never
/// cost more than their bound in memory or bytes, and no read starts once the time budget is spent (a read that
/// blocks is ended by the engine closing the socket at the same budget). Bytes are taken as ISO-8859-1, the
/// octets of RFC 9110's field values one for one.
/// </summary>
internal sealed class HttpResponseReader
{
    /// <summary>A TLS record's worth: a read returns at most what one record decrypted to.</summary>
    const int BufferBytes = 16 * 1024;
    const int QuotedPrefix = 40;

    readonly Stream _stream;
    readonly Stopwatch _clock;
    readonly TimeSpan _budget;
    readonly byte[] _buffer = new byte[BufferBytes];
    int _next;
    int _end;

    public HttpResponseReader(Stream stream, Stopwatch clock, TimeSpan budget)
    {
        _stream = stream;
        _clock = clock;
        _budget = budget;
    }

    /// <summary>Every byte the server sent that was read (heads, skipped bodies, what broke a bound).</summary>
    public long BytesRead { get; private set; }

    /// <summary>The next final response's head, interim (1xx) ones skipped; null when the server closed (close_notify) before its first byte.</summary>
    public HttpResponseHead? ReadFinalHead()
    {
        for (int interim = 0; ; interim++)
        {
            var head = ReadHead();
            if (head == null || !head.IsInterim) return head;
            if (interim == HttpBounds.MaxInterimResponses)
                throw new HttpExchangeException($"more than {HttpBounds.MaxInterimResponses} interim (1xx) responses");
        }
    }

    HttpResponseHead? ReadHead()
    {
        if (!Buffered(5))
        {
            if (_next == _end) return null;
            throw Closed("in the status line");
        }
        if (!StartsWith("HTTP/"))
            throw new HttpExchangeException($"the answer is not HTTP: it starts with '{Quote()}'");
        int headBytes = 0;
        var status = ReadHeadLine(ref headBytes) ?? throw Closed("in the status line");
        var (minor, code) = ParseStatusLine(status);
        return new HttpResponseHead(minor, code, ReadFields(ref headBytes, "response head"));
    }

    /// <summary>Header (or trailer) field lines up to the empty line; obsolete line folding joined with a space (RFC 9112 section 5.2).</summary>
    List<KeyValuePair<string, string>> ReadFields(ref int headBytes, string section)
    {
        var fields = new List<KeyValuePair<string, string>>();
        while (true)
        {
            var line = ReadHeadLine(ref headBytes) ?? throw Closed("in the " + section);
            if (line.Length == 0) return fields;
            if (line[0] == ' ' || line[0] == '\t')
            {
                if (fields.Count > 0)
                    fields[fields.Count - 1] = new KeyValuePair<string, string>(fields[fields.Count - 1].Key, fields[fields.Count - 1].Value + " " + line.Trim());
                continue;
            }
            if (fields.Count == HttpBounds.MaxHeaderFields)
                throw new HttpExchangeException($"more than {HttpBounds.MaxHeaderFields} header fields in the {section}");
            int colon = line.IndexOf(':');
            // A line that is no field (no colon, or space before it) is ignored, as lenient clients do; it still counts to the bounds.
            if (colon <= 0 || line.IndexOfAny(new[] { ' ', '\t' }, 0, colon) >= 0) continue;
            fields.Add(new KeyValuePair<string, string>(line.Substring(0, colon), line.Substring(colon + 1).Trim(' ', '\t')));
        }
    }

    static (int Minor, int Code) ParseStatusLine(string line)
    {
        // HTTP-version SP status-code SP [ reason-phrase ] (RFC 9112 section 4); the reason is not needed.
        bool wellFormed = line.Length >= 12 && line.StartsWith("HTTP/1.", StringComparison.Ordinal)
            && (line[7] == '0' || line[7] == '1') && line[8] == ' '
            && char.IsDigit(line[9]) && char.IsDigit(line[10]) && char.IsDigit(line[11])
            && (line.Length == 12 || line[12] == ' ');
        if (!wellFormed)
            throw new HttpExchangeException($"a malformed status line: '{Printable(line, QuotedPrefix)}'");
        return (line[7] - '0', int.Parse(line.Substring(9, 3), CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// Skips the body so the connection can carry the next request, spending at most <paramref name="allowance"/>
    /// bytes; returns why it cannot be (the body runs until close, is over the allowance), or null when it was skipped.
    /// </summary>
    public string? SkipBody(HttpResponseHead head, ref long allowance)
    {
        var (framing, length) = head.Body;
        switch (framing)
        {
            case BodyFraming.None:
                return null;
            case BodyFraming.UntilClose:
                return "its body has no length (it runs until the server closes)";
            case BodyFraming.ContentLength:
                if (length > allowance) return $"its body ({length} bytes) is over the {HttpBounds.MaxSkippedBodyBytes / 1024} KiB this probe skips";
                Skip(length);
                allowance -= length;
                return null;
            default:
                return SkipChunked(ref allowance);
        }
    }

    string? SkipChunked(ref long allowance)
    {
        int lineBytes = 0;
        while (true)
        {
            var line = ReadLine(HttpBounds.MaxLineBytes, ref lineBytes, "a chunk-size line") ?? throw Closed("in a chunked body");
            lineBytes = 0;
            var size = ParseChunkSize(line);
            if (size == 0) break;
            if (size > allowance) return $"its chunked body is over the {HttpBounds.MaxSkippedBodyBytes / 1024} KiB this probe skips";
            Skip(size);
            allowance -= size;
            var end = ReadLine(HttpBounds.MaxLineBytes, ref lineBytes, "a chunk's end") ?? throw Closed("in a chunked body");
            if (end.Length != 0) throw new HttpExchangeException("a malformed chunked body: a chunk does not end with CRLF");
        }
        int trailerBytes = 0;
        ReadFields(ref trailerBytes, "chunked body's trailer");
        return null;
    }

    static long ParseChunkSize(string line)
    {
        // chunk-size [ chunk-ext ]: hex digits, then optional ";name=value" extensions (RFC 9112 section 7.1).
        int semicolon = line.IndexOf(';');
        var hex = (semicolon < 0 ? line : line.Substring(0, semicolon)).Trim(' ', '\t');
        if (hex.Length is 0 or > 15 || !long.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var size))
            throw new HttpExchangeException($"a malformed chunk size: '{Printable(line, QuotedPrefix)}'");
        return size;
    }

    /// <summary>A line of the head, counted against both the line and the head bound.</summary>
    string? ReadHeadLine(ref int headBytes)
    {
        int headLeft = HttpBounds.MaxHeadBytes - headBytes;
        bool headIsTighter = headLeft < HttpBounds.MaxLineBytes;
        return ReadLine(Math.Min(HttpBounds.MaxLineBytes, headLeft), ref headBytes,
            headIsTighter ? null : "a header line");
    }

    /// <summary>
    /// One line up to LF (a CR before it is dropped; a bare LF is accepted, RFC 9112 section 2.2), at most
    /// <paramref name="maxBytes"/> long; null when the stream ends before its first byte.
    /// </summary>
    /// <param name="what">Names the line for the message when it is too long; null when the head's bound is the one reached.</param>
    string? ReadLine(int maxBytes, ref int counted, string? what)
    {
        var line = new StringBuilder();
        while (true)
        {
            if (_next == _end && !Fill())
            {
                if (line.Length == 0) return null;
                throw Closed("in the middle of a line");
            }
            int lf = Array.IndexOf(_buffer, (byte)'\n', _next, _end - _next);
            int stop = lf < 0 ? _end : lf;
            // The CR before LF is part of the line ending, not of the bound.
            if (line.Length + (stop - _next) > maxBytes + 1)
                throw new HttpExchangeException(what == null
                    ? $"the response head is over {HttpBounds.MaxHeadBytes / 1024} KiB"
                    : $"{what} is over {HttpBounds.MaxLineBytes / 1024} KiB");
            for (int i = _next; i < stop; i++) line.Append((char)_buffer[i]);
            counted += stop - _next;
            _next = stop;
            if (lf < 0) continue;
            _next++;
            counted++;
            if (line.Length > 0 && line[line.Length - 1] == '\r') line.Length--;
            if (line.Length > maxBytes)
                throw new HttpExchangeException(what == null
                    ? $"the response head is over {HttpBounds.MaxHeadBytes / 1024} KiB"
                    : $"{what} is over {HttpBounds.MaxLineBytes / 1024} KiB");
            return line.ToString();
        }
    }

    void Skip(long count)
    {
        while (count > 0)
        {
            if (_next == _end && !Fill()) throw Closed("in the body");
            int take = (int)Math.Min(count, _end - _next);
            _next += take;
            count -= take;
        }
    }

    /// <summary>Until at least <paramref name="count"/> bytes are buffered; false when the stream ends first.</summary>
    bool Buffered(int count)
    {
        while (_end - _next < count)
            if (!Fill()) return false;
        return true;
    }

    /// <summary>Reads more after what is buffered; false at the end of the stream (the server's close_notify).</summary>
    bool Fill()
    {
        if (_clock.Elapsed >= _budget) throw new HttpExchangeException(HttpHeaderProbe.TimeUp(_budget, BytesRead));
        if (_next > 0)
        {
            Buffer.BlockCopy(_buffer, _next, _buffer, 0, _end - _next);
            _end -= _next;
            _next = 0;
        }
        int read = _stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read <= 0) return false;
        _end += read;
        BytesRead += read;
        return true;
    }

    bool StartsWith(string prefix)
    {
        for (int i = 0; i < prefix.Length; i++)
            if (_buffer[_next + i] != prefix[i]) return false;
        return true;
    }

    string Quote()
    {
        var text = new StringBuilder();
        for (int i = _next; i < Math.Min(_end, _next + QuotedPrefix); i++) text.Append((char)_buffer[i]);
        return Printable(text.ToString(), QuotedPrefix);
    }

    /// <summary>At most <paramref name="max"/> characters, controls and non-ASCII as '.', so a message never carries the server's raw bytes.</summary>
    static string Printable(string text, int max)
    {
        var shown = new StringBuilder();
        foreach (char c in text.Length > max ? text.Substring(0, max) : text)
            shown.Append(c >= ' ' && c < 0x7F ? c : '.');
        return text.Length > max ? shown + "..." : shown.ToString();
    }

    static HttpExchangeException Closed(string where) =>
        new HttpExchangeException($"the server closed the connection {where}");
}
