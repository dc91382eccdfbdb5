using FluentValidation;

namespace AutoDeploy.Domain.Validation;

public static class NameRules
{
    public const int MaxLength = 200;

    /// <summary>Required, at most 200 characters once trimmed, and no NUL character.</summary>
    public static IRuleBuilderOptions<T, string> DocumentName<T>(this IRuleBuilder<T, string> rule) =>
        rule.Must(name => !string.IsNullOrWhiteSpace(name)).WithMessage("Name is required.")
            .Must(name => (name ?? "").Trim().Length <= MaxLength)
            .WithMessage($"Name must be at most {MaxLength} characters.")
            .NoNulCharacter("Name");

    /// <summary>
    /// Refuses the NUL character: PostgreSQL cannot store it in text while SQLite can, so without this rule the same input
    /// would be saved on one database and fail with an error on the other.
    /// </summary>
    public static IRuleBuilderOptions<T, TText> NoNulCharacter<T, TText>(this IRuleBuilder<T, TText> rule, string label) where TText : class? =>
        rule.Must(text => text is not string s || !s.Contains('\0')).WithMessage($"{label} cannot contain the NUL character.");
}
