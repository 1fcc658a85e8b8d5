using System.Collections.Generic;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace TlsTools.Net.StartTls;

/// <summary>LDAP StartTLS extended operation (RFC 4511 §4.14), encoded and read as BER by hand: two fixed messages.</summary>
public static class LdapDialect
{
    const string StartTlsOid = "1.3.6.1.4.1.1466.20037";
    const byte Sequence = 0x30, Integer = 0x02, Enumerated = 0x0A, OctetString = 0x04, ExtendedResponse = 0x78;

    /// <summary>resultCode values (RFC 4511 §4.1.9) a StartTLS refusal carries.</summary>
    static readonly Dictionary<int, string> ResultNames = new Dictionary<int, string>
    {
        [0] = "success", [1] = "operationsError", [2] = "protocolError", [7] = "authMethodNotSupported",
        [12] = "unavailableCriticalExtension", [13] = "confidentialityRequired", [51] = "busy", [52] = "unavailable",
        [53] = "unwillingToPerform", [80] = "other",
    };

    /// <summary>LDAPMessage { messageID 1, ExtendedRequest [APPLICATION 23] { requestName [0] StartTLS OID } }.</summary>
    public static byte[] BuildRequest()
    {
        var oid = Encoding.ASCII.GetBytes(StartTlsOid);
        var name = Tlv(0x80, oid);
        var extended = Tlv(0x77, name);
        var body = new List<byte> { Integer, 1, 1 };
        body.AddRange(extended);
        return Tlv(Sequence, body.ToArray());
    }

    public static async Task<TunnelResult> NegotiateAsync(PlainChannel channel, CancellationToken ct)
    {
        await channel.SendAsync(BuildRequest(), ct).ConfigureAwait(false);
        var header = await channel.ReadExactAsync(2, ct).ConfigureAwait(false);
        if (header[0] != Sequence)
            return Refused($"first byte 0x{header[0]:X2}", "the server did not answer with an LDAP message");
        int length = header[1];
        if ((length & 0x80) != 0)
        {
            int octets = length & 0x7F;
            if (octets == 0 || octets > 2) return Refused("BER length", "the LDAP answer has an unusable length");
            length = 0;
            foreach (byte b in await channel.ReadExactAsync(octets, ct).ConfigureAwait(false)) length = (length << 8) | b;
        }
        if (length > PlainChannel.MaxReplyBytes) return Refused($"{length}-byte message", "the LDAP answer is too long");
        return Interpret(await channel.ReadExactAsync(length, ct).ConfigureAwait(false));
    }

    /// <summary>Reads the ExtendedResponse inside the LDAPMessage body: its resultCode and diagnosticMessage.</summary>
    public static TunnelResult Interpret(byte[] body)
    {
        var reader = new BerReader(body);
        if (!reader.Skip(Integer) || !reader.Enter(ExtendedResponse))
            return Refused("not an ExtendedResponse", "the server answered the StartTLS request with another LDAP operation");
        var code = reader.Read(Enumerated);
        if (code == null || code.Length == 0) return Refused("no resultCode", "the LDAP answer has no result code");
        reader.Read(OctetString);
        var diagnostic = reader.Read(OctetString);
        int result = code[code.Length - 1];
        string name = ResultNames.TryGetValue(result, out var n) ? n : "resultCode";
        string reply = $"{name} ({result})" + (diagnostic != null && diagnostic.Length > 0 ? $": {Encoding.UTF8.GetString(diagnostic)}" : "");
        return result == 0 ? TunnelResult.Open(reply) : Refused(reply, "the server refused the StartTLS extended operation");
    }

    static TunnelResult Refused(string reply, string why) =>
        TunnelResult.Refused(reply, $"LDAP StartTLS not offered: {why} ({reply}).");

    static byte[] Tlv(byte tag, byte[] value)
    {
        var bytes = new List<byte> { tag, (byte)value.Length };
        bytes.AddRange(value);
        return bytes.ToArray();
    }

    /// <summary>Just enough BER: definite short and long lengths, bounded by the body.</summary>
    sealed class BerReader
    {
        readonly byte[] _data;
        int _position;
        public BerReader(byte[] data) { this._data = data; }

        public bool Skip(byte tag) => Read(tag) != null;

        /// <summary>Moves inside a constructed element.</summary>
        public bool Enter(byte tag) => Header(tag) >= 0;

        public byte[]? Read(byte tag)
        {
            int length = Header(tag);
            if (length < 0 || _position + length > _data.Length) return null;
            var value = new byte[length];
            System.Array.Copy(_data, _position, value, 0, length);
            _position += length;
            return value;
        }

        int Header(byte tag)
        {
            if (_position + 2 > _data.Length || _data[_position] != tag) return -1;
            int length = _data[_position + 1];
            _position += 2;
            if ((length & 0x80) == 0) return length;
            int octets = length & 0x7F;
            if (octets == 0 || octets > 3 || _position + octets > _data.Length) return -1;
            length = 0;
            for (int i = 0; i < octets; i++) length = (length << 8) | _data[_position++];
            return length;
        }
    }
}
