using AutoDeploy.Domain.Deployments;
using AutoDeploy.Domain.Triggers;

namespace AutoDeploy.Domain.Fleet;

/// <summary>The release a machine has of a project: that of its latest successful deployment of the project.</summary>
public sealed record HeldRelease(int MachineId, int ProjectId, int ReleaseId, string Version, int DeploymentId);

/// <summary>
/// The engine's latest decision about a machine for a trigger in an environment: its kind (<see cref="DecisionKind"/>'s
/// name; null when unknown), the release and deployment it names, and its reason.
/// </summary>
public sealed record FleetDecision(long EventId, int MachineId, int TriggerId, int EnvironmentId, string? Kind, int? ReleaseId, int? DeploymentId,
    string Reason);

/// <summary>A retry the engine stored for a machine and trigger (<see cref="AutoDeployRetry"/>).</summary>
public sealed record FleetRetry(int MachineId, int TriggerId, int EnvironmentId, int Attempt, DateTimeOffset DueAt);

/// <summary>
/// What fleet drift is judged from, as the server reads it in a handful of set-based queries: the engine's state in a
/// <see cref="PlannerInput"/> (every project, the triggers, the latest successful deployment per project and environment,
/// the queued and running deployments with their open targets, the overrides), the environments' names, the release each
/// machine has of each project, and the engine's latest decisions and stored retries. Lookups are indexed once, so
/// judging a row costs the same with 10 machines or 10,000.
/// </summary>
public sealed class FleetSnapshot
{
    private readonly IReadOnlyDictionary<int, string> _environmentNames;
    private readonly Dictionary<int, PlannerTrigger[]> _triggers;
    private readonly Dictionary<(int Machine, int Project), HeldRelease> _held;
    private readonly ILookup<(int Machine, int Environment), FleetDecision> _decisions;
    private readonly ILookup<(int Machine, int Environment), FleetRetry> _retries;
    private readonly ILookup<(int Project, int Environment), PlannerDeployment> _open;
    private readonly Dictionary<int, PlannerDeployment> _openById;
    private readonly HashSet<(int Project, int Environment)> _overridden;
    private readonly Dictionary<(int Project, int Environment), (int Id, string Version)?> _releases = [];

    public FleetSnapshot(PlannerInput state, IReadOnlyDictionary<int, string> environmentNames, IEnumerable<HeldRelease> held,
        IEnumerable<FleetDecision>? decisions = null, IEnumerable<FleetRetry>? retries = null)
    {
        State = state;
        _environmentNames = environmentNames;
        _triggers = state.Triggers.Where(t => !t.IsLeaveHook).OrderBy(t => t.Id).GroupBy(t => t.ProjectId).ToDictionary(g => g.Key, g => g.ToArray());
        _held = held.ToDictionary(h => (h.MachineId, h.ProjectId));
        _decisions = (decisions ?? []).ToLookup(d => (d.MachineId, d.EnvironmentId));
        _retries = (retries ?? []).ToLookup(r => (r.MachineId, r.EnvironmentId));
        var open = state.Deployments.Where(d => !d.State.IsFinished()).OrderBy(d => d.Id).ToList();
        _open = open.ToLookup(d => (d.ProjectId, d.EnvironmentId));
        _openById = open.ToDictionary(d => d.Id);
        _overridden = state.Overrides.Select(o => (o.ProjectId, o.EnvironmentId)).ToHashSet();
    }

    /// <summary>The engine's state: projects, triggers, deployments and overrides (no events, machines or installed releases).</summary>
    public PlannerInput State { get; }

    /// <summary>The same state with the engine's decisions and retries, which matter only for rows neither current nor pending.</summary>
    public FleetSnapshot With(IEnumerable<FleetDecision> decisions, IEnumerable<FleetRetry> retries) =>
        new(State, _environmentNames, _held.Values, decisions, retries);

    public string EnvironmentName(int id) => _environmentNames.GetValueOrDefault(id) ?? $"Environment {id}";

    /// <summary>The project's triggers that deploy it to the machines they match (not leave hooks), enabled or not, in id order.</summary>
    public PlannerTrigger[] TriggersOf(int projectId) => _triggers.GetValueOrDefault(projectId) ?? [];

    public HeldRelease? Held(int machineId, int projectId) => _held.GetValueOrDefault((machineId, projectId));

    /// <summary>The release that belongs in the environment (<see cref="AutoDeployPlanner.ReleaseFor"/>), worked out once per pair.</summary>
    public (int Id, string Version)? ReleaseFor(int projectId, int environmentId)
    {
        if (!_releases.TryGetValue((projectId, environmentId), out var release))
        {
            release = AutoDeployPlanner.ReleaseFor(State, projectId, environmentId);
            _releases[(projectId, environmentId)] = release;
        }
        return release;
    }

    public bool IsOverridden(int projectId, int environmentId) => _overridden.Contains((projectId, environmentId));

    /// <summary>
    /// A queued or running deployment of the project to the environment that includes the machine
    /// (<see cref="PlannerInput.PendingFor"/>), one of <paramref name="releaseId"/> first.
    /// </summary>
    public PlannerDeployment? PendingFor(int machineId, int projectId, int environmentId, int? releaseId)
    {
        var open = _open[(projectId, environmentId)];
        return open.Where(d => d.ReleaseId == releaseId).Concat(open.Where(d => d.ReleaseId != releaseId))
            .Select(d => d.ReleaseId).Distinct()
            .Select(release => State.PendingFor(machineId, release, environmentId))
            .FirstOrDefault(d => d is not null);
    }

    /// <summary>The deployment if it is queued or running.</summary>
    public PlannerDeployment? Open(int? deploymentId) => deploymentId is { } id ? _openById.GetValueOrDefault(id) : null;

    /// <summary>The engine's latest decision about the machine in the environment for one of the triggers.</summary>
    public FleetDecision? LatestDecision(int machineId, int environmentId, IReadOnlyCollection<int> triggerIds) =>
        _decisions[(machineId, environmentId)].Where(d => triggerIds.Contains(d.TriggerId)).MaxBy(d => d.EventId);

    /// <summary>A retry stored for the machine in the environment for one of the triggers, the soonest first.</summary>
    public FleetRetry? Retry(int machineId, int environmentId, IReadOnlyCollection<int> triggerIds) =>
        _retries[(machineId, environmentId)].Where(r => triggerIds.Contains(r.TriggerId)).MinBy(r => r.DueAt);
}
