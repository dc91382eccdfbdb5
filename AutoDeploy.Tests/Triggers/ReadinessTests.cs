using AutoDeploy.Domain.Machines;
using AutoDeploy.Domain.Triggers;

namespace AutoDeploy.Tests.Triggers;

public sealed class ReadinessTests
{
    [Fact]
    public void A_machine_no_trigger_matches_is_ready()
    {
        var readiness = Readiness.Judge("web-01", MachineHealthStatus.Healthy, isEnabled: true, []);

        Assert.Equal((ReadinessState.Ready, "'web-01' is ready: no enabled trigger matches it."), (readiness.State, readiness.Summary));
    }

    [Fact]
    public void A_machine_with_every_release_it_should_have_is_ready_and_nothing_deployed_yet_asks_nothing()
    {
        var readiness = Readiness.Judge("web-01", MachineHealthStatus.Healthy, true,
            [Need("Shop", "1.4.2") with { Installed = true }, Need("Search", null)]);

        Assert.Equal(ReadinessState.Ready, readiness.State);
        Assert.Equal("'web-01' is ready: Shop 1.4.2 in Production is installed; no release of Search has been deployed to Production yet " +
                     "(trigger 'web servers').", readiness.Summary);
    }

    [Fact]
    public void A_release_being_deployed_is_waited_for()
    {
        var readiness = Readiness.Judge("web-01", MachineHealthStatus.Healthy, true, [Need("Shop", "1.4.2") with { PendingDeploymentId = 12 }]);

        Assert.Equal((ReadinessState.Waiting, "'web-01' is not ready: Shop 1.4.2 in Production is being deployed (deployment #12)."),
            (readiness.State, readiness.Summary));
    }

    [Fact]
    public void A_machine_not_yet_checked_waits_and_says_so()
    {
        var readiness = Readiness.Judge("web-01", MachineHealthStatus.Unknown, true, [Need("Shop", "1.4.2")]);

        Assert.Equal(ReadinessState.Waiting, readiness.State);
        Assert.EndsWith("is not deployed yet (trigger 'web servers'). The machine has not had its first health check yet.", readiness.Summary);
    }

    [Fact]
    public void A_failure_answers_for_the_machine_even_while_another_release_is_still_being_deployed()
    {
        var readiness = Readiness.Judge("web-01", MachineHealthStatus.Healthy, true,
            [Need("Shop", "1.4.2") with { PendingDeploymentId = 12 }, Need("Search", "2.0.0") with { Failure = "Step 'Install': exit code 3" }]);

        Assert.Equal((ReadinessState.Failed, "'web-01' is not ready: Search 2.0.0 in Production failed: Step 'Install': exit code 3."),
            (readiness.State, readiness.Summary));
    }

    [Fact]
    public void A_block_by_the_engine_answers_before_a_failure()
    {
        var readiness = Readiness.Judge("web-01", MachineHealthStatus.Healthy, true,
            [Need("Shop", "1.4.2") with { Failure = "exit code 1" }, Need("Search", "2.0.0") with { Blocked = "Blocked after 3 failures" }]);

        Assert.Equal(ReadinessState.Blocked, readiness.State);
        Assert.Equal(2, readiness.Items.Count(i => i.State != ReadinessState.Ready));
    }

    [Fact]
    public void A_summary_names_five_reasons_at_most_however_many_triggers_match()
    {
        var needs = Enumerable.Range(1, 8).Select(i => Need($"App{i}", "1.0.0") with { PendingDeploymentId = i }).ToList();

        var readiness = Readiness.Judge("web-01", MachineHealthStatus.Healthy, true, needs);

        Assert.EndsWith("App5 1.0.0 in Production is being deployed (deployment #5); and 3 more.", readiness.Summary);
        Assert.Equal(8, readiness.Items.Count);
    }

    private static ReadinessNeed Need(string project, string? release) => new(project, "web servers", "Production", release);
}
