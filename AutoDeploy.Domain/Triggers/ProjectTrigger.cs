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

    /// <summary>What the trigger does: deploy to the machine that raised the event, or run its project on other machines when one leaves.</summary>
    public TriggerAction Action { get; set; }

    public IReadOnlySet<string> Categories => Events.EventGroups.Expand(EventGroups, EventCategories);

    public static ProjectTrigger Create(int projectId, string name)
    {
        var trigger = new ProjectTrigger { ProjectId = projectId, EventGroups = [Events.EventGroups.MachineAvailableForDeployment] };
        trigger.Rename(name);
        return trigger;
    }
}

/// <summary>What a trigger does when a machine's event matches it.</summary>
public enum TriggerAction
{
    /// <summary>Make sure the machine that raised the event has the release that belongs in its environment.</summary>
    DeployRelease,

    /// <summary>
    /// A leave hook: when a machine leaves (deleted, disabled, unhealthy, unavailable), run the trigger's project in the
    /// machine's environment on the machines its steps name (e.g. "LB deregister" on role <c>lb</c>), with the leaving
    /// machine in the variables.
    /// </summary>
    RunOnOtherMachines,
}
