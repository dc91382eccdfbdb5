using AutoDeploy.Domain.Permissions;
using AutoDeploy.Web.Permissions;
using AutoDeploy.Agent;
using AutoDeploy.Domain.Fleet;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Fleet;
using Microsoft.Extensions.DependencyInjection;

namespace AutoDeploy.Tests.Fleet;

/// <summary>
/// Fleet drift as real agents get their releases, the engine decides and people deploy and pin: the service reads the rows
/// the screen shows. Shop deploys with a bash script on role web: machines named flaky-* fail it, and it waits while the
/// hold file exists.
/// </summary>
[Trait("Database", "App")]
public sealed class FleetServiceTests : IAsyncLifetime
{
    private static readonly AgentRunnerOptions FastAgent = TestAgentOptions.Fast;

    private readonly AutoDeployAppFactory _app = new();
    private readonly CancellationTokenSource _stopAgents = new();
    private readonly List<Task<int>> _agents = [];
    private readonly string _hold = Path.Combine(Path.GetTempPath(), $"autodeploy-fleet-hold-{Guid.NewGuid():N}");
    private string _server = "";
    private HttpClient _api = null!;
    private int _environment;
    private int _shop;

    public async Task InitializeAsync()
    {
        _app.Settings["Tasks:LongPoll"] = "00:00:01";
        // A failed auto-deployment stays scheduled for its retry while the test looks.
        _app.Settings["AutoDeploy:RetryBackoff"] = "01:00:00";
        _server = _app.StartOnKestrel();
        _api = new HttpClient { BaseAddress = new Uri(_server) };
        _api.DefaultRequestHeaders.Add("X-Api-Key", AutoDeployAppFactory.AdminApiKey);
        _environment = await _api.CreateEnvironmentAsync("Production");
        var script = $"case \"$AUTODEPLOY_MACHINE\" in flaky*) echo 'it fails'; exit 1 ;; esac\nwhile [ -f '{_hold}' ]; do sleep 0.1; done\necho \"installed $AUTODEPLOY_RELEASE\"";
        _shop = await _api.CreateProjectAsync("Shop", "web", script);
        await _api.CreateTriggerAsync(_shop, "Web servers");
    }

