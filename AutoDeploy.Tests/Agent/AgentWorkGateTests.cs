using AutoDeploy.Domain.Agents;
using AutoDeploy.Domain.Deployments;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Agents;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Workers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AutoDeploy.Tests.Agent;

/// <summary>
/// The bound on agent calls using the database at once: a burst waits in the gate instead of opening a connection each,
/// and no agent call holds a slot while asking for another (which, with one slot, would hang the deployment).
/// </summary>
[Trait("Database", "App")]
public sealed class AgentWorkGateTests
{
    [Fact]
    public async Task A_call_past_the_bound_waits_until_a_slot_is_given_back()
    {
        var gate = new AgentWorkGate(Options.Create(new TaskOptions { MaxConcurrentAgentWork = 2 }));
        var first = await gate.EnterAsync(CancellationToken.None);
        var second = await gate.EnterAsync(CancellationToken.None);

        var third = gate.EnterAsync(CancellationToken.None).AsTask();
        Assert.False(third.IsCompleted);
        first.Dispose();
        (await third.WaitAsync(TimeSpan.FromSeconds(10))).Dispose();
        second.Dispose();

        Assert.Equal(2, gate.Free);
    }

    [Fact]
    public async Task With_one_slot_three_agents_run_a_deployment_with_logs_and_every_slot_comes_back()
    {
        await using var app = new AutoDeployAppFactory();
        app.Settings["Tasks:LongPoll"] = "00:00:01";
        app.Settings["Tasks:RecheckInterval"] = "00:00:00.100";
        app.Settings["Tasks:MaxConcurrentAgentWork"] = "1";
        var api = app.CreateApiClient();
        var scenario = await new DeploymentScenario(app.Services.GetRequiredService<IDbContextFactory<AutoDeployDbContext>>()).WithEnvironmentAsync();
        await scenario.WithReleaseAsync(null, DeploymentScenario.Step("Install", "web"));
        var agents = new List<ProtocolAgent>();
        foreach (var name in new[] { "web-01", "web-02", "web-03" })
        {
            agents.Add(new ProtocolAgent(app.CreateClient(), (await scenario.AddMachineAsync(name, "web")).Token));
        }

        var deployment = await api.DeployAsync(scenario);
        await Task.WhenAll(agents.Select(async agent =>
        {
            var job = await agent.NextJobAsync();
            await agent.LogAsync(job.JobId, "installing");
            await agent.CompleteAsync(job.JobId, JobOutcome.Succeeded, 0);
        }));
        var details = await api.WaitForDeploymentEndAsync(deployment.Id);

        Assert.Equal(DeploymentState.Success, details.Deployment.State);
        Assert.All(details.Machines, m => Assert.Equal(TargetState.Success, m.State));
        Assert.Equal(1, app.Services.GetRequiredService<AgentWorkGate>().Free);
    }
}
