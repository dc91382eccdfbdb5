using AutoDeploy.Domain.Deployments;
using AutoDeploy.Domain.Machines;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Services;
using Microsoft.EntityFrameworkCore;

namespace AutoDeploy.Web.HealthChecks;

/// <summary>A health-check run as the task page and <c>GET /api/health-checks/{id}</c> show it.</summary>
public sealed record HealthCheckRunDetails(
    int Id, string Title, DeploymentState State, string RequestedBy, DateTimeOffset QueuedAt, DateTimeOffset? CompletedAt,
    string? Summary, int? MachineId, int? EnvironmentId, IReadOnlyList<HealthCheckMachine> Machines);

/// <summary>
/// One machine of a run: the state of its check and the machine's current health. A machine deleted since
/// has no health status and keeps its id as its name.
/// </summary>
public sealed record HealthCheckMachine(
    int MachineId, string MachineName, JobState CheckState, MachineHealthStatus? HealthStatus, string? HealthSummary);

/// <summary>Reads health-check runs and their logs for the task page and the REST API; <see cref="HealthCheckService"/> writes them.</summary>
public sealed class HealthCheckRunQueries(IDbContextFactory<AutoDeployDbContext> factory)
{
    public const int MaxLogPage = DeploymentService.MaxLogPage;

    public async Task<HealthCheckRunDetails?> GetAsync(int id, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var run = await db.HealthCheckRuns.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (run is null)
        {
            return null;
        }
        var jobs = await db.MachineJobs.AsNoTracking().Where(j => j.HealthCheckRunId == id)
            .Select(j => new { j.MachineId, j.State }).ToListAsync(cancellationToken);
        var ids = jobs.Select(j => j.MachineId).ToList();
        var machines = await db.Machines.AsNoTracking().Where(m => ids.Contains(m.Id))
            .Select(m => new { m.Id, m.Name, m.HealthStatus, m.HealthSummary })
            .ToDictionaryAsync(m => m.Id, cancellationToken);
        var results = jobs
            .Select(j => machines.TryGetValue(j.MachineId, out var m)
                ? new HealthCheckMachine(j.MachineId, m.Name, j.State, m.HealthStatus, m.HealthSummary)
                : new HealthCheckMachine(j.MachineId, $"Machine {j.MachineId} (deleted)", j.State, null, null))
            .OrderBy(m => m.MachineName, StringComparer.OrdinalIgnoreCase)
            .ToList();
        return new HealthCheckRunDetails(run.Id, run.Title, run.State, run.RequestedBy, run.QueuedAt, run.CompletedAt, run.Summary,
            run.MachineId, run.EnvironmentId, results);
    }

    /// <summary>The run's log lines after a line id, oldest first, a page at a time; null when the run does not exist.</summary>
    public async Task<LogPage?> GetLogAsync(int id, long after, int take, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        if (!await db.HealthCheckRuns.AnyAsync(r => r.Id == id, cancellationToken))
        {
            return null;
        }
        var lines = await db.TaskLogLines.AsNoTracking()
            .Where(l => l.HealthCheckRunId == id && l.Id > after).OrderBy(l => l.Id).Take(take)
            .Select(l => new LogLineDto(l.Id, l.At, l.MachineId, l.JobId, l.Stream, l.Text))
            .ToListAsync(cancellationToken);
        return new LogPage(lines, lines.Count == take ? lines[^1].Id : null);
    }
}
