using System.Net.Http.Json;
using System.Text.Json;
using AutoDeploy.Agent;
using AutoDeploy.Domain.Deployments;
using AutoDeploy.Domain.Projects;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Services;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AutoDeploy.Tests.Engine;

/// <summary>
/// A real agent killed in the middle of a step, under "skip unavailable machines": the deployment succeeds with a
/// warning, and the machine gets the release when its agent starts again. Kept apart for its short silence limits.
/// </summary>
[Trait("Database", "App")]
public sealed class KilledAgentTests : IAsyncLifetime
{
    // No grace to report on the way out: stopping is a kill, the server never hears how the job ended.
    private static readonly AgentRunnerOptions FastAgent = TestAgentOptions.Fast with { StopGracePeriod = TimeSpan.Zero };

    private readonly AutoDeployAppFactory _app = new();
    private readonly DirectoryInfo _markers = Directory.CreateTempSubdirectory("autodeploy-killed-");
    private readonly List<(CancellationTokenSource Stop, Task<int> Run)> _agents = [];
    private DeploymentScenario _scenario = null!;
    private string _server = "";
    private HttpClient _api = null!;

    public async Task InitializeAsync()
    {
        _app.Settings["Tasks:LongPoll"] = "00:00:01";
        _app.Settings["Tasks:RecheckInterval"] = "00:00:00.100";
        _app.Settings["Tasks:AgentLostAfter"] = "00:00:03";
        _app.Settings["HealthChecks:UnavailableAfter"] = "00:00:05";
        _server = _app.StartOnKestrel();
        _api = new HttpClient { BaseAddress = new Uri(_server) };
        _api.DefaultRequestHeaders.Add("X-Api-Key", AutoDeployAppFactory.AdminApiKey);
        _scenario = await new DeploymentScenario(_app.Services.GetRequiredService<IDbContextFactory<AutoDeployDbContext>>()).WithEnvironmentAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var (stop, run) in _agents)
        {
            await stop.CancelAsync();
            await run;
        }
        _api.Dispose();
        await _app.DisposeAsync();
        _markers.Delete(recursive: true);
    }

    [Fact]
    public async Task An_agent_killed_mid_step_leaves_a_successful_deployment_with_a_warning_and_gets_the_release_when_restarted()
    {
        // The first run on a machine leaves a marker and hangs, as a long install would; the next run passes.
        var script = $"m='{_markers.FullName}'/\"$AUTODEPLOY_MACHINE\"\n"
            + "if [ ! -f \"$m\" ]; then touch \"$m\"; echo 'installing...'; sleep 300; fi\n"
            + "echo \"installed $AUTODEPLOY_RELEASE\"";
        await _scenario.WithReleaseAsync(new ConnectivitySettings { SkipUnavailableMachines = true }, DeploymentScenario.Step("Install", "web", script));
        (await _api.PostAsJsonAsync($"/api/projects/{_scenario.Project.Id}/triggers", new
        {
            name = "Web servers", roles = new[] { "web" }, eventGroups = new[] { "MachineAvailableForDeployment" },
        })).EnsureSuccessStatusCode();
        var (machineId, token) = await _scenario.AddMachineAsync("web-01", "web");
        var settings = new AgentSettings(_server, machineId, "web-01", token);
        Start(settings);
        var deployment = await _api.DeployAsync(_scenario);
        await Eventually.TrueAsync(() => Task.FromResult(File.Exists(Path.Combine(_markers.FullName, "web-01"))), TimeSpan.FromSeconds(60));

        await KillAsync();
        var details = await _api.WaitForDeploymentEndAsync(deployment.Id, TimeSpan.FromSeconds(60));

        Assert.Equal(DeploymentState.Success, details.Deployment.State);
        Assert.Equal(TargetState.Skipped, Assert.Single(details.Machines).State);
        Assert.StartsWith("1 machine(s) skipped: web-01: ", details.Deployment.Warning);
        await Eventually.TrueAsync(async () => await HealthAsync(machineId) == "Unavailable", TimeSpan.FromSeconds(60));

        Start(settings);

        await Eventually.TrueAsync(async () => (await _api.GetFromJsonAsync<List<MachineRelease>>($"/api/machines/{machineId}/releases",
            ProtocolAgent.Json))!.Any(r => r.ReleaseId == _scenario.Release.Id), TimeSpan.FromSeconds(60));
        Assert.Equal("Healthy", await HealthAsync(machineId));
    }

    private void Start(AgentSettings settings)
    {
        var stop = new CancellationTokenSource();
        var runner = new AgentRunner(settings, new HttpClient(), TimeProvider.System, TextWriter.Null, FastAgent);
        // On the thread pool, as in its own process: not queued behind other tests on xunit's few threads.
        _agents.Add((stop, Task.Run(() => runner.RunAsync(stop.Token))));
    }

    /// <summary>Stops the running agent and its script, as a kill would: it never reports on its job.</summary>
    private async Task KillAsync()
    {
        var (stop, run) = _agents[^1];
        await stop.CancelAsync();
        await run;
        _agents.RemoveAt(_agents.Count - 1);
    }

    private async Task<string?> HealthAsync(int machineId) =>
        (await _api.GetFromJsonAsync<JsonElement>($"/api/machines/{machineId}")).GetProperty("healthStatus").GetString();
}
