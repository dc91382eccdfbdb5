using AutoDeploy.Domain.Deployments;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Permissions;
using AutoDeploy.Web.Engine;
using Microsoft.EntityFrameworkCore;

namespace AutoDeploy.Web.Services;

/// <summary>The start page in one read: projects × environments with the latest deployment in each cell, machines by health, decisions.</summary>
public sealed record DashboardView(
    IReadOnlyList<EnvironmentSummary> Environments,
    IReadOnlyList<DashboardProject> Projects,
    IReadOnlyList<DashboardCell> Cells,
    IReadOnlyList<AutoDeployDecisionView> Decisions,
    SetupProgress Setup)
{
    public DashboardCell? CellOf(int projectId, int environmentId) =>
        Cells.FirstOrDefault(c => c.ProjectId == projectId && c.EnvironmentId == environmentId);

    public IEnumerable<int> RunningDeploymentIds => Cells.Where(c => !c.State.IsFinished()).Select(c => c.DeploymentId);
}

public sealed record DashboardProject(int Id, string Name, bool IsEnabled);

/// <summary>
/// The latest deployment of a project to an environment; <see cref="InstalledVersion"/> is the release of the latest
/// successful one when that is an older deployment (the latest failed, or is still running).
/// </summary>
public sealed record DashboardCell(
    int ProjectId, int EnvironmentId, int DeploymentId, int ReleaseId, string ReleaseVersion, DeploymentState State,
    int MachinesDone, int MachinesTotal, DateTimeOffset? CompletedAt, string? InstalledVersion);

/// <summary>Which steps of getting started a new installation has done.</summary>
public sealed record SetupProgress(bool HasEnvironment, bool HasMachine, bool HasProject, bool HasRelease, bool HasTrigger)
{
    public bool IsComplete => HasEnvironment && HasMachine && HasProject && HasRelease && HasTrigger;
}

public sealed class DashboardService(IDbContextFactory<AutoDeployDbContext> factory, EnvironmentService environments,
    AutoDeployDecisionQueries decisions, CurrentAccess current)
{
    public const int DecisionCount = 8;

    public async Task<DashboardView> GetAsync(CancellationToken cancellationToken = default)
    {
        var environmentList = await environments.ListAsync(cancellationToken);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var access = await current.GetAsync(cancellationToken);
        var projects = await db.Projects.AsNoTracking().Where(p => !p.IsArchived).Visible(access).OrderBy(p => p.Name)
            .Select(p => new DashboardProject(p.Id, p.Name, p.IsEnabled)).ToListAsync(cancellationToken);
        var cells = (await CellsAsync(db, cancellationToken)).Where(c => access.CanView(c.ProjectId, [c.EnvironmentId])).ToList();
        var setup = new SetupProgress(
            environmentList.Count > 0,
            await db.Machines.AnyAsync(cancellationToken),
            projects.Count > 0,
            await db.Releases.AnyAsync(cancellationToken),
            await db.Triggers.AnyAsync(cancellationToken));
        var latestDecisions = await decisions.LatestAsync(DecisionCount, cancellationToken);
        return new DashboardView(environmentList, projects, cells, latestDecisions, setup);
    }

    private static async Task<IReadOnlyList<DashboardCell>> CellsAsync(AutoDeployDbContext db, CancellationToken cancellationToken)
    {
        var latestIds = await db.Deployments.GroupBy(d => new { d.ProjectId, d.EnvironmentId })
            .Select(g => g.Max(d => d.Id)).ToListAsync(cancellationToken);
        var latest = await db.Deployments.AsNoTracking().Where(d => latestIds.Contains(d.Id)).ToListAsync(cancellationToken);
        var installedIds = await db.Deployments.Where(d => d.State == DeploymentState.Success)
            .GroupBy(d => new { d.ProjectId, d.EnvironmentId }).Select(g => g.Max(d => d.Id)).ToListAsync(cancellationToken);
        var installed = await db.Deployments.AsNoTracking().Where(d => installedIds.Contains(d.Id) && !latestIds.Contains(d.Id))
            .Select(d => new { d.ProjectId, d.EnvironmentId, d.ReleaseVersion }).ToListAsync(cancellationToken);
        var deploymentIds = latest.Select(d => d.Id).ToList();
        var progress = await db.DeploymentTargets.Where(t => deploymentIds.Contains(t.DeploymentId) && t.State != TargetState.Skipped)
            .GroupBy(t => t.DeploymentId)
            .Select(g => new
            {
                DeploymentId = g.Key,
                Total = g.Count(),
                Done = g.Count(t => t.State != TargetState.Pending && t.State != TargetState.Running),
            })
            .ToDictionaryAsync(x => x.DeploymentId, cancellationToken);
        return latest.Select(d => new DashboardCell(
            d.ProjectId, d.EnvironmentId, d.Id, d.ReleaseId, d.ReleaseVersion, d.State,
            progress.TryGetValue(d.Id, out var p) ? p.Done : 0, progress.TryGetValue(d.Id, out var q) ? q.Total : 0, d.CompletedAt,
            installed.FirstOrDefault(i => i.ProjectId == d.ProjectId && i.EnvironmentId == d.EnvironmentId)?.ReleaseVersion)).ToList();
    }
}
