using AutoDeploy.Domain.Releases;
using AutoDeploy.Domain.Permissions;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Permissions;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace AutoDeploy.Web.Services;

/// <summary>Releases: immutable, versioned snapshots of a project's process and variables.</summary>
public sealed class ReleaseService(
    IDbContextFactory<AutoDeployDbContext> factory, IValidator<ReleaseInput> validator, TimeProvider time, CurrentAccess current)
{
    /// <summary>
    /// A project's releases, newest first by SemVer precedence (sorted in memory once loaded: the database
    /// cannot order version text). Null when the project does not exist.
    /// </summary>
    public async Task<IReadOnlyList<ReleaseSummary>?> ListAsync(int projectId, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        if (!await db.Projects.AnyAsync(p => p.Id == projectId, cancellationToken)
            || !(await current.GetAsync(cancellationToken)).CanViewProject(projectId))
        {
            return null;
        }
        var releases = await db.Releases.AsNoTracking().Where(r => r.ProjectId == projectId)
            .Select(r => new ReleaseSummary(r.Id, r.ProjectId, r.Version, r.Notes, r.CreatedAt))
            .ToListAsync(cancellationToken);
        return ReleaseVersions.NewestFirst(releases, r => r.Version).ToList();
    }

    public async Task<ReleaseDetails?> GetAsync(int id, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var found = await db.Releases.AsNoTracking().Where(r => r.Id == id)
            .Join(db.Projects, r => r.ProjectId, p => p.Id, (r, p) => new { Release = r, Project = p.Name })
            .SingleOrDefaultAsync(cancellationToken);
        return found is null || !(await current.GetAsync(cancellationToken)).CanViewProject(found.Release.ProjectId)
            ? null
            : ReleaseDetails.From(found.Release, found.Project);
    }

    /// <summary>The version a new release of the project is probably meant to have: the next patch of the latest.</summary>
    public async Task<string> SuggestNextVersionAsync(int projectId, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var versions = await db.Releases.Where(r => r.ProjectId == projectId).Select(r => r.Version).ToListAsync(cancellationToken);
        return ReleaseVersions.SuggestNext(versions);
    }

    /// <summary>Snapshots the project's saved process and variables as a new release with a version unique to the project.</summary>
    public async Task<SaveResult<ReleaseDetails>> CreateAsync(int projectId, ReleaseInput input, CancellationToken cancellationToken = default)
    {
        if (await current.RefusalAsync(Permission.EditProject, projectId, $"Project {projectId}", cancellationToken) is { } refused)
        {
            return refused;
        }
        var validation = await validator.ValidateAsync(input, cancellationToken);
        if (!validation.IsValid)
        {
            return SaveResult.Invalid(validation);
        }
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var project = await db.Projects.AsNoTracking().SingleOrDefaultAsync(p => p.Id == projectId, cancellationToken);
        if (project is null)
        {
            return SaveResult.NotFound($"Project {projectId} does not exist.");
        }
        if (project.IsArchived)
        {
            return SaveResult.Conflict($"Project '{project.Name}' is archived; restore it to create releases.");
        }
        if (project.Steps.Count == 0)
        {
            return SaveResult.Invalid("Steps", "The project has no steps to release.");
        }
        var pins = await ReleasePackages.PinAsync(db, project, input.Packages, cancellationToken);
        if (pins.Problem is { } unpinned)
        {
            return unpinned;
        }
        SemanticVersion.TryParse(input.Version, out var version);
        var release = Release.Create(project, version!, input.Notes, time.GetUtcNow(), pins.Packages);
        if (await VersionTakenAsync(db, projectId, release.Version, cancellationToken))
        {
            return VersionConflict(release.Version, project.Name);
        }
        db.Releases.Add(release);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Created by someone else between the check and the save: the unique index refused it.
            if (!await VersionTakenAsync(db, projectId, release.Version, cancellationToken))
            {
                throw;
            }
            return VersionConflict(release.Version, project.Name);
        }
        return new SaveResult<ReleaseDetails>(SaveResult.Saved, ReleaseDetails.From(release, project.Name));
    }

    private static Task<bool> VersionTakenAsync(AutoDeployDbContext db, int projectId, string version, CancellationToken cancellationToken) =>
        db.Releases.AnyAsync(r => r.ProjectId == projectId && r.Version == version, cancellationToken);

    private static SaveResult VersionConflict(string version, string project)
    {
        var message = $"Release {version} already exists for '{project}'.";
        return new SaveResult(SaveStatus.Conflict, message, new Dictionary<string, string[]> { [nameof(ReleaseInput.Version)] = [message] });
    }
}
