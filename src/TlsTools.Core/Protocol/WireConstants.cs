namespace TlsTools.Protocol;

/// <summary>TLS record content types (RFC 8446 §5.1).</summary>
public enum TlsContentType : byte
{
    ChangeCipherSpec = 20,
    Alert = 21,
    Handshake = 22,
    ApplicationData = 23,
    Heartbeat = 24,
}

/// <summary>Handshake message types this library reads or writes (RFC 8446 §4, RFC 5246 §7.4).</summary>
public enum TlsHandshakeType : byte
{
    HelloRequest = 0,
    ClientHello = 1,
    ServerHello = 2,
    NewSessionTicket = 4,
    EncryptedExtensions = 8,
    Certificate = 11,
    ServerKeyExchange = 12,
    CertificateRequest = 13,
    ServerHelloDone = 14,
    CertificateVerify = 15,
    ClientKeyExchange = 16,
    Finished = 20,
    CertificateStatus = 22,
}

/// <summary>Extension code points this library writes or reads (IANA TLS ExtensionType registry).</summary>
public static class TlsExtensionType
{
    public const ushort ServerName = 0;
    public const ushort StatusRequest = 5;
    public const ushort SupportedGroups = 10;
    public const ushort EcPointFormats = 11;
    public const ushort SignatureAlgorithms = 13;
    public const ushort Alpn = 16;
    /// <summary>RFC 6520: heartbeat (mode 1 peer_allowed_to_send, 2 peer_not_allowed_to_send).</summary>
    public const ushort Heartbeat = 15;
    public const ushort Padding = 21;
    public const ushort ExtendedMasterSecret = 23;
    public const ushort SessionTicket = 35;
    public const ushort SupportedVersions = 43;
    public const ushort PskKeyExchangeModes = 45;
    public const ushort KeyShare = 51;
    public const ushort RenegotiationInfo = 0xFF01;
    /// <summary>
    /// A code the IANA registry leaves unassigned (2571-6681 are, between the GREASE values 0x0A0A and 0x1A1A; checked
    /// 2024-12): what the intolerance check sends to see whether the server ignores an extension it does not know.
    /// </summary>
    public const ushort Unassigned = 0x1234;
}

/// <summary>
/// The GREASE values a ClientHello built with <see cref="ClientHelloOptions.Grease"/> carries (RFC 8701 §2: 0x?A?A),
/// one per place, fixed so that the evidence can name them.
/// </summary>
public static class TlsGrease
{
    public const ushort CipherSuite = 0x0A0A;
    public const ushort Group = 0x1A1A;
    public const ushort FirstExtension = 0x2A2A;
    public const ushort LastExtension = 0x3A3A;
    public const ushort Version = 0x4A4A;
    public const ushort SignatureScheme = 0x5A5A;
}

/// <summary>Alert levels (RFC 8446 §6, RFC 5246 §7.2).</summary>
public static class TlsAlertLevel
{
    public const byte Warning = 1;
    public const byte Fatal = 2;

    /// <summary>"warning", "fatal", or "level N" for a value no RFC defines.</summary>
    public static string NameOf(byte level) =>
        level == Warning ? "warning" : level == Fatal ? "fatal" : "level " + level.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// The alert descriptions code refers to by name (IANA TLS Alerts registry). Only code points: names, meanings and causes
/// of every alert are the one table Catalog/Data/tls-alerts.tsv, and a test holds these names to it.
/// </summary>
public static class TlsAlertDescription
{
    public const byte CloseNotify = 0;
    public const byte HandshakeFailure = 40;
    public const byte BadCertificate = 42;
    public const byte UnsupportedCertificate = 43;
    public const byte CertificateRevoked = 44;
    public const byte CertificateExpired = 45;
    public const byte CertificateUnknown = 46;
    public const byte IllegalParameter = 47;
    public const byte UnknownCa = 48;
    public const byte AccessDenied = 49;
    public const byte DecryptError = 51;
    public const byte ProtocolVersion = 70;
    public const byte InsufficientSecurity = 71;
    public const byte InternalError = 80;
    public const byte UnrecognizedName = 112;
    public const byte CertificateRequired = 116;
    public const byte NoApplicationProtocol = 120;
}

/// <summary>Named groups this library writes key shares for (IANA TLS Supported Groups registry).</summary>
public static class TlsNamedGroup
{
    public const ushort Secp256r1 = 0x0017;
    public const ushort X25519 = 0x001D;
}

/// <summary>Limits on lengths read from the wire, checked before anything is allocated.</summary>
public static class TlsLimits
{
    /// <summary>RFC 5246 §6.2.3: a TLSCiphertext fragment is at most 2^14 + 2048 bytes.</summary>
    public const int MaxRecordFragment = (1 << 14) + 2048;
    /// <summary>A handshake message larger than this (long certificate chains included) is treated as hostile.</summary>
    public const int MaxHandshakeMessage = 128 * 1024;
}
