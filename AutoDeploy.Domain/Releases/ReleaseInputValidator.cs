using FluentValidation;

namespace AutoDeploy.Domain.Releases;

public sealed class ReleaseInputValidator : AbstractValidator<ReleaseInput>
{
    public ReleaseInputValidator()
    {
        RuleFor(x => x.Version).Cascade(CascadeMode.Stop)
            .Must(version => !string.IsNullOrWhiteSpace(version)).WithMessage("Version is required.")
            .Must(SemanticVersion.IsValid).WithMessage(x => $"'{x.Version.Trim()}' is not a SemVer version such as 1.4.2.");
        RuleFor(x => x.Notes).MaximumLength(Release.MaxNotesLength)
            .WithMessage($"Notes must be at most {Release.MaxNotesLength} characters.");
    }
}
