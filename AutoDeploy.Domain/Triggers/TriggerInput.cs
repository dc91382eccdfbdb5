using AutoDeploy.Domain.Machines;

namespace AutoDeploy.Domain.Triggers;

/// <summary>What a user or API client submits to create or change a project trigger, saved as a whole.</summary>
public sealed class TriggerInput
{
    public string Name { get; set; } = "";
    public string? Description { get; set; }
    public bool IsEnabled { get; set; } = true;

    /// <summary>Empty: every environment.</summary>
    public List<int> EnvironmentIds { get; set; } = [];

    /// <summary>Empty: every role.</summary>
    public List<string> Roles { get; set; } = [];

    /// <summary>Names from <see cref="Events.EventGroups.Members"/>.</summary>
    public List<string> EventGroups { get; set; } = [];

    /// <summary>Machine categories (<see cref="Events.EventCategories.Machine"/>) beyond those of the groups.</summary>
    public List<string> EventCategories { get; set; } = [];

    /// <summary>Deploy even when the machine already has the release.</summary>
    public bool Redeploy { get; set; }

    public TriggerAction Action { get; set; }

    /// <summary>
    /// A copy as it is stored: blank entries dropped, text trimmed, duplicates removed, groups and categories in
    /// their canonical order (unknown names kept at the end, for the validator to name).
    /// </summary>
    public TriggerInput Normalized() => new()
    {
        Name = Name ?? "",
        Description = string.IsNullOrWhiteSpace(Description) ? null : Description.Trim(),
        IsEnabled = IsEnabled,
        EnvironmentIds = [.. (EnvironmentIds ?? []).Distinct().Order()],
        Roles = Machine.NormalizeRoles((Roles ?? []).Where(r => r is not null)),
        EventGroups = Ordered(EventGroups, Events.EventGroups.Members.Keys),
        EventCategories = Ordered(EventCategories, Events.EventCategories.Machine),
        Redeploy = Redeploy,
        Action = Action,
    };

    private static List<string> Ordered(IEnumerable<string>? names, IEnumerable<string> canonical)
    {
        var given = (names ?? []).Where(n => !string.IsNullOrWhiteSpace(n)).Select(n => n.Trim()).Distinct().ToList();
        return [.. canonical.Where(given.Contains), .. given.Except(canonical)];
    }
}
