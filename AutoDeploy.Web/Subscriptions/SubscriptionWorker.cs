using AutoDeploy.Web.Data;
using AutoDeploy.Web.Signals;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AutoDeploy.Web.Subscriptions;

/// <summary>
/// Delivers every subscription that is not paused, each in a loop of its own, so a slow or failing receiver delays only
/// its own deliveries, never another's and never the engine's (docs/architecture.md §14). Woken when events commit (its
/// own signal) and every <see cref="SubscriptionOptions.ScanInterval"/>; a subscription waiting for a retry sleeps until
/// it is due on the injected clock.
/// </summary>
public sealed class SubscriptionWorker(
    SubscriptionDeliverer deliverer, IDbContextFactory<AutoDeployDbContext> factory, TaskSignals signals, IOptions<SubscriptionOptions> options,
    TimeProvider time, ILogger<SubscriptionWorker> logger) : BackgroundService
{
    private readonly Dictionary<int, Task> _running = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            // Registered before the look, so an event committed during it wakes the next round.
            var wake = signals.Subscriptions.WaitAsync(0, options.Value.ScanInterval, time, stoppingToken);
            try
            {
                await StartDueAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(ex, "Listing the subscriptions to deliver failed; trying again at the next wake-up");
            }
            try
            {
                await wake;
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        await Task.WhenAll(_running.Values).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private async Task StartDueAsync(CancellationToken stoppingToken)
    {
        foreach (var done in _running.Where(r => r.Value.IsCompleted).Select(r => r.Key).ToList())
        {
            _running.Remove(done);
        }
        await using var db = await factory.CreateDbContextAsync(stoppingToken);
        var active = await db.Subscriptions.Where(s => s.PausedAt == null).Select(s => s.Id).ToListAsync(stoppingToken);
        foreach (var id in active.Where(id => !_running.ContainsKey(id)))
        {
            _running[id] = Task.Run(() => DeliverAsync(id, stoppingToken), CancellationToken.None);
        }
    }

    /// <summary>Delivers one subscription until it has nothing due: page after page, waiting out its back-off between attempts.</summary>
    private async Task DeliverAsync(int subscriptionId, CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var pass = await deliverer.RunAsync(subscriptionId, stoppingToken);
                failures = 0;
                if (pass.Delivered > 0)
                {
                    continue;
                }
                if (pass.RetryAt is not { } due)
                {
                    return;
                }
                var wait = due - time.GetUtcNow();
                await Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                failures++;
                logger.LogError(ex, "Delivering subscription {Subscription} failed ({Failures} in a row); trying again from the same cursor",
                    subscriptionId, failures);
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(30_000, 100 * Math.Pow(2, failures))), time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
