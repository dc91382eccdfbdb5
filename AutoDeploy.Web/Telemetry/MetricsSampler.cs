using AutoDeploy.Domain.Deployments;
using AutoDeploy.Domain.Triggers;
using AutoDeploy.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AutoDeploy.Web.Telemetry;

/// <summary>
/// Reads the gauges of the shared database every <see cref="TelemetryOptions.SampleInterval"/>: three small queries, so
/// a scrape never waits on the database and many scrapers cost no more. Runs only when metrics are on.
/// </summary>
public sealed class MetricsSampler(IDbContextFactory<AutoDeployDbContext> factory, AutoDeployMetrics metrics, IOptions<TelemetryOptions> options,
    TimeProvider time, ILogger<MetricsSampler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SampleInterval, time);
        do
        {
            try
            {
                metrics.Sampled(await SampleAsync(stoppingToken));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Could not sample the metrics' gauges; they keep their last values");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task<MetricsSample> SampleAsync(CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var states = await db.Deployments.Where(d => d.State == DeploymentState.Queued || d.State == DeploymentState.Executing)
            .GroupBy(d => d.State).Select(g => new { State = g.Key, Count = g.LongCount() }).ToListAsync(cancellationToken);
        var cursor = await db.AutoDeployCursors.Where(c => c.Name == AutoDeployCursor.EngineName)
            .Select(c => (long?)c.LastEventId).SingleOrDefaultAsync(cancellationToken);
        var lag = cursor is { } last ? await db.Events.LongCountAsync(e => e.Id > last, cancellationToken) : 0;
        var health = await db.Machines.GroupBy(m => m.HealthStatus).Select(g => new { Health = g.Key, Count = g.LongCount() })
            .ToListAsync(cancellationToken);
        return new MetricsSample(
            states.SingleOrDefault(s => s.State == DeploymentState.Queued)?.Count ?? 0,
            states.SingleOrDefault(s => s.State == DeploymentState.Executing)?.Count ?? 0,
            lag,
            health.ToDictionary(h => h.Health.ToString(), h => h.Count));
    }
}
