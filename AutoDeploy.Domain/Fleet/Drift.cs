using AutoDeploy.Domain.Machines;
using AutoDeploy.Domain.Triggers;

namespace AutoDeploy.Domain.Fleet;

/// <summary>
/// Fleet drift (docs/architecture.md §4, "Fleet drift"): for a machine and a project, the release it should have and why,
/// the release it has, and where it stands. Coverage and the release come from the engine's own rules
/// (<see cref="AutoDeployPlanner.EnvironmentsFor"/>, <see cref="AutoDeployPlanner.HasStepFor"/>,
/// <see cref="AutoDeployPlanner.ReleaseFor"/>, <see cref="PlannerInput.PendingFor"/>); the state, in this order: current (it
/// has the release), pending (a queued or running deployment includes it, or gave it its release and runs on), waiting (a retry is stored, or the engine's
/// latest decision waits for a deployment still running), blocked (no release to deploy, or the engine blocked this
/// release), else behind.
/// </summary>
public static class Drift
{
    /// <summary>Every row of the machines: one per machine and project (only <paramref name="projectId"/> if given), in list order.</summary>
    public static IEnumerable<DriftRow> Judge(FleetSnapshot fleet, IEnumerable<PlannerMachine> machines, int? projectId = null,
        int? onlyEnvironment = null)
    {
        var projects = fleet.State.Projects.Where(p => projectId is null || p.Id == projectId).OrderBy(p => p.Id).ToList();
        return machines.OrderBy(m => m.Id).SelectMany(m => projects.Select(p => Judge(fleet, m, p, onlyEnvironment)));
    }

    /// <summary>
    /// The machine and the project, judged in each environment of the machine where an enabled trigger of the project
    /// applies to it (only <paramref name="onlyEnvironment"/> if given); of several, the worst state answers.
    /// </summary>
    public static DriftRow Judge(FleetSnapshot fleet, PlannerMachine machine, PlannerProject project, int? onlyEnvironment = null)
    {
        var held = fleet.Held(machine.Id, project.Id);
        var row = new DriftRow(machine.Id, machine.Name, project.Id, project.Name, DriftState.NotCovered, "")
        {
            HasReleaseId = held?.ReleaseId, HasVersion = held?.Version, HasDeploymentId = held?.DeploymentId,
        };
        var triggers = fleet.TriggersOf(project.Id).ToList();
        var covering = triggers
            .SelectMany(t => AutoDeployPlanner.EnvironmentsFor(machine, t, project).Select(e => (Trigger: t, Environment: e)))
            .Where(c => onlyEnvironment is null || c.Environment == onlyEnvironment)
            .ToList();
        if (covering.Count == 0 || !AutoDeployPlanner.HasStepFor(project, machine))
        {
            return row with { Reason = WhyNotCovered(fleet, machine, project, triggers, covering.Count > 0, onlyEnvironment) };
        }
        return covering.GroupBy(c => c.Environment)
            .Select(g => JudgeIn(fleet, machine, project, g.Key, g.Select(c => c.Trigger).ToList(), row))
            .MaxBy(r => r.State)!;
    }

    /// <summary>
    /// Only rows judged behind or blocked can change with the engine's decisions and retries: a loader may read those
    /// for the machines of such rows alone and judge them again.
    /// </summary>
    public static bool DependsOnDecisions(DriftState state) => state is DriftState.Behind or DriftState.Blocked;

