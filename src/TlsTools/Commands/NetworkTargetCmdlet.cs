using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Net;
using System.Security;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using TlsTools.Certificates;
using TlsTools.Net;
using TlsTools.Probing;

namespace TlsTools.Commands;

/// <summary>
/// Base of every cmdlet that connects to servers: the common parameters (same names, same meaning
/// everywhere), target parsing with its errors, and one trust store per -TrustedRootPath. Derived cmdlets
/// implement <see cref="StartTarget(TargetEndpoint, ConnectionOptions, TrustStore)"/>.
/// </summary>
public abstract class NetworkTargetCmdlet : AsyncTargetCmdlet
{
    readonly Dictionary<string, TrustStore> _trustStores = new Dictionary<string, TrustStore>(StringComparer.Ordinal);
    readonly Dictionary<string, ClientCredential> _clientCredentials = new Dictionary<string, ClientCredential>(StringComparer.Ordinal);

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

    /// <summary>
    /// The client certificate every full handshake presents when the server asks for one (mutual TLS): an X509Certificate2
    /// with its private key, or the path of a PFX/P12 file or of a PEM file with the certificate(s) and the key (-Password).
    /// </summary>
    [Parameter]
    [ClientCertificateTransformation]
    public object? ClientCertificate { get; set; }

    /// <summary>The password of the -ClientCertificate file (PFX, or an encrypted PEM key); Get-CertificateChain -Path: of its PFX files.</summary>
    [Parameter]
    public SecureString? Password { get; set; }

    protected override int Throttle => ThrottleLimit;

    int _progressIds;

    /// <summary>A progress record id of the target's own (1 is the whole invocation's).</summary>
    protected int NextProgressId() => 10 + Interlocked.Increment(ref _progressIds);

    /// <summary>Each probe of one target narrated (-Verbose) and counted on its progress record, at once.</summary>
    protected Action<ProbeEvent> NarrateProbes(string label, int progressId) => probe => Narrate(() =>
    {
        WriteVerbose($"{label}: {probe}");
        WriteProgress(new ProgressRecord(progressId, ProgressActivity, $"{label}: {probe.Number} probes") { CurrentOperation = probe.Purpose });
    });

    /// <summary>Ends one target's progress record.</summary>
    protected void CompleteProgress(int progressId) =>
        Narrate(() => WriteProgress(new ProgressRecord(progressId, ProgressActivity, "Done") { RecordType = ProgressRecordType.Completed }));

    /// <summary>Starts the work for one valid target.</summary>
    protected abstract void StartTarget(TargetEndpoint target, ConnectionOptions options, TrustStore trust);

    protected override void ProcessRecord()
    {
        if (!TryGetTrustStore(out var trust) || !ProxyIsUsable() || !ThumbprintIsUsable() || !TryGetClientCredential(out var credential)) return;
        foreach (var text in ComputerName)
        {
            TargetEndpoint target;
            try
            {
                target = TargetParser.Parse(text, Port);
            }
            catch (TargetFormatException ex)
            {
                WriteErrorInOrder(new ErrorRecord(ex, "InvalidTarget", ErrorCategory.InvalidArgument, text)
                {
                    ErrorDetails = new ErrorDetails(ex.Message) { RecommendedAction = "Give host, host:port (1-65535), [IPv6]:port or https://host:port/." },
                });
                continue;
            }
            var options = BuildOptions();
            options.ClientCertificate = credential;
            StartTarget(target, options, trust);
        }
    }

    ConnectionOptions BuildOptions() => new ConnectionOptions
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
            WriteErrorInOrder(new ErrorRecord(ex, "InvalidProxy", ErrorCategory.InvalidArgument, ProxyAddress.Redact(proxy))
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
        WriteErrorInOrder(new ErrorRecord(new ArgumentException(message), "InvalidThumbprint", ErrorCategory.InvalidArgument, ExpectedThumbprint)
        {
            ErrorDetails = new ErrorDetails(message) { RecommendedAction = "Copy the SHA-256 from the CertificateThumbprint column of Test-TlsHandshake or Get-CertificateChain, or the SHA-1 of (Get-PfxCertificate file).Thumbprint." },
        });
        return false;
    }

