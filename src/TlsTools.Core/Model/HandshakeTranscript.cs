using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;
using System.Security.Cryptography.X509Certificates;

namespace TlsTools;

/// <summary>The steps of an attempt. Its text form is the message sequence, e.g. "ClientHello > ServerHello > Alert".</summary>
public sealed class HandshakeTranscript : ReadOnlyCollection<TranscriptEntry>
{
    public static readonly HandshakeTranscript Empty = new HandshakeTranscript(new TranscriptEntry[0]);

    public HandshakeTranscript(IList<TranscriptEntry> entries) : base(entries) { }

    public override string ToString() => string.Join(" > ", this.Select(e => e.Message));
}
