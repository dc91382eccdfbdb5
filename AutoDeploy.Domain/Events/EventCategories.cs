namespace AutoDeploy.Domain.Events;

/// <summary>The categories of the Event table, in Octopus's vocabulary (docs/architecture.md §3).</summary>
public static class EventCategories
{
    public const string Created = "Created";
    public const string Modified = "Modified";
    public const string Deleted = "Deleted";

    public const string MachineAdded = "MachineAdded";
    public const string MachineDeleted = "MachineDeleted";
    public const string MachineEnabled = "MachineEnabled";
    public const string MachineDisabled = "MachineDisabled";
    public const string MachineHealthy = "MachineHealthy";
    public const string MachineHasWarnings = "MachineHasWarnings";
    public const string MachineUnhealthy = "MachineUnhealthy";
    public const string MachineUnavailable = "MachineUnavailable";
    public const string MachineCleanupFailed = "MachineCleanupFailed";
    public const string MachineDeploymentRelatedPropertyWasUpdated = "MachineDeploymentRelatedPropertyWasUpdated";

    public const string DeploymentQueued = "DeploymentQueued";
    public const string DeploymentStarted = "DeploymentStarted";
    public const string DeploymentSucceeded = "DeploymentSucceeded";
    public const string DeploymentFailed = "DeploymentFailed";
    public const string DeploymentCanceled = "DeploymentCanceled";
    public const string ReleaseCreated = "ReleaseCreated";
    public const string AutoDeployTriggered = "AutoDeployTriggered";
    public const string AutoDeployBlocked = "AutoDeployBlocked";
    public const string AutoDeployOverrideSet = "AutoDeployOverrideSet";
    public const string AutoDeployOverrideCleared = "AutoDeployOverrideCleared";
    public const string EnrolmentTokenCreated = "EnrolmentTokenCreated";
    public const string EnrolmentTokenUsed = "EnrolmentTokenUsed";
    public const string EnrolmentTokenRevoked = "EnrolmentTokenRevoked";
    public const string AgentUpdated = "AgentUpdated";
    public const string AgentUpdateFailed = "AgentUpdateFailed";

    public static readonly IReadOnlyList<string> Machine =
    [
        MachineAdded, MachineDeleted, MachineEnabled, MachineDisabled, MachineHealthy, MachineHasWarnings,
        MachineUnhealthy, MachineUnavailable, MachineCleanupFailed, MachineDeploymentRelatedPropertyWasUpdated,
    ];

    /// <summary>What the server observes about a machine, as opposed to what a user changed.</summary>
    public static readonly IReadOnlySet<string> Observed = new HashSet<string>
    {
        MachineHealthy, MachineHasWarnings, MachineUnhealthy, MachineUnavailable, MachineCleanupFailed, AgentUpdated, AgentUpdateFailed,
    };

    /// <summary>The categories that end a deployment, whatever its outcome.</summary>
    public static readonly IReadOnlySet<string> DeploymentEnded = new HashSet<string>
    {
        DeploymentSucceeded, DeploymentFailed, DeploymentCanceled,
    };

    public static readonly IReadOnlyList<string> All =
    [
        Created, Modified, Deleted, .. Machine,
        DeploymentQueued, DeploymentStarted, DeploymentSucceeded, DeploymentFailed, DeploymentCanceled,
        ReleaseCreated, AutoDeployTriggered, AutoDeployBlocked, AutoDeployOverrideSet, AutoDeployOverrideCleared,
        EnrolmentTokenCreated, EnrolmentTokenUsed, EnrolmentTokenRevoked, AgentUpdated, AgentUpdateFailed,
    ];
}
