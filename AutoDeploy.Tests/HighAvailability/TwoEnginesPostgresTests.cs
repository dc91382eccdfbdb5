using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Engine;
using AutoDeploy.Web.Signals;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace AutoDeploy.Tests.HighAvailability;

/// <summary>Two engines on two nodes of one PostgreSQL database, each taking the cluster lock around its passes.</summary>
[Collection("postgres")]
public sealed class TwoEnginesPostgresTests(PostgresServer server)
{
    [Fact]
    public async Task Two_locked_engines_work_a_burst_one_pass_at_a_time_and_queue_each_machine_once()
    {
        var database = await PostgresDatabase.CreateAsync(server);
        var scenario = await new DeploymentScenario(database).WithEnvironmentAsync();
        await scenario.WithReleaseAsync(null, DeploymentScenario.Step("Install", "web"));
        await scenario.WithSuccessfulDeploymentAndTriggerAsync();
        var log = new RecordingLogger<AutoDeployEngine>();
        var engines = new[] { Engine(database, "node-a", log), Engine(database, "node-b", log) };
        await engines[0].RunPassAsync(default);

        var machineIds = new List<int>();
        for (var i = 0; i < 20; i++)
        {
            machineIds.Add(await scenario.AddHealthyMachineAsync($"burst-{i:00}"));
            if (i % 5 == 4)
            {
                await Task.WhenAll(engines.Select(e => e.RunPassAsync(default)));
            }
        }
        await Task.WhenAll(engines.Select(RunUntilIdleAsync));

        await using var db = database.CreateDbContext();
        var queued = await db.Deployments.Where(d => d.TriggerId != null).ToListAsync();
        Assert.Equal(machineIds.Order(), queued.SelectMany(d => d.ChosenMachineIds).Order());
        Assert.Equal(await db.Events.MaxAsync(e => e.Id), (await db.AutoDeployCursors.SingleAsync()).LastEventId);
        Assert.DoesNotContain(log.Messages, m => m.StartsWith("Another engine processed", StringComparison.Ordinal));
    }

    private static AutoDeployEngine Engine(PostgresDatabase database, string node, ILogger<AutoDeployEngine> log) => new(database, new TaskSignals(),
        Microsoft.Extensions.Options.Options.Create(new AutoDeployOptions { PageSize = 3 }), TimeProvider.System, log,
        new ClusterLock(database, new NodeIdentity(node, TimeSpan.FromSeconds(30))));

    private static async Task RunUntilIdleAsync(AutoDeployEngine engine)
    {
        for (var passes = 0; passes < 200; passes++)
        {
            if (!await engine.RunPassAsync(default))
            {
                return;
            }
        }
        throw new InvalidOperationException("The engine never became idle.");
    }
}
