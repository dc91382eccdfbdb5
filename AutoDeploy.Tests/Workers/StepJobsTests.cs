using AutoDeploy.Domain.Agents;
using AutoDeploy.Domain.Deployments;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Workers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace AutoDeploy.Tests.Workers;

/// <summary>
/// A step runner's copy of its jobs (a real SQLite file): all of them once, then on a wake-up only the jobs that ended,
/// every recheck interval all the open ones, and everything again after it queued jobs.
/// </summary>
public sealed class StepJobsTests : IAsyncLifetime
{
    private const int DeploymentId = 7;
    private static readonly TimeSpan Recheck = TimeSpan.FromSeconds(2);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 5, 12, 0, 0, TimeSpan.Zero));
    private SqliteDatabase _database = null!;

    public async Task InitializeAsync() => _database = await SqliteDatabase.CreateAsync(_time);

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task A_wake_up_reads_the_jobs_that_ended_and_leaves_the_open_ones_as_they_were()
    {
        var (ending, running) = (await AddJobAsync(1), await AddJobAsync(2));
        var jobs = new StepJobs(DeploymentId, 0, _time, Recheck);
        await ReadAsync(jobs);
        var contact = _time.GetUtcNow().AddSeconds(1);
        await EndAsync(ending);
        await ContactAsync(running, contact);

        var read = await ReadAsync(jobs);

        Assert.Equal([JobState.Succeeded, JobState.Running], read.Select(j => j.State));
        Assert.NotEqual(contact, read[1].LastContactAt);
    }

    [Fact]
    public async Task After_the_recheck_interval_the_open_jobs_are_read_again()
    {
        var running = await AddJobAsync(1);
        var jobs = new StepJobs(DeploymentId, 0, _time, Recheck);
        await ReadAsync(jobs);
        var contact = _time.GetUtcNow().AddSeconds(1);
        await ContactAsync(running, contact);

        _time.Advance(Recheck);
        var read = await ReadAsync(jobs);

        Assert.Equal(contact, read.Single().LastContactAt);
    }

    [Fact]
    public async Task After_an_invalidation_every_job_of_the_step_is_read_including_new_ones_and_not_other_steps()
    {
        await AddJobAsync(1);
        var jobs = new StepJobs(DeploymentId, 0, _time, Recheck);
        await ReadAsync(jobs);
        await AddJobAsync(2);
        await AddJobAsync(3, step: 1);
        await AddJobAsync(4, state: JobState.Lost);

        var before = await ReadAsync(jobs);
        jobs.Invalidate();
        var after = await ReadAsync(jobs);

        Assert.Equal([1], before.Select(j => j.MachineId));
        Assert.Equal([1, 2, 4], after.Select(j => j.MachineId));
    }

    private async Task<List<MachineJob>> ReadAsync(StepJobs jobs)
    {
        await using var db = _database.CreateDbContext();
        return await jobs.ReadAsync(db, default);
    }

    private async Task<long> AddJobAsync(int machineId, int step = 0, JobState state = JobState.Running)
    {
        await using var db = _database.CreateDbContext();
        var now = _time.GetUtcNow();
        var job = new MachineJob
        {
            MachineId = machineId, Kind = AgentJobKind.RunScript, DeploymentId = DeploymentId, StepIndex = step, Name = "Install",
            TimeoutSeconds = 300, State = state, CreatedAt = now, StartedAt = now, LastContactAt = now,
        };
        db.MachineJobs.Add(job);
        await db.SaveChangesAsync();
        return job.Id;
    }

    private async Task EndAsync(long id)
    {
        await using var db = _database.CreateDbContext();
        await db.MachineJobs.Where(j => j.Id == id).ExecuteUpdateAsync(s => s.SetProperty(j => j.State, JobState.Succeeded));
    }

    private async Task ContactAsync(long id, DateTimeOffset at)
    {
        await using var db = _database.CreateDbContext();
        await db.MachineJobs.Where(j => j.Id == id).ExecuteUpdateAsync(s => s.SetProperty(j => j.LastContactAt, at));
    }
}
