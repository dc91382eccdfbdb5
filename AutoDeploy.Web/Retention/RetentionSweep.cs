using AutoDeploy.Domain.Deployments;
using AutoDeploy.Domain.Events;
using AutoDeploy.Domain.Triggers;
using AutoDeploy.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AutoDeploy.Web.Retention;

/// <summary>
/// One retention sweep: deletes the history older than the configured ages (<see cref="RetentionOptions"/>) in batches,
/// never what the engine or a machine still needs, and records one <see cref="EventCategories.RetentionSwept"/> event
/// saying what went. Each batch is its own short transaction, so a sweep stopped half-way leaves a consistent database
/// and the next one carries on.
/// </summary>
public sealed class RetentionSweep(IDbContextFactory<AutoDeployDbContext> factory, IOptions<RetentionOptions> options, TimeProvider time)
{
    private RetentionOptions Options => options.Value;

    public async Task<RetentionResult> SweepAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var result = new RetentionResult(
            Options.TaskLogs is { } logs ? await DeleteTaskLogsAsync(now - logs, cancellationToken) : 0,
            Options.HealthCheckRuns is { } runs ? await DeleteHealthCheckRunsAsync(now - runs, cancellationToken) : 0,
            Options.Releases is { } releases ? await DeleteReleasesAsync(now - releases, cancellationToken) : ([], 0),
            Options.Events is { } events ? await DeleteEventsAsync(now - events, cancellationToken) : 0);
        if (result.Removed)
        {
            await using var db = await factory.CreateDbContextAsync(cancellationToken);
            db.Record(new DomainEvent(EventCategories.RetentionSwept, result.Describe(), null, result.Details()));
            await db.SaveChangesAsync(cancellationToken);
        }
        return result;
    }

    /// <summary>
    /// The log lines of deployments and health checks that ended before <paramref name="cutoff"/>, and the webhook
    /// delivery log's entries from before it.
    /// </summary>
    private async Task<int> DeleteTaskLogsAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await InBatchesAsync(
            () => db.SubscriptionDeliveries.Where(d => d.AttemptedAt < cutoff).OrderBy(d => d.Id).Select(d => d.Id).Take(Options.BatchSize)
                .ToListAsync(cancellationToken),
            ids => db.SubscriptionDeliveries.Where(d => ids.Contains(d.Id)).ExecuteDeleteAsync(cancellationToken));
        var deployments = db.Deployments.Where(d => d.CompletedAt < cutoff).Select(d => (int?)d.Id);
        var runs = db.HealthCheckRuns.Where(r => r.CompletedAt < cutoff).Select(r => (int?)r.Id);
        return await InBatchesAsync(
            () => db.TaskLogLines.Where(l => deployments.Contains(l.DeploymentId) || runs.Contains(l.HealthCheckRunId))
                .OrderBy(l => l.Id).Select(l => l.Id).Take(Options.BatchSize).ToListAsync(cancellationToken),
            ids => db.TaskLogLines.Where(l => ids.Contains(l.Id)).ExecuteDeleteAsync(cancellationToken));
    }

    /// <summary>Health-check runs that ended before <paramref name="cutoff"/>, with their jobs and log lines.</summary>
    private async Task<int> DeleteHealthCheckRunsAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await InBatchesAsync(
            () => db.HealthCheckRuns.Where(r => r.CompletedAt < cutoff).OrderBy(r => r.Id).Select(r => r.Id).Take(Options.BatchSize)
                .ToListAsync(cancellationToken),
            async ids =>
            {
                var nullable = ids.Select(id => (int?)id).ToList();
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                await db.TaskLogLines.Where(l => nullable.Contains(l.HealthCheckRunId)).ExecuteDeleteAsync(cancellationToken);
                await db.MachineJobs.Where(j => nullable.Contains(j.HealthCheckRunId)).ExecuteDeleteAsync(cancellationToken);
                var deleted = await db.HealthCheckRuns.Where(r => ids.Contains(r.Id)).ExecuteDeleteAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return deleted;
            });
    }

    /// <summary>
    /// Releases created before <paramref name="cutoff"/> with their deployments, their targets, jobs, claims and logs,
    /// except those still needed (<see cref="NeededReleasesAsync"/>).
    /// </summary>
    private async Task<(List<int> Releases, int Deployments)> DeleteReleasesAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var needed = await NeededReleasesAsync(db, cancellationToken);
        var candidates = (await db.Releases.Where(r => r.CreatedAt < cutoff).OrderBy(r => r.Id).Select(r => r.Id).ToListAsync(cancellationToken))
            .Where(id => !needed.Contains(id)).ToList();
        var deploymentCount = 0;
        foreach (var batch in candidates.Chunk(Math.Max(1, Options.BatchSize / 10)))
        {
            var deployments = await db.Deployments.Where(d => batch.Contains(d.ReleaseId)).Select(d => d.Id).ToListAsync(cancellationToken);
            var nullable = deployments.Select(id => (int?)id).ToList();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.TaskLogLines.Where(l => nullable.Contains(l.DeploymentId)).ExecuteDeleteAsync(cancellationToken);
            await db.MachineJobs.Where(j => nullable.Contains(j.DeploymentId)).ExecuteDeleteAsync(cancellationToken);
            await db.AutoDeployClaims.Where(c => deployments.Contains(c.DeploymentId)).ExecuteDeleteAsync(cancellationToken);
            // The database cascades a release's deletion to its deployments and their targets.
            await db.Releases.Where(r => batch.Contains(r.Id)).ExecuteDeleteAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            deploymentCount += deployments.Count;
        }
        return (candidates, deploymentCount);
    }

    /// <summary>
    /// What retention never deletes: each project's newest release, the release of the latest successful deployment per
    /// project and environment (what a new machine gets), the release each machine has per project, releases pinned by an
    /// override, and those of unfinished deployments, stored retries and open claims.
    /// </summary>
    private static async Task<HashSet<int>> NeededReleasesAsync(AutoDeployDbContext db, CancellationToken cancellationToken)
    {
        var needed = new HashSet<int>();
        needed.UnionWith(await db.Releases.GroupBy(r => r.ProjectId).Select(g => g.Max(r => r.Id)).ToListAsync(cancellationToken));
        var latestPerEnvironment = db.Deployments.Where(d => d.State == DeploymentState.Success)
            .GroupBy(d => new { d.ProjectId, d.EnvironmentId }).Select(g => g.Max(d => d.Id));
        needed.UnionWith(await db.Deployments.Where(d => latestPerEnvironment.Contains(d.Id)).Select(d => d.ReleaseId).ToListAsync(cancellationToken));
        var latestPerMachine = db.DeploymentTargets.Where(t => t.State == TargetState.Success)
            .Join(db.Deployments, t => t.DeploymentId, d => d.Id, (t, d) => new { t.MachineId, d.ProjectId, d.Id })
            .GroupBy(x => new { x.MachineId, x.ProjectId }).Select(g => g.Max(x => x.Id));
        needed.UnionWith(await db.Deployments.Where(d => latestPerMachine.Contains(d.Id)).Select(d => d.ReleaseId).Distinct().ToListAsync(cancellationToken));
        needed.UnionWith(await db.AutoDeployOverrides.Select(o => o.ReleaseId).ToListAsync(cancellationToken));
        needed.UnionWith(await db.Deployments.Where(d => d.State == DeploymentState.Queued || d.State == DeploymentState.Executing)
            .Select(d => d.ReleaseId).ToListAsync(cancellationToken));
        needed.UnionWith(await db.AutoDeployRetries.Select(r => r.ReleaseId).ToListAsync(cancellationToken));
        needed.UnionWith(await db.AutoDeployClaims.Select(c => c.ReleaseId).ToListAsync(cancellationToken));
        return needed;
    }

    /// <summary>
    /// Events before <paramref name="cutoff"/> that every reader has passed (ids up to the engine's cursor) and no stored
    /// retry refers to. Each batch holds a <see cref="RetentionPermit"/> inside its own transaction: the only way past the
    /// database's append-only triggers.
    /// </summary>
    private async Task<int> DeleteEventsAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        // Every reader's cursor: the engine's and each webhook subscription's (a paused one too: it delivers what waited).
        var engine = await db.AutoDeployCursors.Where(c => c.Name == AutoDeployCursor.EngineName).Select(c => (long?)c.LastEventId)
            .SingleOrDefaultAsync(cancellationToken) ?? 0;
        var subscriptions = await db.SubscriptionCursors.MinAsync(c => (long?)c.LastEventId, cancellationToken);
        var readUpTo = Math.Min(engine, subscriptions ?? long.MaxValue);
        var kept = (await db.AutoDeployRetries.Select(r => r.EventIds).ToListAsync(cancellationToken)).SelectMany(ids => ids).ToHashSet();
        long after = 0;
        var deleted = 0;
        while (true)
        {
            var from = after;
            var page = await db.Events.Where(e => e.Id > from && e.Id <= readUpTo && e.OccurredAt < cutoff).OrderBy(e => e.Id)
                .Select(e => e.Id).Take(Options.BatchSize).ToListAsync(cancellationToken);
            if (page.Count == 0)
            {
                return deleted;
            }
            after = page[^1];
            var doomed = page.Where(id => !kept.Contains(id)).ToList();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            db.RetentionPermits.Add(new RetentionPermit { GrantedAt = time.GetUtcNow() });
            await db.SaveChangesAsync(cancellationToken);
            deleted += await db.Events.Where(e => doomed.Contains(e.Id)).ExecuteDeleteAsync(cancellationToken);
            await db.RetentionPermits.ExecuteDeleteAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            db.ChangeTracker.Clear();
        }
    }

    private static async Task<int> InBatchesAsync<T>(Func<Task<List<T>>> next, Func<List<T>, Task<int>> delete)
    {
        var total = 0;
        while (await next() is { Count: > 0 } ids)
        {
            total += await delete(ids);
        }
        return total;
    }
}

/// <summary>What one sweep deleted.</summary>
public sealed record RetentionResult(int TaskLogLines, int HealthCheckRuns, (List<int> Ids, int Deployments) Releases, int Events)
{
    /// <summary>Release ids listed in the event at most; the count is always exact.</summary>
    public const int MaxListedReleases = 50;

    public bool Removed => TaskLogLines + HealthCheckRuns + Releases.Ids.Count + Events > 0;

    public string Describe() =>
        $"Retention removed {TaskLogLines} task log line(s), {HealthCheckRuns} health-check run(s), {Releases.Ids.Count} release(s) " +
        $"with {Releases.Deployments} deployment(s), and {Events} event(s)";

    public object Details() => new
    {
        taskLogLines = TaskLogLines,
        healthCheckRuns = HealthCheckRuns,
        releases = Releases.Ids.Count,
        releaseIds = Releases.Ids.Take(MaxListedReleases).ToList(),
        deployments = Releases.Deployments,
        events = Events,
    };
}
