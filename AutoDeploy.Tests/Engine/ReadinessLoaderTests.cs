using System.Data.Common;
using AutoDeploy.Domain.Deployments;
using AutoDeploy.Domain.Projects;
using AutoDeploy.Domain.Releases;
using AutoDeploy.Domain.Triggers;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Engine;
using AutoDeploy.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace AutoDeploy.Tests.Engine;

/// <summary>
/// Readiness read from a real SQLite database as the engine left it: the engine runs its passes on a fake clock
/// (<see cref="EngineScenario"/>), then the loader says what the machine still needs.
/// </summary>
public sealed class ReadinessLoaderTests : IAsyncLifetime
{
    private SqliteDatabase _database = null!;
    private EngineScenario _scenario = null!;

    public async Task InitializeAsync()
    {
        _database = await SqliteDatabase.CreateAsync();
        _scenario = await new EngineScenario(_database).StartAsync();
        await _scenario.ReleaseAsync("1.0.0");
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task A_machine_whose_roles_fit_no_step_is_ready_as_nothing_applies()
    {
        var machine = await _scenario.AddMachineAsync("db-01", role: "db");
        await _scenario.RunEngineAsync();

        var readiness = await LoadAsync(machine);

        Assert.Equal((ReadinessState.Ready, "'db-01' is ready: no enabled trigger matches it."), (readiness.State, readiness.Summary));
        Assert.Empty(readiness.Items);
    }

    [Fact]
    public async Task A_machine_in_an_environment_no_release_was_deployed_to_is_ready()
    {
        var machine = await _scenario.AddMachineAsync("web-01");
        await _scenario.RunEngineAsync();

        var readiness = await LoadAsync(machine);

        Assert.Equal(ReadinessState.Ready, readiness.State);
        var item = Assert.Single(readiness.Items);
        Assert.Equal(("Shop", "Production", (string?)null), (item.ProjectName, item.EnvironmentName, item.ReleaseVersion));
    }

    [Fact]
    public async Task A_machine_the_engine_queued_the_release_for_waits_for_that_deployment()
    {
        await SeedAsync();
        var machine = await _scenario.AddMachineAsync("web-01");
        await _scenario.RunEngineAsync();

        var readiness = await LoadAsync(machine);

        Assert.Equal(ReadinessState.Waiting, readiness.State);
        Assert.Matches(@"^'web-01' is not ready: Shop 1\.0\.0 in Production is being deployed \(deployment #\d+\)\.$", readiness.Summary);
    }

    [Fact]
    public async Task A_machine_that_got_the_release_is_ready()
    {
        await SeedAsync();
        var machine = await _scenario.AddMachineAsync("web-01");
        await _scenario.RunEngineAsync();

        await _scenario.DeployAsync("1.0.0", machine);

        var readiness = await LoadAsync(machine);
        Assert.Equal((ReadinessState.Ready, "'web-01' is ready: Shop 1.0.0 in Production is installed."), (readiness.State, readiness.Summary));
    }

    [Fact]
    public async Task A_machine_whose_auto_deployment_failed_has_failed_while_its_retry_waits()
    {
        await SeedAsync();
        var machine = await _scenario.AddMachineAsync("web-01");
        await _scenario.RunEngineAsync();

        await _scenario.FailLatestAutoDeploymentAsync();
        await _scenario.RunEngineAsync();

        var readiness = await LoadAsync(machine);
        Assert.Equal(ReadinessState.Failed, readiness.State);
        Assert.Matches(@"Shop 1\.0\.0 in Production failed: failed \(deployment #\d+\)\.$", readiness.Summary);
    }

    [Fact]
    public async Task A_machine_the_engine_blocked_after_its_retries_is_blocked_until_a_deployment_includes_it()
    {
        await SeedAsync();
        var machine = await _scenario.AddMachineAsync("web-01");
        await _scenario.RunEngineAsync();
        foreach (var backoff in new[] { TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(60), TimeSpan.FromHours(1) })
        {
            await _scenario.FailLatestAutoDeploymentAsync();
            await _scenario.RunEngineAsync();
            _scenario.Advance(backoff);
            await _scenario.RunEngineAsync();
        }

        var blocked = await LoadAsync(machine);
        var deployment = await _scenario.StartDeploymentAsync("1.0.0", machine);
        var waiting = await LoadAsync(machine);

        Assert.Equal(ReadinessState.Blocked, blocked.State);
        Assert.Contains("Shop 1.0.0 in Production is blocked: Blocked after 3 failures", blocked.Summary);
        Assert.Equal(ReadinessState.Waiting, waiting.State);
        Assert.Contains($"(deployment #{deployment})", waiting.Summary);
    }

    [Fact]
    public async Task An_unknown_machine_has_no_readiness()
    {
        Assert.Null(await new ReadinessLoader(_database).LoadAsync(4242));
    }

    [Fact]
    public async Task Fifty_matching_triggers_cost_the_same_few_queries_as_one()
    {
        await SeedAsync();
        var machine = await _scenario.AddMachineAsync("web-01");
        var one = await CountQueriesAsync(machine);

        await AddProjectsWithTriggersAsync(49);
        var fifty = await CountQueriesAsync(machine);

        Assert.Equal(50, (await LoadAsync(machine)).Items.Count);
        Assert.Equal(one, fifty);
        Assert.InRange(fifty, 1, 15);
    }

    /// <summary>The release succeeds on another machine of the environment, so it is the one web machines should have.</summary>
    private async Task SeedAsync() => await _scenario.DeployAsync("1.0.0", await _scenario.AddMachineAsync("seed"));

    private async Task<MachineReadiness> LoadAsync(int machineId) => (await new ReadinessLoader(_database).LoadAsync(machineId))!;

    private async Task<int> CountQueriesAsync(int machineId)
    {
        var counter = new QueryCounter();
        await new ReadinessLoader(new CountingFactory(_database, counter)).LoadAsync(machineId);
        return counter.Count;
    }

    /// <summary>More projects with a web step, each with a trigger and a release that succeeded in the environment.</summary>
    private async Task AddProjectsWithTriggersAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            await using var db = _database.CreateDbContext();
            var project = Project.Create($"App{i:00}", null);
            project.Steps = [DeploymentScenario.Step("Install", "web")];
            db.Projects.Add(project);
            await db.SaveChangesAsync();
            db.Triggers.Add(ProjectTrigger.Create(project.Id, $"App{i:00} web servers"));
            var release = Release.Create(project, new SemanticVersion(2, 0, i, null, null), null, DateTimeOffset.UtcNow);
            db.Releases.Add(release);
            await db.SaveChangesAsync();
            var environment = await db.Environments.SingleAsync();
            var deployment = Deployment.Queue(project, release, environment, [], "test", null, DateTimeOffset.UtcNow);
            deployment.Start(DateTimeOffset.UtcNow);
            deployment.Finish(DeploymentState.Success, null, DateTimeOffset.UtcNow);
            db.Deployments.Add(deployment);
            await db.SaveChangesAsync();
        }
    }

    private sealed class QueryCounter : DbCommandInterceptor
    {
        public int Count;

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref Count);
            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }
    }

    private sealed class CountingFactory(SqliteDatabase database, QueryCounter counter) : IDbContextFactory<AutoDeployDbContext>
    {
        public AutoDeployDbContext CreateDbContext() => new SqliteAutoDeployDbContext(new DbContextOptionsBuilder<SqliteAutoDeployDbContext>()
            .UseSqlite(database.ConnectionString).UseAutoDeploy(database.Time).AddInterceptors(counter).Options);
    }
}
