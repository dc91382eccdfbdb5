using AutoDeploy.Domain.Validation;
using FluentValidation;

namespace AutoDeploy.Domain.Environments;

public sealed class EnvironmentInputValidator : AbstractValidator<EnvironmentInput>
{
    public EnvironmentInputValidator()
    {
        RuleFor(x => x.Name).DocumentName();
        RuleFor(x => x.Description).MaximumLength(DeploymentEnvironment.MaxDescriptionLength)
            .WithMessage($"Description must be at most {DeploymentEnvironment.MaxDescriptionLength} characters.")
            .NoNulCharacter("Description");
    }
}
