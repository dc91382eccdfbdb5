using AutoDeploy.Domain.Validation;
using FluentValidation;

namespace AutoDeploy.Domain.Machines;

public sealed class MachineInputValidator : AbstractValidator<MachineInput>
{
    public MachineInputValidator()
    {
        RuleFor(x => x.Name).DocumentName();
        RuleFor(x => x.EnvironmentIds).NotEmpty().WithMessage("Choose at least one environment.");
        RuleFor(x => x.Roles).Roles();
    }
}
