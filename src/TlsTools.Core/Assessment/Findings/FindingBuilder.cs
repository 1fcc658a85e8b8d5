using System;
using System.Collections.Generic;
using TlsTools.Assessment.Grading;
using TlsTools.Assessment.Profiles;

namespace TlsTools.Assessment.Findings;

/// <summary>Turns the evidence, the grade and the profile verdicts into findings with their fixes. (Placeholder.)</summary>
public static class FindingBuilder
{
    public static IReadOnlyList<AssessmentFinding> Build(ServerEvidence evidence, GradeOutcome grade, IReadOnlyList<ProfileVerdict> profiles) =>
        Array.Empty<AssessmentFinding>();

    /// <summary>The server product named by the Server header or the STARTTLS banner; null when unknown.</summary>
    public static string? InferProduct(ServerEvidence evidence) => null;

    /// <summary>A complete configuration for the profile, for the product when known, otherwise for every product.</summary>
    public static IReadOnlyList<ConfigurationSnippet> RecommendedConfiguration(ProfileConfiguration profile, string? product) =>
        Array.Empty<ConfigurationSnippet>();
}
