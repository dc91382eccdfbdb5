namespace AutoDeploy.Domain.Triggers;

/// <summary>
/// A retry the engine scheduled after an auto-deployment failed on a machine: when it is due, the engine decides for
/// the machine and trigger again as attempt <see cref="Attempt"/>. The engine deletes the row when it acts on it, or
/// when a new event for the machine starts afresh.
/// </summary>
public sealed class AutoDeployRetry
{
    public long Id { get; set; }
    public int MachineId { get; init; }
    public int TriggerId { get; init; }
    public int EnvironmentId { get; init; }
    public int ReleaseId { get; init; }

    /// <summary>The attempt this retry makes: 2 for the first retry.</summary>
    public int Attempt { get; init; }

    public DateTimeOffset DueAt { get; init; }

    /// <summary>The ids of the events that first caused the auto-deployment, carried into every attempt's explanation.</summary>
    public List<long> EventIds { get; init; } = [];
}
