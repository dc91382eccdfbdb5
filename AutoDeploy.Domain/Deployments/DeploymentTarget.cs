namespace AutoDeploy.Domain.Deployments;

/// <summary>One machine's part in a deployment: how the server knows which release is on which machine.</summary>
public sealed class DeploymentTarget
{
    public long Id { get; set; }
    public int DeploymentId { get; init; }
    public int MachineId { get; init; }
    public string MachineName { get; init; } = "";
    public TargetState State { get; set; }

    /// <summary>Why the machine was skipped or failed.</summary>
    public string? Reason { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }
}

public enum TargetState
{
    Pending,
    Running,
    Success,
    Failed,
    Skipped,
    Canceled,
    TimedOut,
}
