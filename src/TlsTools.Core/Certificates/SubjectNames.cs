using System.Collections.Generic;
using System.Linq;
using System.Net;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509.Extension;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace TlsTools.Certificates;

/// <summary>
/// The names a certificate is issued for, read from the DER with BouncyCastle (never from .NET's formatted
/// extension text, whose wording differs per OS and per locale).
/// </summary>
internal sealed class SubjectNames
{
    private SubjectNames(bool hasSanExtension, IReadOnlyList<string> dnsNames, IReadOnlyList<IPAddress> ipAddresses)
    {
        HasSanExtension = hasSanExtension;
        DnsNames = dnsNames;
        IPAddresses = ipAddresses;
    }

    public bool HasSanExtension { get; }
    /// <summary>SAN dNSNames; the subject CN only when there is no SAN extension at all (RFC 6125 6.4.4).</summary>
    public IReadOnlyList<string> DnsNames { get; }
    public IReadOnlyList<IPAddress> IPAddresses { get; }

    /// <summary>Every name, as shown to a user: DNS names then IP addresses.</summary>
    public IEnumerable<string> All => DnsNames.Concat(IPAddresses.Select(ip => ip.ToString()));

    public static SubjectNames Of(BcCertificate certificate)
    {
        var sanValue = certificate.GetExtensionValue(X509Extensions.SubjectAlternativeName);
        if (sanValue == null)
            return new SubjectNames(false, CommonNames(certificate), new IPAddress[0]);

        var names = GeneralNames.GetInstance(X509ExtensionUtilities.FromExtensionValue(sanValue)).GetNames();
        var dns = names.Where(n => n.TagNo == GeneralName.DnsName)
            .Select(n => DerIA5String.GetInstance(n.Name).GetString())
            .ToList();
        var ips = names.Where(n => n.TagNo == GeneralName.IPAddress)
            .Select(n => Asn1OctetString.GetInstance(n.Name).GetOctets())
            .Where(octets => octets.Length == 4 || octets.Length == 16)   // other lengths are name-constraint forms
            .Select(octets => new IPAddress(octets))
            .ToList();
        return new SubjectNames(true, dns, ips);
    }

    private static IReadOnlyList<string> CommonNames(BcCertificate certificate) =>
        certificate.SubjectDN.GetValueList(X509Name.CN).ToList();
}
