using AutoDeploy.Domain.Events;
using AutoDeploy.Domain.Deployments;
using AutoDeploy.Domain.Machines;

namespace AutoDeploy.Domain.Triggers;

/// <summary>
/// The auto-deploy engine's rules (docs/architecture.md §4) as one pure function: from the events after the cursor and the
/// state they refer to, the deployments to queue, one explained decision per machine, trigger and environment,
/// and the new cursor. The worker commits all three together; the trigger editor's preview calls it too.
/// </summary>
public static class AutoDeployPlanner
{
    public static AutoDeployPlan Plan(PlannerInput input)
    {
        var context = new PlanningContext(input);
        var activities = MachineActivity.Fold(input.Events);
        foreach (var activity in activities)
        {
            foreach (var trigger in input.Triggers.Where(t => t.IsLeaveHook).OrderBy(t => t.Id))
            {
                if (activity.Leave is { } leave && trigger.Categories.Overlaps(leave.Categories) && context.Subject(activity.MachineId) is { } subject)
                {
                    LeaveHooks.Decide(context, subject, trigger, leave.Events, onlyEnvironment: null, attempt: 1);
                }
            }
            if (context.Machine(activity.MachineId) is not { } machine)
            {
                continue;
            }
            foreach (var trigger in input.Triggers.Where(t => !t.IsLeaveHook).OrderBy(t => t.Id))
            {
                // Events the trigger names but that took the machine away are answered too: it says why nothing happens.
                var eventIds = trigger.Categories.Overlaps(activity.Categories) ? activity.EventIds
                    : activity.Leave is { } leave && trigger.Categories.Overlaps(leave.Categories) ? leave.EventIds
                    : null;
                if (eventIds is not null)
                {
                    DecideForTrigger(context, machine, trigger, eventIds, onlyEnvironment: null, attempt: 1);
                }
            }
        }
        foreach (var waiting in WaitingWhoseDeploymentEnded(input))
        {
            if (context.Machine(waiting.MachineId) is { } machine
                && input.Triggers.FirstOrDefault(t => t.Id == waiting.TriggerId) is { } trigger)
            {
                DecideForTrigger(context, machine, trigger, waiting.EventIds, waiting.EnvironmentId, attempt: 1);
            }
        }
        // A machine with new events starts afresh: its stored retries and its failures in this window give way. A leave
        // hook's retries give way only to the machine coming back: leaving further (unavailable, then deleted) is the same leave.
        var fresh = input.Events.Where(e => e.MachineId is not null && EventCategories.Machine.Contains(e.Category))
            .Select(e => e.MachineId!.Value).ToHashSet();
        var returned = activities.Where(a => a.Leave is null && a.Categories.Overlaps(MachineActivity.Arrival)).Select(a => a.MachineId).ToHashSet();
        bool Supersedes(int machineId, PlannerTrigger trigger) => (trigger.IsLeaveHook ? returned : fresh).Contains(machineId);
        foreach (var retry in input.DueRetries)
        {
            if (input.Triggers.FirstOrDefault(t => t.Id == retry.TriggerId) is not { } trigger || Supersedes(retry.MachineId, trigger))
            {
                continue;
            }
            if (trigger.IsLeaveHook && context.Subject(retry.MachineId) is { } subject)
            {
                LeaveHooks.Decide(context, subject, trigger, input.RetryEvents.Where(e => retry.EventIds.Contains(e.Id)).ToList(),
                    retry.EnvironmentId, retry.Attempt);
            }
            else if (!trigger.IsLeaveHook && context.Machine(retry.MachineId) is { } machine)
            {
                DecideForTrigger(context, machine, trigger, retry.EventIds, retry.EnvironmentId, retry.Attempt);
            }
        }
        var retries = new List<PlannedRetry>();
        foreach (var failed in input.Failed)
        {
            if (input.Triggers.FirstOrDefault(t => t.Id == failed.TriggerId) is { } trigger && !Supersedes(failed.MachineId, trigger)
                && (trigger.IsLeaveHook ? context.Subject(failed.MachineId) : context.Machine(failed.MachineId)) is { } machine
                && context.Project(trigger.ProjectId) is { } project)
            {
                context.Decide(AfterFailure(input, machine, trigger, project, failed, retries));
            }
        }
        var cursor = input.Events.Count == 0 ? input.Cursor : Math.Max(input.Cursor, input.Events.Max(e => e.Id));
        return new AutoDeployPlan(context.Batches(), context.Decisions, cursor) { Retries = retries, Superseded = [.. fresh], Returned = [.. returned] };
    }