    /// <summary>-Password as characters for a file reader (null when not given); the caller clears them.</summary>
    protected char[]? PasswordChars() => Password == null ? null : new NetworkCredential("", Password).Password.ToCharArray();

    /// <summary>The ErrorCategory of each reason a certificate file (or a client certificate) cannot be used.</summary>
    protected static readonly Dictionary<CertificateFileError, ErrorCategory> CertificateFileErrorCategories = new Dictionary<CertificateFileError, ErrorCategory>
    {
        [CertificateFileError.FileNotFound] = ErrorCategory.ObjectNotFound,
        [CertificateFileError.Unreadable] = ErrorCategory.ReadError,
        [CertificateFileError.InvalidContent] = ErrorCategory.InvalidData,
        [CertificateFileError.WrongPassword] = ErrorCategory.AuthenticationError,
        [CertificateFileError.NoPrivateKey] = ErrorCategory.InvalidData,
        [CertificateFileError.KeyNotExportable] = ErrorCategory.PermissionDenied,
        [CertificateFileError.UnsupportedKey] = ErrorCategory.InvalidData,
        [CertificateFileError.KeyMismatch] = ErrorCategory.InvalidData,
    };

    /// <summary>
    /// The -ClientCertificate credential (null when none was given), loaded once per distinct certificate or file; an
    /// unusable one (missing file, wrong password, no private key) is this record's error, not the pipeline's.
    /// </summary>
    protected bool TryGetClientCredential(out ClientCredential? credential)
    {
        credential = null;
        string key;
        switch (ClientCertificate)
        {
            case null: return true;
            case X509Certificate2 certificate: key = $"object:{certificate.Thumbprint}:{certificate.HasPrivateKey}"; break;
            case string path: key = "file:" + GetUnresolvedProviderPathFromPSPath(path); break;
            default: throw new InvalidOperationException("-ClientCertificate is an X509Certificate2 or a path once transformed.");
        }
        if (_clientCredentials.TryGetValue(key, out var known))
        {
            credential = known;
            return true;
        }
        var password = PasswordChars();
        try
        {
            credential = ClientCertificate is X509Certificate2 x509 ? ClientCredentialLoader.FromCertificate(x509) : ClientCredentialLoader.FromFile(key.Substring("file:".Length), password);
            _clientCredentials[key] = credential;
            return true;
        }
        catch (CertificateFileException ex)
        {
            var category = ex.Error == CertificateFileError.WrongPassword && password == null ? ErrorCategory.InvalidArgument : CertificateFileErrorCategories[ex.Error];
            WriteErrorInOrder(new ErrorRecord(ex, "InvalidClientCertificate", category, ClientCertificate)
            {
                ErrorDetails = new ErrorDetails(ex.Message)
                {
                    RecommendedAction = "Give -ClientCertificate an X509Certificate2 that has its private key, or the path of a PFX/P12 file, or of one PEM file with the certificate and its key; the file's password with -Password.",
                },
            });
            return false;
        }
        finally
        {
            if (password != null) Array.Clear(password, 0, password.Length);
        }
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
            WriteErrorInOrder(new ErrorRecord(ex, "InvalidTrustedRootPath", category, TrustedRootPath));
            return false;
        }
    }
}

/// <summary>
/// -ClientCertificate takes an X509Certificate2 (Get-PfxCertificate, Get-Item Cert:\...) or a file (a path string, a
/// FileInfo from Get-Item/Get-ChildItem); anything else is refused at binding with what it takes.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ClientCertificateTransformationAttribute : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        switch (value)
        {
            case null: return null;
            case X509Certificate2 certificate: return certificate;
            case X509Certificate certificate: return new X509Certificate2(certificate);
            case FileInfo file: return file.FullName;
            case string path when !string.IsNullOrWhiteSpace(path): return path;
            default:
                throw new ArgumentTransformationMetadataException(
                    $"-ClientCertificate takes an X509Certificate2 with its private key, or the path of a PFX/P12 or PEM file; not {(value is string ? "an empty string" : value.GetType().FullName)}.");
        }
    }
}
