using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace TlsTools.Diagnosis;

/// <summary>
/// Where this machine's own TLS stack takes its policy from, and how to explain a handshake that the
/// managed engine completes (or diagnoses) but the platform refuses.
/// </summary>
public static class PlatformTlsPolicy
{
    const string SchannelKey = @"HKLM\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols";

    /// <summary>Which TLS library SslStream uses here, e.g. "OpenSSL (policy in /etc/ssl/openssl.cnf)".</summary>
    public static string StackName
    {
        get
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) return "SCHANNEL";
            if (RuntimeInformation.IsOSPlatform(OSPlatform.OSX)) return "Apple Network.framework / SecureTransport";
            return "OpenSSL";
        }
    }

    /// <summary>The OpenSSL configuration file this process reads (OPENSSL_CONF wins over the distribution default).</summary>
    public static string OpenSslConfigPath
    {
        get
        {
            var env = Environment.GetEnvironmentVariable("OPENSSL_CONF");
            if (!string.IsNullOrEmpty(env)) return env;
            foreach (var candidate in new[] { "/etc/ssl/openssl.cnf", "/usr/lib/ssl/openssl.cnf", "/etc/pki/tls/openssl.cnf" })
                if (File.Exists(candidate)) return candidate;
            return "/etc/ssl/openssl.cnf";
        }
    }

    /// <summary>The MinProtocol and CipherString settings of the OpenSSL configuration; null for one that is not set (or an unreadable file).</summary>
    public static (string? MinProtocol, string? CipherString) ReadOpenSslSettings()
    {
        try
        {
            var text = File.ReadAllText(OpenSslConfigPath);
            return (Setting(text, "MinProtocol"), Setting(text, "CipherString"));
        }
        catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
        {
            return (null, null);
        }
    }

    static string? Setting(string config, string name)
    {
        var match = Regex.Match(config, @"^\s*" + name + @"\s*=\s*(\S+)", RegexOptions.Multiline);
        return match.Success ? match.Groups[1].Value : null;
    }

    /// <summary>Where this machine's TLS policy (versions and suites) is set, with the current settings.</summary>
    public static string WhereConfigured
    {
        get
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
                return $"SCHANNEL's versions are set under {SchannelKey}\\<version>\\Client, its suites by the 'SSL Cipher Suite Order' group policy.";
            if (RuntimeInformation.IsOSPlatform(OSPlatform.OSX))
                return "The macOS TLS stack's versions and suites are fixed by the OS.";
            var (min, ciphers) = ReadOpenSslSettings();
            return $".NET on Linux enables only ECDHE and TLS 1.3 suites, none defined for TLS 1.0/1.1 or SSLv3; OpenSSL's policy ({OpenSslConfigPath}: MinProtocol {min ?? "not set"}, CipherString {ciphers ?? "not set"}) applies on top.";
        }
    }

    /// <summary>
    /// Why the platform refused a server whose accepted versions are known, and where that is configured.
    /// </summary>
    public static string ExplainVersionRefusal(TlsProtocol serverAccepts)
    {
        string versions = Handshake.ProtocolMap.Describe(serverAccepts);
        if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            return $"The server accepts only {versions}, which SCHANNEL on this machine does not enable for clients: set " +
                   $"{SchannelKey}\\<version>\\Client Enabled=1 and DisabledByDefault=0 (and for .NET Framework apps SchUseStrongCrypto), or better, upgrade the server.";
        if (RuntimeInformation.IsOSPlatform(OSPlatform.OSX))
            return $"The server accepts only {versions}, which this macOS TLS stack no longer negotiates; upgrade the server.";
        var (min, ciphers) = ReadOpenSslSettings();
        return $"The server accepts only {versions}; this machine's OpenSSL policy ({OpenSslConfigPath}: MinProtocol {min ?? "not set"}, " +
               $"CipherString {ciphers ?? "not set"}; OpenSSL 3 at security level 1 or more refuses TLS 1.0/1.1) does not allow it. " +
               $"To allow it (insecure), set MinProtocol = TLSv1 and CipherString = DEFAULT@SECLEVEL=0 under [system_default_sect] in {OpenSslConfigPath} or a file named by OPENSSL_CONF; better, upgrade the server.";
    }

    /// <summary>Why the platform refused when the managed engine succeeded with a given suite.</summary>
    public static string ExplainSuiteRefusal(string suite)
    {
        if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            return $"The server needs {suite}, which SCHANNEL on this machine does not offer: see Get-TlsCipherSuite and the 'SSL Cipher Suite Order' group policy.";
        var (_, ciphers) = ReadOpenSslSettings();
        return $"The server needs {suite}, which .NET on this machine does not offer: .NET on Linux offers only forward-secret AEAD suites by default, and OpenSSL's CipherString ({ciphers ?? "not set"} in {OpenSslConfigPath}) applies on top.";
    }

    /// <summary>
    /// Why a server refused what this machine's TLS stack offered, when the local stack itself sent no refusal: its
    /// ClientHello (the suites quoted from the bytes it sent) carries only what the OS policy allows, so a server that needs another suite shares none.
    /// </summary>
    public static string ExplainOfferRefused(IReadOnlyList<ushort> offered)
    {
        var names = offered.Select(s => Catalog.CipherSuiteCatalog.NameOf(s)).Where(n => n != "TLS_EMPTY_RENEGOTIATION_INFO_SCSV").ToList();
        var missing = new List<string>();
        if (!names.Any(n => n.StartsWith("TLS_RSA_", StringComparison.Ordinal))) missing.Add("static-RSA");
        if (!names.Any(n => n.StartsWith("TLS_DHE_", StringComparison.Ordinal))) missing.Add("DHE");
        string list = names.Count <= 4 ? string.Join(", ", names) : string.Join(", ", names.Take(4)) + $" and {names.Count - 4} more";
        string offer = $"The offer was this machine's TLS stack's ({StackName}), not this module's: its ClientHello carried {names.Count} suites ({list})" +
            (missing.Count == 0 ? "" : $", none with {string.Join(" or ", missing)} key exchange");
        if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            return $"{offer}; SCHANNEL's suite list comes from the 'SSL Cipher Suite Order' group policy (see Get-TlsCipherSuite). -Engine Managed or Get-CipherSupport names the suites the server accepts.";
        if (RuntimeInformation.IsOSPlatform(OSPlatform.OSX))
            return $"{offer}; this macOS TLS stack no longer offers legacy suites. -Engine Managed or Get-CipherSupport names the suites the server accepts.";
        var (_, ciphers) = ReadOpenSslSettings();
        return $"{offer}; .NET on Linux offers only ECDHE and TLS 1.3 suites by default, and OpenSSL's CipherString ({ciphers ?? "not set"} in {OpenSslConfigPath}) applies on top. " +
               "-Engine Managed or Get-CipherSupport names the suites the server accepts.";
    }
}
