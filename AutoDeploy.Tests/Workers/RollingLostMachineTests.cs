using AutoDeploy.Domain.Deployments;
using AutoDeploy.Domain.Projects;
using AutoDeploy.Tests.HighAvailability;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Services;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace AutoDeploy.Tests.Workers;

/// <summary>
/// A machine deleted while it waits for its turn in a roll (a node's runner on one SQLite database with a fake clock; jobs
/// ended in the database as their agents would report them): lost at once, not after the pick-up timeout.
/// </summary>
public sealed class RollingLostMachineTests : IAsyncLifetime
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
    public async Task Under_skip_unavailable_a_machine_deleted_before_its_turn_is_skipped_and_the_roll_goes_on()
    {
        var id = await RollOverThreeAndDeleteTheSecondAsync(new ConnectivitySettings { SkipUnavailableMachines = true });

        var deployment = await _nodes.DeploymentAsync(id);
        var jobs = await _nodes.JobsAsync(id);
        Assert.Equal(DeploymentState.Success, deployment.State);
        Assert.Equal([JobState.Succeeded, JobState.Lost, JobState.Succeeded], jobs.Select(j => j.State));
        Assert.Equal("The machine was deleted before its turn came.", jobs[1].Message);
        Assert.StartsWith("1 machine(s) skipped: web-02: Skipped: lost during step 'Install' (The machine was deleted before its turn came.)",
            deployment.Warning);
    }

    [Fact]
    public async Task Without_skip_unavailable_a_machine_deleted_before_its_turn_fails_and_stops_the_roll()
    {
        var id = await RollOverThreeAndDeleteTheSecondAsync(new ConnectivitySettings());

        var deployment = await _nodes.DeploymentAsync(id);
        Assert.Equal(DeploymentState.Failed, deployment.State);
        Assert.Equal("1 of 2 machine(s) did not succeed: web-02: Step 'Install': The machine was deleted before its turn came.", deployment.FailureReason);
        Assert.Equal(2, (await _nodes.JobsAsync(id)).Count);
        await using var db = _database.CreateDbContext();
        var third = await db.DeploymentTargets.SingleAsync(t => t.DeploymentId == id && t.MachineName == "web-03");
        Assert.Equal((TargetState.Skipped, "Not started in step 'Install': the step stopped starting new machines after web-02 was lost."),
            (third.State, third.Reason));
    }

    /// <summary>
    /// Rolls "Install" one machine at a time over web-01 to web-03; deletes web-02 while web-01 runs, then ends web-01 and
    /// every job started after it; returns the deployment once node A has finished it.
    /// </summary>
    private async Task<int> RollOverThreeAndDeleteTheSecondAsync(ConnectivitySettings connectivity)
    {
        await _nodes.Data.WithReleaseAsync(connectivity, DeploymentScenario.Step("Install", "web") with { Window = RollingWindow.Count(1) });
        var machines = new List<int>();
        foreach (var name in new[] { "web-01", "web-02", "web-03" })
        {
            machines.Add((await _nodes.Data.AddMachineAsync(name, "web")).Id);
        }
        var id = await _nodes.QueueAsync();
        await _nodes.A.ClaimAsync(id);
        var run = _nodes.A.Runner.RunAsync(id, default);
        await Eventually.TrueAsync(async () => (await _nodes.JobsAsync(id)).Count == 1, because: () => "node A should start web-01");
        await using (var db = _database.CreateDbContext())
        {
            await MachineRemoval.StageAsync(db, await db.Machines.SingleAsync(m => m.Id == machines[1]), "scaled in", _time.GetUtcNow(), default);
            await db.SaveChangesAsync();
        }

        await _nodes.EndJobAsync((await _nodes.JobsAsync(id)).Single().Id, JobState.Succeeded);
        // The fake clock never times the runner's wait out: wake it, ending whatever it starts, until it has finished.
        await Eventually.TrueAsync(async () =>
        {
            foreach (var job in (await _nodes.JobsAsync(id)).Where(j => !j.IsFinished))
            {
                await _nodes.EndJobAsync(job.Id, JobState.Succeeded);
            }
            _nodes.A.Signals.Deployments.Notify(id);
            return run.IsCompleted;
        }, because: () => "node A should finish the deployment");
        await run;
        return id;
    }
}
