using System;

namespace TlsTools;

/// <summary>Protocol versions a client can offer. Flags so that a set can be offered at once.</summary>
[Flags]
public enum TlsProtocol
{
    None = 0,
    Ssl2 = 1,
    Ssl3 = 2,
    Tls10 = 4,
    Tls11 = 8,
    Tls12 = 16,
    Tls13 = 32,
}
