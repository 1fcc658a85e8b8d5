using System;
using System.Collections.Generic;

namespace TlsTools.Protocol;

/// <summary>
/// The Certificate handshake message of SSLv3..TLS 1.2 (RFC 5246 7.4.2): a 24-bit list length, then each
/// certificate as a 24-bit length and its DER bytes, leaf first. (TLS 1.3 encrypts it and adds per-entry
/// extensions; the probes never see that form.)
/// </summary>
public static class CertificateMessage
{
    /// <summary>Real chains hold two to five certificates; a list longer than this is not a chain to trust a parse of.</summary>
    public const int MaxCertificates = 16;

    /// <summary>The DER encodings, leaf first; a message that is cut, padded or too long throws.</summary>
    public static IReadOnlyList<byte[]> Parse(byte[] body)
    {
        var reader = new ByteReader(body, "Certificate");
        var list = reader.Slice(reader.ReadUInt24("certificate_list length"), "certificate_list");
        reader.ExpectEnd("Certificate");
        var certificates = new List<byte[]>();
        foreach (var der in Entries(list))
        {
            if (certificates.Count == MaxCertificates) throw list.Fail($"more than {MaxCertificates} certificates");
            certificates.Add(der);
        }
        return certificates;
    }

    /// <summary>
    /// The complete certificates at the front of the list, at most <paramref name="max"/>: what a message cut
    /// short (a capture that missed segments) still holds. Never throws.
    /// </summary>
    public static IReadOnlyList<byte[]> ParseLeading(byte[]? body, int max)
    {
        var certificates = new List<byte[]>();
        if (body == null || body.Length < 3) return certificates;
        var reader = new ByteReader(body, "Certificate");
        var list = reader.Slice(Math.Min(reader.ReadUInt24("certificate_list length"), reader.Remaining), "certificate_list");
        try
        {
            foreach (var der in Entries(list))
            {
                if (certificates.Count == max) break;
                certificates.Add(der);
            }
        }
        catch (TlsParseException)
        {
            // A certificate cut off: the ones before it stand.
        }
        return certificates;
    }

    private static IEnumerable<byte[]> Entries(ByteReader list)
    {
        while (!list.AtEnd)
            yield return list.ReadBytes(list.ReadUInt24("certificate length"), "certificate");
    }
}
