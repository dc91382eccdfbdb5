using AutoDeploy.Domain.Agents;

namespace AutoDeploy.Domain.Deployments;

/// <summary>One line of a task's log: from a machine's script, or from the server about the task.</summary>
public sealed class TaskLogLine
{
    public const int MaxLength = 10_000;

    /// <summary>Ends a line that was cut at <see cref="MaxLength"/> (by the agent, or by the server after masking).</summary>
    public const string TruncatedMarker = " [line truncated]";

    public long Id { get; set; }
    public int? DeploymentId { get; init; }
    public int? HealthCheckRunId { get; init; }
    public long? JobId { get; init; }
    public int? MachineId { get; init; }
    public DateTimeOffset At { get; init; }
    public LogStream Stream { get; init; }
    public string Text { get; init; } = "";
}
