using System.Text.RegularExpressions;
using FluentValidation;

namespace AutoDeploy.Domain.Validation;

/// <summary>Roles are lower-case tags of letters, digits, '-' and '_'.</summary>
public static partial class RoleRules
{
    public const int MaxLength = 100;

    public static bool IsValid(string role) => role.Length <= MaxLength && RolePattern().IsMatch(role);

    /// <summary>Why one role typed into a form is not a role; null when it is one.</summary>
    public static string? Problem(string role) => IsValid(role)
        ? null
        : $"'{role}' is not a role: use lower-case letters, digits, '-' or '_' (at most {MaxLength} characters).";

    /// <summary>Roles as they are stored: trimmed, without blanks or repeats, in order.</summary>
    public static List<string> Normalize(IEnumerable<string> roles) =>
        roles.Select(r => r.Trim()).Where(r => r.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    public static IRuleBuilderOptions<T, IEnumerable<string>> Roles<T>(this IRuleBuilder<T, IEnumerable<string>> rule) =>
        rule.Must(roles => roles.All(r => IsValid(r.Trim())))
            .WithMessage((_, roles) =>
                $"Roles must be lower-case letters, digits, '-' or '_' (at most {MaxLength} characters): " +
                string.Join(", ", roles.Where(r => !IsValid(r.Trim())).Select(r => $"'{r}'")) + ".");

    [GeneratedRegex("^[a-z0-9_-]+$")]
    private static partial Regex RolePattern();
}
