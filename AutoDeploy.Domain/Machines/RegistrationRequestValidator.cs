using AutoDeploy.Domain.Validation;
using FluentValidation;

namespace AutoDeploy.Domain.Machines;

public sealed class RegistrationRequestValidator : AbstractValidator<RegistrationRequest>
{
    public RegistrationRequestValidator()
    {
        RuleFor(x => x.Name).DocumentName();
        RuleFor(x => x.Environments).NotEmpty().WithMessage("Name at least one environment.");
        RuleForEach(x => x.Environments).NotEmpty().WithMessage("Environment names cannot be empty.");
        RuleFor(x => x.Roles).Roles();
    }
}
