using AutoDeploy.Domain.Deployments;
using AutoDeploy.Domain.Events;
using AutoDeploy.Domain.Triggers;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Signals;
using AutoDeploy.Web.Telemetry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AutoDeploy.Web.Engine;

/// <summary>
/// One pass of the event-sourced auto-deploy loop: read a page of events after the cursor, plan, and commit the
/// deployments, their claims, one decision event per decision and the new cursor in one transaction. The cursor
/// moves only from the value this pass read, so of two engines working the same page only one commits.
/// </summary>
public sealed class AutoDeployEngine(
    IDbContextFactory<AutoDeployDbContext> factory, TaskSignals signals, IOptions<AutoDeployOptions> options, TimeProvider time,
    ILogger<AutoDeployEngine> logger, ClusterLock? passLock = null, AutoDeployMetrics? metrics = null)
{
    /// <summary>Processes one page of events and due retries; true when it committed some (so there may be more at once).</summary>
    public async Task<bool> RunPassAsync(CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        try
        {
            return await PassAsync(cancellationToken);
        }
        finally
        {
            metrics?.EnginePass(time.GetElapsedTime(started));
        }
    }

    private async Task<bool> PassAsync(CancellationToken cancellationToken)
    {
        // One pass at a time across nodes saves wasted passes; the conditional cursor below is what keeps two correct.
        await using var turn = passLock is null ? null : await passLock.AcquireAsync(ClusterLock.AutoDeployPass, cancellationToken);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var cursor = await ReadCursorAsync(db, cancellationToken);
        var input = await PlannerInputLoader.LoadAsync(db, cursor, options.Value.PageSize, time.GetUtcNow(), options.Value.RetryPolicy,
            cancellationToken);
        if (input.Events.Count == 0 && input.DueRetries.Count == 0)
        {
            return false;
        }
        var plan = AutoDeployPlanner.Plan(input);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!await TakeAsync(db, cursor, input, plan, cancellationToken))
        {
            logger.LogInformation("Another engine processed the events after {Cursor} or the due retries; skipping this pass", cursor);
            return false;
        }
        db.AutoDeployRetries.AddRange(plan.Retries.Select(r => new AutoDeployRetry
        {
            MachineId = r.MachineId, TriggerId = r.TriggerId, EnvironmentId = r.EnvironmentId, ReleaseId = r.ReleaseId, Attempt = r.Attempt,
            DueAt = r.DueAt, EventIds = [.. r.EventIds],
        }));
        var queued = await QueueAsync(db, plan.Deployments, cancellationToken);
        foreach (var decision in plan.Decisions)
        {
            db.Record(Explain(decision, queued, input.Triggers));
        }
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (queued.Count > 0)
        {
            signals.Queue.Notify(0);
            RecordReactions(input, plan);
            LogQueued(queued.Values);
        }
        return true;
    }

    private void LogQueued(IEnumerable<Deployment> deployments)
    {
        foreach (var deployment in deployments)
        {
            using (logger.BeginScope(LogScopes.AutoDeployment(deployment.Id, deployment.TriggerId, deployment.ChosenMachineIds)))
            {
                logger.LogInformation("Auto-deploy queued deployment {DeploymentId} of {Project} {Version} to {Environment} for {Count} machine(s)",
                    deployment.Id, deployment.ProjectName, deployment.ReleaseVersion, deployment.EnvironmentName, deployment.ChosenMachineIds.Count);
            }
        }
    }

    /// <summary>For each machine queued for, the time from its newest event of the pass (the one that made it deployable) to now.</summary>
    private void RecordReactions(PlannerInput input, AutoDeployPlan plan)
    {
        if (metrics is null)
        {
            return;
        }
        var occurred = input.Events.ToDictionary(e => e.Id, e => e.OccurredAt);
        var now = time.GetUtcNow();
        foreach (var decision in plan.Decisions.Where(d => d.Triggered))
        {
            var newest = decision.EventIds.Select(id => occurred.GetValueOrDefault(id)).DefaultIfEmpty().Max();
            if (newest != default)
            {
                metrics.Reaction(now - newest);
            }
        }
    }

    /// <summary>When the earliest stored retry is due, if any: the worker wakes for it.</summary>
    public async Task<DateTimeOffset?> NextRetryDueAsync(CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.AutoDeployRetries.OrderBy(r => r.DueAt).Select(r => (DateTimeOffset?)r.DueAt).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>
    /// Takes this pass's work for this engine alone: moves the cursor from the value the pass read and deletes the due
    /// retries it read (and those its new events supersede). False when another engine got there first.
    /// </summary>
    private async Task<bool> TakeAsync(AutoDeployDbContext db, long cursor, PlannerInput input, AutoDeployPlan plan, CancellationToken cancellationToken)
    {
        if (input.Events.Count > 0)
        {
            var moved = await db.AutoDeployCursors
                .Where(c => c.Name == AutoDeployCursor.EngineName && c.LastEventId == cursor)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.LastEventId, plan.NewCursor).SetProperty(c => c.UpdatedAt, time.GetUtcNow()),
                    cancellationToken);
            if (moved == 0)
            {
                return false;
            }
        }
        var due = input.DueRetries.Select(r => r.Id).ToList();
        if (due.Count > 0 && await db.AutoDeployRetries.Where(r => due.Contains(r.Id)).ExecuteDeleteAsync(cancellationToken) != due.Count)
        {
            return false;
        }
        // New events of a machine drop its stored retries; a leave hook's only when the machine came back (see the planner).
        var hooks = input.Triggers.Where(t => t.IsLeaveHook).Select(t => t.Id).ToList();
        var superseded = plan.Superseded.ToList();
        var returned = plan.Returned.ToList();
        if (superseded.Count > 0)
        {
            await db.AutoDeployRetries
                .Where(r => (superseded.Contains(r.MachineId) && !hooks.Contains(r.TriggerId)) || (returned.Contains(r.MachineId) && hooks.Contains(r.TriggerId)))
                .ExecuteDeleteAsync(cancellationToken);
        }
        return true;
    }

    /// <summary>The cursor; on the first run it starts at the newest event, so history is never replayed.</summary>
    private async Task<long> ReadCursorAsync(AutoDeployDbContext db, CancellationToken cancellationToken)
    {
        var cursor = await db.AutoDeployCursors.AsNoTracking().SingleOrDefaultAsync(c => c.Name == AutoDeployCursor.EngineName, cancellationToken);
        if (cursor is not null)
        {
            return cursor.LastEventId;
        }
        var newest = await db.Events.MaxAsync(e => (long?)e.Id, cancellationToken) ?? 0;
        db.AutoDeployCursors.Add(new AutoDeployCursor { LastEventId = newest, UpdatedAt = time.GetUtcNow() });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another engine created it first.
            db.ChangeTracker.Clear();
        }
        return (await db.AutoDeployCursors.AsNoTracking().SingleAsync(c => c.Name == AutoDeployCursor.EngineName, cancellationToken)).LastEventId;
    }

    /// <summary>
    /// Queues the planned deployments, keyed by (project, environment, release) for a batch and by (trigger, environment,
    /// leaving machine) for a leave hook (<see cref="Key"/>), with a claim per batched machine.
    /// </summary>
    private async Task<Dictionary<(int, int, int), Deployment>> QueueAsync(AutoDeployDbContext db, IReadOnlyList<PlannedDeployment> planned,
        CancellationToken cancellationToken)
    {
        var queued = new Dictionary<(int, int, int), Deployment>();
        foreach (var plan in planned)
        {
            var project = await db.Projects.SingleAsync(p => p.Id == plan.ProjectId, cancellationToken);
            var release = await db.Releases.SingleAsync(r => r.Id == plan.ReleaseId, cancellationToken);
            var environment = await db.Environments.SingleAsync(e => e.Id == plan.EnvironmentId, cancellationToken);
            var trigger = await db.Triggers.AsNoTracking().SingleAsync(t => t.Id == plan.TriggerId, cancellationToken);
            var deployment = Deployment.Queue(project, release, environment, plan.MachineIds, $"trigger '{trigger.Name}'", trigger.Id, time.GetUtcNow(),
                plan.Leaving);
            db.Deployments.Add(deployment);
            queued[Key(plan)] = deployment;
        }
        await db.SaveChangesAsync(cancellationToken);
        foreach (var plan in planned.Where(p => p.Leaving is null))
        {
            var deployment = queued[Key(plan)];
            // The unique index over open claims refuses a second queued auto-deployment of the release to a machine.
            db.AutoDeployClaims.AddRange(plan.MachineIds.Select(m => new AutoDeployClaim { MachineId = m, ReleaseId = plan.ReleaseId, DeploymentId = deployment.Id }));
        }
        return queued;
    }

    private static (int, int, int) Key(PlannedDeployment plan) => plan.Leaving is { } leaving
        ? (-plan.TriggerId, plan.EnvironmentId, leaving.MachineId)
        : (plan.ProjectId, plan.EnvironmentId, plan.ReleaseId);

    private static DomainEvent Explain(AutoDeployDecision decision, Dictionary<(int, int, int), Deployment> queued, IReadOnlyList<PlannerTrigger> triggers)
    {
        var hook = triggers.Any(t => t.Id == decision.TriggerId && t.IsLeaveHook);
        var deploymentId = decision.Triggered && decision.ReleaseId is { } releaseId
            ? queued[hook ? (-decision.TriggerId, decision.EnvironmentId, decision.MachineId) : (decision.ProjectId, decision.EnvironmentId, releaseId)].Id
            : decision.DeploymentId;
        return new DomainEvent(
            decision.Category,
            decision.Reason,
            new EventLinks(decision.MachineId, decision.EnvironmentId, null, decision.ProjectId, decision.ReleaseId, deploymentId, decision.TriggerId),
            new DecisionDetails(decision.Kind.ToString(), decision.MachineId, decision.TriggerId, decision.EnvironmentId, decision.ReleaseId,
                deploymentId, decision.EventIds, decision.Attempt));
    }
}
