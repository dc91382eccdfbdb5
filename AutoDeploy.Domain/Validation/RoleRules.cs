using System.Text.RegularExpressions;
using FluentValidation;

namespace AutoDeploy.Domain.Validation;

/// <summary>Roles are lower-case tags of letters, digits, '-' and '_'.</summary>
public static partial class RoleRules
{
    public const int MaxLength = 100;

    public static bool IsValid(string role) => role.Length <= MaxLength && RolePattern().IsMatch(role);

    public static IRuleBuilderOptions<T, IEnumerable<string>> Roles<T>(this IRuleBuilder<T, IEnumerable<string>> rule) =>
        rule.Must(roles => roles.All(r => IsValid(r.Trim())))
            .WithMessage((_, roles) =>
                $"Roles must be lower-case letters, digits, '-' or '_' (at most {MaxLength} characters): " +
                string.Join(", ", roles.Where(r => !IsValid(r.Trim())).Select(r => $"'{r}'")) + ".");

    [GeneratedRegex("^[a-z0-9_-]+$")]
    private static partial Regex RolePattern();
}
