using System;
using System.Collections.Generic;
using System.Linq;
using TlsTools.Catalog;

namespace TlsTools.Assessment.Profiles;

/// <summary>One server against one configuration: the inputs, and the deviations and unchecked aspects found so far.</summary>
internal sealed class ProfileCheck
{
    readonly List<ProfileDeviation> _deviations = new List<ProfileDeviation>();
    readonly List<string> _notChecked = new List<string>();

    public ProfileCheck(ServerEvidence evidence, ProfileConfiguration profile)
    {
        Evidence = evidence;
        Profile = profile;
        Accepted = evidence.Protocols.Where(p => p.Supported == true).Select(p => p.Protocol).OrderBy(p => p).ToList();
    }

    public ServerEvidence Evidence { get; }
    public ProfileConfiguration Profile { get; }
    /// <summary>The name sentences use: "modern".</summary>
    public string Name => Profile.Name;
    /// <summary>The versions the server accepts, oldest first.</summary>
    public IReadOnlyList<TlsProtocol> Accepted { get; }
    /// <summary>The versions the server accepts that the profile allows: the only ones whose suites and order matter.</summary>
    public IEnumerable<TlsProtocol> AcceptedAndAllowed => Accepted.Where(v => Profile.TlsVersions.Contains(v));

    public IEnumerable<CipherSupportResult> SuitesOf(TlsProtocol version) =>
        Evidence.Suites.Where(s => s.Protocol == version && s.CipherSuite != null);

    public void Deviation(ProfileAspect aspect, string expected, string actual, string message) =>
        _deviations.Add(new ProfileDeviation { Profile = Profile.Name, Aspect = aspect, Expected = expected, Actual = actual, Message = message });

    /// <summary>An aspect that could not be checked, and why: named in the verdict, never a silent pass.</summary>
    public void NotChecked(string aspects, string why) => _notChecked.Add($"{aspects}: {why}");

    public ProfileVerdict Verdict() => new ProfileVerdict
    {
        Name = Profile.Name,
        Version = Profile.Version,
        Source = Profile.Source,
        Compliant = _deviations.Count == 0,
        DeviationCount = _deviations.Count,
        NotChecked = _notChecked.Count == 0 ? null : string.Join("; ", _notChecked),
        Deviations = new ProfileDeviationList(_deviations.ToList()),
    };

    public static string Versions(IEnumerable<TlsProtocol> versions)
    {
        var names = versions.Select(ProtocolVersions.DisplayName).ToList();
        return names.Count == 0 ? "none" : string.Join(", ", names);
    }

    public static string List(IEnumerable<string> items)
    {
        var list = items.ToList();
        return list.Count == 0 ? "none" : string.Join(", ", list);
    }
}
