using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Engine;
using AutoDeploy.Web.Signals;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace AutoDeploy.Tests.Engine;

/// <summary>Two engines on one database working the same burst: no duplicate deployment, no missed machine.</summary>
public sealed class TwoEnginesTests : IAsyncLifetime
{
    private SqliteDatabase _database = null!;

    public async Task InitializeAsync() => _database = await SqliteDatabase.CreateAsync(TimeProvider.System);

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task A_burst_processed_by_two_engines_at_once_queues_each_machine_exactly_once()
    {
        var scenario = await new DeploymentScenario(_database).WithEnvironmentAsync();
        await scenario.WithReleaseAsync(null, DeploymentScenario.Step("Install", "web"));
        await scenario.WithSuccessfulDeploymentAndTriggerAsync();
        var engines = new[] { Engine(), Engine() };
        await engines[0].RunPassAsync(default);

        var machineIds = new List<int>();
        for (var i = 0; i < 20; i++)
        {
            machineIds.Add(await scenario.AddHealthyMachineAsync($"burst-{i:00}"));
        }
        await Task.WhenAll(engines.Select(RunUntilIdleAsync));

        await using var db = _database.CreateDbContext();
        var claims = await db.AutoDeployClaims.ToListAsync();
        Assert.Equal(machineIds.Order(), claims.Select(c => c.MachineId).Order());
        var queued = await db.Deployments.Where(d => d.TriggerId != null).ToListAsync();
        Assert.Equal(machineIds.Order(), queued.SelectMany(d => d.ChosenMachineIds).Order());
        Assert.Equal(await db.Events.MaxAsync(e => e.Id), (await db.AutoDeployCursors.SingleAsync()).LastEventId);
    }

    private AutoDeployEngine Engine() => new(_database, new TaskSignals(),
        Microsoft.Extensions.Options.Options.Create(new AutoDeployOptions { PageSize = 7 }), TimeProvider.System, NullLogger<AutoDeployEngine>.Instance);

    /// <summary>Passes until nothing is left; a pass that loses the race to the other engine (SQLite refuses its write) is simply retried.</summary>
    private static async Task RunUntilIdleAsync(AutoDeployEngine engine)
    {
        for (var attempts = 0; attempts < 200; attempts++)
        {
            try
            {
                if (!await engine.RunPassAsync(default))
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is DbUpdateException or Microsoft.Data.Sqlite.SqliteException or InvalidOperationException)
            {
            }
        }
        throw new InvalidOperationException("The engine never became idle.");
    }
}
