using System;
using TlsTools.Protocol;

namespace TlsTools.Capture;

/// <summary>What a scanner reports about one direction of a connection.</summary>
internal interface ITlsEvents
{
    void OnNotTls(int direction);
    void OnSsl2Hello(int direction, byte messageType, ushort version);
    void OnHandshake(int direction, TlsHandshakeType type, byte[] body);
    void OnChangeCipherSpec(int direction);
    void OnAlert(int direction, byte level, byte description);
    /// <summary>A record whose content is encrypted (or, for application data, not read): type and length only.</summary>
    void OnOpaqueRecord(int direction, TlsContentType type, int length);
    void OnLostSync(int direction, string why);
    bool Settled { get; }
}

/// <summary>
/// Parses one direction's reassembled bytes as TLS records, incrementally: bytes arrive in arbitrary
/// pieces (a record across segments, several records or handshake messages in one). It keeps only what it
/// must read (one plaintext record, one handshake message, both bounded by <see cref="TlsLimits"/>) and
/// skips encrypted records by their length without buffering them.
/// </summary>
internal sealed class TlsStreamScanner : IStreamConsumer
{
    /// <summary>How much of the first bytes is kept: enough to name a non-TLS protocol in a sentence.</summary>
    internal const int FirstBytesKept = 64;
    private const int HeaderLength = 5;

    private enum State { Start, Header, Body, Stopped }

    private readonly ITlsEvents _events;
    private readonly int _direction;
    private State _state = State.Start;
    private readonly byte[] _header = new byte[HeaderLength];
    private int _headerFill;
    private TlsContentType _type;
    private int _remaining;                  // bytes left in the current record's fragment
    private bool _keep;                      // whether the current fragment is read (plaintext) or skipped
    private byte[] _fragment = new byte[0];
    private int _fragmentFill;
    private byte[] _handshake = new byte[0]; // handshake bytes not yet returned as a whole message
    private int _handshakeFill;

    public TlsStreamScanner(ITlsEvents events, int direction)
    {
        _events = events;
        _direction = direction;
    }

    public byte[] FirstBytes { get; private set; } = new byte[0];
    /// <summary>Set once ChangeCipherSpec (TLS 1.2 and earlier) switched this direction to encrypted records.</summary>
    public bool Encrypted { get; set; }
    /// <summary>TLS 1.3: ChangeCipherSpec is only middlebox camouflage and encrypts nothing (RFC 8446 D.4).</summary>
    public bool Tls13 { get; set; }
    /// <summary>Bytes retained right now (for the overall memory bound).</summary>
    public int BufferedBytes => _fragment.Length + _handshake.Length;

    public bool WantsData => _state != State.Stopped && !_events.Settled;

    public void Gap()
    {
        if (_state == State.Stopped) return;
        Stop();
        _events.OnLostSync(_direction, "bytes are missing from the capture");
    }

    public void Consume(byte[] buffer, int offset, int count)
    {
        KeepFirstBytes(buffer, offset, count);
        int end = offset + count;
        while (offset < end && _state != State.Stopped)
        {
            switch (_state)
            {
                case State.Start:
                case State.Header:
                    int take = Math.Min(HeaderLength - _headerFill, end - offset);
                    Buffer.BlockCopy(buffer, offset, _header, _headerFill, take);
                    _headerFill += take;
                    offset += take;
                    if (_state == State.Start && !Classify()) return;
                    if (_headerFill == HeaderLength) BeginRecord();
                    break;
                case State.Body:
                    int chunk = Math.Min(_remaining, end - offset);
                    if (_keep) Buffer.BlockCopy(buffer, offset, _fragment, _fragmentFill, chunk);
                    _fragmentFill += chunk;
                    _remaining -= chunk;
                    offset += chunk;
                    if (_remaining == 0) EndRecord();
                    break;
            }
        }
    }

    /// <summary>
    /// Decides from the first three bytes whether this direction speaks TLS (a record header, or an SSLv2
    /// hello). TLS is recognised by what is sent, never by the port.
    /// </summary>
    private bool Classify()
    {
        if (_headerFill >= 1 && !IsRecordType(_header[0]) && (_header[0] & 0x80) == 0) return NotTls();
        if (_headerFill < 3) return true;
        if (IsRecordType(_header[0]))
        {
            if (_header[1] != 3) return NotTls();
            _state = State.Header;
            return true;
        }
        // SSLv2 record: 2-byte length with the high bit set, then the message type (1 CLIENT-HELLO, 4 SERVER-HELLO).
        byte messageType = _header[2];
        if (messageType != 1 && messageType != 4) return NotTls();
        if (_headerFill < 5) return true;
        ushort version = messageType == 1 ? Endian.U16BE(_header, 3) : (ushort)0x0002;
        _events.OnSsl2Hello(_direction, messageType, version);
        Stop();
        return false;
    }

