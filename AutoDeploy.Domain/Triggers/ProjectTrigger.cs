using AutoDeploy.Domain.Events;

namespace AutoDeploy.Domain.Triggers;

/// <summary>
/// "When a machine matching this filter has these events, make sure it has the right release."
/// Empty environment or role lists mean all; groups expand to their categories (<see cref="EventGroups"/>).
/// </summary>
public sealed class ProjectTrigger : Document
{
    public const int MaxDescriptionLength = 2000;

    public override string DocumentType => "Trigger";

    public int ProjectId { get; set; }
    public string? Description { get; set; }
    public bool IsEnabled { get; set; } = true;
    public List<int> EnvironmentIds { get; set; } = [];
    public List<string> Roles { get; set; } = [];
    public List<string> EventGroups { get; set; } = [];
    public List<string> EventCategories { get; set; } = [];

    /// <summary>Deploy even when the machine already has the release.</summary>
    public bool Redeploy { get; set; }

    public IReadOnlySet<string> Categories => Events.EventGroups.Expand(EventGroups, EventCategories);

    public static ProjectTrigger Create(int projectId, string name)
    {
        var trigger = new ProjectTrigger { ProjectId = projectId, EventGroups = [Events.EventGroups.MachineAvailableForDeployment] };
        trigger.Rename(name);
        return trigger;
    }
}
