namespace TlsTools.Certificates.Revocation;

/// <summary>One revocation answer for one certificate, with where it came from and the evidence.</summary>
internal sealed class RevocationVerdict
{
    public RevocationVerdict(RevocationStatus status, string? detail)
    {
        Status = status;
        Detail = detail;
    }

    public RevocationStatus Status { get; }
    /// <summary>e.g. "stapled OCSP: good, produced 2026-01-02 10:00 UTC" or "CRL http://...: revoked on ...".</summary>
    /// <summary>Null for <see cref="NotChecked"/>.</summary>
    public string? Detail { get; }
    public bool IsDefinitive => Status == RevocationStatus.Good || Status == RevocationStatus.Revoked;

    public static readonly RevocationVerdict NotChecked = new RevocationVerdict(RevocationStatus.NotChecked, null);
    public static RevocationVerdict Unknown(string detail) => new RevocationVerdict(RevocationStatus.Unknown, detail);
}
