using AutoDeploy.Domain.Deployments;

namespace AutoDeploy.Domain.Machines;

/// <summary>A health-check task someone asked for: one machine, or every machine of an environment; it has a log.</summary>
public sealed class HealthCheckRun
{
    public int Id { get; set; }
    public int? EnvironmentId { get; init; }
    public int? MachineId { get; init; }
    public string Title { get; init; } = "";
    public string RequestedBy { get; init; } = "";
    public DateTimeOffset QueuedAt { get; init; }
    public DeploymentState State { get; set; } = DeploymentState.Executing;
    public DateTimeOffset? CompletedAt { get; set; }
    public string? Summary { get; set; }
}
