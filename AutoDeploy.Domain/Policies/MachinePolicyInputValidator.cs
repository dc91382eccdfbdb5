using AutoDeploy.Domain.Validation;
using FluentValidation;

namespace AutoDeploy.Domain.Policies;

public sealed class MachinePolicyInputValidator : AbstractValidator<MachinePolicyInput>
{
    public const int MaxDescriptionLength = 2000;
    public const int MaxScriptLength = 100_000;
    public static readonly TimeSpan MinInterval = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan MaxInterval = TimeSpan.FromDays(7);
    public static readonly TimeSpan MaxDeleteAfter = TimeSpan.FromDays(365);

    public MachinePolicyInputValidator()
    {
        RuleFor(x => x.Name).DocumentName();
        RuleFor(x => x.Description).MaximumLength(MaxDescriptionLength)
            .WithMessage($"Description must be at most {MaxDescriptionLength} characters.")
            .NoNulCharacter("Description");
        RuleFor(x => x.HealthCheckInterval).InclusiveBetween(MinInterval, MaxInterval)
            .WithMessage("The health check interval must be between 1 minute and 7 days.");
        RuleFor(x => x.HealthCheckType).IsInEnum()
            .WithMessage($"The health check type must be one of: {Names<HealthCheckType>()}.");
        RuleFor(x => x.HealthCheckScript)
            .Must(script => !string.IsNullOrWhiteSpace(script)).When(x => x.HealthCheckType == HealthCheckType.RunScript)
            .WithMessage("A RunScript health check needs a script.");
        RuleFor(x => x.HealthCheckScript).MaximumLength(MaxScriptLength)
            .WithMessage("The health check script must be at most 100,000 characters.")
            .NoNulCharacter("The health check script");
        RuleFor(x => x.ConnectivityBehavior).IsInEnum()
            .WithMessage($"The connectivity behavior must be one of: {Names<ConnectivityBehavior>()}.");
        RuleFor(x => x.CleanupBehavior).IsInEnum()
            .WithMessage($"The clean-up behavior must be one of: {Names<CleanupBehavior>()}.");
        RuleFor(x => x.DeleteUnavailableAfter)
            .GreaterThanOrEqualTo(TimeSpan.Zero)
            .WithMessage("The time before an unavailable machine is deleted cannot be negative.")
            .LessThanOrEqualTo(MaxDeleteAfter)
            .WithMessage("The time before an unavailable machine is deleted must be at most 365 days.");
        RuleFor(x => x.PackageVersionsToKeep).InclusiveBetween(1, MachinePolicy.MaxPackageVersionsToKeep)
            .WithMessage($"Keep between 1 and {MachinePolicy.MaxPackageVersionsToKeep} versions of each package.");
        RuleFor(x => x.AgentVersionCheck).IsInEnum()
            .WithMessage($"The agent version check must be one of: {Names<AgentVersionCheck>()}.");
    }

    private static string Names<T>() where T : struct, Enum => string.Join(", ", Enum.GetNames<T>());
}
