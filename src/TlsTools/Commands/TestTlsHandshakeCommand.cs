using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using TlsTools.Certificates;
using TlsTools.Diagnosis;
using TlsTools.Net;

namespace TlsTools.Commands
{
    /// <summary>
    /// Does a handshake to this endpoint work as a normal client's would, and if not, exactly why.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "TlsHandshake")]
    [OutputType(typeof(HandshakeResult))]
    public sealed class TestTlsHandshakeCommand : AsyncTargetCmdlet
    {
        readonly Dictionary<string, TrustStore> trustStores = new Dictionary<string, TrustStore>(StringComparer.Ordinal);

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("HostName", "Host", "CN")]
        [ValidateNotNull]
        public string[] ComputerName { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public int Port { get; set; } = ConnectionOptions.DefaultPort;

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("SNI")]
        public string ServerName { get; set; }

        [Parameter]
        public SwitchParameter NoServerName { get; set; }

        [Parameter]
        [ValidateSet("Ssl3", "Tls10", "Tls11", "Tls12", "Tls13")]
        public TlsProtocol[] Protocol { get; set; }

        [Parameter]
        [ValidateRange(1, 3600)]
        public int TimeoutSec { get; set; } = ConnectionOptions.DefaultTimeoutSec;

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string TrustedRootPath { get; set; }

        [Parameter]
        [ValidateRange(1, 1024)]
        public int ThrottleLimit { get; set; } = ConnectionOptions.DefaultThrottleLimit;

        [Parameter]
        public HandshakeEngine Engine { get; set; } = HandshakeEngine.Managed;

        protected override int Throttle => ThrottleLimit;
        protected override string ProgressActivity => "Test-TlsHandshake";

        protected override void ProcessRecord()
        {
            if (!TryGetTrustStore(out var trust)) return;
            var protocols = (Protocol ?? Array.Empty<TlsProtocol>()).Aggregate(TlsProtocol.None, (set, p) => set | p);
            foreach (var text in ComputerName)
            {
                TargetEndpoint target;
                try
                {
                    target = TargetParser.Parse(text, Port);
                }
                catch (TargetFormatException ex)
                {
                    WriteError(new ErrorRecord(ex, "InvalidTarget,TlsTools.Commands.TestTlsHandshakeCommand", ErrorCategory.InvalidArgument, text)
                    {
                        ErrorDetails = new ErrorDetails(ex.Message) { RecommendedAction = "Give host, host:port (1-65535), [IPv6]:port or https://host:port/." },
                    });
                    continue;
                }
                var request = new HandshakeTestRequest
                {
                    Target = target,
                    Options = new ConnectionOptions
                    {
                        ServerName = ServerName,
                        NoServerName = NoServerName,
                        Timeout = TimeSpan.FromSeconds(TimeoutSec),
                        TrustedRootPath = TrustedRootPath,
                        ThrottleLimit = ThrottleLimit,
                    },
                    Protocols = protocols,
                    Engine = Engine,
                    Trust = trust,
                    Log = LogVerbose,
                };
                StartTarget(text, async ct => await HandshakeTester.TestAsync(request, ct).ConfigureAwait(false));
            }
        }

        /// <summary>One trust store per distinct -TrustedRootPath; a bad file is that record's error, not the pipeline's.</summary>
        bool TryGetTrustStore(out TrustStore trust)
        {
            string path = string.IsNullOrEmpty(TrustedRootPath) ? "" : GetUnresolvedProviderPathFromPSPath(TrustedRootPath);
            if (trustStores.TryGetValue(path, out trust)) return true;
            try
            {
                trust = TrustStore.Load(path.Length == 0 ? null : path);
                trustStores[path] = trust;
                return true;
            }
            catch (TrustStoreException ex)
            {
                var category = ex.Error == TrustStoreError.FileNotFound ? ErrorCategory.ObjectNotFound
                    : ex.Error == TrustStoreError.Unreadable ? ErrorCategory.ReadError : ErrorCategory.InvalidData;
                WriteError(new ErrorRecord(ex, "InvalidTrustedRootPath,TlsTools.Commands.TestTlsHandshakeCommand", category, TrustedRootPath));
                return false;
            }
        }
    }
}
