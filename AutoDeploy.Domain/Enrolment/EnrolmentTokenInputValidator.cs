using AutoDeploy.Domain.Validation;
using FluentValidation;

namespace AutoDeploy.Domain.Enrolment;

public sealed class EnrolmentTokenInputValidator : AbstractValidator<EnrolmentTokenInput>
{
    /// <summary>No token works for ever: one that leaks stops working by itself.</summary>
    public static readonly TimeSpan LongestValidity = TimeSpan.FromDays(365);

    public static readonly TimeSpan ShortestValidity = TimeSpan.FromMinutes(1);

    public const int MostUses = 1_000_000;

    public EnrolmentTokenInputValidator()
    {
        RuleFor(x => x.Name).DocumentName();
        RuleFor(x => x.EnvironmentIds).NotEmpty().WithMessage("Allow at least one environment.");
        RuleFor(x => x.Roles).Roles();
        RuleFor(x => x.PolicyIds).NotEmpty().WithMessage("Allow at least one machine policy.");
        RuleFor(x => x.ValidFor).InclusiveBetween(ShortestValidity, LongestValidity)
            .WithMessage($"A token is valid for at least a minute and at most {LongestValidity.TotalDays:0} days.");
        RuleFor(x => x.MaxUses).InclusiveBetween(1, MostUses).When(x => x.MaxUses is not null)
            .WithMessage($"Uses must be between 1 and {MostUses:N0}, or empty for any number.");
    }
}
