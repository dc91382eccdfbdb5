using AutoDeploy.Domain.Triggers;
using AutoDeploy.Domain.Permissions;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Permissions;
using Microsoft.EntityFrameworkCore;

namespace AutoDeploy.Web.Engine;

/// <summary>The release pinned for auto-deploys of a project to one environment.</summary>
public sealed record AutoDeployOverrideDetails(
    int ProjectId, int EnvironmentId, string EnvironmentName, int ReleaseId, string ReleaseVersion, DateTimeOffset CreatedAt);

/// <summary>
/// Auto-deploy overrides: the release pinned for a project's auto-deploys to one environment, set and cleared by hand
/// or cleared by the next deployment of the project there. Every change is an event.
/// </summary>
public sealed class AutoDeployOverrideService(IDbContextFactory<AutoDeployDbContext> factory, TimeProvider time, CurrentAccess current)
{
    /// <summary>The project's overrides in environment order; null when the project does not exist.</summary>
    public async Task<IReadOnlyList<AutoDeployOverrideDetails>?> ListAsync(int projectId, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var access = await current.GetAsync(cancellationToken);
        if (!await db.Projects.AnyAsync(p => p.Id == projectId, cancellationToken) || !access.CanViewProject(projectId))
        {
            return null;
        }
        var pins = await db.AutoDeployOverrides.AsNoTracking().Where(o => o.ProjectId == projectId)
            .Join(db.Environments, o => o.EnvironmentId, e => e.Id, (o, e) => new { Override = o, e.Name, e.SortOrder })
            .ToListAsync(cancellationToken);
        return pins.Where(p => access.CanView(projectId, [p.Override.EnvironmentId])).OrderBy(p => p.SortOrder).ThenBy(p => p.Override.EnvironmentId)
            .Select(p => Details(p.Override, p.Name)).ToList();
    }

    /// <summary>
    /// Pins <paramref name="releaseId"/> (a release of the project) for auto-deploys to the environment. An override
    /// already there for another release is cleared first, with its own event; the same release again changes nothing.
    /// </summary>
    public async Task<SaveResult<AutoDeployOverrideDetails>> SetAsync(
        int projectId, int environmentId, int? releaseId, CancellationToken cancellationToken = default)
    {
        if (await current.RefusalAsync(Permission.Deploy, projectId, $"Project {projectId}", cancellationToken, environmentId) is { } refused)
        {
            return refused;
        }
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var project = await db.Projects.SingleOrDefaultAsync(p => p.Id == projectId, cancellationToken);
        if (project is null)
        {
            return SaveResult.NotFound($"Project {projectId} does not exist.");
        }
        var environment = await db.Environments.SingleOrDefaultAsync(e => e.Id == environmentId, cancellationToken);
        if (environment is null)
        {
            return SaveResult.NotFound($"Environment {environmentId} does not exist.");
        }
        var release = releaseId is null ? null : await db.Releases.SingleOrDefaultAsync(r => r.Id == releaseId, cancellationToken);
        if (release is null || release.ProjectId != projectId)
        {
            return SaveResult.Invalid(nameof(AutoDeployOverride.ReleaseId), releaseId is null ? "Choose a release."
                : release is null ? $"Release {releaseId} does not exist."
                : $"Release {release.Version} is not a release of '{project.Name}'.");
        }
        var description = Describe(project.Name, environment.Name);
        var existing = await FindAsync(db, projectId, environmentId, cancellationToken);
        if (existing?.ReleaseId == release.Id)
        {
            return new SaveResult<AutoDeployOverrideDetails>(SaveResult.Saved, Details(existing, environment.Name));
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            if (existing is not null)
            {
                existing.Clear(description, $"replaced by release {release.Version}");
                db.AutoDeployOverrides.Remove(existing);
                await db.SaveChangesAsync(cancellationToken);
            }
            var pin = AutoDeployOverride.Set(projectId, environmentId, release.Id, release.Version, description, time.GetUtcNow());
            db.AutoDeployOverrides.Add(pin);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return new SaveResult<AutoDeployOverrideDetails>(SaveResult.Saved, Details(pin, environment.Name));
        }
        catch (DbUpdateException)
        {
            // Someone set or cleared this override at the same moment: the unique index or the missing row refused ours.
            return SaveResult.Conflict($"The auto-deploy override of {description} was changed by someone else at the same time; reload and try again.");
        }
    }

    /// <summary>Removes the override of the project for the environment, with an event.</summary>
    public async Task<SaveResult> ClearAsync(int projectId, int environmentId, CancellationToken cancellationToken = default)
    {
        if (await current.RefusalAsync(Permission.Deploy, projectId, $"Project {projectId}", cancellationToken, environmentId) is { } refused)
        {
            return refused;
        }
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var existing = await FindAsync(db, projectId, environmentId, cancellationToken);
        if (existing is null)
        {
            return NoOverride(projectId, environmentId);
        }
        existing.Clear(await DescribeAsync(db, projectId, environmentId, cancellationToken), $"removed by {ActorContext.Current}");
        db.AutoDeployOverrides.Remove(existing);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return NoOverride(projectId, environmentId); // cleared by someone else in the meantime
        }
        return SaveResult.Saved;
    }

    /// <summary>
    /// Stages, in the caller's context and save, the clear of the project's override for the environment because a
    /// deployment there was queued: the next deployment always ends an override (docs/architecture.md §4).
    /// </summary>
    public static async Task ClearOverrideOnDeploymentAsync(
        AutoDeployDbContext db, int projectId, int environmentId, string deploymentTitle, CancellationToken cancellationToken = default)
    {
        var existing = await FindAsync(db, projectId, environmentId, cancellationToken);
        if (existing is null)
        {
            return;
        }
        existing.Clear(await DescribeAsync(db, projectId, environmentId, cancellationToken), $"deployment '{deploymentTitle}' was queued");
        db.AutoDeployOverrides.Remove(existing);
    }

    private static Task<AutoDeployOverride?> FindAsync(AutoDeployDbContext db, int projectId, int environmentId, CancellationToken cancellationToken) =>
        db.AutoDeployOverrides.SingleOrDefaultAsync(o => o.ProjectId == projectId && o.EnvironmentId == environmentId, cancellationToken);

    /// <summary>"Shop to Production", from the entities the context already tracks when it can.</summary>
    private static async Task<string> DescribeAsync(AutoDeployDbContext db, int projectId, int environmentId, CancellationToken cancellationToken)
    {
        var project = await db.Projects.FindAsync([projectId], cancellationToken);
        var environment = await db.Environments.FindAsync([environmentId], cancellationToken);
        return Describe(project?.Name ?? $"project {projectId}", environment?.Name ?? $"environment {environmentId}");
    }

    private static string Describe(string project, string environment) => $"{project} to {environment}";

    private static AutoDeployOverrideDetails Details(AutoDeployOverride pin, string environmentName) =>
        new(pin.ProjectId, pin.EnvironmentId, environmentName, pin.ReleaseId, pin.ReleaseVersion, pin.CreatedAt);

    private static SaveResult NoOverride(int projectId, int environmentId) =>
        SaveResult.NotFound($"Project {projectId} has no auto-deploy override for environment {environmentId}.");
}
