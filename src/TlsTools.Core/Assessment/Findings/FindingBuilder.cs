using System;
using System.Collections.Generic;
using System.Linq;
using TlsTools.Assessment.Grading;
using TlsTools.Assessment.Profiles;

namespace TlsTools.Assessment.Findings;

/// <summary>
/// Turns the evidence, the grade and the profile verdicts into findings with their fixes, and writes the recommended
/// configuration. Everything it says is data: the catalog (findings.tsv) for what a finding is, the cause table
/// (finding-causes.tsv) for what raises it, the product templates for the lines that fix it; this class only joins them.
/// </summary>
public static class FindingBuilder
{
    /// <summary>The section of every product template that holds the complete recommended configuration.</summary>
    public const string RecommendedSection = "Recommended";

    /// <summary>
    /// One finding per problem: the evidence detectors' first, then each chain problem, grade cap and profile deviation
    /// either recorded on the finding that already explains it or raising its own. The fixes are filled from
    /// <paramref name="closest"/> (the profile the server comes closest to); without a profile with data, the findings
    /// carry no configuration lines.
    /// </summary>
    public static IReadOnlyList<AssessmentFinding> Build(ServerEvidence evidence, GradeOutcome grade, IReadOnlyList<ProfileVerdict> profiles,
        ProfileConfiguration? closest = null)
    {
        var context = new DetectionContext { HstsMinAge = closest?.HstsMinAge ?? DetectionContext.DefaultHstsMinAge };
        var found = new Accumulator();

        foreach (var detection in FindingDetectors.Detect(evidence, context))
            found.Detected(detection.Key, detection.Value);
        foreach (var problem in evidence.Chain?.Findings ?? Array.Empty<ChainFinding>())
            found.Caused(FindingCauses.Find(CauseSource.Chain, problem.Problem.ToString()), problem.Message, $"chain {problem.Problem}");
        foreach (var check in evidence.Checks.Where(c => c.Verdict == CheckVerdict.Vulnerable))
            found.Caused(FindingCauses.Find(CauseSource.Check, check.Name), check.Evidence, $"check {check.Name}");
        foreach (var cap in grade.Caps)
            found.Caused(FindingCauses.Find(CauseSource.Grade, cap.Rule), cap.Reason, $"grade {cap.Cap} {cap.Rule}");
        foreach (var deviation in profiles.SelectMany(p => p.Deviations))
            found.Caused(FindingCauses.Find(CauseSource.Profile, deviation.Aspect.ToString()), deviation.Message, $"{deviation.Profile} {deviation.Aspect}");

        var values = ProfileTemplateValues.HasData(closest) ? ProfileTemplateValues.For(closest!, evidence.Target.Port) : null;
        return found.Pending.OrderBy(p => p.Definition.Order).Select(p => ToFinding(p, values)).ToList();
    }

    /// <summary>The server product named by the Server header or the STARTTLS greeting; null when unknown.</summary>
    public static string? InferProduct(ServerEvidence evidence) =>
        ServerProducts.Infer(ServerProducts.Source.Server, evidence.Http?.Server)
        ?? ServerProducts.Infer(ServerProducts.Source.Greeting, evidence.StartTlsGreeting);

    /// <summary>
    /// A complete configuration for the profile, listening on <paramref name="port"/>: for the product when known,
    /// otherwise for every product. Empty when the profile has no data to fill the templates with.
    /// </summary>
    public static IReadOnlyList<ConfigurationSnippet> RecommendedConfiguration(ProfileConfiguration profile, string? product, int port = 443)
    {
        if (!ProfileTemplateValues.HasData(profile)) return Array.Empty<ConfigurationSnippet>();
        var values = ProfileTemplateValues.For(profile, port);
        var products = ServerProducts.Find(product) is { } known ? new[] { known } : ServerProducts.All;
        return products.Select(p => new ConfigurationSnippet
        {
            Product = p.Name,
            For = profile.Name,
            Text = p.Template.Render(RecommendedSection, values) ?? throw new InvalidOperationException($"{p.Template.FileName} has no {RecommendedSection} section."),
        }).ToList();
    }

    private static AssessmentFinding ToFinding(Accumulator.Entry entry, TemplateValues? values)
    {
        var definition = entry.Definition;
        var finding = new AssessmentFinding
        {
            Id = definition.Id,
            Severity = definition.Severity,
            Title = definition.Title,
            Evidence = entry.Evidence,
            Remedy = definition.Remedy,
            Causes = entry.Causes.Count == 0 ? null : string.Join("; ", entry.Causes),
        };
        if (values != null && definition.Fix != FindingCatalog.NoFix)
        {
            var own = values.With(FoundValues(entry.Detection));
            foreach (var product in ServerProducts.All)
                product.SetSnippet(finding, product.Template.Render(definition.Fix, own));
        }
        return finding;
    }

    /// <summary>What the finding is about, for its fix: the versions and suites to switch off (or on), in each spelling.</summary>
    private static TemplateValues FoundValues(Detection? detection)
    {
        var versions = detection?.Versions ?? Array.Empty<TlsProtocol>();
        var suites = detection?.Suites ?? Array.Empty<CipherSupportResult>();
        return new TemplateValues()
            .Set("found_protocols", versions.Select(ProfileTemplateValues.OpenSslName))
            .Set("found_schannel", versions.Select(ProfileTemplateValues.SchannelName))
            .Set("found_openssl", suites.Select(s => s.OpenSslName ?? s.CipherSuite!).Distinct())
            .Set("found_iana", suites.Select(s => s.CipherSuite!).Distinct());
    }

    /// <summary>The findings raised so far, by Id, with their evidence and the causes they answer.</summary>
    private sealed class Accumulator
    {
        private readonly Dictionary<string, Entry> _entries = new Dictionary<string, Entry>(StringComparer.Ordinal);

        public IEnumerable<Entry> Pending => _entries.Values;

        public void Detected(string id, Detection detection) => Get(id).Detection = detection;

        /// <summary>A cause is recorded on the findings that explain it, or raises its own with its sentence as the evidence.</summary>
        public void Caused(FindingCause? row, string sentence, string cause)
        {
            // A cause the table does not know (a rule added without its row) raises nothing; FindingCausesTests keep the table complete.
            if (row == null) return;
            var explainers = row.ExplainedBy.Where(_entries.ContainsKey).ToList();
            if (explainers.Count > 0)
            {
                foreach (var id in explainers) _entries[id].AddCause(cause);
                return;
            }
            var entry = Get(row.Finding);
            entry.AddCause(cause);
            if (!entry.Sentences.Contains(sentence)) entry.Sentences.Add(sentence);
        }

        private Entry Get(string id)
        {
            if (!_entries.TryGetValue(id, out var entry))
                _entries[id] = entry = new Entry(FindingCatalog.Get(id));
            return entry;
        }

        public sealed class Entry
        {
            public Entry(FindingDefinition definition) { Definition = definition; }
            public FindingDefinition Definition { get; }
            public Detection? Detection { get; set; }
            public List<string> Sentences { get; } = new List<string>();
            public List<string> Causes { get; } = new List<string>();
            /// <summary>The wire evidence when a detector saw it, otherwise what the causes said.</summary>
            public string Evidence => Detection?.Evidence ?? string.Join("; ", Sentences);

            public void AddCause(string cause)
            {
                if (!Causes.Contains(cause)) Causes.Add(cause);
            }
        }
    }
}
