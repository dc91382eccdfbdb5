using AutoDeploy.Domain.Deployments;
using AutoDeploy.Domain.Projects;
using AutoDeploy.Domain.Releases;
using AutoDeploy.Domain.Permissions;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Secrets;
using AutoDeploy.Web.Permissions;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace AutoDeploy.Web.Services;

/// <summary>Projects for the project screens and the REST API: list, read, create, change as a whole, enable, archive, delete.</summary>
public sealed class ProjectService(
    IDbContextFactory<AutoDeployDbContext> factory, IValidator<ProjectInput> validator, SecretProtector secrets, CurrentAccess current)
{
    private static readonly DocumentSaves<Project> Saves = new("project", name => $"A project named '{name}' already exists.");

    /// <summary>Every project by name (archived ones only when asked), with its step count and its latest release by SemVer precedence.</summary>
    public async Task<IReadOnlyList<ProjectSummary>> ListAsync(bool includeArchived = false, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var projects = await db.Projects.AsNoTracking().Where(p => includeArchived || !p.IsArchived)
            .Visible(await current.GetAsync(cancellationToken)).OrderBy(p => p.NormalizedName).ToListAsync(cancellationToken);
        var releases = await db.Releases.AsNoTracking()
            .Select(r => new { r.Id, r.ProjectId, r.Version }).ToListAsync(cancellationToken);
        var latest = releases.GroupBy(r => r.ProjectId)
            .ToDictionary(g => g.Key, g => ReleaseVersions.NewestFirst(g, r => r.Version).First());
        return projects.Select(p => new ProjectSummary(p.Id, p.Name, p.Description, p.IsEnabled, p.Steps.Count,
            latest.GetValueOrDefault(p.Id)?.Id, latest.GetValueOrDefault(p.Id)?.Version, p.IsArchived)).ToList();
    }

    public async Task<ProjectDetails?> GetAsync(int id, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var project = await db.Projects.AsNoTracking().SingleOrDefaultAsync(p => p.Id == id, cancellationToken);
        return project is null || !(await current.GetAsync(cancellationToken)).CanViewProject(id) ? null : ProjectDetails.From(project);
    }

    /// <summary>The environments a variable can be scoped to, in display order.</summary>
    public async Task<IReadOnlyList<EnvironmentOption>> ListEnvironmentsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Environments.AsNoTracking().OrderBy(e => e.SortOrder).ThenBy(e => e.Id)
            .Select(e => new EnvironmentOption(e.Id, e.Name)).ToListAsync(cancellationToken);
    }

    public async Task<SaveResult<ProjectDetails>> CreateAsync(ProjectInput input, CancellationToken cancellationToken = default)
    {
        if (await current.RefusalAsync(Permission.EditProject, null, "a new project", cancellationToken) is { } refused) return refused;
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var (changes, problems) = await PrepareAsync(db, input, stored: [], cancellationToken);
        if (problems is not null)
        {
            return problems;
        }
        if (await Saves.TakenAsync(db.Projects, input.Name, null, cancellationToken))
        {
            return Saves.Conflict(input.Name);
        }
        var project = Project.Create(input.Name, input.Description);
        project.IsEnabled = input.IsEnabled;
        project.Steps = changes.Steps;
        project.Variables = changes.Variables;
        project.Connectivity = changes.Connectivity;
        db.Projects.Add(project);
        return await SaveAsync(db, project, input.Name, null, cancellationToken);
    }

    /// <summary>
    /// Replaces the project with <paramref name="input"/>. <paramref name="version"/> is the version the user loaded;
    /// if someone saved since, nothing is written and the result is Stale.
    /// </summary>
    public async Task<SaveResult<ProjectDetails>> UpdateAsync(
        int id, ProjectInput input, int? version, CancellationToken cancellationToken = default)
    {
        if (await current.RefusalAsync(Permission.EditProject, id, $"Project {id}", cancellationToken) is { } refused) return refused;
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var project = await db.Projects.SingleOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (project is null)
        {
            return NotFound(id);
        }
        var (changes, problems) = await PrepareAsync(db, input, project.Variables, cancellationToken);
        if (problems is not null)
        {
            return problems;
        }
        if (Saves.IsStale(db, project, version))
        {
            return SaveResult.Stale(Saves.Label);
        }
        if (await Saves.TakenAsync(db.Projects, input.Name, id, cancellationToken))
        {
            return Saves.Conflict(input.Name);
        }
        project.Change(input.Name, input.Description, input.IsEnabled, changes.Steps, changes.Variables, changes.Connectivity);
        return await SaveAsync(db, project, input.Name, id, cancellationToken);
    }

    public async Task<SaveResult<ProjectDetails>> SetEnabledAsync(int id, bool enabled, CancellationToken cancellationToken = default)
    {
        if (await current.RefusalAsync(Permission.EditProject, id, $"Project {id}", cancellationToken) is { } refused) return refused;
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var project = await db.Projects.SingleOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (project is null)
        {
            return NotFound(id);
        }
        project.IsEnabled = enabled;
        return await SaveAsync(db, project, project.Name, id, cancellationToken);
    }

    /// <summary>
    /// Archives a project (<see cref="Project.IsArchived"/>): hidden, its triggers ignored, its history kept. Refused while
    /// one of its deployments is queued or running, so that nothing it started is left without its project on screen.
    /// </summary>
    public async Task<SaveResult<ProjectDetails>> ArchiveAsync(int id, CancellationToken cancellationToken = default)
    {
        if (await current.RefusalAsync(Permission.EditProject, id, $"Project {id}", cancellationToken) is { } refused) return refused;
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var project = await db.Projects.SingleOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (project is null)
        {
            return NotFound(id);
        }
        if (await InProgressAsync(db, id, cancellationToken))
        {
            return InProgress(project);
        }
        project.Archive();
        return await SaveAsync(db, project, project.Name, id, cancellationToken);
    }

    public async Task<SaveResult<ProjectDetails>> RestoreAsync(int id, CancellationToken cancellationToken = default)
    {
        if (await current.RefusalAsync(Permission.EditProject, id, $"Project {id}", cancellationToken) is { } refused) return refused;
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var project = await db.Projects.SingleOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (project is null)
        {
            return NotFound(id);
        }
        project.Restore();
        return await SaveAsync(db, project, project.Name, id, cancellationToken);
    }

    /// <summary>
    /// Deletes a project that never deployed, with its releases and triggers. One with deployments is refused: deleting it
    /// would erase the record of what ran where, so it can only be archived.
    /// </summary>
    public async Task<SaveResult> DeleteAsync(int id, CancellationToken cancellationToken = default)
    {
        if (await current.RefusalAsync(Permission.EditProject, id, $"Project {id}", cancellationToken) is { } refused) return refused;
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var project = await db.Projects.SingleOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (project is null)
        {
            return NotFound(id);
        }
        if (await InProgressAsync(db, id, cancellationToken))
        {
            return InProgress(project);
        }
        if (await db.Deployments.AnyAsync(d => d.ProjectId == id, cancellationToken))
        {
            return SaveResult.Conflict($"Project '{project.Name}' has deployments, the record of what ran: archive it instead of deleting it.");
        }
        db.Projects.Remove(project);
        return await Saves.SaveAsync(db, cancellationToken);
    }

    private static Task<bool> InProgressAsync(AutoDeployDbContext db, int id, CancellationToken cancellationToken) =>
        db.Deployments.AnyAsync(d => d.ProjectId == id && (d.State == DeploymentState.Queued || d.State == DeploymentState.Executing), cancellationToken);

    private static SaveResult InProgress(Project project) =>
        SaveResult.Conflict($"Project '{project.Name}' has a deployment in progress; wait for it to finish or cancel it first.");

    /// <summary>Validates the input and turns it into the stored form; problems per field if it cannot be saved.</summary>
    private async Task<(ProjectChanges Changes, SaveResult? Problems)> PrepareAsync(
        AutoDeployDbContext db, ProjectInput input, IReadOnlyList<ProjectVariable> stored, CancellationToken cancellationToken)
    {
        var validation = await validator.ValidateAsync(input, cancellationToken);
        var environmentIds = await db.Environments.Select(e => e.Id).ToListAsync(cancellationToken);
        var changes = ProjectChanges.From(input, stored, environmentIds.ToHashSet(), secrets);
        var errors = validation.Errors.Select(e => (e.PropertyName, e.ErrorMessage)).Concat(changes.Problems)
            .GroupBy(e => e.Item1).ToDictionary(g => g.Key, g => g.Select(e => e.Item2).Distinct().ToArray());
        return (changes, errors.Count == 0 ? null : new SaveResult(SaveStatus.Invalid, "Please correct the errors.", errors));
    }

    private static async Task<SaveResult<ProjectDetails>> SaveAsync(
        AutoDeployDbContext db, Project project, string name, int? exceptId, CancellationToken cancellationToken)
    {
        var saved = await Saves.SaveAsync(db, db.Projects, name, exceptId, cancellationToken);
        return saved.Succeeded ? new SaveResult<ProjectDetails>(saved, ProjectDetails.From(project)) : saved;
    }

    private static SaveResult NotFound(int id) => SaveResult.NotFound($"Project {id} does not exist.");
}
