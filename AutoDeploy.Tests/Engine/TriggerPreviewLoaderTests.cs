using AutoDeploy.Domain.Events;
using AutoDeploy.Domain.Triggers;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Engine;
using Microsoft.EntityFrameworkCore;

namespace AutoDeploy.Tests.Engine;

/// <summary>The trigger editor's preview: synthetic events, the database as it is, and the edited trigger, through the real planner.</summary>
public sealed class TriggerPreviewLoaderTests : IAsyncLifetime
{
    private SqliteDatabase _database = null!;
    private EngineScenario _scenario = null!;

    public async Task InitializeAsync()
    {
        _database = await SqliteDatabase.CreateAsync(TimeProvider.System);
        _scenario = await new EngineScenario(_database).StartAsync(stepRole: "web");
        await _scenario.ReleaseAsync("1.0.0");
        var seed = await _scenario.AddMachineAsync("seed");
        await _scenario.DeployAsync("1.0.0", seed);
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task A_healthy_machine_in_an_environment_with_a_successful_deployment_is_queued()
    {
        var machine = await _scenario.AddMachineAsync("web-01");

        var plan = await PreviewAsync(machine);

        var decision = Assert.Single(plan.Decisions);
        Assert.Equal(DecisionKind.Queued, decision.Kind);
        Assert.Equal("1.0.0", decision.ReleaseVersion);
        Assert.Equal([machine], Assert.Single(plan.Deployments).MachineIds);
    }

    [Fact]
    public async Task A_machine_whose_roles_fit_no_step_gets_NoMatchingStep()
    {
        var machine = await _scenario.AddMachineAsync("db-01", role: "db");

        var plan = await PreviewAsync(machine);

        Assert.Equal(DecisionKind.NoMatchingStep, Assert.Single(plan.Decisions).Kind);
        Assert.Empty(plan.Deployments);
    }

    [Fact]
    public async Task Each_machine_gets_its_own_negative_event_and_nothing_is_written()
    {
        var web1 = await _scenario.AddMachineAsync("web-01");
        var web2 = await _scenario.AddMachineAsync("web-02");
        var events = await CountEventsAsync();

        var plan = await PreviewAsync(web1, web2);

        Assert.Equal([[-1L], [-2L]], plan.Decisions.OrderBy(d => d.MachineName).Select(d => d.EventIds.ToArray()));
        Assert.Equal(events, await CountEventsAsync());
        Assert.Empty(await _scenario.QueuedAsync());
    }

    private async Task<AutoDeployPlan> PreviewAsync(params int[] machineIds)
    {
        var events = machineIds.Select((m, i) => new PlannerEvent(-(i + 1), EventCategories.MachineHealthy, m)).ToList();
        var trigger = new PlannerTrigger(0, _scenario.Project.Id, "Preview", true, [], [],
            new HashSet<string> { EventCategories.MachineHealthy }, false);
        await using var db = _database.CreateDbContext();
        var input = await PlannerInputLoader.LoadForPreviewAsync(db, events, trigger, default);
        return AutoDeployPlanner.Plan(input);
    }

    private async Task<int> CountEventsAsync()
    {
        await using var db = _database.CreateDbContext();
        return await db.Events.CountAsync();
    }
}
