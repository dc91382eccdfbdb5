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
        foreach (var activity in MachineActivity.Fold(input.Events))
        {
            if (context.Machine(activity.MachineId) is { } machine && IsDeployable(machine))
            {
                foreach (var trigger in input.Triggers.Where(t => t.Categories.Overlaps(activity.Categories)).OrderBy(t => t.Id))
                {
                    DecideForTrigger(context, machine, trigger, activity.EventIds, onlyEnvironment: null, attempt: 1);
                }
            }
        }
        foreach (var waiting in WaitingWhoseDeploymentEnded(input))
        {
            if (context.Machine(waiting.MachineId) is { } machine && IsDeployable(machine)
                && input.Triggers.FirstOrDefault(t => t.Id == waiting.TriggerId) is { } trigger)
            {
                DecideForTrigger(context, machine, trigger, waiting.EventIds, waiting.EnvironmentId, attempt: 1);
            }
        }
        // A machine with new events starts afresh: its stored retries and its failures in this window give way.
        var fresh = input.Events.Where(e => e.MachineId is not null && EventCategories.Machine.Contains(e.Category))
            .Select(e => e.MachineId!.Value).ToHashSet();
        foreach (var retry in input.DueRetries.Where(r => !fresh.Contains(r.MachineId)))
        {
            if (context.Machine(retry.MachineId) is { } machine && IsDeployable(machine)
                && input.Triggers.FirstOrDefault(t => t.Id == retry.TriggerId) is { } trigger)
            {
                DecideForTrigger(context, machine, trigger, retry.EventIds, retry.EnvironmentId, retry.Attempt);
            }
        }
        var retries = new List<PlannedRetry>();
        foreach (var failed in input.Failed.Where(f => !fresh.Contains(f.MachineId)))
        {
            if (context.Machine(failed.MachineId) is { } machine && input.Triggers.FirstOrDefault(t => t.Id == failed.TriggerId) is { } trigger
                && context.Project(trigger.ProjectId) is { } project)
            {
                context.Decide(AfterFailure(input, machine, trigger, project, failed, retries));
            }
        }
        var cursor = input.Events.Count == 0 ? input.Cursor : Math.Max(input.Cursor, input.Events.Max(e => e.Id));
        return new AutoDeployPlan(context.Batches(), context.Decisions, cursor) { Retries = retries, Superseded = [.. fresh] };
    }

    /// <summary>Bounded retries (docs/architecture.md §4): schedule the next attempt after a doubling back-off, or block once all are spent.</summary>
    private static AutoDeployDecision AfterFailure(PlannerInput input, PlannerMachine machine, PlannerTrigger trigger, PlannerProject project,
        FailedAttempt failed, List<PlannedRetry> retries)
    {
        var max = input.Retry.MaxAttempts;
        var failure = $"{failed.ReleaseVersion} failed on '{machine.Name}' in deployment #{failed.DeploymentId}";
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
        if (project is null)
        {
            return;
        }
        foreach (var environmentId in EnvironmentsFor(machine, trigger, project).Where(e => onlyEnvironment is null || e == onlyEnvironment))
        {
            context.Decide(Decide(context, machine, trigger, project, environmentId, eventIds, attempt));
        }
    }

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

        var cause = $"{string.Join(", ", eventIds.Select(id => $"#{id}"))} matched trigger '{trigger.Name}'";
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

    /// <summary>A machine that is enabled and not known to be failing can take a deployment.</summary>
    private static bool IsDeployable(PlannerMachine machine) =>
        machine.IsEnabled && machine.Health is not (MachineHealthStatus.Unhealthy or MachineHealthStatus.Unavailable);
}
