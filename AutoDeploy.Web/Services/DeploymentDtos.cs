using AutoDeploy.Domain.Agents;
using AutoDeploy.Domain.Deployments;

namespace AutoDeploy.Web.Services;

public sealed record DeployRequest(int ReleaseId, int EnvironmentId, List<int>? MachineIds);

public sealed record DeploymentSummary(
    int Id, int ProjectId, string ProjectName, int ReleaseId, string ReleaseVersion, int EnvironmentId, string EnvironmentName,
    DeploymentState State, DateTimeOffset QueuedAt, DateTimeOffset? StartedAt, DateTimeOffset? CompletedAt,
    string QueuedBy, bool CancelRequested, string? FailureReason, string? ExecutingNode = null, DateTimeOffset? LeaseExpiresAt = null,
    string? Warning = null, int? RetryOfDeploymentId = null);

/// <summary>Which deployments a list shows; null means any.</summary>
public sealed record DeploymentFilter(int? ProjectId = null, int? EnvironmentId = null, int? MachineId = null, DeploymentState? State = null);

/// <summary>A deployment with a result per machine, and the deployments that retried it on its failed machines, oldest first.</summary>
public sealed record DeploymentDetails(DeploymentSummary Deployment, IReadOnlyList<TargetResult> Machines, IReadOnlyList<int> RetriedByDeploymentIds)
{
    /// <summary>How far each step of the release has got: running, done, waiting and, for a rolling step, its window.</summary>
    public IReadOnlyList<StepProgress> Steps { get; init; } = [];
}

/// <summary>One machine's result, with one result per step it ran.</summary>
public sealed record TargetResult(int MachineId, string MachineName, TargetState State, string? Reason, IReadOnlyList<StepResult> Steps);

public sealed record StepResult(long JobId, int StepIndex, string StepName, JobState State, int? ExitCode, string? Message,
    DateTimeOffset? StartedAt, DateTimeOffset? CompletedAt);

public sealed record LogLineDto(long Id, DateTimeOffset At, int? MachineId, long? JobId, LogStream Stream, string Text);

public sealed record LogPage(IReadOnlyList<LogLineDto> Lines, long? NextAfter)
{
    /// <summary>Lines in a page when the caller does not say.</summary>
    public const int DefaultTake = 1000;
}

/// <summary>The release of one project that a machine has: its latest successful deployment there, with its packages.</summary>
public sealed record MachineRelease(int ProjectId, string ProjectName, int ReleaseId, string ReleaseVersion, int DeploymentId,
    string EnvironmentName, DateTimeOffset? DeployedAt)
{
    /// <summary>The package versions that release deploys.</summary>
    public IReadOnlyList<PinnedPackage> Packages { get; init; } = [];
}
