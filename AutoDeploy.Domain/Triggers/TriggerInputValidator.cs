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
