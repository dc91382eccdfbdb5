using AutoDeploy.Domain.Packages;
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
        RuleForEach(x => x.Packages).Custom((pin, context) =>
        {
            if ((PackageIdentity.IdProblem(pin.Key) ?? PackageIdentity.VersionProblem(pin.Value)) is { } problem)
            {
                context.AddFailure($"{nameof(ReleaseInput.Packages)}[{TextRules.Cut(pin.Key, PackageIdentity.MaxIdLength)}]", problem);
            }
        });
    }
}
