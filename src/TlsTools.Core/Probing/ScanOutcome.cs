using System.Collections.Generic;
using TlsTools.Net;

namespace TlsTools.Probing
{
    /// <summary>A scanner's rows for one target, with what the follow-ups after the scan need to know.</summary>
    public sealed class ScanOutcome<TRow>
    {
        internal ScanOutcome(IReadOnlyList<TRow> rows, ScanSession session, bool anyAccepted)
        {
            Rows = rows;
            ProbedTarget = session.ProbedTarget;
            ResolveFailure = session.Failure;
            AnyAccepted = anyAccepted;
            ServedChain = session.Probes?.ServedChain;
            Connections = session.Connections;
        }

        public IReadOnlyList<TRow> Rows { get; }
        /// <summary>The address the probes connected to (the first the name resolved to); null when resolution failed.</summary>
        public TargetEndpoint ProbedTarget { get; }
        /// <summary>Why the name did not resolve; null when it did.</summary>
        public string ResolveFailure { get; }
        /// <summary>At least one version (or suite) was accepted.</summary>
        public bool AnyAccepted { get; }
        /// <summary>The certificate chain (DER, leaf first) a probe read in plaintext on the way; null when none did (TLS 1.3 only, RSA key exchange only).</summary>
        public IReadOnlyList<byte[]> ServedChain { get; }
        /// <summary>Connections the scan made.</summary>
        public int Connections { get; }
    }
}