    /// <summary>Bounded retries (docs/architecture.md §4): schedule the next attempt after a doubling back-off, or block once all are spent.</summary>
    private static AutoDeployDecision AfterFailure(PlannerInput input, PlannerMachine machine, PlannerTrigger trigger, PlannerProject project,
        FailedAttempt failed, List<PlannedRetry> retries)
    {
        var max = input.Retry.MaxAttempts;
        var failure = trigger.IsLeaveHook
            ? $"the leave hook for '{machine.Name}' ({project.Name} {failed.ReleaseVersion}) failed in deployment #{failed.DeploymentId}"
            : $"{failed.ReleaseVersion} failed on '{machine.Name}' in deployment #{failed.DeploymentId}";
        if (failed.Attempt >= max)
        {
            return new AutoDeployDecision(DecisionKind.Blocked, machine.Id, machine.Name, trigger.Id, trigger.Name, project.Id, failed.EnvironmentId,
                failed.ReleaseId, failed.ReleaseVersion, failed.DeploymentId, failed.EventIds,
                $"Blocked after {failed.Attempt} failures: {failure}. A new event for the machine, or a deployment, unblocks it.", failed.Attempt);
        }
        var due = input.Now + input.Retry.BackoffAfter(failed.Attempt);
        retries.Add(new PlannedRetry(machine.Id, trigger.Id, failed.EnvironmentId, failed.ReleaseId, failed.Attempt + 1, due, failed.EventIds));
        return new AutoDeployDecision(DecisionKind.RetryScheduled, machine.Id, machine.Name, trigger.Id, trigger.Name, project.Id, failed.EnvironmentId,
            failed.ReleaseId, failed.ReleaseVersion, failed.DeploymentId, failed.EventIds,
            $"{failure} (attempt {failed.Attempt} of {max}); attempt {failed.Attempt + 1} at {due:HH:mm:ss} UTC.", failed.Attempt);
    }

    private static void DecideForTrigger(PlanningContext context, PlannerMachine machine, PlannerTrigger trigger, IReadOnlyList<long> eventIds,
        int? onlyEnvironment, int attempt)
    {
        var project = context.Project(trigger.ProjectId);
        if (project is null || !Concerns(trigger, project, machine))
        {
            return;
        }
        foreach (var environmentId in machine.EnvironmentIds.Where(e => onlyEnvironment is null || e == onlyEnvironment))
        {
            context.Decide(WhyNot(machine, trigger, project, environmentId, eventIds, attempt)
                ?? Decide(context, machine, trigger, project, environmentId, eventIds, attempt));
        }
    }

    /// <summary>
    /// The trigger concerns the machine when it names no roles or one of the machine's, or when its project has a step for
    /// the machine's roles: then every decision about it is recorded, "why not" included. A machine outside the trigger's
    /// roles that no step of the project runs on belongs to other projects; a fleet of a hundred projects, each with a
    /// trigger on its own role, would otherwise record a hundred decisions per event.
    /// </summary>
    private static bool Concerns(PlannerTrigger trigger, PlannerProject project, PlannerMachine machine) =>
        trigger.Roles.Count == 0 || machine.Roles.Any(trigger.Roles.Contains) || HasStepFor(project, machine);

    /// <summary>
    /// Why the trigger does not apply to the machine in the environment, if it does not: the trigger or its project
    /// disabled, the machine outside the trigger's environments or roles (<see cref="DecisionKind.NotApplicable"/>), or
    /// the machine disabled, unhealthy or unavailable (<see cref="DecisionKind.NotDeployable"/>).
    /// </summary>
    internal static AutoDeployDecision? WhyNot(PlannerMachine machine, PlannerTrigger trigger, PlannerProject project, int environmentId,
        IReadOnlyList<long> eventIds, int attempt)
    {
        var hook = trigger.IsLeaveHook;
        var (kind, reason) = (trigger, project, machine) switch
        {
            _ when !trigger.IsEnabled => (DecisionKind.NotApplicable, $"trigger '{trigger.Name}' is disabled"),
            _ when !project.IsEnabled => (DecisionKind.NotApplicable, $"project '{project.Name}' is disabled"),
            _ when trigger.EnvironmentIds.Count > 0 && !trigger.EnvironmentIds.Contains(environmentId) =>
                (DecisionKind.NotApplicable, $"the trigger does not name this environment of '{machine.Name}'"),
            _ when trigger.Roles.Count > 0 && !machine.Roles.Any(trigger.Roles.Contains) =>
                (DecisionKind.NotApplicable, $"'{machine.Name}' has {RolesText(machine.Roles)}; the trigger names {RolesText(trigger.Roles)}"),
            _ when !hook && !machine.IsEnabled => (DecisionKind.NotDeployable, $"'{machine.Name}' is disabled"),
            _ when !hook && machine.Health is MachineHealthStatus.Unhealthy or MachineHealthStatus.Unavailable =>
                (DecisionKind.NotDeployable, $"'{machine.Name}' is {machine.Health.ToString().ToLowerInvariant()}"),
            _ => ((DecisionKind?)null, ""),
        };
        return kind is null ? null : new AutoDeployDecision(kind.Value, machine.Id, machine.Name, trigger.Id, trigger.Name, project.Id,
            environmentId, null, null, null, eventIds, $"{(hook ? "Not run" : "Not deployed")}: {reason}; {Cause(trigger, eventIds)}.", attempt);
    }

    private static string RolesText(IReadOnlyList<string> roles) =>
        roles.Count == 0 ? "no role" : $"role{(roles.Count == 1 ? "" : "s")} {string.Join(", ", roles)}";

