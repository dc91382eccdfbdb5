using System.Net;
using AutoDeploy.Domain.Agents;
using AutoDeploy.Domain.Machines;
using AutoDeploy.Domain.Policies;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AutoDeploy.Tests.Agent;

/// <summary>
/// A machine's first poll is its health check: under a connectivity-only policy the poll itself is the answer (no job),
/// an outdated agent is judged HasWarnings, and a policy with a script sends the script as a job on that poll.
/// </summary>
[Trait("Database", "App")]
public sealed class FirstContactTests : IAsyncLifetime
{
    private readonly AutoDeployAppFactory _app = new();
    private IDbContextFactory<AutoDeployDbContext> _database = null!;
    private DeploymentScenario _scenario = null!;

    public async Task InitializeAsync()
    {
        _app.Settings["Tasks:LongPoll"] = "00:00:01";
        _database = _app.Services.GetRequiredService<IDbContextFactory<AutoDeployDbContext>>();
        _scenario = await new DeploymentScenario(_database).WithEnvironmentAsync();
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Theory]
    [InlineData(null, MachineHealthStatus.Healthy, "The agent is connected.")]
    [InlineData("0.0.1", MachineHealthStatus.HasWarnings, "The agent's version 0.0.1 is older than the server's")]
    /// <param name="version">The agent's version; null: the server's own.</param>
    public async Task Under_a_connectivity_policy_the_first_poll_is_the_check_and_makes_no_job(string? version, MachineHealthStatus expected,
        string summary)
    {
        var (id, token) = await _database.AddAsync("web-01", [_scenario.Environment.Id], ["web"]);

        using var poll = await new ProtocolAgent(_app.CreateClient(), token).SendAsync(HttpMethod.Post, "/api/agent/poll", new PollRequest(version ?? AgentProtocol.Version));

        await using var db = await _database.CreateDbContextAsync();
        var machine = await db.Machines.AsNoTracking().SingleAsync(m => m.Id == id);
        Assert.Equal(HttpStatusCode.NoContent, poll.StatusCode);
        Assert.Equal(expected, machine.HealthStatus);
        Assert.StartsWith(summary, machine.HealthSummary);
        Assert.NotNull(machine.NextHealthCheckAt);
        Assert.False(await db.MachineJobs.AnyAsync(j => j.MachineId == id));
    }

    [Fact]
    public async Task Under_a_script_policy_the_first_poll_hands_over_the_script_as_a_check_job()
    {
        int policyId;
        await using (var db = await _database.CreateDbContextAsync())
        {
            var policy = new MachinePolicy { HealthCheckType = HealthCheckType.RunScript, HealthCheckScript = "df -h /" };
            policy.Rename("Scripted");
            db.MachinePolicies.Add(policy);
            await db.SaveChangesAsync();
            policyId = policy.Id;
        }
        var (id, token) = await _database.AddAsync("web-02", [_scenario.Environment.Id], ["web"], policyId);

        var job = await new ProtocolAgent(_app.CreateClient(), token).PollAsync();

        Assert.NotNull(job);
        Assert.Equal((AgentJobKind.HealthCheck, "df -h /"), (job.Kind, job.Script));
        await using var read = await _database.CreateDbContextAsync();
        Assert.Equal(MachineHealthStatus.Unknown, (await read.Machines.AsNoTracking().SingleAsync(m => m.Id == id)).HealthStatus);
    }
}
