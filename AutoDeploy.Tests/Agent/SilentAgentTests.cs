using AutoDeploy.Domain.Deployments;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AutoDeploy.Tests.Agent;

/// <summary>
/// An agent that stops talking mid-step. Kept apart from the other protocol tests: its one-second
/// lost-agent limit would fail their machines whenever a busy test machine pauses for a second.
/// </summary>
[Trait("Database", "App")]
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
