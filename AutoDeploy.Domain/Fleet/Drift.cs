using AutoDeploy.Domain.Triggers;

namespace AutoDeploy.Domain.Fleet;

/// <summary>
/// Fleet drift (docs/architecture.md §4, "Fleet drift"): for a machine and a project, the release it should have and why,
/// the release it has, and where it stands. Coverage and the release come from the engine's own rules
/// (<see cref="AutoDeployPlanner.EnvironmentsFor"/>, <see cref="AutoDeployPlanner.HasStepFor"/>,
/// <see cref="AutoDeployPlanner.ReleaseFor"/>, <see cref="PlannerInput.PendingFor"/>); the state, in this order: current (it
/// has the release), pending (a queued or running deployment includes it, or gave it its release and runs on), waiting (a
/// retry is stored, or the engine's latest decision waits for a deployment still running), blocked (no release to deploy,
/// or the engine blocked this release), else behind. <see cref="StateOf"/> and <see cref="Judge(FleetSnapshot, PlannerMachine, PlannerProject, int?)"/>
/// decide alike; only the second writes the row's text.
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
    /// applies to it (only <paramref name="onlyEnvironment"/> if given); of several, the worst state answers, the machine's
    /// first environment on a tie.
    /// </summary>
    public static DriftRow Judge(FleetSnapshot fleet, PlannerMachine machine, PlannerProject project, int? onlyEnvironment = null) =>
        DriftText.Explain(fleet, machine, project, Decide(fleet, machine, project, onlyEnvironment), onlyEnvironment);

    /// <summary>The state <see cref="Judge(FleetSnapshot, PlannerMachine, PlannerProject, int?)"/> gives, without its text: for counting every row.</summary>
    public static DriftState StateOf(FleetSnapshot fleet, PlannerMachine machine, PlannerProject project, int? onlyEnvironment = null) =>
        Decide(fleet, machine, project, onlyEnvironment).State;

    /// <summary>
    /// Only rows judged behind or blocked can change with the engine's decisions and retries: a loader may read those
    /// for the machines of such rows alone and judge them again.
    /// </summary>
    public static bool DependsOnDecisions(DriftState state) => state is DriftState.Behind or DriftState.Blocked;

    private static DriftVerdict Decide(FleetSnapshot fleet, PlannerMachine machine, PlannerProject project, int? onlyEnvironment)
    {
        var triggers = fleet.TriggersOf(project.Id);
        if (!project.IsEnabled)
        {
            return new DriftVerdict(DriftState.NotCovered, Uncovered.ProjectDisabled);
        }
        if (!Array.Exists(triggers, t => t.IsEnabled))
        {
            return new DriftVerdict(DriftState.NotCovered, Uncovered.NoEnabledTrigger);
        }
        DriftVerdict? worst = null;
        foreach (var environmentId in machine.EnvironmentIds)
        {
            if ((onlyEnvironment is { } only && environmentId != only) || FirstCovering(machine, project, triggers, environmentId) is not { } trigger)
            {
                continue;
            }
            if (!AutoDeployPlanner.HasStepFor(project, machine))
            {
                return new DriftVerdict(DriftState.NotCovered, Uncovered.NoStepForRoles);
            }
            var verdict = DecideIn(fleet, machine, project, environmentId, trigger, triggers);
            if (worst is null || verdict.State > worst.Value.State)
            {
                worst = verdict;
            }
        }
        return worst ?? new DriftVerdict(DriftState.NotCovered, Uncovered.NoTriggerApplies);
    }

    private static DriftVerdict DecideIn(FleetSnapshot fleet, PlannerMachine machine, PlannerProject project, int environmentId,
        PlannerTrigger trigger, PlannerTrigger[] triggers)
    {
        var should = fleet.ReleaseFor(project.Id, environmentId);
        var verdict = new DriftVerdict(DriftState.Current, EnvironmentId: environmentId, Trigger: trigger, Should: should);
        var held = fleet.Held(machine.Id, project.Id);
        if (should is { } release && held?.ReleaseId == release.Id)
        {
            return verdict;
        }
        // A running deployment that already gave the machine its release still includes it until it ends.
        var giving = fleet.Open(held?.DeploymentId) is { } running && running.EnvironmentId == environmentId ? running : null;
        if ((fleet.PendingFor(machine.Id, project.Id, environmentId, should?.Id) ?? giving) is { } pending)
        {
            return verdict with { State = DriftState.Pending, Deployment = pending };
        }
        var covering = triggers.Where(t => AutoDeployPlanner.EnvironmentsFor(machine, t, project).Contains(environmentId)).Select(t => t.Id).ToList();
        var decision = fleet.LatestDecision(machine.Id, environmentId, covering);
        if (fleet.Retry(machine.Id, environmentId, covering) is { } retry)
        {
            return verdict with { State = DriftState.Waiting, Retry = retry, Decision = decision };
        }
        // The engine decides again when the deployment it waits for ends; once that has ended, nothing is waited for.
        if (decision is { Kind: nameof(DecisionKind.WaitingForDeployment) } && fleet.Open(decision.DeploymentId) is not null)
        {
            return verdict with { State = DriftState.Waiting, Decision = decision };
        }
        if (should is null)
        {
            return verdict with { State = DriftState.Blocked, Decision = decision is { Kind: nameof(DecisionKind.NoRelease) } ? decision : null };
        }
        // A block is about one release: once another belongs in the environment, the engine would try that one.
        if (decision is { Kind: nameof(DecisionKind.Blocked) } && decision.ReleaseId == should.Value.Id)
        {
            return verdict with { State = DriftState.Blocked, Decision = decision };
        }
        return verdict with { State = DriftState.Behind };
    }

    /// <summary>The first of the project's triggers (in id order) that applies to the machine in the environment.</summary>
    private static PlannerTrigger? FirstCovering(PlannerMachine machine, PlannerProject project, PlannerTrigger[] triggers, int environmentId)
    {
        foreach (var trigger in triggers)
        {
            if (AutoDeployPlanner.EnvironmentsFor(machine, trigger, project).Contains(environmentId))
            {
                return trigger;
            }
        }
        return null;
    }
}
