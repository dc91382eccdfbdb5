using AutoDeploy.Domain.Deployments;
using AutoDeploy.Domain.Events;
using AutoDeploy.Domain.Machines;
using AutoDeploy.Domain.Triggers;
using BenchmarkDotNet.Attributes;

namespace AutoDeploy.Bench;

/// <summary>
/// The pure planner (<see cref="AutoDeployPlanner.Plan"/>) on one page of events: each event a machine becoming
/// healthy, machines spread over one role per trigger, every project with release 1.0.0 succeeded in the environment.
/// </summary>
[MemoryDiagnoser]
public class PlannerBenchmarks
{
    private PlannerInput _input = null!;

    /// <summary>Events in the page (the engine reads 500 at most).</summary>
    [Params(1, 500)]
    public int Events { get; set; }

    [Params(1, 100)]
    public int Triggers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var categories = EventGroups.Expand([EventGroups.MachineAvailableForDeployment], []);
        var events = Enumerable.Range(1, Events).Select(i => new PlannerEvent(1000 + i, EventCategories.MachineHealthy, i)).ToList();
        var machines = Enumerable.Range(1, Events)
            .Select(i => new PlannerMachine(i, $"web-{i:D5}", [1], [Role(i % Triggers)], true, MachineHealthStatus.Healthy)).ToList();
        var projects = Enumerable.Range(0, Triggers).Select(t => new PlannerProject(t + 1, $"Service-{t:D3}", true, [[Role(t)]])).ToList();
        var triggers = Enumerable.Range(0, Triggers)
            .Select(t => new PlannerTrigger(t + 1, t + 1, $"Service-{t:D3} servers", true, [], [Role(t)], categories, false)).ToList();
        var deployments = Enumerable.Range(0, Triggers)
            .Select(t => new PlannerDeployment(t + 1, t + 1, 1, t + 1, "1.0.0", DeploymentState.Success, [], [])).ToList();
        _input = new PlannerInput(events, machines, projects, triggers, deployments, [], [], [], 1000);
    }

    [Benchmark]
    public AutoDeployPlan Plan() => AutoDeployPlanner.Plan(_input);

    private static string Role(int trigger) => $"role-{trigger:D3}";
}