    public async Task DisposeAsync()
    {
        await _stopAgents.CancelAsync();
        await Task.WhenAll(_agents);
        File.Delete(_hold);
        _api.Dispose();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task Rows_follow_the_engine_the_deployments_and_an_override()
    {
        var docs = await _api.CreateProjectAsync("Docs", "web");
        var first = await _api.CreateReleaseAsync(_shop, "1.0.0");
        var web01 = await StartAgentAsync("web-01");
        var noRelease = await RowAsync("web-01", "Shop", r => r.DecisionId is not null);
        await _api.DeployAndWaitAsync(first, _environment);
        var web02 = await StartAgentAsync("web-02");
        await RowAsync("web-02", "Shop", r => r.State == DriftState.Current);
        await _api.RegisterAsync("db-01", "Production", "db");

        var second = await _api.CreateReleaseAsync(_shop, "2.0.0");
        var deployed = await _api.DeployAndWaitAsync(second, _environment, web01);
        var fleet = await QueryAsync(new FleetQuery(_environment));
        await _api.PinAsync(_shop, _environment, first);
        var pinned = await QueryAsync(new FleetQuery(_environment, ProjectId: _shop));

        Assert.Equal(DriftState.Blocked, noRelease.State);
        Assert.StartsWith("No release of 'Shop' has been deployed to this environment yet and no override is set;", noRelease.Reason);
        Assert.Equal(
        [
            "web-01 Shop Current 2.0.0/2.0.0", "web-01 Docs NotCovered /", "web-02 Shop Behind 2.0.0/1.0.0", "web-02 Docs NotCovered /",
            "db-01 Shop NotCovered /", "db-01 Docs NotCovered /",
        ], fleet.Rows.Select(Describe));
        Assert.Equal(new DriftCounts(1, 0, 0, 1, 0, 4), fleet.Counts);
        Assert.Equal((ReleaseSource.LatestSuccessful, deployed), (fleet.Rows[0].Source, fleet.Rows[0].HasDeploymentId));
        Assert.Equal("'Docs' has no enabled trigger that deploys it.", fleet.Rows.Single(r => r.MachineId == web02 && r.ProjectId == docs).Reason);
        Assert.Equal(["web-01 Shop Behind 1.0.0/2.0.0", "web-02 Shop Current 1.0.0/1.0.0", "db-01 Shop NotCovered /"], pinned.Rows.Select(Describe));
        Assert.Equal(ReleaseSource.Override, pinned.Rows[0].Source);
    }

    [Fact]
    public async Task A_machine_arriving_during_a_deployment_waits_for_it_and_gets_the_release_when_it_ends()
    {
        await StartAgentAsync("web-01");
        await File.WriteAllTextAsync(_hold, "hold");
        var running = await _api.DeployAsync(await _api.CreateReleaseAsync(_shop, "1.0.0"), _environment);
        // Once it runs: a machine that arrives while a deployment is only queued is not told to wait for it.
        var pending = await RowAsync("web-01", "Shop", r => r.State == DriftState.Pending && r.Reason.Contains("(Executing)"));

        await StartAgentAsync("web-02");
        var waiting = await RowAsync("web-02", "Shop", r => r.State == DriftState.Waiting);
        File.Delete(_hold);

        var current = await RowAsync("web-02", "Shop", r => r.State == DriftState.Current);
        Assert.Equal((running, $"Deployment #{running} of 1.0.0 (Executing) includes 'web-01'."), (pending.DeploymentId, pending.Reason));
        Assert.Equal((running, (string?)null), (waiting.DeploymentId, waiting.ShouldHaveVersion));
        Assert.NotNull(waiting.DecisionId);
        Assert.StartsWith($"Deployment #{running} of 1.0.0 is running in the environment; 'web-02' is deployed to when it ends;", waiting.Reason);
        Assert.Equal("1.0.0", current.HasVersion);
    }

    [Fact]
    public async Task A_machine_whose_auto_deployment_failed_waits_for_its_retry()
    {
        await _api.DeployAndWaitAsync(await _api.CreateReleaseAsync(_shop, "1.0.0"), _environment, await StartAgentAsync("web-01"));

        await StartAgentAsync("flaky-01");

        var waiting = await RowAsync("flaky-01", "Shop", r => r.State == DriftState.Waiting);
        Assert.Matches(@"^1\.0\.0 failed on 'flaky-01' in deployment #\d+ \(attempt 1 of 3\); attempt 2 at \d\d:\d\d:\d\d UTC\.$", waiting.Reason);
        Assert.Equal(("1.0.0", (string?)null), (waiting.ShouldHaveVersion, waiting.HasVersion));
        Assert.NotNull(waiting.DeploymentId);
    }

    private static string Describe(DriftRow r) => $"{r.MachineName} {r.ProjectName} {r.State} {r.ShouldHaveVersion}/{r.HasVersion}";

    private async Task<FleetList> QueryAsync(FleetQuery query)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<CurrentAccess>().Use(Access.System);
        return await scope.ServiceProvider.GetRequiredService<FleetService>().QueryAsync(query);
    }

    /// <summary>Waits until the machine's row of the project satisfies <paramref name="condition"/>; that row.</summary>
    private async Task<DriftRow> RowAsync(string machine, string project, Func<DriftRow, bool> condition)
    {
        DriftRow? row = null;
        await Eventually.TrueAsync(async () =>
        {
            var fleet = await QueryAsync(new FleetQuery(_environment));
            row = fleet.Rows.SingleOrDefault(r => r.MachineName == machine && r.ProjectName == project);
            return row is not null && condition(row);
        }, TimeSpan.FromSeconds(60), () => $"{machine} {project}: {row}");
        return row!;
    }

    /// <summary>A machine registered through the API whose agent starts polling: its first contact is checked at once.</summary>
    private async Task<int> StartAgentAsync(string name)
    {
        var (id, token) = await _api.RegisterAsync(name, "Production", "web");
        var runner = new AgentRunner(new AgentSettings(_server, id, name, token), new HttpClient(), TimeProvider.System, TextWriter.Null, FastAgent);
        // On the thread pool, as in its own process: not queued behind other tests on xunit's few threads.
        _agents.Add(Task.Run(() => runner.RunAsync(_stopAgents.Token)));
        return id;
    }
}
