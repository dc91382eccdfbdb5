using AutoDeploy.Domain.Agents;
using AutoDeploy.Domain.Deployments;
using AutoDeploy.Domain.Environments;
using AutoDeploy.Domain.Events;
using AutoDeploy.Domain.Machines;
using AutoDeploy.Domain.Policies;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.HealthChecks;
using AutoDeploy.Web.Signals;
using AutoDeploy.Web.Workers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace AutoDeploy.Tests.HealthChecks;

/// <summary>The health-check worker against a real SQLite database, driven tick by tick with a fake clock.</summary>
public sealed class HealthCheckWorkerTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));
    private readonly HealthCheckOptions _options = new() { MaxConcurrentChecks = 2 };
    private SqliteDatabase _database = null!;
    private HealthCheckWorker _worker = null!;
    private HealthCheckService _healthChecks = null!;

    public async Task InitializeAsync()
    {
        _database = await SqliteDatabase.CreateAsync(_time);
        var signals = new TaskSignals();
        var options = Microsoft.Extensions.Options.Options.Create(_options);
        _healthChecks = new HealthCheckService(_database, signals, options, _time);
        _worker = new HealthCheckWorker(_database, _healthChecks, signals, options, _time, NullLogger<HealthCheckWorker>.Instance);
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task A_machine_whose_agent_went_silent_turns_Unavailable_with_one_event_however_many_ticks()
    {
        var id = await AddMachineAsync("web-01", MachineHealthStatus.Healthy);
        _time.Advance(TimeSpan.FromSeconds(31));

        await _worker.TickAsync(default);
        await _worker.TickAsync(default);

        Assert.Equal(MachineHealthStatus.Unavailable, await StatusAsync(id));
        Assert.Equal(1, await CountEventsAsync(id, EventCategories.MachineUnavailable));
    }

    [Fact]
    public async Task A_machine_heard_from_within_the_grace_stays_as_it_was()
    {
        var id = await AddMachineAsync("web-01", MachineHealthStatus.Healthy);
        _time.Advance(TimeSpan.FromSeconds(30));

        await _worker.TickAsync(default);

        Assert.Equal(MachineHealthStatus.Healthy, await StatusAsync(id));
    }

    [Fact]
    public async Task A_machine_silent_only_while_this_node_was_stalled_stays_as_it_was_until_its_full_limit_passed()
    {
        var stalls = new ServerStalls(_time);
        var worker = new HealthCheckWorker(_database, _healthChecks, new TaskSignals(), Microsoft.Extensions.Options.Options.Create(_options), _time,
            NullLogger<HealthCheckWorker>.Instance, stalls: stalls);
        var id = await AddMachineAsync("web-01", MachineHealthStatus.Healthy);
        _time.Advance(TimeSpan.FromSeconds(31));
        stalls.Record(_time.GetUtcNow(), TimeSpan.FromSeconds(5));

        await worker.TickAsync(default);
        var duringStall = await StatusAsync(id);
        _time.Advance(TimeSpan.FromSeconds(5));
        await worker.TickAsync(default);

        Assert.Equal((MachineHealthStatus.Healthy, MachineHealthStatus.Unavailable), (duringStall, await StatusAsync(id)));
    }

    [Fact]
    public async Task Due_checks_are_queued_once_each_and_no_more_than_the_concurrency_allows()
    {
        for (var i = 0; i < 3; i++)
        {
            await AddMachineAsync($"web-0{i}", MachineHealthStatus.Healthy, nextCheck: _time.GetUtcNow());
        }
        var notDue = await AddMachineAsync("later", MachineHealthStatus.Healthy, nextCheck: _time.GetUtcNow().AddMinutes(5));

        await _worker.TickAsync(default);
        await _worker.TickAsync(default);

        await using var db = _database.CreateDbContext();
        var jobs = await db.MachineJobs.Where(j => j.Kind == AgentJobKind.HealthCheck).ToListAsync();
        Assert.Equal(2, jobs.Count);
        Assert.DoesNotContain(jobs, j => j.MachineId == notDue);
    }

    [Fact]
    public async Task A_check_no_agent_picks_up_in_time_makes_the_machine_Unavailable()
    {
        var id = await AddMachineAsync("web-01", MachineHealthStatus.Healthy, nextCheck: _time.GetUtcNow());
        await _worker.TickAsync(default);
        await KeepAliveAsync(id, TimeSpan.FromSeconds(31));

        await _worker.TickAsync(default);

        Assert.Equal(MachineHealthStatus.Unavailable, await StatusAsync(id));
        await using var db = _database.CreateDbContext();
        Assert.Contains("did not pick up", (await db.Machines.SingleAsync(m => m.Id == id)).HealthSummary);
    }

    [Fact]
    public async Task A_machine_unavailable_longer_than_its_clean_up_policy_allows_is_deleted_with_an_event_naming_the_policy()
    {
        var policyId = await AddCleanupPolicyAsync(TimeSpan.FromMinutes(5));
        var id = await AddMachineAsync("spot-01", MachineHealthStatus.Unavailable, policyId);
        _time.Advance(TimeSpan.FromMinutes(4));
        await _worker.TickAsync(default);
        var stillThere = await ExistsAsync(id);

        _time.Advance(TimeSpan.FromMinutes(1));
        await _worker.TickAsync(default);

        Assert.True(stillThere);
        Assert.False(await ExistsAsync(id));
        await using var db = _database.CreateDbContext();
        var deleted = await db.Events.SingleAsync(e => e.MachineId == id && e.Category == EventCategories.MachineDeleted);
        Assert.Contains("'Spot instances'", deleted.Message);
        Assert.Equal(policyId, deleted.PolicyId);
    }

    [Fact]
    public async Task Under_the_default_policy_an_unavailable_machine_is_kept()
    {
        var id = await AddMachineAsync("web-01", MachineHealthStatus.Unavailable);
        _time.Advance(TimeSpan.FromDays(30));

        await _worker.TickAsync(default);

        Assert.True(await ExistsAsync(id));
    }

    [Fact]
    public async Task A_machine_in_a_running_deployment_is_not_cleaned_up_and_MachineCleanupFailed_is_recorded_once()
    {
        var policyId = await AddCleanupPolicyAsync(TimeSpan.Zero);
        var id = await AddMachineAsync("spot-01", MachineHealthStatus.Unavailable, policyId);
        await AddRunningDeploymentAsync(id);

        await _worker.TickAsync(default);
        await _worker.TickAsync(default);

        Assert.True(await ExistsAsync(id));
        Assert.Equal(1, await CountEventsAsync(id, EventCategories.MachineCleanupFailed));
    }

    [Fact]
    public async Task MachineCleanupFailed_is_recorded_once_even_when_another_node_or_a_restarted_server_ticks()
    {
        var policyId = await AddCleanupPolicyAsync(TimeSpan.Zero);
        var id = await AddMachineAsync("spot-01", MachineHealthStatus.Unavailable, policyId);
        await AddRunningDeploymentAsync(id);
        var otherNode = new HealthCheckWorker(_database, _healthChecks, new TaskSignals(), Microsoft.Extensions.Options.Options.Create(_options), _time,
            NullLogger<HealthCheckWorker>.Instance);

        await _worker.TickAsync(default);
        await otherNode.TickAsync(default);

        Assert.Equal(1, await CountEventsAsync(id, EventCategories.MachineCleanupFailed));
    }

    [Fact]
    public async Task A_health_check_task_on_an_environment_fails_for_machines_expected_online_and_skips_the_others()
    {
        var environmentId = await AddEnvironmentAsync();
        var lenient = await AddCleanupPolicyAsync(TimeSpan.FromDays(1), ConnectivityBehavior.MayBeOfflineAndCanBeSkipped);
        await AddMachineAsync("strict", MachineHealthStatus.Healthy, environmentId: environmentId);
        await AddMachineAsync("lenient", MachineHealthStatus.Healthy, lenient, environmentId: environmentId);
        var run = await _healthChecks.StartRunAsync(null, environmentId);

        await KeepAliveAsync(null, TimeSpan.FromSeconds(31));
        await _worker.TickAsync(default);

        await using var db = _database.CreateDbContext();
        var result = await db.HealthCheckRuns.SingleAsync(r => r.Id == run.Value);
        Assert.Equal(DeploymentState.Failed, result.State);
        Assert.Contains("strict is Unavailable", result.Summary);
        Assert.DoesNotContain("lenient", result.Summary);
    }

    private async Task<int> AddMachineAsync(string name, MachineHealthStatus status, int? policyId = null, DateTimeOffset? nextCheck = null,
        int? environmentId = null)
    {
        await using var db = _database.CreateDbContext();
        var policy = policyId is null
            ? await db.MachinePolicies.SingleOrDefaultAsync(p => p.IsDefault) ?? MachinePolicy.CreateDefault()
            : await db.MachinePolicies.SingleAsync(p => p.Id == policyId);
        var environments = environmentId is null ? [] : await db.Environments.Where(e => e.Id == environmentId).ToListAsync();
        var machine = Machine.Register(name, environments, ["web"], policy, _time.GetUtcNow());
        machine.RecordHealth(status, null, _time.GetUtcNow());
        machine.LastSeenAt = _time.GetUtcNow();
        machine.NextHealthCheckAt = nextCheck;
        db.Machines.Add(machine);
        await db.SaveChangesAsync();
        return machine.Id;
    }

    private async Task<int> AddCleanupPolicyAsync(TimeSpan after, ConnectivityBehavior connectivity = ConnectivityBehavior.ExpectedToBeOnline)
    {
        await using var db = _database.CreateDbContext();
        var policy = new MachinePolicy
        {
            CleanupBehavior = CleanupBehavior.DeleteUnavailableMachines, DeleteUnavailableAfter = after, ConnectivityBehavior = connectivity,
        };
        policy.Rename(connectivity == ConnectivityBehavior.ExpectedToBeOnline ? "Spot instances" : "Laptops");
        db.MachinePolicies.Add(policy);
        await db.SaveChangesAsync();
        return policy.Id;
    }

    private async Task<int> AddEnvironmentAsync()
    {
        await using var db = _database.CreateDbContext();
        var environment = DeploymentEnvironment.Create("Test", null, 0);
        db.Environments.Add(environment);
        await db.SaveChangesAsync();
        return environment.Id;
    }

    private async Task AddRunningDeploymentAsync(int machineId)
    {
        var scenario = await new DeploymentScenario(_database).WithEnvironmentAsync();
        await scenario.WithReleaseAsync(null, DeploymentScenario.Step("Install", "web"));
        await using var db = _database.CreateDbContext();
        var deployment = Deployment.Queue(scenario.Project, scenario.Release, scenario.Environment, [], "test", null, _time.GetUtcNow());
        db.Attach(scenario.Project);
        db.Attach(scenario.Release);
        db.Attach(scenario.Environment);
        db.Deployments.Add(deployment);
        await db.SaveChangesAsync();
        db.DeploymentTargets.Add(new DeploymentTarget { DeploymentId = deployment.Id, MachineId = machineId, MachineName = "spot-01", State = TargetState.Running });
        await db.SaveChangesAsync();
    }

    /// <summary>Advances the clock while the machine's (or every machine's) agent keeps calling, so only the check itself goes unanswered.</summary>
    private async Task KeepAliveAsync(int? machineId, TimeSpan by)
    {
        _time.Advance(by);
        await using var db = _database.CreateDbContext();
        await db.Machines.Where(m => machineId == null || m.Id == machineId)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.LastSeenAt, _time.GetUtcNow()));
    }

    private async Task<MachineHealthStatus> StatusAsync(int id)
    {
        await using var db = _database.CreateDbContext();
        return (await db.Machines.SingleAsync(m => m.Id == id)).HealthStatus;
    }

    private async Task<bool> ExistsAsync(int id)
    {
        await using var db = _database.CreateDbContext();
        return await db.Machines.AnyAsync(m => m.Id == id);
    }

    private async Task<int> CountEventsAsync(int machineId, string category)
    {
        await using var db = _database.CreateDbContext();
        return await db.Events.CountAsync(e => e.MachineId == machineId && e.Category == category);
    }
}
