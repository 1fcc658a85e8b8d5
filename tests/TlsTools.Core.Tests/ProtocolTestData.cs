using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using TlsTools.Protocol;

namespace TlsTools.Core.Tests;

/// <summary>Captured server flights, stored as hex under Data/ beside this file.</summary>
internal static class ProtocolTestData
{
    public static string DataDirectory([CallerFilePath] string thisFile = "") =>
        Path.Combine(Path.GetDirectoryName(thisFile) ?? throw new InvalidOperationException($"no directory in the source path '{thisFile}'"), "Data");

    public static byte[] Load(string name) => FromHex(File.ReadAllText(Path.Combine(DataDirectory(), name)));

    public static byte[] FromHex(string hex)
    {
        var digits = new string(hex.Where(Uri.IsHexDigit).ToArray());
        var bytes = new byte[digits.Length / 2];
        for (int i = 0; i < bytes.Length; i++) bytes[i] = Convert.ToByte(digits.Substring(2 * i, 2), 16);
        return bytes;
    }

    public static string ToHex(byte[] bytes)
    {
        var lines = new List<string>();
        for (int i = 0; i < bytes.Length; i += 32)
            lines.Add(BitConverter.ToString(bytes, i, Math.Min(32, bytes.Length - i)).Replace("-", "").ToLowerInvariant());
        return string.Join("\n", lines) + "\n";
    }

    /// <summary>All messages in a byte blob of records.</summary>
    public static List<TlsMessage> Messages(byte[] records)
    {
        var reader = new TlsRecordReader(new MemoryStream(records));
        var messages = new List<TlsMessage>();
        TlsMessage? m;
        while ((m = reader.ReadMessageAsync(CancellationToken.None).GetAwaiter().GetResult()) != null) messages.Add(m);
        return messages;
    }

    /// <summary>
    /// Sends a ClientHello to a live server and returns the raw bytes of its plaintext first flight: every record
    /// up to ServerHelloDone (TLS 1.2), or up to the first encrypted record / alert (TLS 1.3).
    /// </summary>
    public static async Task<byte[]> CaptureFirstFlightAsync(System.Net.IPEndPoint endpoint, byte[] clientHello)
    {
        using (var client = new TcpClient())
        using (var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            await client.ConnectAsync(endpoint.Address, endpoint.Port);
            var stream = client.GetStream();
            await stream.WriteAsync(clientHello, 0, clientHello.Length, cts.Token);
            var reader = new TlsRecordReader(stream);
            var captured = new MemoryStream();
            while (true)
            {
                var record = await reader.ReadRecordAsync(cts.Token);
                if (record == null || record.ContentType == TlsContentType.ApplicationData) break;
                captured.WriteByte((byte)record.ContentType);
                captured.WriteByte((byte)(record.Version >> 8)); captured.WriteByte((byte)record.Version);
                captured.WriteByte((byte)(record.Fragment.Length >> 8)); captured.WriteByte((byte)record.Fragment.Length);
                captured.Write(record.Fragment, 0, record.Fragment.Length);
                if (record.ContentType == TlsContentType.Alert) break;
                if (record.ContentType == TlsContentType.Handshake && HasServerHelloDone(captured.ToArray())) break;
                if (record.ContentType == TlsContentType.ChangeCipherSpec) break;   // TLS 1.3: the rest is encrypted
            }
            return captured.ToArray();
        }
    }

    private static bool HasServerHelloDone(byte[] records)
    {
        try { return Messages(records).Any(m => m.HandshakeType == TlsHandshakeType.ServerHelloDone); }
        catch (TlsParseException) { return false; }   // a message still split across records
    }

    /// <summary>When TLSTOOLS_CAPTURE is set, live tests refresh the stored blobs (run once, then commit).</summary>
    public static void MaybeStore(string name, byte[] bytes)
    {
        if (Environment.GetEnvironmentVariable("TLSTOOLS_CAPTURE") != "1") return;
        File.WriteAllText(Path.Combine(DataDirectory(), name), ToHex(bytes));
    }
}
