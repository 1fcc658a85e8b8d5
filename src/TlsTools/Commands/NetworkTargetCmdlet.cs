using System;
using System.Collections.Generic;
using System.Management.Automation;
using TlsTools.Certificates;
using TlsTools.Net;

namespace TlsTools.Commands;

/// <summary>
/// Base of every cmdlet that connects to servers: the common parameters (same names, same meaning
/// everywhere), target parsing with its errors, and one trust store per -TrustedRootPath. Derived cmdlets
/// implement <see cref="StartTarget(TargetEndpoint, ConnectionOptions, TrustStore)"/>.
/// </summary>
public abstract class NetworkTargetCmdlet : AsyncTargetCmdlet
{
    readonly Dictionary<string, TrustStore> _trustStores = new Dictionary<string, TrustStore>(StringComparer.Ordinal);

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("HostName", "Host", "CN")]
    [ValidateNotNull]
    public string[] ComputerName { get; set; } = Array.Empty<string>();

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public int Port { get; set; } = ConnectionOptions.DefaultPort;

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("SNI")]
    public string? ServerName { get; set; }

    [Parameter]
    public SwitchParameter NoServerName { get; set; }

    [Parameter]
    [ValidateRange(1, 3600)]
    public int TimeoutSec { get; set; } = ConnectionOptions.DefaultTimeoutSec;

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? TrustedRootPath { get; set; }

    [Parameter]
    [ValidateRange(1, 1024)]
    public int ThrottleLimit { get; set; } = ConnectionOptions.DefaultThrottleLimit;

    /// <summary>http://host:port (HTTP CONNECT) or socks5://host:port; without it, HTTPS_PROXY / ALL_PROXY unless -NoProxy.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Proxy { get; set; }

    [Parameter]
    [Credential]
    public PSCredential? ProxyCredential { get; set; }

    [Parameter]
    public SwitchParameter NoProxy { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public StartTlsProtocol StartTls { get; set; }

    /// <summary>Also handshake without SNI and with an unknown name: does the server require SNI, route by it, or ignore it.</summary>
    [Parameter]
    public SwitchParameter CompareServerName { get; set; }

    /// <summary>
    /// SHA-1 or SHA-256 thumbprint of the certificate the server should present; another one is InterceptionSuspected.
    /// Binds from CertificateThumbprint (every result's SHA-256 column) and from Thumbprint (older CSV files).
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("CertificateThumbprint", "Thumbprint")]
    public string? ExpectedThumbprint { get; set; }

    protected override int Throttle => ThrottleLimit;

    /// <summary>Starts the work for one valid target.</summary>
    protected abstract void StartTarget(TargetEndpoint target, ConnectionOptions options, TrustStore trust);

    protected override void ProcessRecord()
    {
        if (!TryGetTrustStore(out var trust) || !ProxyIsUsable() || !ThumbprintIsUsable()) return;
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
        Proxy = Proxy,
        ProxyCredential = ProxyCredential?.GetNetworkCredential(),
        NoProxy = NoProxy,
        StartTls = StartTls,
    };

    /// <summary>A malformed -Proxy is this record's error (InvalidProxy), not one failed result per target.</summary>
    bool ProxyIsUsable()
    {
        if (Proxy is not string proxy || string.IsNullOrWhiteSpace(proxy)) return true;
        try
        {
            ProxyAddress.Parse(proxy);
            return true;
        }
        catch (ProxyFormatException ex)
        {
            WriteError(new ErrorRecord(ex, "InvalidProxy", ErrorCategory.InvalidArgument, ProxyAddress.Redact(proxy))
            {
                ErrorDetails = new ErrorDetails(ex.Message) { RecommendedAction = "Give http://host:port or socks5://host:port." },
            });
            return false;
        }
    }

    /// <summary>A thumbprint that can never match would flag every server: this record's error (InvalidThumbprint) instead.</summary>
    protected bool ThumbprintIsUsable()
    {
        // An empty column (a failed handshake's CertificateThumbprint, a blank CSV cell) is no pin at all.
        if (string.IsNullOrWhiteSpace(ExpectedThumbprint) || InterceptionCheck.IsThumbprint(ExpectedThumbprint!)) return true;
        var message = $"'{ExpectedThumbprint}' is not a certificate thumbprint: give the SHA-1 (40 hex digits) or SHA-256 (64 hex digits) of the certificate; spaces, colons and dashes are ignored.";
        WriteError(new ErrorRecord(new ArgumentException(message), "InvalidThumbprint", ErrorCategory.InvalidArgument, ExpectedThumbprint)
        {
            ErrorDetails = new ErrorDetails(message) { RecommendedAction = "Copy the SHA-256 from the CertificateThumbprint column of Test-TlsHandshake or Get-CertificateChain, or the SHA-1 of (Get-PfxCertificate file).Thumbprint." },
        });
        return false;
    }

    /// <summary>One trust store per distinct -TrustedRootPath; a bad file is that record's error, not the pipeline's.</summary>
    protected bool TryGetTrustStore(out TrustStore trust)
    {
        string path = string.IsNullOrEmpty(TrustedRootPath) ? "" : GetUnresolvedProviderPathFromPSPath(TrustedRootPath);
        if (_trustStores.TryGetValue(path, out trust)) return true;
        try
        {
            trust = TrustStore.Load(path.Length == 0 ? null : path);
            _trustStores[path] = trust;
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