    internal static string Cause(PlannerTrigger trigger, IReadOnlyList<long> eventIds) =>
        $"{string.Join(", ", eventIds.Select(id => $"#{id}"))} matched trigger '{trigger.Name}'";

    /// <summary>
    /// The machine's environments in which the trigger applies to it, whatever events it raised: the trigger and its
    /// project enabled, the trigger's roles (none: all) and environments (none: all). Also for readiness.
    /// </summary>
    public static IEnumerable<int> EnvironmentsFor(PlannerMachine machine, PlannerTrigger trigger, PlannerProject project)
    {
        if (!project.IsEnabled || !trigger.IsEnabled || (trigger.Roles.Count > 0 && !machine.Roles.Any(trigger.Roles.Contains)))
        {
            return [];
        }
        return machine.EnvironmentIds.Where(e => trigger.EnvironmentIds.Count == 0 || trigger.EnvironmentIds.Contains(e));
    }

    /// <summary>A step of the project runs on one of the machine's roles: otherwise the engine has nothing to deploy to it.</summary>
    public static bool HasStepFor(PlannerProject project, PlannerMachine machine) =>
        project.StepRoles.Any(roles => roles.Any(machine.Roles.Contains));

    /// <summary>The release that belongs in the environment: the override's, else the release of the latest successful deployment there.</summary>
    public static (int Id, string Version)? ReleaseFor(PlannerInput input, int projectId, int environmentId)
    {
        if (input.Overrides.FirstOrDefault(o => o.ProjectId == projectId && o.EnvironmentId == environmentId) is { } pinned)
        {
            return (pinned.ReleaseId, pinned.ReleaseVersion);
        }
        var latest = input.Deployments
            .Where(d => d.ProjectId == projectId && d.EnvironmentId == environmentId && d.State == DeploymentState.Success)
            .MaxBy(d => d.Id);
        return latest is null ? null : (latest.ReleaseId, latest.ReleaseVersion);
    }

    private static AutoDeployDecision Decide(PlanningContext context, PlannerMachine machine, PlannerTrigger trigger, PlannerProject project,
        int environmentId, IReadOnlyList<long> eventIds, int attempt)
    {
        AutoDeployDecision Decision(DecisionKind kind, string reason, (int Id, string Version)? release = null, int? deploymentId = null) =>
            new(kind, machine.Id, machine.Name, trigger.Id, trigger.Name, project.Id, environmentId, release?.Id, release?.Version,
                deploymentId, eventIds, reason, attempt);

        var cause = Cause(trigger, eventIds);
        if (!HasStepFor(project, machine))
        {
            return Decision(DecisionKind.NoMatchingStep,
                $"No step of '{project.Name}' runs on the roles of '{machine.Name}' ({string.Join(", ", machine.Roles)}); {cause}.");
        }
        if (context.RunningWithout(project.Id, environmentId, machine.Id) is { } running)
        {
            return Decision(DecisionKind.WaitingForDeployment,
                $"Deployment #{running.Id} of {running.ReleaseVersion} is running in the environment; '{machine.Name}' is deployed to when it ends; {cause}.",
                (running.ReleaseId, running.ReleaseVersion), running.Id);
        }
        if (context.ReleaseFor(project.Id, environmentId) is not { } release)
        {
            return Decision(DecisionKind.NoRelease,
                $"No release of '{project.Name}' has been deployed to this environment yet and no override is set; {cause}.");
        }
        if (!trigger.Redeploy && context.IsInstalled(machine.Id, project.Id, release.Id))
        {
            return Decision(DecisionKind.AlreadyInstalled, $"'{machine.Name}' already has {release.Version}; {cause}.", release);
        }
        if (context.IsInstalledSince(machine.Id, project.Id, release.Id, eventIds.Max()))
        {
            return Decision(DecisionKind.AlreadyInstalled, $"'{machine.Name}' got {release.Version} from a deployment that ended after the event; {cause}.",
                release);
        }
        if (context.PendingFor(machine.Id, release.Id, environmentId) is { } pending)
        {
            return Decision(DecisionKind.AlreadyPending,
                pending == 0 ? $"{release.Version} is already planned for '{machine.Name}' in this pass; {cause}."
                    : $"Deployment #{pending} of {release.Version} already includes '{machine.Name}'; {cause}.",
                release, pending == 0 ? null : pending);
        }
        context.Plan(project.Id, environmentId, release.Id, trigger.Id, machine.Id, eventIds);
        return Decision(DecisionKind.Queued, $"{release.Version} queued{(attempt > 1 ? $" (attempt {attempt} of {context.Retry.MaxAttempts})" : "")}: {cause}.", release);
    }

    /// <summary>Machines that waited for a deployment that has now ended (its end event is in the window).</summary>
    private static IEnumerable<WaitingMachine> WaitingWhoseDeploymentEnded(PlannerInput input)
    {
        var ended = input.Events.Where(e => e.DeploymentId is not null && EventCategories.DeploymentEnded.Contains(e.Category))
            .Select(e => e.DeploymentId!.Value).ToHashSet();
        return input.Waiting.Where(w => ended.Contains(w.DeploymentId));
    }
}
