using System;
using System.Collections.Generic;

namespace TlsTools.Assessment.Grading;

/// <summary>The grade of one server and how it came about.</summary>
public sealed class GradeOutcome
{
    /// <summary>A+ .. F, T or M; null when nothing could be graded.</summary>
    public string? Grade { get; set; }
    /// <summary>The letter with the trust caps (T, M) left out: what SSL Labs shows as "if trust issues are ignored".</summary>
    public string? GradeIgnoringTrust { get; set; }
    public int? Score { get; set; }
    public int? ProtocolScore { get; set; }
    public int? KeyExchangeScore { get; set; }
    public int? CipherScore { get; set; }
    /// <summary>Every cap and warning that applied, in table order.</summary>
    public IReadOnlyList<GradeCap> Caps { get; set; } = Array.Empty<GradeCap>();
    /// <summary>Checks that can cap the grade and did not run, each with why ("Heartbleed: the vulnerability probes are not part of this release").</summary>
    public IReadOnlyList<string> NotChecked { get; set; } = Array.Empty<string>();
}