    private static DriftRow JudgeIn(FleetSnapshot fleet, PlannerMachine machine, PlannerProject project, int environmentId,
        IReadOnlyList<PlannerTrigger> triggers, DriftRow row)
    {
        var environment = fleet.EnvironmentName(environmentId);
        var should = fleet.ReleaseFor(project.Id, environmentId);
        var source = should is null ? (ReleaseSource?)null
            : fleet.IsOverridden(project.Id, environmentId) ? ReleaseSource.Override : ReleaseSource.LatestSuccessful;
        var why = source switch
        {
            ReleaseSource.Override => $"The auto-deploy override of {environment}; trigger '{triggers[0].Name}'.",
            ReleaseSource.LatestSuccessful => $"The latest successful deployment to {environment}; trigger '{triggers[0].Name}'.",
            _ => null,
        };
        row = row with
        {
            EnvironmentId = environmentId, EnvironmentName = environment, TriggerId = triggers[0].Id, TriggerName = triggers[0].Name,
            ShouldHaveReleaseId = should?.Id, ShouldHaveVersion = should?.Version, Source = source, Why = why,
        };
        if (should is { } release && row.HasReleaseId == release.Id)
        {
            return row with { State = DriftState.Current, Reason = $"'{machine.Name}' has {release.Version}." };
        }
        // A running deployment that already gave the machine its release still includes it until it ends.
        var giving = fleet.Open(row.HasDeploymentId) is { } running && running.EnvironmentId == environmentId ? running : null;
        if ((fleet.PendingFor(machine.Id, project.Id, environmentId, should?.Id) ?? giving) is { } pending)
        {
            return row with
            {
                State = DriftState.Pending, DeploymentId = pending.Id,
                Reason = $"Deployment #{pending.Id} of {pending.ReleaseVersion} ({pending.State}) includes '{machine.Name}'.",
            };
        }
        var triggerIds = triggers.Select(t => t.Id).ToList();
        var decision = fleet.LatestDecision(machine.Id, environmentId, triggerIds);
        if (fleet.Retry(machine.Id, environmentId, triggerIds) is { } retry)
        {
            return row with
            {
                State = DriftState.Waiting, DecisionId = decision?.EventId, DeploymentId = decision?.DeploymentId,
                Reason = decision?.Kind == nameof(DecisionKind.RetryScheduled) ? decision.Reason
                    : $"The engine tries again at {retry.DueAt:HH:mm:ss} UTC (attempt {retry.Attempt}).",
            };
        }
        // The engine decides again when the deployment it waits for ends; once that has ended, nothing is waited for.
        if (decision is { Kind: nameof(DecisionKind.WaitingForDeployment) } && fleet.Open(decision.DeploymentId) is not null)
        {
            return row with { State = DriftState.Waiting, DecisionId = decision.EventId, DeploymentId = decision.DeploymentId, Reason = decision.Reason };
        }
        if (should is null)
        {
            return row with
            {
                State = DriftState.Blocked, DecisionId = decision is { Kind: nameof(DecisionKind.NoRelease) } ? decision.EventId : null,
                Reason = decision is { Kind: nameof(DecisionKind.NoRelease) } ? decision.Reason
                    : $"No release of '{project.Name}' has been deployed to {environment} yet and no override is set.",
            };
        }
        // A block is about one release: once another belongs in the environment, the engine would try that one.
        if (decision is { Kind: nameof(DecisionKind.Blocked) } && decision.ReleaseId == should.Value.Id)
        {
            return row with { State = DriftState.Blocked, DecisionId = decision.EventId, DeploymentId = decision.DeploymentId, Reason = decision.Reason };
        }
        return row with
        {
            State = DriftState.Behind,
            Reason = $"'{machine.Name}' has {row.HasVersion ?? "no release"}, not {should.Value.Version}, and no deployment is queued for it{Held(machine)}.",
        };
    }

    /// <summary>Why the engine would not deploy to the machine now, if it would not: said beside "behind".</summary>
    private static string Held(PlannerMachine machine) => machine switch
    {
        { IsEnabled: false } => "; it is disabled",
        { Health: MachineHealthStatus.Unhealthy or MachineHealthStatus.Unavailable } => $"; it is {machine.Health}",
        { Health: MachineHealthStatus.Unknown } => "; it has not had its first health check yet",
        _ => "",
    };

    private static string WhyNotCovered(FleetSnapshot fleet, PlannerMachine machine, PlannerProject project, IReadOnlyList<PlannerTrigger> triggers,
        bool covered, int? onlyEnvironment)
    {
        if (!project.IsEnabled)
        {
            return $"'{project.Name}' is disabled.";
        }
        if (!triggers.Any(t => t.IsEnabled))
        {
            return $"'{project.Name}' has no enabled trigger.";
        }
        if (covered)
        {
            return $"No step of '{project.Name}' runs on the roles of '{machine.Name}' ({Roles(machine)}).";
        }
        var environments = onlyEnvironment is { } only ? [only] : machine.EnvironmentIds;
        return $"No enabled trigger of '{project.Name}' applies to '{machine.Name}' in {string.Join(", ", environments.Select(fleet.EnvironmentName))} " +
               $"with roles {Roles(machine)}.";
    }

    private static string Roles(PlannerMachine machine) => machine.Roles.Count == 0 ? "none" : string.Join(", ", machine.Roles);
}
