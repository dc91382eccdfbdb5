namespace AutoDeploy.Domain.Fleet;

/// <summary>
/// One machine and one project, judged: the release it should have and why, the release it has, its state and the
/// reason. <see cref="EnvironmentId"/> is the environment the row judges (of a machine in several, the worst); null when
/// no trigger covers the machine.
/// </summary>
public sealed record DriftRow(int MachineId, string MachineName, int ProjectId, string ProjectName, DriftState State, string Reason)
{
    public int? EnvironmentId { get; init; }
    public string? EnvironmentName { get; init; }

    /// <summary>The first enabled trigger of the project that applies to the machine in the environment.</summary>
    public int? TriggerId { get; init; }
    public string? TriggerName { get; init; }

    public int? ShouldHaveReleaseId { get; init; }
    public string? ShouldHaveVersion { get; init; }
    public ReleaseSource? Source { get; init; }

    /// <summary>Why it should have that release, in words: the override or the latest successful deployment, and the trigger.</summary>
    public string? Why { get; init; }

    /// <summary>The release of the machine's latest successful deployment of the project, and that deployment.</summary>
    public int? HasReleaseId { get; init; }
    public string? HasVersion { get; init; }
    public int? HasDeploymentId { get; init; }

    /// <summary>The deployment the state is about: the one that includes it (Pending), is awaited (Waiting) or failed (Blocked).</summary>
    public int? DeploymentId { get; init; }

    /// <summary>The event id of the engine's decision the state comes from, if it comes from one.</summary>
    public long? DecisionId { get; init; }

    /// <summary>Where the row stands in the list (machine, then project): the <c>after</c> of the next page.</summary>
    public string Cursor => FleetCursor.Of(MachineId, ProjectId);
}
