using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Pkcs;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace TlsTools.Certificates;

public enum CertificateFileError
{
    /// <summary>ErrorCategory.ObjectNotFound.</summary>
    FileNotFound,
    /// <summary>ErrorCategory.ReadError.</summary>
    Unreadable,
    /// <summary>ErrorCategory.InvalidData: not PEM, DER, PKCS#7 or PFX, or no certificate in it.</summary>
    InvalidContent,
    /// <summary>ErrorCategory.AuthenticationError (or InvalidArgument when none was given): the PFX password, or an encrypted PEM key's, is wrong.</summary>
    WrongPassword,
    /// <summary>ErrorCategory.InvalidData: a client certificate without its private key (a PEM or DER file with no key, a PFX without one, an X509Certificate2 without HasPrivateKey).</summary>
    NoPrivateKey,
    /// <summary>ErrorCategory.PermissionDenied: the certificate's key is in a store that does not let it be exported (a non-exportable Windows key).</summary>
    KeyNotExportable,
    /// <summary>ErrorCategory.InvalidData: the key is neither RSA, ECDSA nor Ed25519 (DSA, a post-quantum key, ...).</summary>
    UnsupportedKey,
    /// <summary>ErrorCategory.InvalidData: the private key belongs to none of the certificates in the file.</summary>
    KeyMismatch,
}

/// <summary>A certificate file that cannot be used; the message names the file and the reason.</summary>
public sealed class CertificateFileException : Exception
{
    public CertificateFileException(CertificateFileError error, string path, string message, Exception? inner = null)
        : base(message, inner)
    {
        Error = error;
        Path = path;
    }

    public CertificateFileError Error { get; }
    public string Path { get; }
}

/// <summary>The certificates read from files, in file order, and whether that order means anything.</summary>
public sealed class CertificateFileContent
{
    internal CertificateFileContent(IReadOnlyList<BcCertificate> certificates, bool orderIsMeaningful)
    {
        Certificates = certificates.Select(c => new X509Certificate2(c.GetEncoded())).ToList();
        OrderIsMeaningful = orderIsMeaningful;
    }

    /// <summary>In file order (for PFX: the certificate with the key first).</summary>
    public IReadOnlyList<X509Certificate2> Certificates { get; }
    /// <summary>False for PFX: its bags have no order a server would send, so WrongOrder is not judged.</summary>
    public bool OrderIsMeaningful { get; }
    public int Count => Certificates.Count;
}

/// <summary>
/// Reads a chain from files before it is installed: PEM bundles, DER, PKCS#7 (.p7b) and PFX/P12.
/// Several files are one chain in the order given (e.g. Apache's certificate file, then its chain file).
/// </summary>
public static class ChainFileReader
{
    /// <summary>Reads every file; the certificates of all files form one chain, leaf first.</summary>
    /// <param name="password">The PFX password, or null.</param>
    /// <exception cref="CertificateFileException">A file is missing, unreadable, malformed, or its password is wrong.</exception>
    public static CertificateFileContent Read(IReadOnlyList<string> paths, char[]? password)
    {
        var certificates = new List<BcCertificate>();
        var ordered = true;
        foreach (var path in paths)
        {
            var bytes = ReadBytes(path);
            if (CertificateDecoder.IsPfx(bytes))
            {
                certificates.AddRange(ReadPfx(path, bytes, password));
                ordered = false;
            }
            else
            {
                certificates.AddRange(Decode(path, bytes));
            }
        }
        if (certificates.Count == 0)
            throw new CertificateFileException(CertificateFileError.InvalidContent, paths.FirstOrDefault(),
                $"No certificate found in {string.Join(", ", paths.Select(p => "'" + p + "'"))}.");
        return new CertificateFileContent(certificates, ordered);
    }

    internal static byte[] ReadBytes(string path)
    {
        if (!File.Exists(path))
            throw new CertificateFileException(CertificateFileError.FileNotFound, path, $"The certificate file '{path}' does not exist.");
        try { return File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is NotSupportedException)
        {
            throw new CertificateFileException(CertificateFileError.Unreadable, path, $"The certificate file '{path}' could not be read: {e.Message}", e);
        }
    }

    private static IReadOnlyList<BcCertificate> Decode(string path, byte[] bytes)
    {
        try { return CertificateDecoder.Decode(bytes); }
        catch (FormatException e)
        {
            throw new CertificateFileException(CertificateFileError.InvalidContent, path,
                $"The certificate file '{path}' is not a PEM, DER, PKCS#7 or PFX file: {e.Message}", e);
        }
    }

    /// <summary>The certificate that has the private key first (the leaf the server presents), then the others as stored.</summary>
    private static IEnumerable<BcCertificate> ReadPfx(string path, byte[] bytes, char[]? password)
    {
        var store = OpenPfx(path, bytes, password);
        var aliases = store.Aliases.ToList();
        var keyAlias = aliases.FirstOrDefault(store.IsKeyEntry);
        var all = aliases.Select(a => store.GetCertificate(a)?.Certificate).OfType<BcCertificate>().ToList();
        if (keyAlias == null) return all;
        // The key's chain as the store links it (leaf first), then any other certificate the file holds.
        var chain = (store.GetCertificateChain(keyAlias) ?? new[] { store.GetCertificate(keyAlias) }).Select(e => e.Certificate).ToList();
        return chain.Concat(all.Where(c => !chain.Contains(c)));
    }

    /// <summary>The PFX/P12 file opened with its password; a wrong or missing password is <see cref="CertificateFileError.WrongPassword"/>.</summary>
    internal static Pkcs12Store OpenPfx(string path, byte[] bytes, char[]? password)
    {
        var store = new Pkcs12StoreBuilder().Build();
        try
        {
            using (var stream = new MemoryStream(bytes))
                store.Load(stream, password ?? new char[0]);
        }
        catch (Exception e) when (e is IOException || e.GetType().Name.Contains("Pkcs"))
        {
            var given = password == null || password.Length == 0 ? "no password was given (-Password)" : "the password is wrong";
            throw new CertificateFileException(CertificateFileError.WrongPassword, path,
                $"The PFX file '{path}' could not be opened: {given} ({e.Message}).", e);
        }
        return store;
    }
}