    private bool NotTls()
    {
        _events.OnNotTls(_direction);
        Stop();
        return false;
    }

    private static bool IsRecordType(byte b) => b >= (byte)TlsContentType.ChangeCipherSpec && b <= (byte)TlsContentType.Heartbeat;

    private void BeginRecord()
    {
        _headerFill = 0;
        _type = (TlsContentType)_header[0];
        int length = Endian.U16BE(_header, 3);
        if (!IsRecordType(_header[0]) || _header[1] != 3 || length > TlsLimits.MaxRecordFragment)
        {
            Stop();
            _events.OnLostSync(_direction, $"bytes that are not a TLS record header ({BitConverter.ToString(_header)})");
            return;
        }
        _keep = IsPlaintext(_type);
        if (!_keep) _events.OnOpaqueRecord(_direction, _type, length);
        _remaining = length;
        _fragmentFill = 0;
        if (_keep && _fragment.Length < length) _fragment = new byte[length];
        _state = State.Body;
        if (length == 0) EndRecord();
    }

    private bool IsPlaintext(TlsContentType type)
    {
        switch (type)
        {
            case TlsContentType.ChangeCipherSpec: return true;
            case TlsContentType.Handshake:
            case TlsContentType.Alert: return !Encrypted;
            default: return false;   // application data and heartbeat: never read
        }
    }

    private void EndRecord()
    {
        _state = State.Header;
        if (!_keep) return;
        switch (_type)
        {
            case TlsContentType.ChangeCipherSpec:
                if (!Tls13) Encrypted = true;
                _events.OnChangeCipherSpec(_direction);
                break;
            case TlsContentType.Alert:
                if (_fragmentFill >= 2) _events.OnAlert(_direction, _fragment[0], _fragment[1]);
                break;
            case TlsContentType.Handshake:
                AppendHandshake(_fragment, _fragmentFill);
                break;
        }
        // A record is read; its buffer is let go once the handshake is over so a settled flow holds nothing.
        if (_events.Settled) { _fragment = new byte[0]; _handshake = new byte[0]; }
    }

    private void AppendHandshake(byte[] data, int count)
    {
        if (_handshake.Length < _handshakeFill + count)
            Array.Resize(ref _handshake, Math.Max(_handshakeFill + count, Math.Min(_handshake.Length * 2, TlsLimits.MaxHandshakeMessage + 4)));
        Buffer.BlockCopy(data, 0, _handshake, _handshakeFill, count);
        _handshakeFill += count;

        int at = 0;
        while (_handshakeFill - at >= 4 && _state != State.Stopped)
        {
            int length = (_handshake[at + 1] << 16) | (_handshake[at + 2] << 8) | _handshake[at + 3];
            if (length > TlsLimits.MaxHandshakeMessage)
            {
                Stop();
                _events.OnLostSync(_direction, $"a handshake message of {length} bytes (over the {TlsLimits.MaxHandshakeMessage}-byte limit)");
                return;
            }
            if (_handshakeFill - at < 4 + length) break;
            var body = new byte[length];
            Buffer.BlockCopy(_handshake, at + 4, body, 0, length);
            var type = (TlsHandshakeType)_handshake[at];
            at += 4 + length;
            _events.OnHandshake(_direction, type, body);
        }
        if (at > 0)
        {
            Buffer.BlockCopy(_handshake, at, _handshake, 0, _handshakeFill - at);
            _handshakeFill -= at;
        }
    }

    private void KeepFirstBytes(byte[] buffer, int offset, int count)
    {
        if (FirstBytes.Length >= FirstBytesKept) return;
        int take = Math.Min(FirstBytesKept - FirstBytes.Length, count);
        var first = new byte[FirstBytes.Length + take];
        Buffer.BlockCopy(FirstBytes, 0, first, 0, FirstBytes.Length);
        Buffer.BlockCopy(buffer, offset, first, FirstBytes.Length, take);
        FirstBytes = first;
    }

    private void Stop()
    {
        _state = State.Stopped;
        _fragment = new byte[0];
        _handshake = new byte[0];
        _handshakeFill = 0;
    }
}
