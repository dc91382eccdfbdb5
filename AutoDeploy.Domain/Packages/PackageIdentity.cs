using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;
using AutoDeploy.Domain.Releases;
using AutoDeploy.Domain.Validation;

namespace AutoDeploy.Domain.Packages;

/// <summary>
/// A package's id and version, as a file name says them (<c>Shop.Web.1.4.2.zip</c>: id <c>Shop.Web</c>, version
/// <c>1.4.2</c>, a zip) or as given. Ids are letters, digits, '.', '-' and '_', at most <see cref="MaxIdLength"/>,
/// compared without case; versions are SemVer.
/// </summary>
public static partial class PackageIdentity
{
    public const int MaxIdLength = 100;

    public static string Normalize(string id) => id.Trim().ToUpperInvariant();

    /// <summary>A version as the repository keeps it: its SemVer form (1.4.2 for " 1.4.2"), else the text trimmed.</summary>
    public static string NormalVersion(string version) =>
        SemanticVersion.TryParse(version, out var parsed) ? parsed.ToString() : version.Trim();

    /// <summary>What is wrong with the id, or null.</summary>
    public static string? IdProblem(string? id) => id?.Trim() switch
    {
        null or "" => "Give the package id, e.g. Shop.Web.",
        { Length: > MaxIdLength } => $"A package id is at most {MaxIdLength} characters.",
        var text when !IdPattern().IsMatch(text) =>
            "A package id starts with a letter or digit and holds only letters, digits, '.', '-' and '_'.",
        _ => null,
    };

    /// <summary>What is wrong with the version, or null.</summary>
    public static string? VersionProblem(string? version) => version?.Trim() switch
    {
        null or "" => "Give the version, e.g. 1.4.2.",
        { Length: > SemanticVersion.MaxLength } => $"A version is at most {SemanticVersion.MaxLength} characters.",
        var text when !SemanticVersion.IsValid(text) => $"'{TextRules.Cut(text, 40)}' is not a SemVer version such as 1.4.2 or 2.0.0-beta.1.",
        _ => null,
    };

    /// <summary>
    /// Splits <c>Shop.Web.1.4.2</c> (a file name without its ending) at the first dot after which a SemVer version
    /// follows: id <c>Shop.Web</c>, version <c>1.4.2</c>.
    /// </summary>
    public static bool TrySplit(string stem, [NotNullWhen(true)] out string? id, [NotNullWhen(true)] out string? version)
    {
        for (var dot = stem.IndexOf('.'); dot > 0; dot = stem.IndexOf('.', dot + 1))
        {
            var candidate = stem[(dot + 1)..];
            if (char.IsAsciiDigit(candidate.FirstOrDefault()) && SemanticVersion.IsValid(candidate) && IdProblem(stem[..dot]) is null)
            {
                id = stem[..dot];
                version = candidate;
                return true;
            }
        }
        id = version = null;
        return false;
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex IdPattern();
}
