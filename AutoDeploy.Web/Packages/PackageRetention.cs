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
        var expired = await ExpiredAsync(time.GetUtcNow() - keepFor, cancellationToken);
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

    /// <summary>
    /// The versions uploaded before <paramref name="before"/> that no release pins, found by the database, less the
    /// latest of each package: SemVer precedence is not SQL's, so only the versions of those packages are read for it.
    /// </summary>
    private async Task<List<PackageVersion>> ExpiredAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var candidates = await db.PackageVersions.AsNoTracking()
            .Where(v => v.UploadedAt < before
                && !db.Releases.Any(r => r.Packages.Any(p => p.NormalizedPackageId == v.NormalizedPackageId && p.Version == v.Version)))
            .ToListAsync(cancellationToken);
        if (candidates.Count == 0)
        {
            return [];
        }
        var packages = candidates.Select(v => v.NormalizedPackageId).Distinct().ToList();
        var versions = await db.PackageVersions.AsNoTracking().Where(v => packages.Contains(v.NormalizedPackageId))
            .Select(v => new { v.Id, v.NormalizedPackageId, v.Version }).ToListAsync(cancellationToken);
        var latest = versions.GroupBy(v => v.NormalizedPackageId)
            .Select(g => ReleaseVersions.NewestFirst(g, v => v.Version).First().Id).ToHashSet();
        return candidates.Where(v => !latest.Contains(v.Id)).ToList();
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
