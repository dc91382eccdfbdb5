using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace AutoDeploy.Domain.Releases;

/// <summary>A SemVer 2.0 version (major.minor.patch[-prerelease][+build]) ordered by SemVer precedence.</summary>
public sealed partial record SemanticVersion(int Major, int Minor, int Patch, string? Prerelease, string? Build)
    : IComparable<SemanticVersion>
{
    /// <summary>The longest version text a release (and a deployment's copy of it) keeps.</summary>
    public const int MaxLength = 100;

    public static bool TryParse(string? text, [NotNullWhen(true)] out SemanticVersion? version)
    {
        version = null;
        var match = Pattern().Match(text?.Trim() ?? "");
        if (!match.Success
            || !int.TryParse(match.Groups["major"].Value, out var major)
            || !int.TryParse(match.Groups["minor"].Value, out var minor)
            || !int.TryParse(match.Groups["patch"].Value, out var patch))
        {
            return false;
        }
        version = new SemanticVersion(major, minor, patch, NullIfEmpty(match.Groups["pre"].Value), NullIfEmpty(match.Groups["build"].Value));
        return true;
    }

    public static bool IsValid(string? text) => TryParse(text, out _);

    public int CompareTo(SemanticVersion? other)
    {
        if (other is null)
        {
            return 1;
        }
        var core = (Major, Minor, Patch).CompareTo((other.Major, other.Minor, other.Patch));
        if (core != 0)
        {
            return core;
        }
        return (Prerelease, other.Prerelease) switch
        {
            (null, null) => 0,
            (null, _) => 1,
            (_, null) => -1,
            _ => ComparePrerelease(Prerelease, other.Prerelease),
        };
    }

    public override string ToString() =>
        $"{Major}.{Minor}.{Patch}{(Prerelease is null ? "" : "-" + Prerelease)}{(Build is null ? "" : "+" + Build)}";

    private static int ComparePrerelease(string left, string right)
    {
        var a = left.Split('.');
        var b = right.Split('.');
        for (var i = 0; i < Math.Min(a.Length, b.Length); i++)
        {
            var aNumeric = long.TryParse(a[i], out var aNumber);
            var bNumeric = long.TryParse(b[i], out var bNumber);
            var result = (aNumeric, bNumeric) switch
            {
                (true, true) => aNumber.CompareTo(bNumber),
                (true, false) => -1,
                (false, true) => 1,
                _ => string.CompareOrdinal(a[i], b[i]),
            };
            if (result != 0)
            {
                return result;
            }
        }
        return a.Length.CompareTo(b.Length);
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    // From semver.org, with named groups.
    [GeneratedRegex(@"^(?<major>0|[1-9]\d*)\.(?<minor>0|[1-9]\d*)\.(?<patch>0|[1-9]\d*)" +
                    @"(?:-(?<pre>(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?" +
                    @"(?:\+(?<build>[0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$")]
    private static partial Regex Pattern();
}
