using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;
using System.Security.Cryptography.X509Certificates;

namespace TlsTools;

/// <summary>
/// Certificates as served, leaf first. Its text form (what Export-Csv writes) is the subjects in order,
/// so a CSV column reads as a value rather than a type name.
/// </summary>
public sealed class CertificateList : ReadOnlyCollection<X509Certificate2>
{
    public static readonly CertificateList Empty = new CertificateList(new X509Certificate2[0]);

    public CertificateList(IList<X509Certificate2> certificates) : base(certificates) { }

    public override string ToString() => string.Join(" | ", this.Select(c => c.Subject));
}
