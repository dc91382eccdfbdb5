using AutoDeploy.Domain.Events;
using AutoDeploy.Domain.Validation;
using FluentValidation;

namespace AutoDeploy.Domain.Triggers;

/// <summary>
/// Rules for a project trigger. The message about choosing no events sits on <c>EventGroups</c>, where the
/// editor shows the group checkboxes; unknown names are listed with the names that are allowed.
/// </summary>
public sealed class TriggerInputValidator : AbstractValidator<TriggerInput>
{
    public const string NoEventsMessage = "Choose at least one event group or category.";

    public const string LeaveEventsMessage = "A trigger that runs on other machines fires when a machine leaves: choose an event of "
        + "MachineDeleted, MachineDisabled, MachineUnhealthy or MachineUnavailable (or a group with one).";

    public TriggerInputValidator()
    {
        RuleFor(x => x.Name).DocumentName();
        RuleFor(x => x.Description).MaximumLength(ProjectTrigger.MaxDescriptionLength)
            .WithMessage($"Description must be at most {ProjectTrigger.MaxDescriptionLength} characters.")
            .NoNulCharacter("Description");
        RuleFor(x => x.Roles).Roles();
        RuleFor(x => x.EventGroups)
            .Must((input, groups) => Named(groups).Any() || Named(input.EventCategories).Any())
            .WithMessage(NoEventsMessage);
        RuleFor(x => x.EventGroups)
            .Must(groups => UnknownGroups(groups).Count == 0)
            .WithMessage((_, groups) =>
                $"Unknown event groups: {Quote(UnknownGroups(groups))}. Choose from: {string.Join(", ", EventGroups.Members.Keys)}.");
        RuleFor(x => x.Action).IsInEnum().WithMessage("Choose what the trigger does: DeployRelease or RunOnOtherMachines.");
        RuleFor(x => x.EventGroups)
            .Must((input, groups) => EventGroups.Expand(Named(groups), Named(input.EventCategories)).Overlaps(MachineActivity.Negative))
            .When(x => x.Action == TriggerAction.RunOnOtherMachines && (Named(x.EventGroups).Any() || Named(x.EventCategories).Any()))
            .WithMessage(LeaveEventsMessage);
        RuleFor(x => x.Redeploy).Equal(false).When(x => x.Action == TriggerAction.RunOnOtherMachines)
            .WithMessage("Redeploy applies to a trigger that deploys to the machine; a trigger that runs on other machines runs once per leave.");
        RuleFor(x => x.EventCategories)
            .Must(categories => NotMachineCategories(categories).Count == 0)
            .WithMessage((_, categories) =>
                $"Not machine event categories: {Quote(NotMachineCategories(categories))}. " +
                $"Choose from: {string.Join(", ", EventCategories.Machine)}.");
    }

    public static IReadOnlyList<string> UnknownGroups(IEnumerable<string>? groups) =>
        Named(groups).Where(g => !EventGroups.Members.ContainsKey(g)).Distinct().ToList();

    public static IReadOnlyList<string> NotMachineCategories(IEnumerable<string>? categories) =>
        Named(categories).Where(c => !EventCategories.Machine.Contains(c)).Distinct().ToList();

    private static IEnumerable<string> Named(IEnumerable<string>? names) =>
        (names ?? []).Where(n => !string.IsNullOrWhiteSpace(n)).Select(n => n.Trim());

    private static string Quote(IEnumerable<string> names) => string.Join(", ", names.Select(n => $"'{n}'"));
}
