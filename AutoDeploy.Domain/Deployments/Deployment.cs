using AutoDeploy.Domain.Environments;
using AutoDeploy.Domain.Events;
using AutoDeploy.Domain.Projects;
using AutoDeploy.Domain.Releases;
using AutoDeploy.Domain.Validation;

namespace AutoDeploy.Domain.Deployments;

/// <summary>A release sent to an environment (optionally to chosen machines), run as a task with a result per machine.</summary>
public sealed class Deployment : EventSource
{
    public override string DocumentType => "Deployment";

    public int ProjectId { get; private set; }
    public int ReleaseId { get; private set; }
    public int EnvironmentId { get; private set; }
    public string ProjectName { get; private set; } = "";
    public string ReleaseVersion { get; private set; } = "";
    public string EnvironmentName { get; private set; } = "";
    public DeploymentState State { get; private set; }
    public DateTimeOffset QueuedAt { get; private set; }
    public DateTimeOffset? StartedAt { get; private set; }
    public DateTimeOffset? CompletedAt { get; private set; }

    /// <summary>Empty: every matching machine of the environment.</summary>
    public List<int> ChosenMachineIds { get; private set; } = [];

    public string QueuedBy { get; private set; } = "";
    public int? TriggerId { get; private set; }

    /// <summary>The deployment this one retries on its failed machines (see <see cref="QueueRetry"/>); null for any other.</summary>
    public int? RetryOfDeploymentId { get; private set; }
    public bool CancelRequested { get; private set; }
    public string? FailureReason { get; private set; }

    /// <summary>What a deployment that succeeded still wants noticed: the machines it skipped (see DeploymentOutcome.Warn).</summary>
    public string? Warning { get; private set; }

    /// <summary>A leave hook's deployment: the machine that left, for the scripts' variables; it does not run on that machine.</summary>
    public LeavingMachine? Leaving { get; private set; }

    /// <summary>The server node running the deployment while it is Executing (see the server's deployment leases).</summary>
    public string? ExecutingNode { get; private set; }

    /// <summary>Until when <see cref="ExecutingNode"/> holds the deployment without renewing; after that another node may fail it.</summary>
    public DateTimeOffset? LeaseExpiresAt { get; private set; }

    public static Deployment Queue(Project project, Release release, DeploymentEnvironment environment,
        IEnumerable<int> chosenMachineIds, string queuedBy, int? triggerId, DateTimeOffset now, LeavingMachine? leaving = null)
    {
        var deployment = Create(project, release, environment, chosenMachineIds, queuedBy, triggerId, now);
        deployment.Leaving = leaving;
        deployment.Raise(EventCategories.DeploymentQueued, leaving is null ? $"queued by {queuedBy}"
            : $"queued by {queuedBy}: '{leaving.Name}' left ({leaving.EventCategory} #{leaving.EventId})");
        return deployment;
    }

    /// <summary>
    /// A new deployment of the release that <paramref name="plan"/> retries, to the same environment, on the machines the
    /// plan chose (those that failed or timed out and still exist), linked to it by <see cref="RetryOfDeploymentId"/>.
    /// </summary>
    public static Deployment QueueRetry(RetryPlan plan, Project project, Release release, DeploymentEnvironment environment,
        string queuedBy, DateTimeOffset now)
    {
        if (!plan.CanRetry)
        {
            throw new InvalidOperationException(plan.Refusal);
        }
        var of = plan.Of;
        if (project.Id != of.ProjectId || release.Id != of.ReleaseId || environment.Id != of.EnvironmentId)
        {
            throw new ArgumentException($"A retry deploys release {of.ReleaseId} of project {of.ProjectId} to environment {of.EnvironmentId}, as deployment {of.Id} did.");
        }
        var deployment = Create(project, release, environment, plan.MachineIds, queuedBy, null, now);
        deployment.RetryOfDeploymentId = of.Id;
        // A leave hook's retry still answers the same leave: its scripts get the same leaving machine.
        deployment.Leaving = of.Leaving;
        deployment.Raise(EventCategories.DeploymentQueued,
            $"queued by {queuedBy} as a retry of deployment {of.Id} on its failed machines: {plan.Describe()}",
            new { retryOfDeploymentId = of.Id, machineIds = plan.MachineIds, leftOutMachineIds = plan.Gone.Select(t => t.MachineId).ToList() });
        return deployment;
    }

    private static Deployment Create(Project project, Release release, DeploymentEnvironment environment,
        IEnumerable<int> chosenMachineIds, string queuedBy, int? triggerId, DateTimeOffset now) => new()
    {
        ProjectId = project.Id,
        ReleaseId = release.Id,
        EnvironmentId = environment.Id,
        ProjectName = project.Name,
        ReleaseVersion = release.Version,
        EnvironmentName = environment.Name,
        State = DeploymentState.Queued,
        QueuedAt = now,
        ChosenMachineIds = chosenMachineIds.Distinct().Order().ToList(),
        QueuedBy = queuedBy,
        TriggerId = triggerId,
    };

    public string Title => $"Deploy {ProjectName} {ReleaseVersion} to {EnvironmentName}";

    public void Start(DateTimeOffset now)
    {
        State = DeploymentState.Executing;
        StartedAt = now;
        Raise(EventCategories.DeploymentStarted, "started");
    }

    public void RequestCancel()
    {
        if (!State.IsFinished())
        {
            CancelRequested = true;
        }
    }

    /// <summary>Ends the deployment; a reason is required for anything but success, a warning is kept whatever the state.</summary>
    public void Finish(DeploymentState state, string? reason, DateTimeOffset now, string? warning = null)
    {
        if (!state.IsFinished())
        {
            throw new ArgumentException($"{state} is not a final state.", nameof(state));
        }
        State = state;
        CompletedAt = now;
        reason = reason is null ? null : TextRules.Cut(reason);
        FailureReason = state == DeploymentState.Success ? null : reason;
        Warning = warning is null ? null : TextRules.Cut(warning);
        var category = state switch
        {
            DeploymentState.Success => EventCategories.DeploymentSucceeded,
            DeploymentState.Canceled => EventCategories.DeploymentCanceled,
            _ => EventCategories.DeploymentFailed,
        };
        Raise(category, state == DeploymentState.Success
            ? Warning is null ? "succeeded" : $"succeeded; {Warning}"
            : $"{state.ToString().ToLowerInvariant()}: {reason}");
    }

    private void Raise(string category, string what, object? details = null) =>
        Raise(new DomainEvent(category, $"{Title} {what}",
            new EventLinks(EnvironmentId: EnvironmentId, ProjectId: ProjectId, ReleaseId: ReleaseId, TriggerId: TriggerId), details));
}
