using System.Collections.Concurrent;
using AutoDeploy.Domain.Deployments;
using AutoDeploy.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AutoDeploy.Web.Workers;

/// <summary>
/// Runs queued deployments, several at once but one at a time per project and environment.
/// On start it ends deployments that a previous run of the server left executing.
/// </summary>
public sealed class TaskWorker(
    IDbContextFactory<AutoDeployDbContext> factory, DeploymentRunner runner, TaskSignals signals, IOptions<TaskOptions> options,
    TimeProvider time, ILogger<TaskWorker> logger) : BackgroundService
{
    public const string InterruptedMessage = "The server stopped while this deployment was running; it did not finish.";

    private readonly ConcurrentDictionary<int, Task> _running = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await FailInterruptedAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            var wake = signals.Queue.WaitAsync(0, options.Value.RecheckInterval, time, stoppingToken);
            try
            {
                while (_running.Count < options.Value.MaxConcurrentDeployments && await ClaimNextAsync(stoppingToken) is { } id)
                {
                    _running[id] = RunAsync(id, stoppingToken);
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(ex, "The task worker could not claim deployments; retrying");
            }
            await wake;
        }
        await Task.WhenAll(_running.Values);
    }

    private async Task RunAsync(int deploymentId, CancellationToken stoppingToken)
    {
        await Task.Yield();
        try
        {
            await runner.RunAsync(deploymentId, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The next start fails it as interrupted.
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Deployment {Id} failed in the server", deploymentId);
            await FailAsync(deploymentId, $"The server failed while running the deployment: {ex.Message}");
        }
        finally
        {
            _running.TryRemove(deploymentId, out _);
            signals.Queue.Notify(0);
        }
    }

    /// <summary>The oldest queued deployment whose project and environment have none executing, moved to Executing.</summary>
    private async Task<int?> ClaimNextAsync(CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var candidates = await db.Deployments.AsNoTracking()
            .Where(d => d.State == DeploymentState.Queued)
            .Where(d => !db.Deployments.Any(x => x.State == DeploymentState.Executing && x.ProjectId == d.ProjectId && x.EnvironmentId == d.EnvironmentId))
            .OrderBy(d => d.Id).Select(d => d.Id).Take(10).ToListAsync(cancellationToken);
        foreach (var id in candidates)
        {
            var claimed = await db.Deployments.Where(d => d.Id == id && d.State == DeploymentState.Queued)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.State, DeploymentState.Executing), cancellationToken);
            if (claimed == 1)
            {
                return id;
            }
        }
        return null;
    }

    private async Task FailInterruptedAsync(CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var interrupted = await db.Deployments.Where(d => d.State == DeploymentState.Executing).Select(d => d.Id).ToListAsync(cancellationToken);
        foreach (var id in interrupted)
        {
            await FailAsync(id, InterruptedMessage);
        }
    }

    private async Task FailAsync(int deploymentId, string reason)
    {
        await using var db = await factory.CreateDbContextAsync();
        var deployment = await db.Deployments.SingleAsync(d => d.Id == deploymentId);
        if (deployment.State.IsFinished())
        {
            return;
        }
        var now = time.GetUtcNow();
        deployment.Finish(DeploymentState.Failed, reason, now);
        var jobs = await db.MachineJobs.Where(j => j.DeploymentId == deploymentId && (j.State == JobState.Pending || j.State == JobState.Running)).ToListAsync();
        foreach (var job in jobs)
        {
            job.State = JobState.Canceled;
            job.Message = reason;
            job.CompletedAt = now;
        }
        var targets = await db.DeploymentTargets.Where(t => t.DeploymentId == deploymentId && (t.State == TargetState.Pending || t.State == TargetState.Running)).ToListAsync();
        foreach (var target in targets)
        {
            target.State = TargetState.Failed;
            target.Reason = reason;
            target.CompletedAt = now;
        }
        db.TaskLogLines.Add(new TaskLogLine { DeploymentId = deploymentId, At = now, Stream = Domain.Agents.LogStream.Error, Text = reason });
        await db.SaveChangesAsync();
        signals.Logs.Notify(deploymentId);
    }
}
