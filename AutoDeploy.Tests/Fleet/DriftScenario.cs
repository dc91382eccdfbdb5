using AutoDeploy.Domain.Deployments;
using AutoDeploy.Domain.Fleet;
using AutoDeploy.Domain.Machines;
using AutoDeploy.Domain.Triggers;
using AutoDeploy.Tests.Triggers;

namespace AutoDeploy.Tests.Fleet;

/// <summary>
/// Builds fleet snapshots by hand: project 1 "Shop" with a web step, its trigger 10 on every environment and role,
/// environments 100 "Production" and 101 "Staging"; machines named machine-{id}.
/// </summary>
internal sealed class DriftScenario
{
    public const int Shop = 1;
    public const int Production = 100;
    public const int Staging = 101;
    public static readonly DateTimeOffset Now = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);

    public List<PlannerProject> Projects { get; } = [new(Shop, "Shop", true, [["web"]])];
    public List<PlannerTrigger> Triggers { get; } = [PlannerScenario.Trigger(10, Shop)];
    public List<PlannerDeployment> Deployments { get; } = [];
    public List<PlannerOverride> Overrides { get; } = [];
    public List<HeldRelease> Held { get; } = [];
    public List<FleetDecision> Decisions { get; } = [];
    public List<FleetRetry> Retries { get; } = [];

    public static PlannerMachine Machine(int id = 1, string role = "web", bool enabled = true, MachineHealthStatus health = MachineHealthStatus.Healthy,
        params int[] environments) =>
        new(id, $"machine-{id}", environments.Length == 0 ? [Production] : environments, [role], enabled, health);

    /// <summary>Deployment <paramref name="id"/> of release <paramref name="releaseId"/> ended or runs in the environment.</summary>
    public DriftScenario Deployment(int id, int releaseId, string version, DeploymentState state = DeploymentState.Success, int environment = Production,
        IReadOnlyList<int>? chosen = null, params PlannerTarget[] targets)
    {
        Deployments.Add(new PlannerDeployment(id, Shop, environment, releaseId, version, state, chosen ?? [], targets));
        return this;
    }

    /// <summary>The machine's latest successful deployment of Shop was <paramref name="deploymentId"/>, of that release.</summary>
    public DriftScenario Has(int machineId, int releaseId, string version, int deploymentId)
    {
        Held.Add(new HeldRelease(machineId, Shop, releaseId, version, deploymentId));
        return this;
    }

    public DriftScenario Decided(long eventId, int machineId, DecisionKind kind, string reason, int? releaseId = null, int? deploymentId = null,
        int environment = Production)
    {
        Decisions.Add(new FleetDecision(eventId, machineId, 10, environment, kind.ToString(), releaseId, deploymentId, reason));
        return this;
    }

    public FleetSnapshot Snapshot() => new(new PlannerInput([], [], Projects, Triggers, Deployments, [], Overrides, [], 0),
        new Dictionary<int, string> { [Production] = "Production", [Staging] = "Staging" }, Held, Decisions, Retries);

    public DriftRow Judge(PlannerMachine machine, int? onlyEnvironment = null) => Drift.Judge(Snapshot(), machine, Projects[0], onlyEnvironment);
}
