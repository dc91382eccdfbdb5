using AutoDeploy.Domain.Deployments;
using AutoDeploy.Domain.Events;
using AutoDeploy.Domain.Machines;

namespace AutoDeploy.Domain.Triggers;

// What the auto-deploy planner reads and decides. The worker loads these from the database; tests build them by hand.

/// <param name="OccurredAt">When it was committed (for the reaction-time metric; the planner does not use it).</param>
public sealed record PlannerEvent(long Id, string Category, int? MachineId = null, int? DeploymentId = null, DateTimeOffset OccurredAt = default);

public sealed record PlannerMachine(int Id, string Name, IReadOnlyList<int> EnvironmentIds, IReadOnlyList<string> Roles, bool IsEnabled,
    MachineHealthStatus Health);

/// <summary>A project as the planner sees it: enabled or not, and the roles of each of its steps.</summary>
public sealed record PlannerProject(int Id, string Name, bool IsEnabled, IReadOnlyList<IReadOnlyList<string>> StepRoles);

public sealed record PlannerTrigger(int Id, int ProjectId, string Name, bool IsEnabled, IReadOnlyList<int> EnvironmentIds,
    IReadOnlyList<string> Roles, IReadOnlySet<string> Categories, bool Redeploy, TriggerAction Action = TriggerAction.DeployRelease)
{
    public bool IsLeaveHook => Action == TriggerAction.RunOnOtherMachines;
}

/// <summary>A release of a project, for a leave hook whose project was never deployed to the environment: the newest.</summary>
public sealed record PlannerRelease(int ProjectId, int ReleaseId, string Version);

/// <summary>The leave hook already ran for the machine's current leave: its decision came after the machine's last arrival.</summary>
public sealed record LeaveHookRun(int MachineId, int TriggerId, long DecisionEventId);

public sealed record PlannerTarget(int MachineId, TargetState State);

/// <summary>A deployment the planner needs: the latest successful ones, those queued or running, and those just finished.</summary>
public sealed record PlannerDeployment(int Id, int ProjectId, int EnvironmentId, int ReleaseId, string ReleaseVersion, DeploymentState State,
    IReadOnlyList<int> ChosenMachineIds, IReadOnlyList<PlannerTarget> Targets);

public sealed record PlannerOverride(int ProjectId, int EnvironmentId, int ReleaseId, string ReleaseVersion);

/// <summary>A machine that arrived while a deployment of its project and environment was running, waiting for it to end.</summary>
public sealed record WaitingMachine(int MachineId, int TriggerId, int EnvironmentId, int DeploymentId, IReadOnlyList<long> EventIds);

/// <summary>
/// What the machine has of a project: the release of its latest successful deployment there, and the id of the
/// event that ended that deployment (0 when unknown), to tell a release that arrived after a trigger's event.
/// </summary>
public sealed record InstalledRelease(int MachineId, int ProjectId, int ReleaseId, long EndedEventId = 0);

/// <summary>
/// A machine that failed an auto-deployment which ended in the window: which attempt it was, so the planner can
/// schedule the next one or block.
/// </summary>
public sealed record FailedAttempt(int DeploymentId, int MachineId, int TriggerId, int EnvironmentId, int ReleaseId, string ReleaseVersion,
    int Attempt, IReadOnlyList<long> EventIds);

/// <summary>A retry whose time has come: decide for the machine and trigger again, as attempt <see cref="Attempt"/>.</summary>
public sealed record DueRetry(long Id, int MachineId, int TriggerId, int EnvironmentId, int Attempt, IReadOnlyList<long> EventIds);

/// <summary>How often a failed auto-deployment is tried in all, and the wait before the first retry (doubled for each next one).</summary>
public sealed record RetryPolicy(int MaxAttempts, TimeSpan FirstBackoff)
{
    public static readonly RetryPolicy Default = new(3, TimeSpan.FromSeconds(30));

    /// <summary>The wait after the given failed attempt: 30 s after the first, 60 s after the second, and so on.</summary>
    public TimeSpan BackoffAfter(int attempt) => FirstBackoff * Math.Pow(2, Math.Max(0, attempt - 1));
}

