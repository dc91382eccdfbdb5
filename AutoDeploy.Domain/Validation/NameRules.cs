using FluentValidation;

namespace AutoDeploy.Domain.Validation;

public static class NameRules
{
    public const int MaxLength = 200;

    /// <summary>Required, at most 200 characters once trimmed.</summary>
    public static IRuleBuilderOptions<T, string> DocumentName<T>(this IRuleBuilder<T, string> rule) =>
        rule.Must(name => !string.IsNullOrWhiteSpace(name)).WithMessage("Name is required.")
            .Must(name => (name ?? "").Trim().Length <= MaxLength)
            .WithMessage($"Name must be at most {MaxLength} characters.");
}
