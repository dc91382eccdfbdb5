using AutoDeploy.Domain.Deployments;
using AutoDeploy.Domain.Events;
using AutoDeploy.Domain.Machines;
using AutoDeploy.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace AutoDeploy.Tests.Engine;

/// <summary>
/// Octopus 3358 and 3304 through the engine on a real database and a fake clock: a machine whose auto-deployment
/// fails is retried after 30 s and 60 s, then blocked, and a new event for it starts afresh.
/// </summary>
public sealed class AutoDeployRetryEngineTests : IAsyncLifetime
{
    private SqliteDatabase _database = null!;
    private EngineScenario _scenario = null!;
    private int _machine;

    public async Task InitializeAsync()
    {
        _database = await SqliteDatabase.CreateAsync();
        _scenario = await new EngineScenario(_database).StartAsync();
        await _scenario.ReleaseAsync("1.0.0");
        await _scenario.DeployAsync("1.0.0", await _scenario.AddMachineAsync("seed"));
        _machine = await _scenario.AddMachineAsync("web-01");
        await _scenario.RunEngineAsync();
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task A_failed_auto_deployment_is_not_retried_before_its_back_off()
    {
        await _scenario.FailLatestAutoDeploymentAsync();
        await _scenario.RunEngineAsync();

        _scenario.Advance(TimeSpan.FromSeconds(29));
        await _scenario.RunEngineAsync();

        Assert.Single(await _scenario.QueuedAsync());
        Assert.Contains("(attempt 1 of 3); attempt 2 at", (await _scenario.DecisionsAsync(_machine))[^1].Message);
    }

    [Fact]
    public async Task A_machine_a_failed_rolling_step_never_started_is_retried_too()
    {
        await _scenario.FailLatestAutoDeploymentAsync(TargetState.Skipped);
        await _scenario.RunEngineAsync();

        _scenario.Advance(TimeSpan.FromSeconds(30));
        await _scenario.RunEngineAsync();

        Assert.Equal(2, (await _scenario.QueuedAsync()).Count);
        Assert.StartsWith("1.0.0 queued (attempt 2 of 3)", (await _scenario.DecisionsAsync(_machine))[^1].Message);
    }

    [Fact]
    public async Task A_failing_machine_is_tried_three_times_in_all_then_blocked()
    {
        await FailAndWaitAsync(TimeSpan.FromSeconds(30));
        await FailAndWaitAsync(TimeSpan.FromSeconds(60));
        await FailAndWaitAsync(TimeSpan.FromHours(1));

        Assert.Equal(3, (await _scenario.QueuedAsync()).Count);
        var decisions = await _scenario.DecisionsAsync(_machine);
        Assert.Equal(
            [EventCategories.AutoDeployTriggered, EventCategories.AutoDeployNoAction, EventCategories.AutoDeployTriggered,
                EventCategories.AutoDeployNoAction, EventCategories.AutoDeployTriggered, EventCategories.AutoDeployBlocked],
            decisions.Select(d => d.Category));
        Assert.Contains("queued (attempt 3 of 3)", decisions[4].Message);
        Assert.StartsWith("Blocked after 3 failures", decisions[5].Message);
        await using var db = _database.CreateDbContext();
        Assert.Empty(await db.AutoDeployRetries.ToListAsync());
    }

    [Fact]
    public async Task A_blocked_machine_that_raises_a_new_event_is_deployed_to_again()
    {
        await FailAndWaitAsync(TimeSpan.FromSeconds(30));
        await FailAndWaitAsync(TimeSpan.FromSeconds(60));
        await FailAndWaitAsync(TimeSpan.FromHours(1));

        await _scenario.ChangeAsync(_machine, m => m.RecordHealth(MachineHealthStatus.Unhealthy, "disk", DateTimeOffset.UtcNow));
        await _scenario.ChangeAsync(_machine, m => m.RecordHealth(MachineHealthStatus.Healthy, null, DateTimeOffset.UtcNow));
        await _scenario.RunEngineAsync();

        Assert.Equal(4, (await _scenario.QueuedAsync()).Count);
    }

    [Fact]
    public async Task A_new_event_while_a_retry_waits_drops_the_retry_so_the_machine_is_queued_once()
    {
        await _scenario.FailLatestAutoDeploymentAsync();
        await _scenario.RunEngineAsync();

        await _scenario.ChangeAsync(_machine, m => m.RecordHealth(MachineHealthStatus.HasWarnings, "agent old", DateTimeOffset.UtcNow));
        await _scenario.RunEngineAsync();
        _scenario.Advance(TimeSpan.FromMinutes(5));
        await _scenario.RunEngineAsync();

        Assert.Equal(2, (await _scenario.QueuedAsync()).Count);
        await using var db = _database.CreateDbContext();
        Assert.Empty(await db.AutoDeployRetries.ToListAsync());
    }

    private async Task FailAndWaitAsync(TimeSpan wait)
    {
        await _scenario.FailLatestAutoDeploymentAsync();
        await _scenario.RunEngineAsync();
        _scenario.Advance(wait);
        await _scenario.RunEngineAsync();
    }
}