public sealed record PlannerInput(
    IReadOnlyList<PlannerEvent> Events,
    IReadOnlyList<PlannerMachine> Machines,
    IReadOnlyList<PlannerProject> Projects,
    IReadOnlyList<PlannerTrigger> Triggers,
    IReadOnlyList<PlannerDeployment> Deployments,
    IReadOnlyList<InstalledRelease> Installed,
    IReadOnlyList<PlannerOverride> Overrides,
    IReadOnlyList<WaitingMachine> Waiting,
    long Cursor)
{
    public IReadOnlyList<FailedAttempt> Failed { get; init; } = [];
    public IReadOnlyList<DueRetry> DueRetries { get; init; } = [];
    public DateTimeOffset Now { get; init; }
    public RetryPolicy Retry { get; init; } = RetryPolicy.Default;

    /// <summary>Machines of the events or retries that were deleted, as their MachineDeleted event described them (for leave hooks).</summary>
    public IReadOnlyList<PlannerMachine> Departed { get; init; } = [];

    /// <summary>The newest release of each leave hook's project.</summary>
    public IReadOnlyList<PlannerRelease> NewestReleases { get; init; } = [];

    /// <summary>Leave hooks that already ran for the current leave of a machine of the events.</summary>
    public IReadOnlyList<LeaveHookRun> HookRuns { get; init; } = [];

    /// <summary>The events due leave-hook retries name (their category goes into the hook's variables again).</summary>
    public IReadOnlyList<PlannerEvent> RetryEvents { get; init; } = [];

    /// <summary>The machine's latest successful deployment of the project brought the release.</summary>
    public bool IsInstalled(int machineId, int projectId, int releaseId) =>
        Installed.Any(i => i.MachineId == machineId && i.ProjectId == projectId && i.ReleaseId == releaseId);

    /// <summary>A queued or running deployment of the release to the environment that includes the machine.</summary>
    public PlannerDeployment? PendingFor(int machineId, int releaseId, int environmentId) =>
        Deployments.FirstOrDefault(d => d.ReleaseId == releaseId && d.EnvironmentId == environmentId && Includes(d, machineId));

    private static bool Includes(PlannerDeployment deployment, int machineId) => deployment.State switch
    {
        DeploymentState.Queued => deployment.ChosenMachineIds.Count == 0 || deployment.ChosenMachineIds.Contains(machineId),
        DeploymentState.Executing => deployment.Targets.Any(t => t.MachineId == machineId && t.State is TargetState.Pending or TargetState.Running),
        _ => false,
    };
}

public enum DecisionKind
{
    /// <summary>A deployment is queued for the machine.</summary>
    Queued,

    AlreadyInstalled,
    AlreadyPending,

    /// <summary>A deployment of the project to the environment is running without the machine; it gets its turn when that ends.</summary>
    WaitingForDeployment,

    NoRelease,
    NoMatchingStep,

    /// <summary>The auto-deployment failed on the machine; it is tried again after a back-off.</summary>
    RetryScheduled,

    /// <summary>The auto-deployment failed on the machine as often as the retry policy allows; no more tries until a new event.</summary>
    Blocked,

    /// <summary>A leave hook already ran for this leave of the machine (it left in more than one step, or in several windows).</summary>
    LeaveHandled,

    /// <summary>The trigger does not apply to the machine: the trigger or its project is disabled, or the machine is outside its environments or roles.</summary>
    NotApplicable,

    /// <summary>The trigger applies, but the machine cannot take a deployment: it is disabled, unhealthy or unavailable.</summary>
    NotDeployable,
}

/// <summary>One explained decision per machine, trigger and environment: what the engine did and why.</summary>
public sealed record AutoDeployDecision(
    DecisionKind Kind, int MachineId, string MachineName, int TriggerId, string TriggerName, int ProjectId, int EnvironmentId,
    int? ReleaseId, string? ReleaseVersion, int? DeploymentId, IReadOnlyList<long> EventIds, string Reason, int Attempt = 1)
{
    public bool Triggered => Kind == DecisionKind.Queued;

    /// <summary>
    /// The event category that records this decision: queued, blocked (someone should look), no action needed, or the
    /// trigger not applying to the machine ("why not").
    /// </summary>
    public string Category => Kind switch
    {
        DecisionKind.Queued => EventCategories.AutoDeployTriggered,
        DecisionKind.Blocked or DecisionKind.NoRelease or DecisionKind.NoMatchingStep => EventCategories.AutoDeployBlocked,
        DecisionKind.NotApplicable or DecisionKind.NotDeployable => EventCategories.AutoDeployNotApplicable,
        _ => EventCategories.AutoDeployNoAction,
    };
}

/// <summary>
/// Machines batched into one deployment of a release to an environment; or, with <see cref="Leaving"/>, a leave hook's
/// deployment, which runs on the machines its project's steps name (no machine chosen).
/// </summary>
public sealed record PlannedDeployment(int ProjectId, int EnvironmentId, int ReleaseId, int TriggerId, IReadOnlyList<int> MachineIds,
    IReadOnlyList<long> EventIds)
{
    public LeavingMachine? Leaving { get; init; }
}

/// <summary>A retry to store: attempt <see cref="Attempt"/> for the machine and trigger, due at <see cref="DueAt"/>.</summary>
public sealed record PlannedRetry(int MachineId, int TriggerId, int EnvironmentId, int ReleaseId, int Attempt, DateTimeOffset DueAt,
    IReadOnlyList<long> EventIds);

/// <summary>
/// What a pass decided. <see cref="Superseded"/>: machines with new events in the window, whose stored retries
/// are dropped (their new events start afresh, or took them away).
/// </summary>
public sealed record AutoDeployPlan(IReadOnlyList<PlannedDeployment> Deployments, IReadOnlyList<AutoDeployDecision> Decisions, long NewCursor)
{
    public IReadOnlyList<PlannedRetry> Retries { get; init; } = [];
    public IReadOnlyList<int> Superseded { get; init; } = [];

    /// <summary>Machines that came back in the window: their stored leave-hook retries are dropped (the leave is over).</summary>
    public IReadOnlyList<int> Returned { get; init; } = [];
}
