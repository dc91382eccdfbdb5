using AutoDeploy.Web.Data;
using Microsoft.Extensions.Options;

namespace AutoDeploy.Web.Retention;

/// <summary>
/// Runs <see cref="RetentionSweep"/> every <see cref="RetentionOptions.Interval"/> when any age is configured; one node
/// at a time (<see cref="ClusterLock.RetentionSweep"/>): a node that finds the lock taken skips its turn.
/// </summary>
public sealed class RetentionWorker(RetentionSweep sweep, ClusterLock clusterLock, IOptions<RetentionOptions> options, TimeProvider time,
    ILogger<RetentionWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Configured)
        {
            return;
        }
        using var timer = new PeriodicTimer(options.Value.Interval, time);
        do
        {
            try
            {
                await using var turn = await clusterLock.TryAcquireAsync(ClusterLock.RetentionSweep, stoppingToken);
                if (turn is not null)
                {
                    var result = await sweep.SweepAsync(stoppingToken);
                    if (result.Removed)
                    {
                        logger.LogInformation("{Summary}", result.Describe());
                    }
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "A retention sweep failed; the next one carries on where it stopped");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
