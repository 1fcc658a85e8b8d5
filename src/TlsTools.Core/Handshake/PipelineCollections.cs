using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;
using System.Security.Cryptography.X509Certificates;

namespace TlsTools
{
    /// <summary>
    /// Certificates as served, leaf first. Its text form (what Export-Csv writes) is the subjects in order,
    /// so a CSV column reads as a value rather than a type name.
    /// </summary>
    public sealed class CertificateList : ReadOnlyCollection<X509Certificate2>
    {
        public static readonly CertificateList Empty = new CertificateList(new X509Certificate2[0]);

        public CertificateList(IList<X509Certificate2> certificates) : base(certificates) { }

        public override string ToString() => string.Join(" | ", this.Select(c => c.Subject));
    }
}

namespace TlsTools.Handshake
{
    /// <summary>The steps of an attempt. Its text form is the message sequence, e.g. "ClientHello > ServerHello > Alert".</summary>
    public sealed class HandshakeTranscript : ReadOnlyCollection<TranscriptEntry>
    {
        public static readonly HandshakeTranscript Empty = new HandshakeTranscript(new TranscriptEntry[0]);

        public HandshakeTranscript(IList<TranscriptEntry> entries) : base(entries) { }

        public override string ToString() => string.Join(" > ", this.Select(e => e.Message));
    }
}
