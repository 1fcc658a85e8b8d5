using System;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using TlsTools.Certificates;
using TlsTools.Handshake;
using TlsTools.Net;

namespace TlsTools.Diagnosis
{
    /// <summary>One server whose chain to inspect, with the inspection settings.</summary>
    public sealed class ServedChainRequest
    {
        public TargetEndpoint Target { get; set; }
        public ConnectionOptions Options { get; set; } = new ConnectionOptions();
        public TrustStore Trust { get; set; }
        public int WarningDays { get; set; } = 30;
        public bool FetchMissingIssuers { get; set; } = true;
        public bool CheckRevocation { get; set; }
        public Action<string> Log { get; set; }
    }

    /// <summary>The inspected chain, or why the server gave none (connection or handshake failure before its Certificate).</summary>
    public sealed class ServedChainOutcome
    {
        public ChainReport Report { get; set; }
        public FailureCategory FailureCategory { get; set; }
        public string FailureReason { get; set; }
        public bool Succeeded => Report != null;
    }

    /// <summary>
    /// Get-CertificateChain's network half: one full handshake offering TLS 1.0 to 1.3 (a full handshake,
    /// because TLS 1.3 encrypts the Certificate message) asking for a stapled OCSP response, then the chain
    /// exactly as sent goes to <see cref="ChainInspector"/>.
    /// </summary>
    public static class ServedChainInspection
    {
        private const TlsProtocol AllTlsVersions = TlsProtocol.Tls10 | TlsProtocol.Tls11 | TlsProtocol.Tls12 | TlsProtocol.Tls13;

        public static async Task<ServedChainOutcome> RunAsync(ServedChainRequest request, CancellationToken cancel)
        {
            var target = request.Target;
            var options = request.Options;
            var clock = Stopwatch.StartNew();
            TimeSpan Remaining() => options.Timeout - clock.Elapsed;
            var transcript = new TranscriptRecorder(clock, request.Log, $"{target}: ");

            var resolved = await NameResolver.ResolveAsync(target, options.Timeout, cancel).ConfigureAwait(false);
            if (resolved.Error != null) return Failed(FailureCategory.DnsFailure, resolved.Error);

            var connected = await TcpConnector.ConnectAsync(resolved.Addresses, target.Port, Remaining(), cancel).ConfigureAwait(false);
            if (connected.Error != ConnectError.None)
            {
                var verdict = HandshakeTester.ConnectVerdict(connected);
                return Failed(verdict.Category, verdict.Reason);
            }

            var sni = options.EffectiveServerName(target);
            var profile = ClientProfile.Mainstream(AllTlsVersions);
            profile.RequestOcspStaple = true;
            HandshakeObservation observation;
            using (connected.Socket)
                observation = await Task.Run(() => ManagedHandshakeEngine.Run(connected.Socket, profile, sni, Remaining(), cancel, transcript), cancel).ConfigureAwait(false);

            if (observation.ServedChain.Count == 0)
            {
                var verdict = HandshakeDiagnoser.Diagnose(observation, null, null);
                return Failed(verdict.Category == FailureCategory.None ? FailureCategory.Unknown : verdict.Category,
                    $"The server sent no certificate. {verdict.Reason}".Trim());
            }

            var report = await ChainInspector.InspectAsync(new ChainInspectionRequest
            {
                Certificates = observation.ServedChain,
                HostName = sni ?? target.Host,
                Trust = request.Trust,
                WarningDays = request.WarningDays,
                FetchMissingIssuers = request.FetchMissingIssuers,
                CheckRevocation = request.CheckRevocation,
                StapledOcspResponse = observation.StapledOcspResponse,
                HttpTimeout = options.Timeout,
                ComputerName = target.Host,
                Port = target.Port,
                Log = request.Log,
            }, cancel).ConfigureAwait(false);
            return new ServedChainOutcome { Report = report };
        }

        private static ServedChainOutcome Failed(FailureCategory category, string reason) =>
            new ServedChainOutcome { FailureCategory = category, FailureReason = reason };
    }
}
