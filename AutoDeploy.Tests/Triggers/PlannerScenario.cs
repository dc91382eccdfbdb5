using AutoDeploy.Domain.Deployments;
using AutoDeploy.Domain.Events;
using AutoDeploy.Domain.Machines;
using AutoDeploy.Domain.Triggers;

namespace AutoDeploy.Tests.Triggers;

/// <summary>Builds planner inputs: project 1 "Shop" with a web step, trigger 10 on MachineAvailableForDeployment, environment 100.</summary>
internal sealed class PlannerScenario
{
    public const int Shop = 1;
    public const int Production = 100;
    private long _nextEvent = 1000;

    public List<PlannerEvent> Events { get; } = [];
    public List<PlannerMachine> Machines { get; } = [];
    public List<PlannerProject> Projects { get; } = [new(Shop, "Shop", true, [["web"]])];
    public List<PlannerTrigger> Triggers { get; } = [Trigger(10, Shop)];
    public List<PlannerDeployment> Deployments { get; } = [];
    public List<InstalledRelease> Installed { get; } = [];
    public List<PlannerOverride> Overrides { get; } = [];
    public List<WaitingMachine> Waiting { get; } = [];
    public List<FailedAttempt> Failed { get; } = [];
    public List<DueRetry> DueRetries { get; } = [];
    public static DateTimeOffset Now { get; } = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    public const int LoadBalancer = 2;

    /// <summary>Trigger <paramref name="id"/> of project 2 "LB" (a step on role lb): when a web machine leaves, run it on other machines.</summary>
    public PlannerScenario Hook(int id = 20)
    {
        Projects.Add(new PlannerProject(LoadBalancer, "LB", true, [["lb"]]));
        Triggers.Add(new PlannerTrigger(id, LoadBalancer, "LB deregister", true, [], ["web"],
            EventGroups.Expand([EventGroups.MachineUnavailableForDeployment], [EventCategories.MachineDeleted]), false,
            TriggerAction.RunOnOtherMachines));
        NewestReleases.Add(new PlannerRelease(LoadBalancer, 70, "2.0.0"));
        return this;
    }

    public List<PlannerMachine> Departed { get; } = [];
    public List<PlannerRelease> NewestReleases { get; } = [];
    public List<LeaveHookRun> HookRuns { get; } = [];
    public List<PlannerEvent> RetryEvents { get; } = [];

    public static PlannerTrigger Trigger(int id, int projectId, bool redeploy = false, params string[] roles) =>
        new(id, projectId, $"Trigger {id}", true, [], roles, EventGroups.Expand([EventGroups.MachineAvailableForDeployment], []), redeploy);

    public PlannerScenario Machine(int id, string role = "web", MachineHealthStatus health = MachineHealthStatus.Healthy, bool enabled = true)
    {
        Machines.Add(new PlannerMachine(id, $"machine-{id}", [Production], [role], enabled, health));
        return this;
    }

    public long Raise(int machineId, string category)
    {
        var id = _nextEvent++;
        Events.Add(new PlannerEvent(id, category, MachineId: machineId));
        return id;
    }

    public long DeploymentEnded(int deploymentId, string category = EventCategories.DeploymentSucceeded)
    {
        var id = _nextEvent++;
        Events.Add(new PlannerEvent(id, category, DeploymentId: deploymentId));
        return id;
    }

    public PlannerScenario Deployed(int deploymentId, int releaseId, string version, DeploymentState state = DeploymentState.Success,
        params PlannerTarget[] targets)
    {
        Deployments.Add(new PlannerDeployment(deploymentId, Shop, Production, releaseId, version, state, [], targets));
        return this;
    }

    /// <summary>Machine <paramref name="machineId"/> failed auto-deployment <paramref name="deploymentId"/> of release 7 "1.0.0" as the given attempt.</summary>
    public PlannerScenario FailedAttempt(int deploymentId, int machineId, int attempt)
    {
        DeploymentEnded(deploymentId, EventCategories.DeploymentFailed);
        Failed.Add(new FailedAttempt(deploymentId, machineId, 10, Production, 7, "1.0.0", attempt, [1]));
        return this;
    }

    public AutoDeployPlan Plan(long cursor = 0) =>
        AutoDeployPlanner.Plan(new PlannerInput(Events, Machines, Projects, Triggers, Deployments, Installed, Overrides, Waiting, cursor)
        {
            Failed = Failed, DueRetries = DueRetries, Now = Now, Departed = Departed, NewestReleases = NewestReleases, HookRuns = HookRuns,
            RetryEvents = RetryEvents,
        });
}
