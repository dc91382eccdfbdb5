using System.Collections.Concurrent;
using AutoDeploy.Domain.Deployments;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Signals;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using AutoDeploy.Web.Telemetry;

namespace AutoDeploy.Web.Workers;

/// <summary>
/// Runs queued deployments, several at once but one at a time per project and environment. Each deployment it
/// runs is leased to this node and renewed by a heartbeat; the heartbeat also takes over the deployments of nodes
/// that stopped renewing theirs and carries on with them (<see cref="DeploymentRecovery"/>). A deployment this node
/// lost to another node is stopped here; one it is running when it stops is handed back for another node to take.
/// </summary>
public sealed class TaskWorker(
    IDbContextFactory<AutoDeployDbContext> factory, DeploymentRunner runner, DeploymentLeases leases, DeploymentRecovery recovery,
    NodeIdentity node, TaskSignals signals, IOptions<TaskOptions> options, TimeProvider time, ILogger<TaskWorker> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<int, Running> _running = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await TakeOverAsync(includeOwnLeftovers: true, stoppingToken);
        var heartbeat = HeartbeatAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            var wake = signals.Queue.WaitAsync(0, options.Value.RecheckInterval, time, stoppingToken);
            try
            {
                while (_running.Count < options.Value.MaxConcurrentDeployments && await ClaimNextAsync(stoppingToken) is { } id)
                {
                    Start(id, stoppingToken);
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(ex, "The task worker could not claim deployments; retrying");
            }
            try
            {
                await wake;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
        }
        // Stopping: the runners hand their deployments back before the host goes away.
        await Task.WhenAll(_running.Values.Select(r => r.Task).Append(heartbeat));
    }

    private void Start(int deploymentId, CancellationToken stoppingToken)
    {
        var stop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        _running[deploymentId] = new Running(RunAsync(deploymentId, stop.Token, stoppingToken), stop);
    }

    private async Task RunAsync(int deploymentId, CancellationToken lease, CancellationToken stoppingToken)
    {
        await Task.Yield();
        // Every line logged while running it (the runner's, EF's, errors) carries the deployment's id for log shippers.
        using var scope = logger.BeginScope(LogScopes.Deployment(deploymentId));
        try
        {
            await runner.RunAsync(deploymentId, lease);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            await HandBackAsync(deploymentId);
        }
        catch (Exception ex) when (ex is LeaseLostException || (ex is OperationCanceledException && lease.IsCancellationRequested))
        {
            logger.LogWarning("Node {Node} lost deployment {Id} to another node and stopped running it", node.Name, deploymentId);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Deployment {Id} failed in the server", deploymentId);
            await EndAsync(deploymentId, $"The server failed while running the deployment: {ex.Message}");
        }
        finally
        {
            if (_running.TryRemove(deploymentId, out var running))
            {
                running.Stop.Dispose();
            }
            signals.Queue.Notify(0);
        }
    }

    /// <summary>This node stops: another node carries on with the deployment at its next heartbeat, not a lease later.</summary>
    private async Task HandBackAsync(int deploymentId)
    {
        try
        {
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await recovery.ReleaseAsync(deploymentId, limit.Token);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Could not hand deployment {Id} back; another node takes it over when its lease expires", deploymentId);
        }
    }

    /// <summary>Fails a deployment this node gives up, unless another node holds it by now.</summary>
    private async Task EndAsync(int deploymentId, string reason)
    {
        try
        {
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await recovery.FailOwnedAsync(deploymentId, reason, limit.Token);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Could not record the end of deployment {Id}; another node takes it over when its lease expires", deploymentId);
        }
    }

    /// <summary>Every heartbeat: renews this node's leases, stops what it lost, and takes over what stopped nodes left.</summary>
    private async Task HeartbeatAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(node.HeartbeatInterval, time, stoppingToken);
                await RenewAsync(stoppingToken);
                await TakeOverAsync(includeOwnLeftovers: false, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "The deployment heartbeat failed; retrying");
            }
        }
    }

    private async Task RenewAsync(CancellationToken cancellationToken)
    {
        var ids = _running.Keys.ToList();
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var owned = await leases.RenewAsync(db, ids, cancellationToken);
        foreach (var id in ids.Where(i => !owned.Contains(i)))
        {
            if (_running.TryGetValue(id, out var running))
            {
                await running.Stop.CancelAsync();
            }
        }
    }

    private async Task TakeOverAsync(bool includeOwnLeftovers, CancellationToken stoppingToken)
    {
        try
        {
            var room = options.Value.MaxConcurrentDeployments - _running.Count;
            foreach (var id in await recovery.TakeOverOrphanedAsync(includeOwnLeftovers, _running.Keys.ToList(), room, stoppingToken))
            {
                Start(id, stoppingToken);
            }
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            logger.LogError(ex, "Could not take over the deployments of stopped nodes; the next heartbeat retries");
        }
    }

    /// <summary>The oldest queued deployment whose project and environment have none executing, claimed by this node.</summary>
    private async Task<int?> ClaimNextAsync(CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var candidates = await db.Deployments.AsNoTracking()
            .Where(d => d.State == DeploymentState.Queued)
            .Where(d => !db.Deployments.Any(x => x.State == DeploymentState.Executing && x.ProjectId == d.ProjectId && x.EnvironmentId == d.EnvironmentId))
            .OrderBy(d => d.Id).Select(d => d.Id).Take(10).ToListAsync(cancellationToken);
        foreach (var id in candidates)
        {
            if (await leases.ClaimAsync(db, id, cancellationToken))
            {
                return id;
            }
        }
        return null;
    }

    private sealed record Running(Task Task, CancellationTokenSource Stop);
}
