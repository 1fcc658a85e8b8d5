namespace TlsTools.Assessment.Grading;

/// <summary>SSL Labs SSL Server Rating Guide 2009r. (Placeholder: the rule table replaces it.)</summary>
public static class SslLabsGrader
{
    public static GradeOutcome Grade(ServerEvidence evidence) => new GradeOutcome { NotChecked = new[] { "the grade: not built yet" } };
}
