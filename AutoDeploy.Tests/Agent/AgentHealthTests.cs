using AutoDeploy.Agent;
using AutoDeploy.Domain.Events;
using AutoDeploy.Domain.Machines;
using AutoDeploy.Domain.Policies;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.HealthChecks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AutoDeploy.Tests.Agent;

/// <summary>
/// Health through the real agent program: the first contact is checked at once; a killed agent is noticed and cleaned up.
/// The server keeps its production silence limit while the agent lives (a busy test machine can starve a live agent's
/// process for seconds); a test shortens it only once its agent is dead. Its subject is the agent program and its
/// health timing, not the database, so it runs once (SQLite only).
/// </summary>
[Trait("Database", "SqliteOnly")]
public sealed class AgentHealthTests : IAsyncLifetime
{
    private readonly AutoDeployAppFactory _app = new();
    private IDbContextFactory<AutoDeployDbContext> _factory = null!;
    private string _server = "";

    public Task InitializeAsync()
    {
        _app.Settings["Tasks:LongPoll"] = "00:00:01";
        _app.Settings["Tasks:LastSeenResolution"] = "00:00:00.2";
        _app.Settings["HealthChecks:TickInterval"] = "00:00:00.2";
        _server = _app.StartOnKestrel();
        _factory = _app.Services.GetRequiredService<IDbContextFactory<AutoDeployDbContext>>();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task A_new_agent_is_checked_on_its_first_poll_and_a_killed_one_turns_Unavailable_and_is_deleted_by_its_policy()
    {
        await using var agent = new AgentProcess();
        var machineId = await RegisterAsync(agent, "spot-01", await AddSpotPolicyAsync());

        agent.StartRun();
        await Eventually.TrueAsync(async () => await StatusAsync(machineId) == MachineHealthStatus.Healthy, because: () => agent.Output);
        agent.Kill();
        _app.Services.GetRequiredService<IOptions<HealthCheckOptions>>().Value.UnavailableAfter = TimeSpan.FromSeconds(3);
        await Eventually.TrueAsync(async () => !await ExistsAsync(machineId), because: () => "the policy deletes unavailable machines at once");

        await using var db = await _factory.CreateDbContextAsync();
        var categories = await db.Events.Where(e => e.MachineId == machineId).OrderBy(e => e.Id).Select(e => e.Category).ToListAsync();
        Assert.Equal([EventCategories.MachineAdded, EventCategories.MachineHealthy, EventCategories.MachineUnavailable, EventCategories.MachineDeleted],
            categories);
    }

    [Theory]
    [InlineData("echo checking\necho '##warning disk 91% full'", MachineHealthStatus.HasWarnings, "disk 91% full")]
    [InlineData("echo 'no database' >&2\nexit 3", MachineHealthStatus.Unhealthy, "exit code 3")]
    [InlineData("test \"$AUTODEPLOY_MACHINE\" = script-01", MachineHealthStatus.Healthy, "script passed")]
    public async Task A_health_script_policy_judges_the_machine_by_the_script_run_on_its_agent(string script, MachineHealthStatus expected, string summary)
    {
        await using var db = await _factory.CreateDbContextAsync();
        var policy = new MachinePolicy { HealthCheckType = HealthCheckType.RunScript, HealthCheckScript = script };
        policy.Rename($"Scripted {Guid.NewGuid():N}");
        db.MachinePolicies.Add(policy);
        await db.SaveChangesAsync();
        await using var agent = new AgentProcess();
        var machineId = await RegisterAsync(agent, "script-01", policy.Id);

        agent.StartRun();

        await Eventually.TrueAsync(async () => await StatusAsync(machineId) is not MachineHealthStatus.Unknown, because: () => agent.Output);
        await using var check = await _factory.CreateDbContextAsync();
        var machine = await check.Machines.SingleAsync(m => m.Id == machineId);
        Assert.Equal(expected, machine.HealthStatus);
        Assert.Contains(summary, machine.HealthSummary);
    }

    private async Task<int> AddSpotPolicyAsync()
    {
        await using var db = await _factory.CreateDbContextAsync();
        var policy = new MachinePolicy { CleanupBehavior = CleanupBehavior.DeleteUnavailableMachines, DeleteUnavailableAfter = TimeSpan.Zero };
        policy.Rename("Spot instances");
        db.MachinePolicies.Add(policy);
        await db.SaveChangesAsync();
        return policy.Id;
    }

    /// <summary>A machine with a token, and the agent's home holding that registration.</summary>
    private async Task<int> RegisterAsync(AgentProcess agent, string name, int policyId)
    {
        var (id, token) = await _factory.AddAsync(name, [], ["web"], policyId);
        new AgentSettings(_server, id, name, token).Save(agent.Home);
        return id;
    }

    private async Task<MachineHealthStatus?> StatusAsync(int id)
    {
        await using var db = await _factory.CreateDbContextAsync();
        return await db.Machines.Where(m => m.Id == id).Select(m => (MachineHealthStatus?)m.HealthStatus).SingleOrDefaultAsync();
    }

    private async Task<bool> ExistsAsync(int id)
    {
        await using var db = await _factory.CreateDbContextAsync();
        return await db.Machines.AnyAsync(m => m.Id == id);
    }
}
