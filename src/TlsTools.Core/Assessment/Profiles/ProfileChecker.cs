namespace TlsTools.Assessment.Profiles;

/// <summary>Checks a server against one profile configuration. (Placeholder.)</summary>
public static class ProfileChecker
{
    public static ProfileVerdict Check(ServerEvidence evidence, ProfileConfiguration profile) =>
        new ProfileVerdict { Name = profile.Name, Version = profile.Version, Source = profile.Source, Compliant = false };
}
