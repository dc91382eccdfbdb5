using AutoDeploy.Domain.Agents;
using AutoDeploy.Domain.Deployments;
using AutoDeploy.Tests.TestSupport;
using AutoDeploy.Web.Agents;
using AutoDeploy.Web.HealthChecks;
using AutoDeploy.Web.Signals;
using AutoDeploy.Web.Workers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using static Microsoft.Extensions.Options.Options;

namespace AutoDeploy.Tests.Agent;

/// <summary>The server's side of the agent protocol against a real SQLite file: what agents report about their jobs.</summary>
public sealed class JobReportsTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero));
    private SqliteDatabase _database = null!;
    private JobReports _reports = null!;

    public async Task InitializeAsync()
    {
        _database = await SqliteDatabase.CreateAsync(_time);
        var signals = new TaskSignals();
        var health = Create(new HealthCheckOptions());
        _reports = new JobReports(_database, new HealthCheckService(_database, signals, health, _time), signals, Create(new TaskOptions()), _time,
            TestSecrets.Protector);
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task A_result_reported_after_the_server_ended_the_job_does_not_overwrite_its_verdict()
    {
        var id = await AddJobAsync(JobState.Lost, "The agent stopped responding (no contact for 30 s).");

        var accepted = await _reports.CompleteAsync(machineId: 1, id, new JobCompletion(JobOutcome.Succeeded, 0, null), default);

        await using var db = _database.CreateDbContext();
        var job = await db.MachineJobs.SingleAsync(j => j.Id == id);
        Assert.Equal((true, JobState.Lost, "The agent stopped responding (no contact for 30 s)."), (accepted, job.State, job.Message));
    }

    [Fact]
    public async Task A_result_of_a_running_job_ends_it()
    {
        var id = await AddJobAsync(JobState.Running, null);

        await _reports.CompleteAsync(machineId: 1, id, new JobCompletion(JobOutcome.Failed, 3, null), default);

        await using var db = _database.CreateDbContext();
        var job = await db.MachineJobs.SingleAsync(j => j.Id == id);
        Assert.Equal((JobState.Failed, 3, "The script failed with exit code 3."), (job.State, job.ExitCode, job.Message));
    }

    private async Task<long> AddJobAsync(JobState state, string? message)
    {
        await using var db = _database.CreateDbContext();
        var now = _time.GetUtcNow();
        var job = new MachineJob
        {
            MachineId = 1, Kind = AgentJobKind.RunScript, Name = "Install", TimeoutSeconds = 300, State = state, Message = message,
            CreatedAt = now, StartedAt = now, LastContactAt = now,
        };
        db.MachineJobs.Add(job);
        await db.SaveChangesAsync();
        return job.Id;
    }
}
