using System;
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
}
