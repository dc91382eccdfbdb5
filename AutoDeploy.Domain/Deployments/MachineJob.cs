using AutoDeploy.Domain.Agents;

namespace AutoDeploy.Domain.Deployments;

/// <summary>
/// One unit of work for one machine's agent: a deployment step (the result per machine per step)
/// or a health check. The agent claims it by polling, streams its log and reports how it ended.
/// </summary>
public sealed class MachineJob
{
    public long Id { get; set; }
    public int MachineId { get; init; }
    public AgentJobKind Kind { get; init; }
    public int? DeploymentId { get; init; }
    public int? StepIndex { get; init; }

    /// <summary>The health-check task this job belongs to, when someone asked for the check.</summary>
    public int? HealthCheckRunId { get; init; }
    public string Name { get; init; } = "";
    public int TimeoutSeconds { get; init; }
    public JobState State { get; set; }
    public int? ExitCode { get; set; }
    public string? Message { get; set; }
    public bool CancelRequested { get; set; }

    /// <summary>Lines kept in the task log; output past the server's limit is dropped with a notice.</summary>
    public int LogLineCount { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>The agent's last call about this job; a running job without contact for too long has lost its agent.</summary>
    public DateTimeOffset? LastContactAt { get; set; }

    public bool IsFinished => State is not (JobState.Pending or JobState.Running);
}

public enum JobState
{
    Pending,
    Running,
    Succeeded,
    Failed,
    TimedOut,
    Canceled,

    /// <summary>
    /// The machine was lost while the job was pending or running: its agent stopped responding (or never picked the job
    /// up), or the machine was deleted. The deployment skips it or fails it, as the project's connectivity settings say.
    /// </summary>
    Lost,
}
