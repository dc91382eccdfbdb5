using AutoDeploy.Domain.Validation;
using FluentValidation;

namespace AutoDeploy.Domain.Releases;

public sealed class ReleaseInputValidator : AbstractValidator<ReleaseInput>
{
    public ReleaseInputValidator()
    {
        RuleFor(x => x.Version).Cascade(CascadeMode.Stop)
            .Must(version => !string.IsNullOrWhiteSpace(version)).WithMessage("Version is required.")
            .Must(version => version.Trim().Length <= SemanticVersion.MaxLength)
            .WithMessage($"Version must be at most {SemanticVersion.MaxLength} characters.")
            .Must(SemanticVersion.IsValid).WithMessage(x => $"'{x.Version.Trim()}' is not a SemVer version such as 1.4.2.");
        RuleFor(x => x.Notes).MaximumLength(Release.MaxNotesLength)
            .WithMessage($"Notes must be at most {Release.MaxNotesLength} characters.")
            .NoNulCharacter("Notes");
    }
}
