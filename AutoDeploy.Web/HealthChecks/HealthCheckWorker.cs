using AutoDeploy.Domain.Events;
using AutoDeploy.Domain.Agents;
using AutoDeploy.Domain.Deployments;
using AutoDeploy.Domain.Machines;
using AutoDeploy.Domain.Policies;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Services;
using AutoDeploy.Web.Signals;
using AutoDeploy.Web.Workers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AutoDeploy.Web.HealthChecks;

/// <summary>
/// Looks after machines as their policies say: queues the checks that are due (read by due time, with a
/// bounded number running), marks machines whose agents went silent Unavailable, gives up on checks no
/// agent answered, and deletes machines that stayed unavailable longer than their policy allows. With several
/// nodes, one pass runs at a time (a node skips its pass while another node's runs), so no check is queued twice.
/// </summary>
public sealed class HealthCheckWorker(
    IDbContextFactory<AutoDeployDbContext> factory, HealthCheckService healthChecks, TaskSignals signals,
    IOptions<HealthCheckOptions> options, TimeProvider time, ILogger<HealthCheckWorker> logger, ClusterLock? passLock = null,
    ServerStalls? stalls = null)
    : BackgroundService
{
    private HealthCheckOptions Options => options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Options.TickInterval, time);
        do
        {
            try
            {
                await TickAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(ex, "A health-check pass failed; the next one retries");
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    /// <summary>One pass; public so tests can drive the worker step by step with a fake clock.</summary>
    public async Task TickAsync(CancellationToken cancellationToken)
    {
        await using var turn = passLock is null ? null : await passLock.TryAcquireAsync(ClusterLock.HealthCheckPass, cancellationToken);
        if (passLock is not null && turn is null)
        {
            return;
        }
        await MarkSilentMachinesAsync(cancellationToken);
        await ExpireUnansweredChecksAsync(cancellationToken);
        await QueueDueChecksAsync(cancellationToken);
        await CleanUpAsync(cancellationToken);
    }

    private async Task MarkSilentMachinesAsync(CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow();
        var silentSince = now - Options.UnavailableAfter;
        var candidates = await db.Machines
            .Where(m => m.HealthStatus != MachineHealthStatus.Unavailable)
            .Where(m => m.LastSeenAt < silentSince || m.LastSeenAt == null)
            .ToListAsync(cancellationToken);
        var silent = candidates
            // The time this node itself was stalled is not the agent's silence (ServerStalls).
            .Where(m => HealthRules.IsUnresponsive(m.LastSeenAt, m.RegisteredAt, now - Stalled(m.LastSeenAt ?? m.RegisteredAt),
                Options.UnavailableAfter, Options.FirstContactGrace))
            .ToList();
        foreach (var machine in silent)
        {
            machine.RecordHealth(MachineHealthStatus.Unavailable, machine.LastSeenAt is null
                ? $"The agent has not contacted the server in the {Options.FirstContactGrace.TotalMinutes:0} minutes since the machine was registered."
                : $"The agent has not contacted the server for {Options.UnavailableAfter.TotalSeconds:0} s.", now);
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    private TimeSpan Stalled(DateTimeOffset since) => stalls?.Since(since) ?? TimeSpan.Zero;

    private async Task ExpireUnansweredChecksAsync(CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow();
        var pickupDeadline = now - Options.PickupTimeout;
        var runDeadline = now - Options.ScriptTimeout - Options.PickupTimeout;
        var expired = await db.MachineJobs.AsNoTracking()
            .Where(j => j.Kind == AgentJobKind.HealthCheck)
            .Where(j => (j.State == JobState.Pending && j.CreatedAt < pickupDeadline) || (j.State == JobState.Running && j.StartedAt < runDeadline))
            .ToListAsync(cancellationToken);
        foreach (var job in expired)
        {
            var reason = job.State == JobState.Pending
                ? $"The agent did not pick up the health check within {Options.PickupTimeout.TotalSeconds:0} s."
                : "The agent did not report the health check's result in time.";
            // Only if the job is still as read: an agent that claimed or answered it meanwhile is not unanswered.
            var read = job.State;
            if (await db.MachineJobs.Where(j => j.Id == job.Id && j.State == read).ExecuteUpdateAsync(
                    u => u.SetProperty(j => j.State, JobState.Failed).SetProperty(j => j.Message, reason).SetProperty(j => j.CompletedAt, now),
                    cancellationToken) == 0)
            {
                continue;
            }
            job.State = JobState.Failed;
            job.Message = reason;
            job.CompletedAt = now;
            await healthChecks.RecordUnansweredAsync(db, job, reason, cancellationToken);
        }
    }

    private async Task QueueDueChecksAsync(CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var running = await db.MachineJobs.CountAsync(j => j.Kind == AgentJobKind.HealthCheck
            && (j.State == JobState.Pending || j.State == JobState.Running), cancellationToken);
        var room = Options.MaxConcurrentChecks - running;
        if (room <= 0)
        {
            return;
        }
        var now = time.GetUtcNow();
        // Unavailable machines are not polling; their agent's next poll is what checks them.
        var due = await db.Machines.Include(m => m.MachinePolicy)
            .Where(m => m.NextHealthCheckAt <= now && m.HealthStatus != MachineHealthStatus.Unavailable)
            .OrderBy(m => m.NextHealthCheckAt).Take(room)
            .ToListAsync(cancellationToken);
        foreach (var machine in due)
        {
            await healthChecks.QueueAsync(db, machine.Id, null, cancellationToken);
            machine.NextHealthCheckAt = HealthRules.NextCheck(now, machine.MachinePolicy!);
        }
        await db.SaveChangesAsync(cancellationToken);
        foreach (var machine in due)
        {
            signals.Machines.Notify(machine.Id);
        }
    }

    private async Task CleanUpAsync(CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow();
        var candidates = await db.Machines.Include(m => m.MachinePolicy)
            .Where(m => m.HealthStatus == MachineHealthStatus.Unavailable && m.MachinePolicy!.CleanupBehavior == CleanupBehavior.DeleteUnavailableMachines)
            .ToListAsync(cancellationToken);
        foreach (var machine in candidates.Where(m => HealthRules.ShouldDelete(m.HealthStatus, m.HealthChangedAt, m.MachinePolicy!, now)))
        {
            var busy = await db.DeploymentTargets
                .Where(t => t.MachineId == machine.Id && (t.State == TargetState.Pending || t.State == TargetState.Running))
                .Join(db.Deployments, t => t.DeploymentId, d => d.Id, (t, d) => d.Id)
                .FirstOrDefaultAsync(cancellationToken);
            if (busy != 0)
            {
                // Once per unavailable spell, whichever node noticed it first (the event log is shared, a set in memory is not).
                var unavailableSince = machine.HealthChangedAt ?? DateTimeOffset.MinValue;
                if (!await db.Events.AnyAsync(e => e.MachineId == machine.Id && e.Category == EventCategories.MachineCleanupFailed
                        && e.OccurredAt >= unavailableSince, cancellationToken))
                {
                    machine.CleanupFailed($"it is taking part in deployment {busy}; clean-up is retried when that ends.");
                }
                continue;
            }
            await MachineRemoval.StageAsync(db, machine,
                $"unavailable since {machine.HealthChangedAt:u}, longer than policy '{machine.MachinePolicy!.Name}' allows " +
                $"({machine.MachinePolicy.DeleteUnavailableAfter})", now, cancellationToken);
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
