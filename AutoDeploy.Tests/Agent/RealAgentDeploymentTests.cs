using System.Net.Http.Json;
using AutoDeploy.Agent;
using AutoDeploy.Domain.Deployments;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Services;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AutoDeploy.Tests.Agent;

/// <summary>
/// The real agent loop and real bash scripts against the server on Kestrel, over real HTTP. Its subject is the agent;
/// the protocol on PostgreSQL is DeploymentProtocolTests', so this runs once (SQLite only).
/// </summary>
[Trait("Database", "SqliteOnly")]
public sealed class RealAgentDeploymentTests : IAsyncLifetime
{
    private static readonly AgentRunnerOptions FastAgent = TestAgentOptions.Fast;

    private readonly AutoDeployAppFactory _app = new();
    private readonly CancellationTokenSource _stopAgents = new();
    private readonly List<Task<int>> _agents = [];
    private string _server = "";
    private HttpClient _api = null!;
    private DeploymentScenario _scenario = null!;

    public async Task InitializeAsync()
    {
        _app.Settings["Tasks:LongPoll"] = "00:00:02";
        _app.Settings["Tasks:RecheckInterval"] = "00:00:00.200";
        _server = _app.StartOnKestrel();
        _api = new HttpClient { BaseAddress = new Uri(_server) };
        _api.DefaultRequestHeaders.Add("X-Api-Key", AutoDeployAppFactory.AdminApiKey);
        _scenario = await new DeploymentScenario(_app.Services.GetRequiredService<IDbContextFactory<AutoDeployDbContext>>()).WithEnvironmentAsync();
    }

    public async Task DisposeAsync()
    {
        await _stopAgents.CancelAsync();
        await Task.WhenAll(_agents);
        _api.Dispose();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task Two_agents_run_the_release_and_both_machines_succeed_with_their_output_in_the_log()
    {
        await _scenario.WithReleaseAsync(null,
            DeploymentScenario.Step("Install", "web", "echo \"installing $AUTODEPLOY_RELEASE on $AUTODEPLOY_MACHINE\"\necho \"secret is $DB_PASSWORD\""));
        StartAgent(await _scenario.AddMachineAsync("web-01", "web"), "web-01");
        StartAgent(await _scenario.AddMachineAsync("web-02", "web"), "web-02");

        var details = await DeployAndWaitAsync();

        Assert.Equal(DeploymentState.Success, details.Deployment.State);
        Assert.All(details.Machines, m => Assert.Equal(TargetState.Success, m.State));
        var log = await _api.GetFromJsonAsync<LogPage>($"/api/deployments/{details.Deployment.Id}/log", ProtocolAgent.Json);
        var texts = log!.Lines.Select(l => l.Text).ToList();
        Assert.Contains("installing 1.0.0 on web-01", texts);
        Assert.Contains("installing 1.0.0 on web-02", texts);
        Assert.Contains("secret is ********", texts);
    }

    [Fact]
    public async Task A_failing_script_fails_the_deployment_with_its_output_and_exit_code()
    {
        await _scenario.WithReleaseAsync(null, DeploymentScenario.Step("Install", "web", "echo 'disk full' >&2\nexit 4"));
        StartAgent(await _scenario.AddMachineAsync("web-01", "web"), "web-01");

        var details = await DeployAndWaitAsync();

        Assert.Equal(DeploymentState.Failed, details.Deployment.State);
        Assert.Contains("exit code 4", Assert.Single(details.Machines).Reason);
        var log = await _api.GetFromJsonAsync<LogPage>($"/api/deployments/{details.Deployment.Id}/log", ProtocolAgent.Json);
        Assert.Contains(log!.Lines, l => l.Text == "disk full");
    }

    [Fact]
    public async Task A_step_that_hangs_is_stopped_at_its_timeout()
    {
        await _scenario.WithReleaseAsync(null, DeploymentScenario.Step("Hang", "web", "sleep 600", timeoutSeconds: 1));
        StartAgent(await _scenario.AddMachineAsync("web-01", "web"), "web-01");

        var details = await DeployAndWaitAsync();

        Assert.Equal(DeploymentState.TimedOut, details.Deployment.State);
        Assert.Equal(TargetState.TimedOut, Assert.Single(details.Machines).State);
    }

    [Fact]
    public async Task Canceling_a_long_step_kills_the_script_and_ends_the_deployment_canceled()
    {
        await _scenario.WithReleaseAsync(null, DeploymentScenario.Step("Long", "web", "echo started\nsleep 600"));
        StartAgent(await _scenario.AddMachineAsync("web-01", "web"), "web-01");
        var deployment = await _api.DeployAsync(_scenario);
        await Eventually.TrueAsync(async () =>
            (await _api.GetFromJsonAsync<LogPage>($"/api/deployments/{deployment.Id}/log", ProtocolAgent.Json))!.Lines.Any(l => l.Text == "started"));

        await _api.PostAsync($"/api/deployments/{deployment.Id}/cancel", null);
        var details = await _api.WaitForDeploymentEndAsync(deployment.Id, TimeSpan.FromSeconds(60));

        Assert.Equal(DeploymentState.Canceled, details.Deployment.State);
        Assert.Equal(JobState.Canceled, Assert.Single(Assert.Single(details.Machines).Steps).State);
    }

    private void StartAgent((int Id, string Token) machine, string name)
    {
        var runner = new AgentRunner(new AgentSettings(_server, machine.Id, name, machine.Token), new HttpClient(), TimeProvider.System,
            TextWriter.Null, FastAgent);
        // On the thread pool, as in its own process: not queued behind other tests on xunit's few threads.
        _agents.Add(Task.Run(() => runner.RunAsync(_stopAgents.Token)));
    }

    private async Task<DeploymentDetails> DeployAndWaitAsync() =>
        await _api.WaitForDeploymentEndAsync((await _api.DeployAsync(_scenario)).Id, TimeSpan.FromSeconds(60));
}
