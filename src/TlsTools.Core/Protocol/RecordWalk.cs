using System;
using System.Collections.Generic;
using System.IO;

namespace TlsTools.Protocol;

/// <summary>One TLS record header and how much of its fragment the bytes hold.</summary>
public sealed class WalkedRecord
{
    internal WalkedRecord(int offset, byte contentType, ushort version, int claimedLength, int carriedLength, bool encrypted, byte[] start)
    {
        Offset = offset; ContentType = contentType; Version = version; ClaimedLength = claimedLength; CarriedLength = carriedLength;
        Encrypted = encrypted; Start = start;
    }
    /// <summary>Where the 5-byte header starts in the direction's byte stream.</summary>
    public int Offset { get; }
    /// <summary>The content type byte (20..24 for a TLS record).</summary>
    public byte ContentType { get; }
    public ushort Version { get; }
    /// <summary>The length the header claims.</summary>
    public int ClaimedLength { get; }
    /// <summary>The fragment bytes that followed (less than claimed when the bytes end first).</summary>
    public int CarriedLength { get; }
    /// <summary>Past the sender's ChangeCipherSpec (or a TLS 1.3 ServerHello): the fragment is ciphertext.</summary>
    public bool Encrypted { get; }
    /// <summary>The first (up to 16) fragment bytes: enough to read a plaintext alert, to quote anything else.</summary>
    public byte[] Start { get; }
    public bool Complete => CarriedLength == ClaimedLength;
}

/// <summary>One plaintext handshake message: its header's claim and what the records carried of it.</summary>
public sealed class WalkedMessage
{
    internal WalkedMessage(int recordIndex, byte type, int claimedLength) { RecordIndex = recordIndex; Type = type; ClaimedLength = claimedLength; }
    /// <summary>The record its header is in.</summary>
    public int RecordIndex { get; }
    public byte Type { get; }
    /// <summary>The 24-bit length its header claims (the body, header excluded).</summary>
    public int ClaimedLength { get; }
    /// <summary>The body bytes the records carried.</summary>
    public int CarriedLength { get; internal set; }
    /// <summary>Records (after the first) the message continued into: fragmentation, which TLS allows.</summary>
    public int ContinuationRecords { get; internal set; }
    /// <summary>The content type of the record that interrupted it before it was complete; null when nothing did.</summary>
    public byte? InterruptedBy { get; internal set; }
    /// <summary>The body, when complete.</summary>
    public byte[]? Body { get; internal set; }
    public bool Complete => Body != null;
}

/// <summary>
/// The bytes one side of a TLS connection sent, walked record by record and, in the plaintext part, message by
/// message, without judging anything: the facts a diagnosis quotes. Pure and bounded: it never allocates more
/// than the bytes it is given, and stops after <see cref="MaxRecords"/> records.
/// </summary>
public sealed class RecordWalk
{
    public const int MaxRecords = 2048;
    const int HeaderLength = 5, StartLength = 16;

    readonly List<WalkedRecord> _records = new List<WalkedRecord>();
    readonly List<WalkedMessage> _messages = new List<WalkedMessage>();

    RecordWalk() { }

    public IReadOnlyList<WalkedRecord> Records => _records;
    public IReadOnlyList<WalkedMessage> Messages => _messages;
    /// <summary>The offset of bytes that are not a TLS record header (an SSLv2 header, garbage); null when none.</summary>
    public int? NotARecordAt { get; private set; }
    /// <summary>The bytes end inside a record header (fewer than 5 bytes left).</summary>
    public bool EndsInsideHeader { get; private set; }
    /// <summary>The walk stopped at <see cref="MaxRecords"/>.</summary>
    public bool RecordLimitReached { get; private set; }

    /// <summary>Walks <paramref name="bytes"/>, the start of what one side sent.</summary>
    /// <param name="compatibilityCcs">
    /// A ChangeCipherSpec does not start encryption: the client's side of a TLS 1.3 HelloRetryRequest exchange, whose CCS
    /// (RFC 8446 Appendix D.4) comes before its second, plaintext ClientHello.
    /// </param>
    public static RecordWalk Of(byte[] bytes, bool compatibilityCcs = false)
    {
        var walk = new RecordWalk();
        walk.Run(bytes ?? Array.Empty<byte>(), compatibilityCcs);
        return walk;
    }

