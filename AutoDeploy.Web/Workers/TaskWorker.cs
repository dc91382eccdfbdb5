using System.Collections.Concurrent;
using AutoDeploy.Domain.Deployments;
using AutoDeploy.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AutoDeploy.Web.Workers;

/// <summary>
/// Runs queued deployments, several at once but one at a time per project and environment. Each deployment it
/// runs is leased to this node and renewed by a heartbeat; the heartbeat also fails the deployments of nodes
/// that stopped renewing theirs (<see cref="DeploymentRecovery"/>). A deployment this node lost is stopped here.
/// </summary>
public sealed class TaskWorker(
    IDbContextFactory<AutoDeployDbContext> factory, DeploymentRunner runner, DeploymentLeases leases, DeploymentRecovery recovery,
    NodeIdentity node, TaskSignals signals, IOptions<TaskOptions> options, TimeProvider time, ILogger<TaskWorker> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<int, Running> _running = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await RecoverAsync(includeOwnLeftovers: true, stoppingToken);
        var heartbeat = HeartbeatAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            var wake = signals.Queue.WaitAsync(0, options.Value.RecheckInterval, time, stoppingToken);
            try
            {
                while (_running.Count < options.Value.MaxConcurrentDeployments && await ClaimNextAsync(stoppingToken) is { } id)
                {
                    var stop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                    _running[id] = new Running(RunAsync(id, stop.Token, stoppingToken), stop);
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(ex, "The task worker could not claim deployments; retrying");
            }
            await wake;
        }
        await Task.WhenAll(_running.Values.Select(r => r.Task).Append(heartbeat));
    }

    private async Task RunAsync(int deploymentId, CancellationToken lease, CancellationToken stoppingToken)
    {
        await Task.Yield();
        try
        {
            await runner.RunAsync(deploymentId, lease);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            await EndAsync(deploymentId, recovery.StoppingReason);
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
            logger.LogError(ex, "Could not record the end of deployment {Id}; another node fails it when its lease expires", deploymentId);
        }
    }

    /// <summary>Every heartbeat: renews this node's leases, stops what it lost, and fails what stopped nodes left.</summary>
    private async Task HeartbeatAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(node.HeartbeatInterval, time, stoppingToken);
                await RenewAsync(stoppingToken);
                await RecoverAsync(includeOwnLeftovers: false, stoppingToken);
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

    private async Task RecoverAsync(bool includeOwnLeftovers, CancellationToken cancellationToken)
    {
        try
        {
            await recovery.FailOrphanedAsync(includeOwnLeftovers, _running.Keys.ToList(), cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogError(ex, "Could not fail the deployments of stopped nodes; the next heartbeat retries");
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
