using System;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace TlsTools.Net;

/// <summary>Thrown when a proxy or a STARTTLS peer closes the connection or sends more than a reply may hold.</summary>
public sealed class PlainProtocolException : IOException
{
    public PlainProtocolException(string message) : base(message) { }
}

/// <summary>
/// The plain-text conversation before TLS (proxy CONNECT, SOCKS5, STARTTLS). Reads one byte at a time on
/// purpose: nothing past the peer's last reply may be consumed, because the next byte belongs to TLS.
/// Every read is bounded; the caller's deadline closes the socket under a pending read.
/// </summary>
public sealed class PlainChannel
{
    /// <summary>No greeting, status line or capability list legitimately comes near this.</summary>
    public const int MaxReplyBytes = 16 * 1024;
    readonly Stream _stream;
    readonly byte[] _one = new byte[1];

    public PlainChannel(Stream stream) { this._stream = stream; }

    /// <summary>Everything received so far, as ASCII (the evidence quoted when the peer says no).</summary>
    public StringBuilder Received { get; } = new StringBuilder();

    public Task SendAsync(string text, CancellationToken ct) => SendAsync(Encoding.ASCII.GetBytes(text), ct);

    public async Task SendAsync(byte[] bytes, CancellationToken ct)
    {
        await _stream.WriteAsync(bytes, 0, bytes.Length, ct).ConfigureAwait(false);
        await _stream.FlushAsync(ct).ConfigureAwait(false);
    }

    /// <summary>One byte, or an exception when the peer closed.</summary>
    public async Task<byte> ReadByteAsync(CancellationToken ct)
    {
        if (Received.Length >= MaxReplyBytes)
            throw new PlainProtocolException($"the peer sent more than {MaxReplyBytes} bytes without finishing its reply");
        int n = await _stream.ReadAsync(_one, 0, 1, ct).ConfigureAwait(false);
        if (n == 0) throw new PlainProtocolException("the peer closed the connection");
        Received.Append(_one[0] >= 0x20 && _one[0] < 0x7F || _one[0] == '\r' || _one[0] == '\n' || _one[0] == '\t' ? (char)_one[0] : '.');
        return _one[0];
    }

    public async Task<byte[]> ReadExactAsync(int count, CancellationToken ct)
    {
        var buffer = new byte[count];
        for (int i = 0; i < count; i++) buffer[i] = await ReadByteAsync(ct).ConfigureAwait(false);
        return buffer;
    }

    /// <summary>One line without its CR LF (or bare LF).</summary>
    public async Task<string> ReadLineAsync(CancellationToken ct)
    {
        var line = new StringBuilder();
        while (true)
        {
            byte b = await ReadByteAsync(ct).ConfigureAwait(false);
            if (b == '\n') return line.ToString().TrimEnd('\r');
            line.Append((char)b);
        }
    }

    /// <summary>Reads until the text received ends with <paramref name="marker"/> (ordinal); returns all of it.</summary>
    public async Task<string> ReadUntilAsync(string marker, CancellationToken ct)
    {
        var text = new StringBuilder();
        while (!EndsWith(text, marker))
            text.Append((char)await ReadByteAsync(ct).ConfigureAwait(false));
        return text.ToString();
    }

    static bool EndsWith(StringBuilder text, string marker)
    {
        if (text.Length < marker.Length) return false;
        for (int i = 0; i < marker.Length; i++)
            if (text[text.Length - marker.Length + i] != marker[i]) return false;
        return true;
    }

    /// <summary>The first line of what the peer sent, shortened: the quote an error message carries.</summary>
    public static string Quote(string? text, int max = 200)
    {
        text = (text ?? "").Replace("\r", "").Trim();
        text = text.Replace("\n", " | ");
        return text.Length <= max ? text : text.Substring(0, max) + "...";
    }
}
