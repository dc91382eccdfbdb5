using AutoDeploy.Domain.Triggers;

namespace AutoDeploy.Web.Services;

/// <summary>A project trigger as screens and the API see it; <see cref="Version"/> guards an update against a stale copy.</summary>
public sealed record TriggerDetails(
    int Id,
    int ProjectId,
    string Name,
    string? Description,
    bool IsEnabled,
    IReadOnlyList<int> EnvironmentIds,
    IReadOnlyList<string> Roles,
    IReadOnlyList<string> EventGroups,
    IReadOnlyList<string> EventCategories,
    bool Redeploy,
    int Version,
    TriggerAction Action = TriggerAction.DeployRelease)
{
    public static TriggerDetails From(ProjectTrigger trigger) => new(
        trigger.Id, trigger.ProjectId, trigger.Name, trigger.Description, trigger.IsEnabled,
        [.. trigger.EnvironmentIds], [.. trigger.Roles], [.. trigger.EventGroups], [.. trigger.EventCategories],
        trigger.Redeploy, trigger.Version, trigger.Action);

    /// <summary>An editable copy: changing it never changes this object.</summary>
    public TriggerInput ToInput() => new()
    {
        Name = Name,
        Description = Description,
        IsEnabled = IsEnabled,
        EnvironmentIds = [.. EnvironmentIds],
        Roles = [.. Roles],
        EventGroups = [.. EventGroups],
        EventCategories = [.. EventCategories],
        Redeploy = Redeploy,
        Action = Action,
    };
}

/// <summary>The project a trigger belongs to, with the environments its filter can name.</summary>
public sealed record TriggerProject(int Id, string Name, IReadOnlyList<EnvironmentOption> Environments);
