namespace AutoDeploy.Domain.Releases;

/// <summary>Ordering versions (of releases and of packages) by SemVer precedence, and suggesting the next release's.</summary>
public static class ReleaseVersions
{
    public const string First = "0.0.1";

    /// <summary>Highest precedence first; versions equal in precedence (differing only in build metadata) by text.</summary>
    public static IEnumerable<T> NewestFirst<T>(IEnumerable<T> items, Func<T, string> version) =>
        items.Select(item => (Item: item, Version: Parse(version(item))))
            .OrderByDescending(x => x.Version)
            .ThenByDescending(x => x.Version?.Build, StringComparer.Ordinal)
            .Select(x => x.Item);

    /// <summary>
    /// What the next release is probably called: the next patch after the highest version ("1.4.2" → "1.4.3"),
    /// the release of the highest pre-release ("2.0.0-rc.1" → "2.0.0"), or 0.0.1 for the first.
    /// </summary>
    public static string SuggestNext(IEnumerable<string> versions)
    {
        var latest = versions.Select(Parse).OfType<SemanticVersion>().Max();
        return latest switch
        {
            null => First,
            { Prerelease: not null } => new SemanticVersion(latest.Major, latest.Minor, latest.Patch, null, null).ToString(),
            _ => new SemanticVersion(latest.Major, latest.Minor, latest.Patch + 1, null, null).ToString(),
        };
    }

    private static SemanticVersion? Parse(string text) => SemanticVersion.TryParse(text, out var version) ? version : null;
}
