using AutoDeploy.Domain.Packages;
using AutoDeploy.Domain.Releases;
using AutoDeploy.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AutoDeploy.Web.Packages;

/// <summary>
/// The package repository's retention (<see cref="PackageOptions.RetainUnusedFor"/>): every
/// <see cref="PackageOptions.RetentionSweepInterval"/>, the versions no release pins that were uploaded longer ago than
/// that are deleted, each with a <c>PackageDeleted</c> event saying why; the latest version of each package stays.
/// With several nodes each sweeps; a version another node deleted first is simply gone.
/// </summary>
public sealed class PackageRetention(IServiceScopeFactory scopes, IDbContextFactory<AutoDeployDbContext> factory, IOptions<PackageOptions> options,
    TimeProvider time, ILogger<PackageRetention> logger) : BackgroundService
{
    /// <summary>Deletes what retention says to; returns "id version" of each version deleted.</summary>
    public async Task<List<string>> SweepAsync(CancellationToken cancellationToken)
    {
        var keepFor = options.Value.RetainUnusedFor;
        if (keepFor <= TimeSpan.Zero)
        {
            return [];
        }
        var before = time.GetUtcNow() - keepFor;
        List<PackageVersion> versions;
        HashSet<(string, string)> pinned;
        await using (var db = await factory.CreateDbContextAsync(cancellationToken))
        {
            versions = await db.PackageVersions.AsNoTracking().ToListAsync(cancellationToken);
            pinned = (await db.Releases.AsNoTracking().SelectMany(r => r.Packages).Select(p => new { p.NormalizedPackageId, p.Version })
                .Distinct().ToListAsync(cancellationToken)).Select(p => (p.NormalizedPackageId, p.Version)).ToHashSet();
        }
        var latest = versions.GroupBy(v => v.NormalizedPackageId)
            .Select(g => ReleaseVersions.NewestFirst(g, v => v.Version).First().Id).ToHashSet();
        var expired = versions.Where(v => v.UploadedAt < before && !latest.Contains(v.Id) && !pinned.Contains((v.NormalizedPackageId, v.Version)))
            .ToList();
        var deleted = new List<string>();
        await using var scope = scopes.CreateAsyncScope();
        var service = scope.ServiceProvider.GetRequiredService<PackageService>();
        foreach (var version in expired)
        {
            var reason = $"no release uses it and it was uploaded more than {keepFor.TotalDays:0.#} days ago (retention)";
            if ((await service.DeleteAsync(version.PackageId, version.Version, cancellationToken, reason)).Succeeded)
            {
                deleted.Add($"{version.PackageId} {version.Version}");
            }
        }
        return deleted;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.RetentionSweepInterval, time);
        do
        {
            try
            {
                if (await SweepAsync(stoppingToken) is { Count: > 0 } deleted)
                {
                    logger.LogInformation("Package retention deleted {Count} versions: {Versions}", deleted.Count, string.Join(", ", deleted));
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "The package retention sweep failed; it runs again in {Interval}", options.Value.RetentionSweepInterval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
