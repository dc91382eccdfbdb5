namespace AutoDeploy.Domain.Events;

/// <summary>One append-only row of the Event table: the audit log and the auto-deploy engine's input.</summary>
public sealed class Event
{
    public long Id { get; init; }
    public DateTimeOffset OccurredAt { get; init; }
    public required string Category { get; init; }
    public required string Actor { get; init; }
    public required string Message { get; init; }
    public string? DocumentType { get; init; }
    public int? DocumentId { get; init; }
    public int? MachineId { get; init; }
    public int? EnvironmentId { get; init; }
    public int? PolicyId { get; init; }
    public int? ProjectId { get; init; }
    public int? ReleaseId { get; init; }
    public int? DeploymentId { get; init; }
    public int? TriggerId { get; init; }
    public string? DetailsJson { get; init; }
}
