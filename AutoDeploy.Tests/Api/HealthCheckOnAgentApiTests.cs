using AutoDeploy.Domain.Agents;
using AutoDeploy.Domain.Deployments;
using AutoDeploy.Domain.Machines;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AutoDeploy.Tests.Api;

/// <summary>
/// A health check answered by an agent. Apart from <see cref="HealthChecksApiTests"/>, whose one-second
/// pick-up timeout would fail this check whenever a busy machine delays the agent's poll.
/// </summary>
[Trait("Database", "App")]
public sealed class HealthCheckOnAgentApiTests : IAsyncLifetime
{
    private readonly AutoDeployAppFactory _app = new();
    private HttpClient _client = null!;
    private IDbContextFactory<AutoDeployDbContext> _database = null!;

    public Task InitializeAsync()
    {
        _app.Settings["HealthChecks:TickInterval"] = "00:00:00.2";
        _app.Settings["Tasks:LongPoll"] = "00:00:01";
        _client = _app.CreateApiClient();
        _database = _app.Services.GetRequiredService<IDbContextFactory<AutoDeployDbContext>>();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task A_run_on_a_machine_whose_agent_answers_ends_Success_with_the_machine_Healthy()
    {
        var scenario = await new DeploymentScenario(_database).WithEnvironmentAsync();
        var (machineId, token) = await scenario.AddMachineAsync("web-01", "web");
        var agent = new ProtocolAgent(_app.CreateClient(), token);
        var started = await _client.PostAsync($"/api/machines/{machineId}/health-check", null);

        var job = await agent.NextJobAsync();
        await agent.CompleteAsync(job.JobId, JobOutcome.Succeeded, 0);
        var run = await _client.WaitForHealthCheckEndAsync(started.Headers.Location!);

        Assert.Equal(AgentJobKind.HealthCheck, job.Kind);
        Assert.Equal((DeploymentState.Success, "1 machine(s) checked."), (run.State, run.Summary));
        var machine = Assert.Single(run.Machines);
        Assert.Equal((MachineHealthStatus.Healthy, JobState.Succeeded), (machine.HealthStatus, machine.CheckState));
    }
}
