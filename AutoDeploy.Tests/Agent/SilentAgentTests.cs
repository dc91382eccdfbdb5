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
/// An agent that stops talking mid-step: an app with a one-second lost-agent limit, and with <paramref name="unavailableAfter"/>
/// as the limit to Unavailable when a test needs a short one. Kept apart from the other protocol tests: the one-second
/// limit would fail their machines whenever a busy test machine pauses for a second. The subject is the server's timing
/// of a silent agent, not the database, so these run once (SQLite only).
/// </summary>
public abstract class SilentAgentContext(string? unavailableAfter) : IAsyncLifetime
{
    protected AutoDeployAppFactory App { get; } = new();
    protected HttpClient Api { get; private set; } = null!;
    protected DeploymentScenario Scenario { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        App.Settings["Tasks:LongPoll"] = "00:00:01";
        App.Settings["Tasks:RecheckInterval"] = "00:00:00.100";
        App.Settings["Tasks:AgentLostAfter"] = "00:00:01";
        if (unavailableAfter is not null)
        {
            App.Settings["HealthChecks:UnavailableAfter"] = unavailableAfter;
        }
        Api = App.CreateApiClient();
        Scenario = await new DeploymentScenario(App.Services.GetRequiredService<IDbContextFactory<AutoDeployDbContext>>()).WithEnvironmentAsync();
    }

    public async Task DisposeAsync() => await App.DisposeAsync();
}

/// <summary>The default limit to Unavailable: the machine must stay available until its first poll, however slow the test machine.</summary>
[Trait("Database", "SqliteOnly")]
public sealed class SilentAgentTests() : SilentAgentContext(unavailableAfter: null)
{
    [Fact]
    public async Task An_agent_that_goes_silent_mid_step_fails_its_machine_after_the_lost_agent_limit()
    {
        await Scenario.WithReleaseAsync(null, DeploymentScenario.Step("Install", "web"));
        var (_, token) = await Scenario.AddMachineAsync("web-01", "web");
        var deployment = await Api.DeployAsync(Scenario);
        await new ProtocolAgent(App.CreateClient(), token).NextJobAsync();

        var details = await Api.WaitForDeploymentEndAsync(deployment.Id);

        Assert.Equal(DeploymentState.Failed, details.Deployment.State);
        Assert.Contains("stopped responding", Assert.Single(details.Machines).Reason);
    }
}

/// <summary>Under a project that skips unavailable machines, a machine lost mid-step, then back: Unavailable after two seconds.</summary>
[Trait("Database", "SqliteOnly")]
public sealed class SilentAgentSkipUnavailableTests() : SilentAgentContext(unavailableAfter: "00:00:02")
{
    [Fact]
    public async Task Under_skip_unavailable_a_machine_lost_mid_step_is_skipped_with_a_warning_and_gets_the_release_when_it_comes_back()
    {
        await Scenario.WithReleaseAsync(new ConnectivitySettings { SkipUnavailableMachines = true }, DeploymentScenario.Step("Install", "web"));
        (await Api.PostAsJsonAsync($"/api/projects/{Scenario.Project.Id}/triggers", new
        {
            name = "Web servers", environmentIds = new[] { Scenario.Environment.Id }, roles = new[] { "web" },
            eventGroups = new[] { "MachineAvailableForDeployment" },
        })).EnsureSuccessStatusCode();
        var (machineId, token) = await Scenario.AddMachineAsync("web-01", "web");
        var agent = new ProtocolAgent(App.CreateClient(), token);
        var deployment = await Api.DeployAsync(Scenario);
        await agent.NextJobAsync();

        var details = await Api.WaitForDeploymentEndAsync(deployment.Id);

        Assert.Equal(DeploymentState.Success, details.Deployment.State);
        var machine = Assert.Single(details.Machines);
        Assert.Equal(TargetState.Skipped, machine.State);
        Assert.Contains("lost during step 'Install'", machine.Reason);
        Assert.Contains("stopped responding", machine.Reason);
        Assert.StartsWith("1 machine(s) skipped: web-01: ", details.Deployment.Warning);

        // Back after it was found Unavailable: its first poll is the check (connectivity only), Healthy, and it is
        // deployed the release it missed.
        await Eventually.TrueAsync(async () =>
            (await Api.GetFromJsonAsync<JsonElement>($"/api/machines/{machineId}")).GetProperty("healthStatus").GetString() == "Unavailable",
            TimeSpan.FromSeconds(30));
        var rerun = await agent.NextJobAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(AgentJobKind.RunScript, rerun.Kind);
        Assert.Equal("Healthy", (await Api.GetFromJsonAsync<JsonElement>($"/api/machines/{machineId}")).GetProperty("healthStatus").GetString());
        await agent.CompleteAsync(rerun.JobId, JobOutcome.Succeeded, 0);
        var deployments = await Api.GetFromJsonAsync<List<DeploymentSummary>>($"/api/deployments?machineId={machineId}", ProtocolAgent.Json);
        var second = Assert.Single(deployments!, d => d.Id != deployment.Id);
        Assert.Equal(DeploymentState.Success, (await Api.WaitForDeploymentEndAsync(second.Id)).Deployment.State);
        Assert.Equal(Scenario.Release.Id, second.ReleaseId);
    }
}
