using AutoDeploy.Domain.Validation;
using FluentValidation;

namespace AutoDeploy.Domain.Machines;

public sealed class RegistrationRequestValidator : AbstractValidator<RegistrationRequest>
{
    public RegistrationRequestValidator()
    {
        RuleFor(x => x.Name).DocumentName();
        RuleFor(x => x.Environments).NotEmpty().WithMessage("Name at least one environment.");
        RuleForEach(x => x.Environments).NotEmpty().WithMessage("Environment names cannot be empty.")
            .MaximumLength(NameRules.MaxLength).WithMessage($"Environment names are at most {NameRules.MaxLength} characters.")
            .NoNulCharacter("An environment name");
        RuleFor(x => x.Roles).Roles();
        RuleFor(x => x.Policy).MaximumLength(NameRules.MaxLength).WithMessage($"Policy names are at most {NameRules.MaxLength} characters.")
            .NoNulCharacter("The policy name");
        RuleFor(x => x.AgentVersion).MaximumLength(Machine.MaxAgentVersionLength)
            .WithMessage($"The agent version must be at most {Machine.MaxAgentVersionLength} characters.")
            .NoNulCharacter("The agent version");
    }
}
