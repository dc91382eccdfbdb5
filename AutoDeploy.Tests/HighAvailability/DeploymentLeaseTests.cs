using AutoDeploy.Domain.Deployments;
using AutoDeploy.Domain.Events;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Data;
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

        var failed = await _nodes.B.FailOrphanedAsync();

        Assert.Equal([id], owned);
        Assert.Equal(0, failed);
        Assert.Equal((DeploymentState.Executing, "node-a"), ((await _nodes.DeploymentAsync(id)).State, (await _nodes.DeploymentAsync(id)).ExecutingNode));
    }

    [Fact]
    public async Task An_expired_lease_is_failed_by_another_node_naming_the_stopped_node()
    {
        var id = await _nodes.QueueAsync();
        await _nodes.A.ClaimAsync(id);
        _time.Advance(LeaseScenario.Lease + TimeSpan.FromSeconds(1));

        var failed = await _nodes.B.FailOrphanedAsync();

        var deployment = await _nodes.DeploymentAsync(id);
        Assert.Equal(1, failed);
        Assert.Equal(DeploymentState.Failed, deployment.State);
        Assert.StartsWith("Node 'node-a' stopped while running this deployment (its lease expired at 2026-11-24 12:00:30Z)", deployment.FailureReason);
        await using var db = _database.CreateDbContext();
        Assert.Contains(await db.Events.Where(e => e.DeploymentId == id).Select(e => e.Category).ToListAsync(), c => c == EventCategories.DeploymentFailed);
    }

    [Fact]
    public async Task Jobs_already_handed_to_agents_are_canceled_when_their_node_stops_and_are_never_handed_out_again()
    {
        var id = await _nodes.QueueAsync();
        var (machine, _) = await _nodes.Data.AddMachineAsync("web-01", "web");
        await _nodes.A.ClaimAsync(id);
        var running = await _nodes.AddJobAsync(id, machine, JobState.Running);
        var pending = await _nodes.AddJobAsync(id, machine, JobState.Pending);
        _time.Advance(LeaseScenario.Lease + TimeSpan.FromSeconds(1));

        await _nodes.B.FailOrphanedAsync();

        await using var db = _database.CreateDbContext();
        var jobs = await db.MachineJobs.ToDictionaryAsync(j => j.Id);
        Assert.Equal((JobState.Canceled, true), (jobs[running].State, jobs[running].CancelRequested));
        Assert.Equal((JobState.Canceled, false), (jobs[pending].State, jobs[pending].CancelRequested));
    }

    [Fact]
    public async Task A_node_that_paused_past_its_lease_cannot_write_once_another_node_took_the_deployment()
    {
        var id = await _nodes.QueueAsync();
        await _nodes.A.ClaimAsync(id);
        _time.Advance(LeaseScenario.Lease + TimeSpan.FromSeconds(1));
        await _nodes.B.FailOrphanedAsync();

        var error = await Assert.ThrowsAsync<LeaseLostException>(() => _nodes.A.Runner.RunAsync(id, default));

        Assert.Equal(id, error.DeploymentId);
        await using var db = _database.CreateDbContext();
        Assert.Empty(await db.DeploymentTargets.ToListAsync());
        Assert.DoesNotContain(await db.TaskLogLines.Select(l => l.Text).ToListAsync(), t => t.StartsWith("Deploying", StringComparison.Ordinal));
        Assert.Equal(DeploymentState.Failed, (await _nodes.DeploymentAsync(id)).State);
    }

    [Fact]
    public async Task A_node_that_renews_after_its_lease_expired_but_before_anyone_took_over_keeps_the_deployment()
    {
        var id = await _nodes.QueueAsync();
        await _nodes.A.ClaimAsync(id);
        _time.Advance(LeaseScenario.Lease + TimeSpan.FromSeconds(1));

        var owned = await _nodes.A.RenewAsync(id);
        var failed = await _nodes.B.FailOrphanedAsync();

        Assert.Equal([id], owned);
        Assert.Equal(0, failed);
    }

    [Fact]
    public async Task A_node_restarted_under_the_same_name_fails_what_its_previous_run_held_without_waiting_for_the_lease()
    {
        var id = await _nodes.QueueAsync();
        await _nodes.A.ClaimAsync(id);

        var failed = await _nodes.A.FailOrphanedAsync(includeOwnLeftovers: true);

        Assert.Equal(1, failed);
        Assert.Equal("Node 'node-a' restarted while running this deployment; it did not finish.", (await _nodes.DeploymentAsync(id)).FailureReason);
    }

    [Fact]
    public async Task Another_node_leaves_a_deployment_whose_lease_is_still_running_alone()
    {
        var id = await _nodes.QueueAsync();
        await _nodes.A.ClaimAsync(id);
        _time.Advance(LeaseScenario.Lease - TimeSpan.FromSeconds(1));

        var failed = await _nodes.B.FailOrphanedAsync(includeOwnLeftovers: true);

        Assert.Equal(0, failed);
        Assert.Equal(DeploymentState.Executing, (await _nodes.DeploymentAsync(id)).State);
    }
}
