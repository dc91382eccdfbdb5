using AutoDeploy.Domain.Deployments;
using AutoDeploy.Domain.Events;

namespace AutoDeploy.Domain.Triggers;

/// <summary>The lookups and the growing plan of one planner pass.</summary>
internal sealed class PlanningContext(PlannerInput input)
{
    private readonly Dictionary<int, PlannerMachine> _machines = input.Machines.ToDictionary(m => m.Id);
    private readonly Dictionary<int, PlannerProject> _projects = input.Projects.ToDictionary(p => p.Id);
    private readonly Dictionary<(int Project, int Environment, int Release), (int Trigger, List<int> Machines, List<long> Events)> _batches = [];
    private readonly List<AutoDeployDecision> _decisions = [];
    private readonly Dictionary<int, PlannerMachine> _departed = input.Departed.ToDictionary(m => m.Id);
    private readonly List<PlannedDeployment> _hooks = [];

    public IReadOnlyList<AutoDeployDecision> Decisions => _decisions;

    public RetryPolicy Retry => input.Retry;

    public PlannerMachine? Machine(int id) => _machines.GetValueOrDefault(id);

    public PlannerProject? Project(int id) => _projects.GetValueOrDefault(id);

    /// <summary>The machine a leave hook answers: as it is, or as it was when it was deleted.</summary>
    public PlannerMachine? Subject(int id) => _machines.GetValueOrDefault(id) ?? _departed.GetValueOrDefault(id);

    /// <summary>The decision event id of the leave hook that already ran for the machine's current leave, if one did.</summary>
    public long? HookRan(int machineId, int triggerId) =>
        input.HookRuns.FirstOrDefault(r => r.MachineId == machineId && r.TriggerId == triggerId)?.DecisionEventId
        ?? (_hooks.Any(h => h.Leaving!.MachineId == machineId && h.TriggerId == triggerId) ? 0 : null);

    public PlannerRelease? NewestRelease(int projectId) => input.NewestReleases.FirstOrDefault(r => r.ProjectId == projectId);

    /// <summary>A leave hook's deployment: one per leave, never batched with another.</summary>
    public void PlanHook(PlannedDeployment hook) => _hooks.Add(hook);

    public void Decide(AutoDeployDecision decision) => _decisions.Add(decision);

    /// <summary>The override's release, else the release of the latest successful deployment of the project to the environment.</summary>
    public (int Id, string Version)? ReleaseFor(int projectId, int environmentId) => AutoDeployPlanner.ReleaseFor(input, projectId, environmentId);

    public bool IsInstalled(int machineId, int projectId, int releaseId) => input.IsInstalled(machineId, projectId, releaseId);

    /// <summary>
    /// The machine got the release from a deployment that ended after the event: that deployment already answered
    /// the event (it was running, or started, when the event happened), so even a redeploying trigger has nothing to do.
    /// Deciding by event ids keeps the answer the same however late the engine reads the event.
    /// </summary>
    public bool IsInstalledSince(int machineId, int projectId, int releaseId, long eventId) =>
        input.Installed.Any(i => i.MachineId == machineId && i.ProjectId == projectId && i.ReleaseId == releaseId && i.EndedEventId > eventId);

    /// <summary>A deployment of the project to the environment that is running without the machine among its targets.</summary>
    public PlannerDeployment? RunningWithout(int projectId, int environmentId, int machineId) =>
        input.Deployments.FirstOrDefault(d => d.ProjectId == projectId && d.EnvironmentId == environmentId
            && d.State == DeploymentState.Executing && d.Targets.All(t => t.MachineId != machineId));

    /// <summary>The id of a queued or running deployment of the release that includes the machine; 0 when this pass planned it already.</summary>
    public int? PendingFor(int machineId, int releaseId, int environmentId)
    {
        if (input.PendingFor(machineId, releaseId, environmentId) is { } existing)
        {
            return existing.Id;
        }
        return _batches.Any(b => b.Key.Release == releaseId && b.Key.Environment == environmentId && b.Value.Machines.Contains(machineId)) ? 0 : null;
    }

    public void Plan(int projectId, int environmentId, int releaseId, int triggerId, int machineId, IReadOnlyList<long> eventIds)
    {
        var key = (projectId, environmentId, releaseId);
        if (!_batches.TryGetValue(key, out var batch))
        {
            batch = (triggerId, [], []);
            _batches[key] = batch;
        }
        batch.Machines.Add(machineId);
        batch.Events.AddRange(eventIds.Where(id => !batch.Events.Contains(id)));
    }

    public IReadOnlyList<PlannedDeployment> Batches() => _batches
        .Select(b => new PlannedDeployment(b.Key.Project, b.Key.Environment, b.Key.Release, b.Value.Trigger, b.Value.Machines, b.Value.Events))
        .Concat(_hooks)
        .ToList();
}
