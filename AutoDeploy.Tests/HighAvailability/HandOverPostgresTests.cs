using System.Net.Http.Json;
using AutoDeploy.Domain.Agents;
using AutoDeploy.Domain.Deployments;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Services;
using Microsoft.EntityFrameworkCore;

namespace AutoDeploy.Tests.HighAvailability;

/// <summary>Two app instances on one PostgreSQL database: a deployment outlives the node that started it.</summary>
[Collection("postgres")]
public sealed class HandOverPostgresTests(PostgresServer server)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_node_stopped_mid_deployment_hands_it_over_and_another_node_finishes_it_with_the_job_its_agent_already_ran()
    {
        var database = await PostgresDatabase.CreateAsync(server);
        var scenario = await new DeploymentScenario(database).WithEnvironmentAsync();
        await scenario.WithReleaseAsync(null, DeploymentScenario.Step("Install", "web"));
        var (machineId, token) = await scenario.AddMachineAsync("web-01", "web");
        await using var a = App(database, "node-a");
        await using var b = App(database, "node-b");
        var deployment = await DeployAsync(a.CreateApiClient(), scenario);
        var job = await new ProtocolAgent(a.CreateClient(), token).NextJobAsync(Patience);
        _ = b.Services;

        await a.DisposeAsync();
        await new ProtocolAgent(b.CreateClient(), token).CompleteAsync(job.JobId, JobOutcome.Succeeded, 0);

        await Eventually.TrueAsync(async () => (await DeploymentAsync(database, deployment)).State.IsFinished(), Patience,
            () => "node B should finish the deployment");
        var finished = await DeploymentAsync(database, deployment);
        Assert.Equal((DeploymentState.Success, "node-b"), (finished.State, finished.ExecutingNode));
        await using var db = database.CreateDbContext();
        Assert.Equal(machineId, (await db.MachineJobs.SingleAsync(j => j.DeploymentId == deployment)).MachineId);
        Assert.Contains(await db.TaskLogLines.Where(l => l.DeploymentId == deployment).Select(l => l.Text).ToListAsync(),
            t => t.StartsWith("Node 'node-b' took this deployment over from node 'node-a'", StringComparison.Ordinal));
    }

    private static AutoDeployAppFactory App(PostgresDatabase database, string node)
    {
        var app = new AutoDeployAppFactory();
        app.Settings["Database:Provider"] = "Postgres";
        app.Settings["ConnectionStrings:Default"] = database.ConnectionString;
        app.Settings["Node:Name"] = node;
        app.Settings["Node:LeaseDuration"] = "00:00:03";
        app.Settings["Tasks:LongPoll"] = "00:00:01";
        app.Settings["Tasks:RecheckInterval"] = "00:00:00.200";
        return app;
    }

    private static async Task<int> DeployAsync(HttpClient api, DeploymentScenario scenario)
    {
        var response = await api.PostAsJsonAsync("/api/deployments", new DeployRequest(scenario.Release.Id, scenario.Environment.Id, null));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<DeploymentSummary>(ProtocolAgent.Json))!.Id;
    }

    private static async Task<Deployment> DeploymentAsync(PostgresDatabase database, int id)
    {
        await using var db = database.CreateDbContext();
        return await db.Deployments.AsNoTracking().SingleAsync(d => d.Id == id);
    }
}
