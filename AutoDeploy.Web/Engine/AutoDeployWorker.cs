using AutoDeploy.Web.Signals;
using Microsoft.Extensions.Options;

namespace AutoDeploy.Web.Engine;

/// <summary>
/// Runs the auto-deploy engine: at once when an event is committed on this node, when a stored retry falls due,
/// and every <see cref="AutoDeployOptions.ScanInterval"/> as the fallback (events committed by other nodes).
/// </summary>
public sealed class AutoDeployWorker(AutoDeployEngine engine, TaskSignals signals, IOptions<AutoDeployOptions> options, TimeProvider time,
    ILogger<AutoDeployWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            Task wake = signals.Events.WaitAsync(0, options.Value.ScanInterval, time, stoppingToken);
            try
            {
                while (await engine.RunPassAsync(stoppingToken))
                {
                }
                failures = 0;
                if (await engine.NextRetryDueAsync(stoppingToken) is { } due)
                {
                    var untilDue = due - time.GetUtcNow();
                    var retry = Task.Delay(untilDue > TimeSpan.Zero ? untilDue : TimeSpan.Zero, time, stoppingToken);
                    wake = Task.WhenAny(wake, retry).Unwrap();
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                failures++;
                logger.LogError(ex, "An auto-deploy pass failed ({Failures} in a row); the next pass retries from the same cursor", failures);
                // Retry after the back-off, not at the next wake-up: the events that failed may be the last for a while.
                wake = Task.Delay(TimeSpan.FromMilliseconds(Math.Min(30_000, 100 * Math.Pow(2, failures))), time, stoppingToken);
            }
            try
            {
                await wake;
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