    /// <summary>The last complete message was a HelloRetryRequest: the server's CCS after it is for middleboxes (RFC 8446 D.4).</summary>
    bool _afterRetry;

    void Run(byte[] bytes, bool compatibilityCcs)
    {
        int offset = 0;
        bool encrypted = false;
        var pending = new MemoryStream();    // handshake bytes of the message being reassembled (header included)
        WalkedMessage? open = null;
        while (offset < bytes.Length)
        {
            if (_records.Count == MaxRecords) { RecordLimitReached = true; break; }
            if (bytes.Length - offset < HeaderLength) { EndsInsideHeader = IsRecordStart(bytes, offset); if (!EndsInsideHeader) NotARecordAt = offset; break; }
            if (!IsRecordStart(bytes, offset)) { NotARecordAt = offset; break; }
            byte type = bytes[offset];
            ushort version = (ushort)((bytes[offset + 1] << 8) | bytes[offset + 2]);
            int claimed = (bytes[offset + 3] << 8) | bytes[offset + 4];
            int carried = Math.Min(claimed, bytes.Length - offset - HeaderLength);
            var start = new byte[Math.Min(StartLength, carried)];
            Buffer.BlockCopy(bytes, offset + HeaderLength, start, 0, start.Length);
            _records.Add(new WalkedRecord(offset, type, version, claimed, carried, encrypted, start));
            int index = _records.Count - 1;

            if (!encrypted && type == (byte)TlsContentType.Handshake)
            {
                if (open != null) open.ContinuationRecords++;
                pending.Write(bytes, offset + HeaderLength, carried);
                open = TakeMessages(pending, index, open, ref encrypted);
            }
            else if (!encrypted && open != null)
            {
                open.InterruptedBy = type;
                open = null;
                pending.SetLength(0);
            }
            if (type == (byte)TlsContentType.ChangeCipherSpec && !compatibilityCcs && !_afterRetry) encrypted = true;
            offset += HeaderLength + carried;
        }
    }

    /// <summary>Takes the complete messages off the front of <paramref name="pending"/>; returns the one still open.</summary>
    WalkedMessage? TakeMessages(MemoryStream pending, int recordIndex, WalkedMessage? open, ref bool encrypted)
    {
        var buffer = pending.GetBuffer();
        int length = (int)pending.Length, at = 0;
        while (!encrypted && length - at >= 4)
        {
            int claimed = (buffer[at + 1] << 16) | (buffer[at + 2] << 8) | buffer[at + 3];
            if (open == null)
            {
                open = new WalkedMessage(recordIndex, buffer[at], claimed);
                _messages.Add(open);
            }
            int have = Math.Min(claimed, length - at - 4);
            open.CarriedLength = have;
            if (have < claimed) break;
            var body = new byte[claimed];
            Buffer.BlockCopy(buffer, at + 4, body, 0, claimed);
            open.Body = body;
            at += 4 + claimed;
            // A TLS 1.3 ServerHello: everything after it is encrypted (RFC 8446 §2), the compatibility CCS aside.
            var hello = open.Type == (byte)TlsHandshakeType.ServerHello ? TryParseServerHello(body) : null;
            _afterRetry = hello?.IsHelloRetryRequest == true;
            if (hello != null && !hello.IsHelloRetryRequest && hello.Version == TlsProtocol.Tls13) encrypted = true;
            open = null;
        }
        var rest = new byte[length - at];
        Buffer.BlockCopy(buffer, at, rest, 0, rest.Length);
        pending.SetLength(0);
        pending.Write(rest, 0, rest.Length);
        return open;
    }

    static ServerHello? TryParseServerHello(byte[] body)
    {
        try
        {
            return ServerHello.Parse(body);
        }
        catch (TlsParseException)
        {
            return null;
        }
    }

    /// <summary>A TLS record header: content type 20..24 and major version 3.</summary>
    static bool IsRecordStart(byte[] bytes, int offset) =>
        bytes[offset] >= (byte)TlsContentType.ChangeCipherSpec && bytes[offset] <= (byte)TlsContentType.Heartbeat &&
        (offset + 1 >= bytes.Length || bytes[offset + 1] == 3);
}
