using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using Org.BouncyCastle.Asn1.X509;

namespace TlsTools.Certificates;

/// <summary>
/// The operating system's trusted roots (LocalMachine and CurrentUser Root stores; on Linux the first is
/// the OpenSSL certificate directory). Reading and parsing a few hundred roots is slow, and the set does
/// not change while a session runs, so it is read once per process, on first use.
/// </summary>
internal static class SystemRoots
{
    private static readonly Lazy<IReadOnlyList<CertificateNode>> Roots =
        new Lazy<IReadOnlyList<CertificateNode>>(ReadStores, LazyThreadSafetyMode.ExecutionAndPublication);

    private static readonly StoreLocation[] Locations = { StoreLocation.LocalMachine, StoreLocation.CurrentUser };

    public static IReadOnlyList<CertificateNode> Anchors => Roots.Value;

    // Which roots carry a given subject, by the DN's DER bytes. Equivalent DN comparison (BouncyCastle's
    // canonical form) against a few hundred roots costs tens of milliseconds on every path step; identical
    // bytes always give the identical answer, so each distinct name is compared once per process.
    private static readonly ConcurrentDictionary<string, IReadOnlyList<CertificateNode>> BySubject =
        new ConcurrentDictionary<string, IReadOnlyList<CertificateNode>>(StringComparer.Ordinal);

    /// <summary>The roots whose subject is equivalent to <paramref name="name"/> (usually none or one).</summary>
    public static IReadOnlyList<CertificateNode> Named(X509Name name) =>
        BySubject.GetOrAdd(Convert.ToBase64String(name.GetDerEncoded()),
            _ => Anchors.Where(root => root.Parsed.SubjectDN.Equivalent(name, true)).ToList());

    private static IReadOnlyList<CertificateNode> ReadStores() =>
        Locations.SelectMany(ReadStore)
            .GroupBy(c => c.Thumbprint, StringComparer.OrdinalIgnoreCase)
            .Select(g => TryNode(g.First()))
            .OfType<CertificateNode>()
            .ToList();

    private static IEnumerable<X509Certificate2> ReadStore(StoreLocation location)
    {
        try
        {
            using (var store = new X509Store(StoreName.Root, location))
            {
                store.Open(OpenFlags.ReadOnly | OpenFlags.OpenExistingOnly);
                return store.Certificates.Cast<X509Certificate2>().ToList();
            }
        }
        catch (Exception e) when (e is CryptographicException || e is PlatformNotSupportedException || e is UnauthorizedAccessException)
        {
            // A store that does not exist (CurrentUser on a fresh Linux account) simply adds no roots.
            return Array.Empty<X509Certificate2>();
        }
    }

    private static CertificateNode? TryNode(X509Certificate2 certificate)
    {
        try { return CertificateNode.From(certificate); }
        catch (Exception) { return null; }   // one unparseable system root must not hide all the others
    }
}
