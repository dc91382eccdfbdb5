namespace AutoDeploy.Web.Feed;

/// <summary>What a feed shows; every part is optional and the parts narrow it together.</summary>
public sealed record ActivityFilter
{
    public static readonly ActivityFilter None = new();

    /// <summary>One of <see cref="ActivityGroups.All"/>.</summary>
    public string? Group { get; init; }

    public string? Category { get; init; }
    public int? ProjectId { get; init; }

    /// <summary>Events of the environment and events of its machines.</summary>
    public int? EnvironmentId { get; init; }

    public int? MachineId { get; init; }

    public bool IsEmpty => this == None;

    public bool Matches(ActivityEvent e) =>
        (Group is null || e.Group == Group)
        && (Category is null || e.Category == Category)
        && (ProjectId is null || e.ProjectId == ProjectId)
        && (EnvironmentId is not { } environment || e.EnvironmentIds.Contains(environment))
        && (MachineId is null || e.MachineId == MachineId);
}
