using System;
using System.Collections.Generic;
using System.Linq;

namespace TlsTools.Certificates.Inspection;

/// <summary>Turns an inspection into its report and rows: path certificates in path order, then served ones outside the path.</summary>
internal static class ChainRowBuilder
{
    public static ChainReport Build(ChainInspectionRequest request, InspectionContext context, IReadOnlyList<ChainFinding> findings)
    {
        var path = context.Path.Certificates;
        var rootCount = path.Count > 1 && context.IsRoot(context.Path.Last, path.Count - 1) ? 1 : 0;
        var report = new ChainReport(request.Label, findings, path.Select(n => n.Certificate).ToList(), rootCount);

        var rows = path.Select((node, position) => Row(request, context, report, node, position, context.SentIndex(node),
                position == 0 ? CertificateRole.Leaf : context.IsRoot(node, position) ? CertificateRole.Root : CertificateRole.Intermediate,
                context.SentIndex(node).HasValue ? ServedSource(request) : context.WasFetched(node) ? CertificateSource.AiaFetched : CertificateSource.TrustStore))
            .Concat(context.UnclaimedServed.Select(index => Row(request, context, report, context.Served[index], null, index,
                context.Served[index].IsSelfSigned ? CertificateRole.Root : CertificateRole.Intermediate, ServedSource(request))))
            .ToList();
        report.Certificates = rows;
        return report;
    }

    private static CertificateSource ServedSource(ChainInspectionRequest request) =>
        request.FilePaths != null ? CertificateSource.File : CertificateSource.Served;

    private static ChainCertificate Row(ChainInspectionRequest request, InspectionContext context, ChainReport report,
        CertificateNode node, int? position, int? sent, CertificateRole role, CertificateSource source)
    {
        var mine = report.Findings.Where(f => f.Certificate == node.Certificate).ToList();
        var (keyAlgorithm, keySize) = CertificateFacts.Key(node.Parsed);
        context.Revocation.TryGetValue(node, out var revocation);
        return new ChainCertificate
        {
            ComputerName = request.ComputerName,
            Port = request.Port,
            ServerName = request.HostName,
            FilePath = request.FilePaths == null ? null : string.Join(", ", request.FilePaths),
            Position = position,
            SentPosition = sent,
            Role = role,
            Source = source,
            Subject = node.Certificate.Subject,
            Issuer = node.Certificate.Issuer,
            SerialNumber = node.Certificate.SerialNumber,
            CertificateThumbprint = Thumbprints.Sha256(node.Certificate),
            NotBefore = node.Parsed.NotBefore,
            NotAfter = node.Parsed.NotAfter,
            DaysUntilExpiry = (int)Math.Floor((node.Parsed.NotAfter - context.Validation.UtcNow).TotalDays),
            KeyAlgorithm = keyAlgorithm,
            KeySize = keySize,
            KeyCurve = CertificateFacts.Curve(node.Parsed),
            SignatureAlgorithm = CertificateFacts.SignatureAlgorithm(node.Parsed),
            SubjectAlternativeNames = SanText(node),
            Problems = string.Join(", ", mine.Select(f => f.Problem).Distinct()),
            ChainValid = report.ChainValid,
            RepairedChainValid = report.RepairedChainValid,
            ChainProblems = report.ChainProblems,
            RevocationStatus = revocation?.Status ?? RevocationStatus.NotChecked,
            RevocationDetail = revocation?.Detail,
            ProblemDetails = string.Join(" ", mine.Select(f => f.Message)),
            ProblemList = mine.Select(f => f.Problem).Distinct().ToList(),
            Certificate = node.Certificate,
            Chain = report,
        };
    }

    private static string SanText(CertificateNode node)
    {
        var names = SubjectNames.Of(node.Parsed);
        return names.HasSanExtension ? string.Join(", ", names.All) : "";
    }

}
