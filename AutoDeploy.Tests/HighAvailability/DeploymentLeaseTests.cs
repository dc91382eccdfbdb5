using AutoDeploy.Domain.Deployments;
using AutoDeploy.Domain.Events;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Workers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace AutoDeploy.Tests.HighAvailability;

/// <summary>Deployments leased to nodes, with one fake clock for two nodes on one SQLite database.</summary>
public sealed class DeploymentLeaseTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));
    private SqliteDatabase _database = null!;
    private LeaseScenario _nodes = null!;

    public async Task InitializeAsync()
    {
        _database = await SqliteDatabase.CreateAsync(_time);
        _nodes = await new LeaseScenario(_database, _time).StartAsync();
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task A_claim_makes_the_deployment_executing_and_owned_by_the_node_until_the_lease_ends()
    {
        var id = await _nodes.QueueAsync();

        var claimed = await _nodes.A.ClaimAsync(id);

        var deployment = await _nodes.DeploymentAsync(id);
        Assert.True(claimed);
        Assert.Equal((DeploymentState.Executing, "node-a", _time.GetUtcNow() + LeaseScenario.Lease),
            (deployment.State, deployment.ExecutingNode, deployment.LeaseExpiresAt));
    }

    [Fact]
    public async Task Of_two_nodes_claiming_one_deployment_only_the_first_gets_it()
    {
        var id = await _nodes.QueueAsync();

        var first = await _nodes.A.ClaimAsync(id);
        var second = await _nodes.B.ClaimAsync(id);

        Assert.Equal((true, false), (first, second));
        Assert.Equal("node-a", (await _nodes.DeploymentAsync(id)).ExecutingNode);
    }

    [Fact]
    public async Task A_second_deployment_of_the_project_to_the_environment_cannot_be_claimed_while_one_executes_on_another_node()
    {
        var first = await _nodes.QueueAsync();
        var second = await _nodes.QueueAsync();
        await _nodes.A.ClaimAsync(first);

        var claimed = await _nodes.B.ClaimAsync(second);

        Assert.False(claimed);
        Assert.Equal(DeploymentState.Queued, (await _nodes.DeploymentAsync(second)).State);
    }

    [Fact]
    public async Task A_lease_renewed_by_its_heartbeat_is_not_taken_over()
    {
        var id = await _nodes.QueueAsync();
        await _nodes.A.ClaimAsync(id);
        _time.Advance(TimeSpan.FromSeconds(20));
        var owned = await _nodes.A.RenewAsync(id);
        _time.Advance(TimeSpan.FromSeconds(20));

        var taken = await _nodes.B.TakeOverOrphanedAsync();

        Assert.Equal([id], owned);
        Assert.Empty(taken);
        Assert.Equal("node-a", (await _nodes.DeploymentAsync(id)).ExecutingNode);
    }

    [Fact]
    public async Task Another_node_leaves_a_deployment_whose_lease_is_still_running_alone()
    {
        var id = await _nodes.QueueAsync();
        await _nodes.A.ClaimAsync(id);
        _time.Advance(LeaseScenario.Lease - TimeSpan.FromSeconds(1));

        var taken = await _nodes.B.TakeOverOrphanedAsync(includeOwnLeftovers: true);

        Assert.Empty(taken);
    }

    [Fact]
    public async Task An_expired_lease_is_taken_over_by_another_node_which_says_so_in_the_log()
    {
        var id = await _nodes.QueueAsync();
        await _nodes.A.ClaimAsync(id);
        _time.Advance(LeaseScenario.Lease + TimeSpan.FromSeconds(1));

        var taken = await _nodes.B.TakeOverOrphanedAsync();

        var deployment = await _nodes.DeploymentAsync(id);
        Assert.Equal([id], taken);
        Assert.Equal((DeploymentState.Executing, "node-b"), (deployment.State, deployment.ExecutingNode));
        await using var db = _database.CreateDbContext();
        Assert.Contains(await db.TaskLogLines.Where(l => l.DeploymentId == id).Select(l => l.Text).ToListAsync(),
            t => t.StartsWith("Node 'node-b' took this deployment over from node 'node-a', whose lease ended at 2026-11-24 12:00:30Z", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_node_taking_over_waits_for_the_jobs_already_queued_and_finishes_without_running_any_twice()
    {
        var (machine, _) = await _nodes.Data.AddMachineAsync("web-01", "web");
        var id = await _nodes.QueueAsync();
        await _nodes.A.ClaimAsync(id);
        using var killA = new CancellationTokenSource();
        var runA = _nodes.A.Runner.RunAsync(id, killA.Token);
        await Eventually.TrueAsync(async () => await JobsAsync() is { Count: 1 }, because: () => "node A should queue the step's job");
        await killA.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => runA);
        _time.Advance(LeaseScenario.Lease + TimeSpan.FromSeconds(1));

        await _nodes.B.TakeOverOrphanedAsync();
        var runB = _nodes.B.Runner.RunAsync(id, default);
        await CompleteJobAsync((await JobsAsync()).Single().Id);
        // The fake clock never times the runner's wait out: wake it until it has seen the job end.
        await Eventually.TrueAsync(() =>
        {
            _nodes.B.Signals.Deployments.Notify(id);
            return Task.FromResult(runB.IsCompleted);
        }, because: () => "node B should finish the deployment");
        await runB;

        var deployment = await _nodes.DeploymentAsync(id);
        Assert.Equal((DeploymentState.Success, "node-b"), (deployment.State, deployment.ExecutingNode));
        Assert.Equal(machine, Assert.Single(await JobsAsync()).MachineId);
    }

    [Fact]
    public async Task A_node_that_paused_past_its_lease_cannot_write_once_another_node_took_the_deployment()
    {
        var id = await _nodes.QueueAsync();
        await _nodes.A.ClaimAsync(id);
        _time.Advance(LeaseScenario.Lease + TimeSpan.FromSeconds(1));
        await _nodes.B.TakeOverOrphanedAsync();

        var error = await Assert.ThrowsAsync<LeaseLostException>(() => _nodes.A.Runner.RunAsync(id, default));

        Assert.Equal(id, error.DeploymentId);
        await using var db = _database.CreateDbContext();
        Assert.Empty(await db.DeploymentTargets.ToListAsync());
        Assert.Null((await _nodes.DeploymentAsync(id)).StartedAt);
    }

    [Fact]
    public async Task A_node_that_renews_after_its_lease_expired_but_before_anyone_took_over_keeps_the_deployment()
    {
        var id = await _nodes.QueueAsync();
        await _nodes.A.ClaimAsync(id);
        _time.Advance(LeaseScenario.Lease + TimeSpan.FromSeconds(1));

        var owned = await _nodes.A.RenewAsync(id);
        var taken = await _nodes.B.TakeOverOrphanedAsync();

        Assert.Equal([id], owned);
        Assert.Empty(taken);
    }

    [Fact]
    public async Task A_node_restarted_under_the_same_name_carries_on_with_what_its_previous_run_held_without_waiting_for_the_lease()
    {
        var id = await _nodes.QueueAsync();
        await _nodes.A.ClaimAsync(id);

        var taken = await _nodes.A.TakeOverOrphanedAsync(includeOwnLeftovers: true);

        Assert.Equal([id], taken);
    }

    [Fact]
    public async Task A_deployment_executing_without_any_lease_fails_and_its_running_job_is_told_to_stop()
    {
        var (machine, _) = await _nodes.Data.AddMachineAsync("web-01", "web");
        var id = await _nodes.AddUnleasedExecutingAsync();
        var running = await _nodes.AddJobAsync(id, machine, JobState.Running);

        var taken = await _nodes.B.TakeOverOrphanedAsync();

        var deployment = await _nodes.DeploymentAsync(id);
        Assert.Empty(taken);
        Assert.Equal((DeploymentState.Failed, DeploymentRecovery.NoLeaseReason), (deployment.State, deployment.FailureReason));
        var job = Assert.Single(await JobsAsync());
        Assert.Equal((running, JobState.Canceled, true), (job.Id, job.State, job.CancelRequested));
        await using var db = _database.CreateDbContext();
        Assert.Contains(await db.Events.Where(e => e.DeploymentId == id).Select(e => e.Category).ToListAsync(), c => c == EventCategories.DeploymentFailed);
    }

    private async Task<List<MachineJob>> JobsAsync()
    {
        await using var db = _database.CreateDbContext();
        return await db.MachineJobs.AsNoTracking().ToListAsync();
    }

    private async Task CompleteJobAsync(long jobId)
    {
        await using var db = _database.CreateDbContext();
        var job = await db.MachineJobs.SingleAsync(j => j.Id == jobId);
        job.State = JobState.Succeeded;
        job.StartedAt = job.CompletedAt = job.LastContactAt = _time.GetUtcNow();
        await db.SaveChangesAsync();
    }
}
