using AutoDeploy.Domain.Events;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Engine;
using Microsoft.EntityFrameworkCore;

namespace AutoDeploy.Tests.Engine;

/// <summary>The machine and trigger pages' decisions, read from the events the engine really wrote.</summary>
public sealed class AutoDeployDecisionQueriesTests : IAsyncLifetime
{
    private SqliteDatabase _database = null!;
    private EngineScenario _scenario = null!;
    private AutoDeployDecisionQueries _queries = null!;

    public async Task InitializeAsync()
    {
        _database = await SqliteDatabase.CreateAsync(TimeProvider.System);
        _scenario = await new EngineScenario(_database).StartAsync();
        await _scenario.ReleaseAsync("1.0.0");
        var seed = await _scenario.AddMachineAsync("seed");
        await _scenario.DeployAsync("1.0.0", seed);
        await _scenario.RunEngineAsync();
        _queries = new AutoDeployDecisionQueries(_database);
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task ForMachineAsync_returns_the_machines_decisions_newest_first_with_kind_and_links()
    {
        var machine = await _scenario.AddMachineAsync("web-01");
        await _scenario.RunEngineAsync();
        await _scenario.ChangeAsync(machine, m => m.Disable());
        await _scenario.ChangeAsync(machine, m => m.Enable());
        await _scenario.RunEngineAsync();
        var written = (await _scenario.DecisionsAsync(machine)).Select(e => e.Id).Reverse().ToList();

        var decisions = await _queries.ForMachineAsync(machine, 20);

        Assert.True(written.Count >= 2, $"expected at least two decisions, got {written.Count}");
        Assert.Equal(written, decisions.Select(d => d.EventId));
        var first = decisions[^1];
        Assert.True(first.Queued);
        Assert.Equal("Queued", first.Kind);
        Assert.NotNull(first.DeploymentId);
        Assert.Equal(TriggerId(), first.TriggerId);
        Assert.Contains("1.0.0 queued", first.Reason);
        Assert.Equal("Web servers", first.TriggerName);
    }

    [Fact]
    public async Task ForMachineAsync_takes_only_the_latest()
    {
        var machine = await _scenario.AddMachineAsync("web-01");
        await _scenario.RunEngineAsync();
        await _scenario.ChangeAsync(machine, m => m.Disable());
        await _scenario.ChangeAsync(machine, m => m.Enable());
        await _scenario.RunEngineAsync();
        var newest = (await _scenario.DecisionsAsync(machine)).Max(e => e.Id);

        var decisions = await _queries.ForMachineAsync(machine, 1);

        Assert.Equal([newest], decisions.Select(d => d.EventId));
    }

    [Fact]
    public async Task ForTriggerAsync_returns_the_triggers_decisions_for_every_machine_newest_first_with_names()
    {
        var web1 = await _scenario.AddMachineAsync("web-01");
        await _scenario.RunEngineAsync();
        var web2 = await _scenario.AddMachineAsync("web-02");
        await _scenario.RunEngineAsync();

        var decisions = await _queries.ForTriggerAsync(TriggerId(), 20);

        Assert.Equal(decisions.OrderByDescending(d => d.EventId).Select(d => d.EventId), decisions.Select(d => d.EventId));
        Assert.Equal(["web-02", "web-01", "seed"], decisions.Select(d => d.MachineName).Distinct());
        Assert.Contains(decisions, d => d.MachineId == web1 && d.Queued);
        Assert.Contains(decisions, d => d.MachineId == web2 && d.Queued);
    }

    [Fact]
    public async Task ForTriggerAsync_of_another_trigger_is_empty()
    {
        await _scenario.AddMachineAsync("web-01");
        await _scenario.RunEngineAsync();

        Assert.Empty(await _queries.ForTriggerAsync(TriggerId() + 1000, 20));
    }

    private int TriggerId()
    {
        using var db = _database.CreateDbContext();
        return db.Triggers.AsNoTracking().Single().Id;
    }
}
