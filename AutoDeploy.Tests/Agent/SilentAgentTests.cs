using System.Net.Http.Json;
using System.Text.Json;
using AutoDeploy.Domain.Agents;
using AutoDeploy.Domain.Deployments;
using AutoDeploy.Domain.Projects;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Data;
using Microsoft.EntityFrameworkCore;
using AutoDeploy.Web.Services;
using Microsoft.Extensions.DependencyInjection;

namespace AutoDeploy.Tests.Agent;

/// <summary>
/// An agent that stops talking mid-step. Kept apart from the other protocol tests: its one-second
/// lost-agent limit would fail their machines whenever a busy test machine pauses for a second. Its subject is the
/// server's timing of a silent agent, not the database, so it runs once (SQLite only).
/// </summary>
[Trait("Database", "SqliteOnly")]
public sealed class SilentAgentTests : IAsyncLifetime
{
    private readonly AutoDeployAppFactory _app = new();
    private HttpClient _api = null!;
    private DeploymentScenario _scenario = null!;

    public async Task InitializeAsync()
    {
        _app.Settings["Tasks:LongPoll"] = "00:00:01";
        _app.Settings["Tasks:RecheckInterval"] = "00:00:00.100";
        _app.Settings["Tasks:AgentLostAfter"] = "00:00:01";
        _api = _app.CreateApiClient();
        _scenario = await new DeploymentScenario(_app.Services.GetRequiredService<IDbContextFactory<AutoDeployDbContext>>()).WithEnvironmentAsync();
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task An_agent_that_goes_silent_mid_step_fails_its_machine_after_the_lost_agent_limit()
    {
        await _scenario.WithReleaseAsync(null, DeploymentScenario.Step("Install", "web"));
        var (_, token) = await _scenario.AddMachineAsync("web-01", "web");
        var deployment = await _api.DeployAsync(_scenario);
        await new ProtocolAgent(_app.CreateClient(), token).NextJobAsync();

        var details = await _api.WaitForDeploymentEndAsync(deployment.Id);

        Assert.Equal(DeploymentState.Failed, details.Deployment.State);
        Assert.Contains("stopped responding", Assert.Single(details.Machines).Reason);
    }
}

/// <summary>
/// An agent that stops talking mid-step under a project that skips unavailable machines, then comes back; with a
/// two-second limit to Unavailable, apart from the test above, whose machine must stay available until its first poll
/// however slow the test machine is.
/// </summary>
[Trait("Database", "SqliteOnly")]
public sealed class SilentAgentSkipUnavailableTests : IAsyncLifetime
{
    private readonly AutoDeployAppFactory _app = new();
    private HttpClient _api = null!;
    private DeploymentScenario _scenario = null!;

    public async Task InitializeAsync()
    {
        _app.Settings["Tasks:LongPoll"] = "00:00:01";
        _app.Settings["Tasks:RecheckInterval"] = "00:00:00.100";
        _app.Settings["Tasks:AgentLostAfter"] = "00:00:01";
        _app.Settings["HealthChecks:UnavailableAfter"] = "00:00:02";
        _api = _app.CreateApiClient();
        _scenario = await new DeploymentScenario(_app.Services.GetRequiredService<IDbContextFactory<AutoDeployDbContext>>()).WithEnvironmentAsync();
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Under_skip_unavailable_a_machine_lost_mid_step_is_skipped_with_a_warning_and_gets_the_release_when_it_comes_back()
    {
        await _scenario.WithReleaseAsync(new ConnectivitySettings { SkipUnavailableMachines = true }, DeploymentScenario.Step("Install", "web"));
        (await _api.PostAsJsonAsync($"/api/projects/{_scenario.Project.Id}/triggers", new
        {
            name = "Web servers", environmentIds = new[] { _scenario.Environment.Id }, roles = new[] { "web" },
            eventGroups = new[] { "MachineAvailableForDeployment" },
        })).EnsureSuccessStatusCode();
        var (machineId, token) = await _scenario.AddMachineAsync("web-01", "web");
        var agent = new ProtocolAgent(_app.CreateClient(), token);
        var deployment = await _api.DeployAsync(_scenario);
        await agent.NextJobAsync();

        var details = await _api.WaitForDeploymentEndAsync(deployment.Id);

        Assert.Equal(DeploymentState.Success, details.Deployment.State);
        var machine = Assert.Single(details.Machines);
        Assert.Equal(TargetState.Skipped, machine.State);
        Assert.Contains("lost during step 'Install'", machine.Reason);
        Assert.Contains("stopped responding", machine.Reason);
        Assert.StartsWith("1 machine(s) skipped: web-01: ", details.Deployment.Warning);

        // Back after it was found Unavailable: its first poll is the check (connectivity only), Healthy, and it is
        // deployed the release it missed.
        await Eventually.TrueAsync(async () =>
            (await _api.GetFromJsonAsync<JsonElement>($"/api/machines/{machineId}")).GetProperty("healthStatus").GetString() == "Unavailable",
            TimeSpan.FromSeconds(30));
        var rerun = await agent.NextJobAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(AgentJobKind.RunScript, rerun.Kind);
        Assert.Equal("Healthy", (await _api.GetFromJsonAsync<JsonElement>($"/api/machines/{machineId}")).GetProperty("healthStatus").GetString());
        await agent.CompleteAsync(rerun.JobId, JobOutcome.Succeeded, 0);
        var deployments = await _api.GetFromJsonAsync<List<DeploymentSummary>>($"/api/deployments?machineId={machineId}", ProtocolAgent.Json);
        var second = Assert.Single(deployments!, d => d.Id != deployment.Id);
        Assert.Equal(DeploymentState.Success, (await _api.WaitForDeploymentEndAsync(second.Id)).Deployment.State);
        Assert.Equal(_scenario.Release.Id, second.ReleaseId);
    }
}
