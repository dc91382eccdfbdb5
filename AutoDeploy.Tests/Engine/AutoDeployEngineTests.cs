using AutoDeploy.Domain.Deployments;
using AutoDeploy.Domain.Events;
using AutoDeploy.Domain.Machines;
using AutoDeploy.Domain.Projects;
using AutoDeploy.Domain.Triggers;
using AutoDeploy.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace AutoDeploy.Tests.Engine;

/// <summary>The Octopus regressions again, through the engine on a real database rather than the bare planner.</summary>
public sealed class AutoDeployEngineTests : IAsyncLifetime
{
    private SqliteDatabase _database = null!;
    private EngineScenario _scenario = null!;

    public async Task InitializeAsync()
    {
        _database = await SqliteDatabase.CreateAsync(TimeProvider.System);
        _scenario = await new EngineScenario(_database).StartAsync();
        await _scenario.ReleaseAsync("1.0.0");
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Octopus_2591_only_the_machine_that_raised_an_event_is_deployed_to()
    {
        var old = await _scenario.AddMachineAsync("old");
        await _scenario.DeployAsync("1.0.0", old);
        await _scenario.RunEngineAsync();
        var idle = await _scenario.AddMachineAsync("idle", healthy: false);
        await _scenario.RunEngineAsync();

        var fresh = await _scenario.AddMachineAsync("fresh");
        await _scenario.RunEngineAsync();

        Assert.Equal([$"1.0.0: {fresh}"], await _scenario.QueuedAsync());
        Assert.Empty(await _scenario.DecisionsAsync(idle));
    }

    [Fact]
    public async Task The_triggers_of_an_archived_project_are_ignored_until_it_is_restored()
    {
        var seed = await _scenario.AddMachineAsync("seed");
        await _scenario.DeployAsync("1.0.0", seed);
        await _scenario.RunEngineAsync();
        await ArchivedAsync(p => p.Archive());

        var whileArchived = await _scenario.AddMachineAsync("while-archived");
        await _scenario.RunEngineAsync();

        Assert.Empty(await _scenario.QueuedAsync());
        Assert.Empty(await _scenario.DecisionsAsync(whileArchived));

        await ArchivedAsync(p => p.Restore());
        var afterwards = await _scenario.AddMachineAsync("afterwards");
        await _scenario.RunEngineAsync();

        Assert.Equal([$"1.0.0: {afterwards}"], await _scenario.QueuedAsync());
    }

    [Fact]
    public async Task Octopus_2901_a_machine_added_changed_and_healthy_in_one_window_is_queued_once()
    {
        var seed = await _scenario.AddMachineAsync("seed");
        await _scenario.DeployAsync("1.0.0", seed);
        await _scenario.RunEngineAsync();
        var machine = await _scenario.AddMachineAsync("web-01", healthy: false);
        await _scenario.ChangeAsync(machine, m => m.Disable());
        await _scenario.ChangeAsync(machine, m => m.Enable());
        await _scenario.ChangeAsync(machine, m => m.RecordHealth(MachineHealthStatus.Healthy, null, DateTimeOffset.UtcNow));

        await _scenario.RunEngineAsync();

        Assert.Equal([$"1.0.0: {machine}"], await _scenario.QueuedAsync());
        Assert.Single(await _scenario.DecisionsAsync(machine));
    }

    [Fact]
    public async Task A_machine_the_trigger_cannot_deploy_to_gets_a_recorded_why_not()
    {
        var seed = await _scenario.AddMachineAsync("seed");
        await _scenario.DeployAsync("1.0.0", seed);
        await _scenario.RunEngineAsync();
        var machine = await _scenario.AddMachineAsync("web-02", healthy: false);
        await _scenario.ChangeAsync(machine, m => m.Disable());
        await _scenario.ChangeAsync(machine, m => m.RecordHealth(MachineHealthStatus.Healthy, null, DateTimeOffset.UtcNow));

        await _scenario.RunEngineAsync();

        Assert.Empty(await _scenario.QueuedAsync());
        var decision = Assert.Single(await _scenario.DecisionsAsync(machine));
        Assert.Equal(EventCategories.AutoDeployNotApplicable, decision.Category);
        Assert.StartsWith("Not deployed: 'web-02' is disabled; ", decision.Message);
        Assert.Contains(nameof(DecisionKind.NotDeployable), decision.DetailsJson);
    }

    [Fact]
    public async Task Octopus_3013_a_machine_arriving_during_a_deployment_gets_its_newer_release_when_it_ends()
    {
        var seed = await _scenario.AddMachineAsync("seed");
        await _scenario.DeployAsync("1.0.0", seed);
        await _scenario.ReleaseAsync("1.1.0");
        var running = await _scenario.StartDeploymentAsync("1.1.0", seed);
        await _scenario.RunEngineAsync();

        var late = await _scenario.AddMachineAsync("late");
        await _scenario.RunEngineAsync();
        var whileRunning = await _scenario.QueuedAsync();
        await _scenario.FinishAsync(running);
        await _scenario.RunEngineAsync();

        Assert.Empty(whileRunning);
        Assert.Equal([$"1.1.0: {late}"], await _scenario.QueuedAsync());
        var decisions = await _scenario.DecisionsAsync(late);
        Assert.Equal([EventCategories.AutoDeployNoAction, EventCategories.AutoDeployTriggered], decisions.Select(d => d.Category));
        Assert.Contains($"Deployment #{running}", decisions[0].Message);
    }

    [Fact]
    public async Task Octopus_3304_an_auto_deployment_finishing_does_not_trigger_another()
    {
        var seed = await _scenario.AddMachineAsync("seed");
        await _scenario.DeployAsync("1.0.0", seed);
        var machine = await _scenario.AddMachineAsync("web-01");
        await _scenario.RunEngineAsync();
        await using (var db = _database.CreateDbContext())
        {
            var auto = await db.Deployments.SingleAsync(d => d.TriggerId != null);
            await _scenario.FinishAsync(auto.Id);
        }

        await _scenario.RunEngineAsync();
        await _scenario.RunEngineAsync();

        Assert.Single(await _scenario.QueuedAsync());
        Assert.Single(await _scenario.DecisionsAsync(machine));
    }

    [Fact]
    public async Task Octopus_3358_a_failed_machine_is_tried_again_when_it_raises_a_new_event()
    {
        var seed = await _scenario.AddMachineAsync("seed");
        await _scenario.DeployAsync("1.0.0", seed);
        var machine = await _scenario.AddMachineAsync("web-01");
        await _scenario.RunEngineAsync();
        await using (var db = _database.CreateDbContext())
        {
            var auto = await db.Deployments.SingleAsync(d => d.TriggerId != null);
            await _scenario.FinishAsync(auto.Id, DeploymentState.Failed);
        }

        await _scenario.ChangeAsync(machine, m => m.RecordHealth(MachineHealthStatus.Unhealthy, "disk", DateTimeOffset.UtcNow));
        await _scenario.ChangeAsync(machine, m => m.RecordHealth(MachineHealthStatus.Healthy, null, DateTimeOffset.UtcNow));
        await _scenario.RunEngineAsync();

        Assert.Equal(2, (await _scenario.QueuedAsync()).Count);
    }

    [Fact]
    public async Task Octopus_3420_a_machine_skipped_by_the_last_deployment_still_gets_the_release()
    {
        var seed = await _scenario.AddMachineAsync("seed");
        var skipped = await _scenario.AddMachineAsync("skipped", healthy: false);
        var deployment = await _scenario.StartDeploymentAsync("1.0.0", seed);
        await using (var db = _database.CreateDbContext())
        {
            db.DeploymentTargets.Add(new DeploymentTarget { DeploymentId = deployment, MachineId = skipped, MachineName = "skipped", State = TargetState.Skipped });
            await db.SaveChangesAsync();
        }
        await using (var db = _database.CreateDbContext())
        {
            var running = await db.Deployments.SingleAsync(d => d.Id == deployment);
            foreach (var target in await db.DeploymentTargets.Where(t => t.MachineId == seed).ToListAsync())
            {
                target.State = TargetState.Success;
            }
            running.Finish(DeploymentState.Success, null, DateTimeOffset.UtcNow);
            await db.SaveChangesAsync();
        }
        await _scenario.RunEngineAsync();

        await _scenario.ChangeAsync(skipped, m => m.RecordHealth(MachineHealthStatus.Healthy, null, DateTimeOffset.UtcNow));
        await _scenario.RunEngineAsync();

        Assert.Equal([$"1.0.0: {skipped}"], await _scenario.QueuedAsync());
    }

    [Fact]
    public async Task Octopus_5482_several_triggers_on_one_project_queue_one_deployment_and_one_that_cannot_deploy_never_stops_the_others()
    {
        await _scenario.DeployAsync("1.0.0", await _scenario.AddMachineAsync("seed"));
        await _scenario.RunEngineAsync();
        await using (var db = _database.CreateDbContext())
        {
            var blog = Project.Create("Blog", null);
            blog.Steps = [DeploymentScenario.Step("Install", "web")];
            db.Projects.Add(blog);
            await db.SaveChangesAsync();
            db.Triggers.AddRange(ProjectTrigger.Create(blog.Id, "Blog servers"), ProjectTrigger.Create(_scenario.Project.Id, "Also web servers"));
            await db.SaveChangesAsync();
        }

        var machine = await _scenario.AddMachineAsync("web-01");
        await _scenario.RunEngineAsync();

        Assert.Equal([$"1.0.0: {machine}"], await _scenario.QueuedAsync());
        var decisions = await _scenario.DecisionsAsync(machine);
        Assert.Equal(3, decisions.Count);
        Assert.Single(decisions, d => d.Category == EventCategories.AutoDeployTriggered && d.Message.Contains("trigger 'Web servers'"));
        Assert.Single(decisions, d => d.Message.StartsWith("No release of 'Blog'"));
        Assert.Single(decisions, d => d.Message.Contains("already planned") && d.Message.Contains("trigger 'Also web servers'"));
    }

    [Fact]
    public async Task Octopus_3467_a_machine_whose_roles_match_no_step_is_explained_not_deployed()
    {
        var seed = await _scenario.AddMachineAsync("seed");
        await _scenario.DeployAsync("1.0.0", seed);

        var database = await _scenario.AddMachineAsync("db-01", role: "db");
        await _scenario.RunEngineAsync();

        Assert.Empty(await _scenario.QueuedAsync());
        Assert.Contains("No step of 'Shop' runs on the roles", Assert.Single(await _scenario.DecisionsAsync(database)).Message);
    }

    [Fact]
    public async Task Without_a_successful_deployment_the_engine_explains_that_there_is_no_release()
    {
        var machine = await _scenario.AddMachineAsync("web-01");

        await _scenario.RunEngineAsync();

        Assert.Empty(await _scenario.QueuedAsync());
        Assert.Contains("No release of 'Shop' has been deployed", Assert.Single(await _scenario.DecisionsAsync(machine)).Message);
    }

    private async Task ArchivedAsync(Action<Project> change)
    {
        await using var db = _database.CreateDbContext();
        change(await db.Projects.SingleAsync(p => p.Id == _scenario.Project.Id));
        await db.SaveChangesAsync();
    }
}
