using AutoDeploy.Domain.Deployments;
using AutoDeploy.Domain.Projects;
using AutoDeploy.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace AutoDeploy.Tests.HighAvailability;

/// <summary>
/// A rolling deployment whose node dies mid-roll, carried on by another node (two nodes, one SQLite database, one fake
/// clock; the jobs are ended in the database as their agents would report them).
/// </summary>
public sealed class RollingTakeOverTests : IAsyncLifetime
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
    public async Task The_node_taking_over_mid_roll_waits_for_the_jobs_queued_and_starts_only_the_machines_without_one()
    {
        var machines = await RollingDeploymentToAsync(RollingWindow.Count(2), "web-01", "web-02", "web-03", "web-04");
        var id = await _nodes.QueueAsync();
        await _nodes.A.ClaimAsync(id);
        using var killA = new CancellationTokenSource();
        var runA = _nodes.A.Runner.RunAsync(id, killA.Token);
        await Eventually.TrueAsync(async () => (await _nodes.JobsAsync(id)).Count == 2, because: () => "node A should start two machines");
        await _nodes.EndJobAsync((await _nodes.JobsAsync(id))[0].Id, JobState.Succeeded);
        await WakeUntilAsync(_nodes.A, id, async () => (await _nodes.JobsAsync(id)).Count == 3, "node A should start the third machine");
        await killA.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => runA);
        await _nodes.EndJobAsync((await _nodes.JobsAsync(id))[1].Id, JobState.Succeeded);
        _time.Advance(LeaseScenario.Lease + TimeSpan.FromSeconds(1));

        await _nodes.B.TakeOverOrphanedAsync();
        var runB = _nodes.B.Runner.RunAsync(id, default);
        await WakeUntilAsync(_nodes.B, id, async () => (await _nodes.JobsAsync(id)).Count == 4, "node B should start the fourth machine");
        var open = (await _nodes.JobsAsync(id)).Where(j => !j.IsFinished).Select(j => j.MachineId).ToList();
        foreach (var job in (await _nodes.JobsAsync(id)).Where(j => !j.IsFinished))
        {
            await _nodes.EndJobAsync(job.Id, JobState.Succeeded);
        }
        await WakeUntilAsync(_nodes.B, id, () => Task.FromResult(runB.IsCompleted), "node B should finish the deployment");
        await runB;

        Assert.Equal([machines[2], machines[3]], open);
        Assert.Equal(machines, (await _nodes.JobsAsync(id)).Select(j => j.MachineId));
        Assert.Equal(DeploymentState.Success, (await _nodes.DeploymentAsync(id)).State);
        var log = await LogAsync(id);
        Assert.Contains("Step 1 'Install' carries on rolling 2 at a time over 4 machines: 3 started, 1 to go.", log);
        Assert.Contains("Step 1 'Install' started on web-04 (4 of 4).", log);
    }

    [Fact]
    public async Task A_roll_stopped_by_a_failure_before_the_takeover_starts_no_more_machines_on_the_new_node()
    {
        var machines = await RollingDeploymentToAsync(RollingWindow.Count(1), "web-01", "web-02", "web-03");
        var id = await _nodes.QueueAsync();
        await _nodes.A.ClaimAsync(id);
        using var killA = new CancellationTokenSource();
        var runA = _nodes.A.Runner.RunAsync(id, killA.Token);
        await Eventually.TrueAsync(async () => (await _nodes.JobsAsync(id)).Count == 1, because: () => "node A should start one machine");
        await killA.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => runA);
        await _nodes.EndJobAsync((await _nodes.JobsAsync(id)).Single().Id, JobState.Failed);
        _time.Advance(LeaseScenario.Lease + TimeSpan.FromSeconds(1));

        await _nodes.B.TakeOverOrphanedAsync();
        await _nodes.B.Runner.RunAsync(id, default);

        var deployment = await _nodes.DeploymentAsync(id);
        Assert.Equal(DeploymentState.Failed, deployment.State);
        Assert.StartsWith("1 of 1 machine(s) did not succeed: web-01: ", deployment.FailureReason);
        Assert.Equal([machines[0]], (await _nodes.JobsAsync(id)).Select(j => j.MachineId));
        await using var db = _database.CreateDbContext();
        var targets = await db.DeploymentTargets.Where(t => t.DeploymentId == id).OrderBy(t => t.MachineName).ToListAsync();
        Assert.Equal([TargetState.Failed, TargetState.Skipped, TargetState.Skipped], targets.Select(t => t.State));
        Assert.All(targets.Skip(1), t => Assert.True(DeploymentOutcome.WasNotStartedIn(t.Reason, "Install"), t.Reason));
    }

    /// <summary>A release whose one step "Install" rolls over machines of those names (added in that order); their ids.</summary>
    private async Task<List<int>> RollingDeploymentToAsync(RollingWindow window, params string[] names)
    {
        await _nodes.Data.WithReleaseAsync(null, DeploymentScenario.Step("Install", "web") with { Window = window });
        var ids = new List<int>();
        foreach (var name in names)
        {
            ids.Add((await _nodes.Data.AddMachineAsync(name, "web")).Id);
        }
        return ids;
    }

    /// <summary>The fake clock never times a runner's wait out: wake it until the condition holds.</summary>
    private static Task WakeUntilAsync(LeaseScenario.Node node, int deploymentId, Func<Task<bool>> condition, string because) =>
        Eventually.TrueAsync(() =>
        {
            node.Signals.Deployments.Notify(deploymentId);
            return condition();
        }, because: () => because);

    private async Task<List<string>> LogAsync(int deploymentId)
    {
        await using var db = _database.CreateDbContext();
        return await db.TaskLogLines.Where(l => l.DeploymentId == deploymentId).OrderBy(l => l.Id).Select(l => l.Text).ToListAsync();
    }
}
