using AutoDeploy.Domain.Agents;
using AutoDeploy.Domain.Deployments;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Workers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace AutoDeploy.Tests.Workers;

/// <summary>The supervisor's verdicts are written only while the job is as read (a real SQLite file).</summary>
public sealed class JobVerdictTests : IAsyncLifetime
{
    private static readonly TaskOptions Options = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero));
    private SqliteDatabase _database = null!;

    public async Task InitializeAsync() => _database = await SqliteDatabase.CreateAsync(_time);

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task A_silent_agent_s_job_is_lost()
    {
        var id = await AddRunningJobAsync();
        var verdict = await JudgeAsync(id, after: Options.AgentLostAfter + TimeSpan.FromSeconds(1));

        await using var db = _database.CreateDbContext();
        var written = await verdict.ApplyAsync(db, default);

        Assert.Equal((1, JobState.Lost), (written, await StateAsync(id)));
    }

    [Fact]
    public async Task A_call_of_the_agent_between_the_judgement_and_its_write_keeps_the_job_running()
    {
        var id = await AddRunningJobAsync();
        var verdict = await JudgeAsync(id, after: Options.AgentLostAfter + TimeSpan.FromSeconds(1));
        await using var db = _database.CreateDbContext();
        await db.MachineJobs.Where(j => j.Id == id).ExecuteUpdateAsync(s => s.SetProperty(j => j.LastContactAt, _time.GetUtcNow()));

        var written = await verdict.ApplyAsync(db, default);

        Assert.Equal((0, JobState.Running), (written, await StateAsync(id)));
    }

    [Fact]
    public async Task A_result_reported_between_the_judgement_and_its_write_stands()
    {
        var id = await AddRunningJobAsync();
        var verdict = await JudgeAsync(id, after: TimeSpan.FromMinutes(5) + Options.TimeoutGrace + TimeSpan.FromSeconds(1));
        await using var db = _database.CreateDbContext();
        await db.MachineJobs.Where(j => j.Id == id).ExecuteUpdateAsync(s => s.SetProperty(j => j.State, JobState.Succeeded));

        var written = await verdict.ApplyAsync(db, default);

        Assert.Equal((0, JobState.Succeeded), (written, await StateAsync(id)));
    }

    private async Task<long> AddRunningJobAsync()
    {
        await using var db = _database.CreateDbContext();
        var now = _time.GetUtcNow();
        var job = new MachineJob
        {
            MachineId = 1, Kind = AgentJobKind.RunScript, Name = "Install", TimeoutSeconds = 300, State = JobState.Running,
            CreatedAt = now, StartedAt = now, LastContactAt = now,
        };
        db.MachineJobs.Add(job);
        await db.SaveChangesAsync();
        return job.Id;
    }

    /// <summary>Reads the job as the runner does, <paramref name="after"/> its last contact, and lets the supervisor judge it.</summary>
    private async Task<JobVerdict> JudgeAsync(long id, TimeSpan after)
    {
        _time.Advance(after);
        await using var db = _database.CreateDbContext();
        var job = await db.MachineJobs.AsNoTracking().SingleAsync(j => j.Id == id);
        var verdict = new JobVerdict(job, job.State, job.LastContactAt, job.CancelRequested);
        JobSupervision.Supervise(job, cancel: false, TimeSpan.FromMinutes(5), _time.GetUtcNow(), Options);
        Assert.True(verdict.Changed);
        return verdict;
    }

    private async Task<JobState> StateAsync(long id)
    {
        await using var db = _database.CreateDbContext();
        return await db.MachineJobs.Where(j => j.Id == id).Select(j => j.State).SingleAsync();
    }
}
