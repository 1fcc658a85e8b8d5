using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Security.Cryptography.X509Certificates;
using System.Threading;

namespace TlsTools.Certificates;

/// <summary>
/// Roots an administrator added to this machine's trust store, as opposed to the public roots the OS ships.
/// The rule (documented in about_TlsTools): on Linux the system bundle merges the distribution's public roots
/// (Mozilla's list) with the files in the administrator's anchor directories; the store itself no longer tells
/// them apart, but those directories do. A root found there is "local". Windows and macOS keep no such
/// separation this module can read reliably, so there the set is empty and only the inspection-product table
/// and -ExpectedThumbprint flag interception.
/// </summary>
public sealed class LocallyAddedRoots
{
    /// <summary>update-ca-certificates (Debian, Ubuntu, Alpine), update-ca-trust (RHEL, Fedora), SUSE's trust anchors.</summary>
    public static readonly string[] LinuxAnchorDirectories =
        { "/usr/local/share/ca-certificates", "/etc/pki/ca-trust/source/anchors", "/etc/pki/trust/anchors" };

    static readonly Lazy<LocallyAddedRoots> Machine = new Lazy<LocallyAddedRoots>(
        () => RuntimeInformation.IsOSPlatform(OSPlatform.Linux) ? FromDirectories(LinuxAnchorDirectories) : new LocallyAddedRoots(new Dictionary<string, string>()),
        LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Bounds the scan: an anchor directory holds a handful of files, not thousands.</summary>
    const int MaxFiles = 500;
    const long MaxFileBytes = 1024 * 1024;

    readonly IReadOnlyDictionary<string, string> _fileByThumbprint;

    LocallyAddedRoots(IReadOnlyDictionary<string, string> fileByThumbprint) { this._fileByThumbprint = fileByThumbprint; }

    /// <summary>This machine's, read once per process.</summary>
    public static LocallyAddedRoots ForThisMachine => Machine.Value;

    /// <summary>The certificates in these directories (PEM or DER files, searched recursively).</summary>
    public static LocallyAddedRoots FromDirectories(IEnumerable<string> directories)
    {
        var found = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var file in directories.Where(Directory.Exists).SelectMany(FilesIn).Take(MaxFiles))
        {
            try
            {
                if (new FileInfo(file).Length > MaxFileBytes) continue;
                foreach (var certificate in TrustedRootFile.Read(file))
                    found[new X509Certificate2(certificate.GetEncoded()).Thumbprint] = file;
            }
            catch (Exception ex) when (ex is TrustStoreException || ex is IOException || ex is UnauthorizedAccessException || ex is System.Security.Cryptography.CryptographicException)
            {
                // A file that is not a certificate (a README) adds nothing.
            }
        }
        return new LocallyAddedRoots(found);
    }

    static IEnumerable<string> FilesIn(string directory)
    {
        try { return Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).ToList(); }
        catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException) { return Array.Empty<string>(); }
    }

    /// <summary>The anchor file that added this root, or null when it is not a locally added root.</summary>
    public string? SourceOf(X509Certificate2? root) =>
        root != null && _fileByThumbprint.TryGetValue(root.Thumbprint, out var file) ? file : null;
}
