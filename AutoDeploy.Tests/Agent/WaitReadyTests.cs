using System.Net.Http.Json;
using AutoDeploy.Agent;
using AutoDeploy.Agent.Commands;
using AutoDeploy.Domain.Triggers;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AutoDeploy.Tests.Agent;

/// <summary>
/// <c>wait-ready</c>'s exit codes end to end: the command as the agent runs it, against the server on Kestrel, while a real
/// agent loop on the machine gets its release from the engine (or fails to). Its subject is the command's exit codes;
/// readiness over PostgreSQL is ReadinessApiTests', so this runs once (SQLite only).
/// </summary>
[Trait("Database", "SqliteOnly")]
public sealed class WaitReadyTests : IAsyncLifetime
{
    private static readonly AgentRunnerOptions FastAgent = new()
    {
        RetryInitialDelay = TimeSpan.FromMilliseconds(50), RetryMaxDelay = TimeSpan.FromMilliseconds(500),
        HeartbeatInterval = TimeSpan.FromMilliseconds(500), LogFlushInterval = TimeSpan.FromMilliseconds(100),
    };

    private readonly AutoDeployAppFactory _app = new();
    private readonly CancellationTokenSource _stopAgents = new();
    private readonly List<Task<int>> _agents = [];
    private readonly string _home = Directory.CreateTempSubdirectory("autodeploy-wait-ready-").FullName;
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();
    private IDbContextFactory<AutoDeployDbContext> _factory = null!;
    private DeploymentScenario _scenario = null!;
    private string _server = "";

    public Task InitializeAsync()
    {
        _app.Settings["Tasks:LongPoll"] = "00:00:01";
        _app.Settings["Tasks:RecheckInterval"] = "00:00:00.100";
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _stopAgents.CancelAsync();
        await Task.WhenAll(_agents);
        await _app.DisposeAsync();
        Directory.Delete(_home, recursive: true);
    }

    [Fact]
    public async Task Exits_0_once_the_engine_has_deployed_the_release_to_the_machine()
    {
        await StartAsync("echo \"installed $AUTODEPLOY_RELEASE\"");
        var machine = await StartAgentAsync("web-01");

        var exitCode = await WaitReadyAsync(machine, "60s");

        Assert.True(exitCode == ExitCodes.Done, Describe());
        Assert.Contains($"'web-01' is ready: {_scenario.Project.Name} 1.0.0 in {_scenario.Environment.Name} is installed.", _output.ToString());
    }

    [Fact]
    public async Task Exits_5_when_the_deployment_failed_on_the_machine()
    {
        _app.Settings["AutoDeploy:RetryBackoff"] = "01:00:00";
        await StartAsync("echo 'disk full'\nexit 1");
        var machine = await StartAgentAsync("web-01");

        var exitCode = await WaitReadyAsync(machine, "60s");

        Assert.True(exitCode == ExitCodes.DeploymentFailed, Describe());
        Assert.Contains($"{_scenario.Project.Name} 1.0.0 in {_scenario.Environment.Name} failed:", _output.ToString());
    }

    [Fact]
    public async Task Exits_6_when_the_engine_blocked_the_release_for_the_machine()
    {
        _app.Settings["AutoDeploy:MaxAttempts"] = "1";
        await StartAsync("exit 1");
        var machine = await StartAgentAsync("web-01");
        await Eventually.TrueAsync(async () => await StateAsync(machine.Id) == ReadinessState.Blocked, TimeSpan.FromSeconds(60), Describe);

        var exitCode = await WaitReadyAsync(machine, "60s");

        Assert.True(exitCode == ExitCodes.DeploymentBlocked, Describe());
        Assert.Contains("is blocked: Blocked after 1 failures", _output.ToString());
    }

    [Fact]
    public async Task Exits_7_with_the_last_answer_when_the_machine_is_not_ready_within_the_timeout()
    {
        await StartAsync("echo never");
        // Registered, but no agent runs on it: never checked, never deployed to, so it waits for ever.
        var machine = await _factory.AddAsync("web-01", [_scenario.Environment.Id], ["web"]);

        var exitCode = await WaitReadyAsync(machine, "1s");

        Assert.True(exitCode == ExitCodes.NotReadyInTime, Describe());
        Assert.Contains("Not ready within 1s.", _error.ToString());
    }

    [Fact]
    public async Task Exits_2_when_the_server_refuses_the_token()
    {
        await StartAsync("echo never");

        var exitCode = await WaitReadyAsync((4242, "not-a-token"), "60s");

        Assert.True(exitCode == ExitCodes.TokenRefused, Describe());
        Assert.Contains(TokenRefusedException.Explanation, _error.ToString());
    }

    /// <summary>The app on Kestrel with a trigger for web machines and a release that succeeded in the environment.</summary>
    private async Task StartAsync(string script)
    {
        _server = _app.StartOnKestrel();
        _factory = _app.Services.GetRequiredService<IDbContextFactory<AutoDeployDbContext>>();
        _scenario = await new DeploymentScenario(_factory).WithEnvironmentAsync();
        await _scenario.WithReleaseAsync(null, DeploymentScenario.Step("Install", "web", script));
        await _scenario.WithSuccessfulDeploymentAndTriggerAsync();
    }

    /// <summary>A newly registered machine whose agent starts polling: checked at once, then deployed to by the engine.</summary>
    private async Task<(int Id, string Token)> StartAgentAsync(string name)
    {
        var machine = await _factory.AddAsync(name, [_scenario.Environment.Id], ["web"]);
        var runner = new AgentRunner(new AgentSettings(_server, machine.Id, name, machine.Token), new HttpClient(), TimeProvider.System,
            TextWriter.Null, FastAgent);
        // On the thread pool, as in its own process: not queued behind other tests on xunit's few threads.
        _agents.Add(Task.Run(() => runner.RunAsync(_stopAgents.Token)));
        return machine;
    }

    /// <summary><c>wait-ready</c> as the agent program runs it, with the machine's registration in its home.</summary>
    private async Task<int> WaitReadyAsync((int Id, string Token) machine, string timeout)
    {
        new AgentSettings(_server, machine.Id, "web-01", machine.Token).Save(_home);
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        return await Task.Run(() => AgentCommands.RunAsync(["wait-ready", "--home", _home, "--timeout", timeout], _output, _error, limit.Token));
    }

    private async Task<ReadinessState> StateAsync(int machineId)
    {
        using var api = new HttpClient { BaseAddress = new Uri(_server) };
        api.DefaultRequestHeaders.Add("X-Api-Key", AutoDeployAppFactory.AdminApiKey);
        return (await api.GetFromJsonAsync<MachineReadiness>($"/api/machines/{machineId}/readiness", ProtocolAgent.Json))!.State;
    }

    private string Describe() => $"output:\n{_output}\nerror:\n{_error}";
}
