using System;
using System.Collections.Generic;
using System.Management.Automation;
using TlsTools.Certificates;
using TlsTools.Net;

namespace TlsTools.Commands
{
    /// <summary>
    /// Base of every cmdlet that connects to servers: the common parameters (same names, same meaning
    /// everywhere), target parsing with its errors, and one trust store per -TrustedRootPath. Derived cmdlets
    /// implement <see cref="StartTarget(TargetEndpoint, ConnectionOptions, TrustStore)"/>.
    /// </summary>
    public abstract class NetworkTargetCmdlet : AsyncTargetCmdlet
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
        [ValidateRange(1, 3600)]
        public int TimeoutSec { get; set; } = ConnectionOptions.DefaultTimeoutSec;

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string TrustedRootPath { get; set; }

        [Parameter]
        [ValidateRange(1, 1024)]
        public int ThrottleLimit { get; set; } = ConnectionOptions.DefaultThrottleLimit;

        protected override int Throttle => ThrottleLimit;

        /// <summary>Starts the work for one valid target.</summary>
        protected abstract void StartTarget(TargetEndpoint target, ConnectionOptions options, TrustStore trust);

        protected override void ProcessRecord()
        {
            if (!TryGetTrustStore(out var trust)) return;
            foreach (var text in ComputerName)
            {
                TargetEndpoint target;
                try
                {
                    target = TargetParser.Parse(text, Port);
                }
                catch (TargetFormatException ex)
                {
                    WriteError(new ErrorRecord(ex, "InvalidTarget", ErrorCategory.InvalidArgument, text)
                    {
                        ErrorDetails = new ErrorDetails(ex.Message) { RecommendedAction = "Give host, host:port (1-65535), [IPv6]:port or https://host:port/." },
                    });
                    continue;
                }
                StartTarget(target, BuildOptions(), trust);
            }
        }

        protected ConnectionOptions BuildOptions() => new ConnectionOptions
        {
            ServerName = ServerName,
            NoServerName = NoServerName,
            Timeout = TimeSpan.FromSeconds(TimeoutSec),
            TrustedRootPath = TrustedRootPath,
            ThrottleLimit = ThrottleLimit,
        };

        /// <summary>One trust store per distinct -TrustedRootPath; a bad file is that record's error, not the pipeline's.</summary>
        protected bool TryGetTrustStore(out TrustStore trust)
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
                WriteError(new ErrorRecord(ex, "InvalidTrustedRootPath", category, TrustedRootPath));
                return false;
            }
        }
    }
}
