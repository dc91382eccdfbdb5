using AutoDeploy.Bench;

namespace AutoDeploy.Tests.Bench;

/// <summary>The planner benchmark's input is one a real engine would act on: every machine queued, one deployment per trigger.</summary>
public sealed class PlannerSmokeTests
{
    [Fact]
    public void The_benchmarked_page_queues_every_machine_once_per_trigger()
    {
        var benchmark = new PlannerBenchmarks { Events = 10, Triggers = 2 };
        benchmark.Setup();

        var plan = benchmark.Plan();

        Assert.Equal(2, plan.Deployments.Count);
        Assert.Equal(10, plan.Deployments.Sum(d => d.MachineIds.Count));
        Assert.Equal(10, plan.Decisions.Count(d => d.Triggered));
    }
}
