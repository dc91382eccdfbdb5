using AutoDeploy.Domain.Deployments;
using AutoDeploy.Domain.Environments;
using AutoDeploy.Domain.Projects;
using AutoDeploy.Domain.Releases;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Engine;
using AutoDeploy.Web.Permissions;
using AutoDeploy.Domain.Permissions;
using AutoDeploy.Web.Signals;
using Microsoft.EntityFrameworkCore;
using AutoDeploy.Web.Telemetry;

namespace AutoDeploy.Web.Services;

/// <summary>Queues and cancels deployments and reads their results and logs; the TaskWorker runs them.</summary>
public sealed class DeploymentService(IDbContextFactory<AutoDeployDbContext> factory, TaskSignals signals, TimeProvider time,
    CurrentAccess current, AutoDeployMetrics? metrics = null)
{
    public const int MaxLogPage = 5000;

    /// <summary>Deployments in a page of the list when the caller does not say, and at most.</summary>
    public const int DefaultListPage = 50;

    public const int MaxListPage = 500;

    public async Task<SaveResult<DeploymentSummary>> QueueAsync(DeployRequest request, CancellationToken cancellationToken = default)
    {
        var access = await current.GetAsync(cancellationToken);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var release = await db.Releases.SingleOrDefaultAsync(r => r.Id == request.ReleaseId, cancellationToken);
        if (release is null || !access.CanViewProject(release.ProjectId))
        {
            return SaveResult.Invalid(nameof(DeployRequest.ReleaseId), $"Release {request.ReleaseId} does not exist.");
        }
        var environment = await db.Environments.SingleOrDefaultAsync(e => e.Id == request.EnvironmentId, cancellationToken);
        if (environment is null)
        {
            return SaveResult.Invalid(nameof(DeployRequest.EnvironmentId), $"Environment {request.EnvironmentId} does not exist.");
        }
        var project = await db.Projects.SingleAsync(p => p.Id == release.ProjectId, cancellationToken);
        if (Refusal(access, project.Name, project.Id, environment.Name, environment.Id) is { } refusal)
        {
            return refusal;
        }
        var chosen = request.MachineIds ?? [];
        return await QueueCheckedAsync(db, project, release, environment, chosen,
            () => Deployment.Queue(project, release, environment, chosen, ActorContext.Current, null, time.GetUtcNow()),
            error => SaveResult.Invalid(chosen.Count > 0 ? nameof(DeployRequest.MachineIds) : nameof(DeployRequest.EnvironmentId), error),
            cancellationToken);
    }

    /// <summary>
    /// Queues a new deployment of a finished deployment's release to its environment on the machines of it that failed or
    /// timed out (<see cref="DeploymentRetry"/>), linked to it. Not found for an unknown deployment; a conflict while it has
    /// not finished or a retry of it has not, when it has no such machine that still exists, and when they cannot be deployed to now.
    /// </summary>
    public async Task<SaveResult<DeploymentSummary>> RetryAsync(int id, CancellationToken cancellationToken = default)
    {
        var access = await current.GetAsync(cancellationToken);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var deployment = await db.Deployments.AsNoTracking().SingleOrDefaultAsync(d => d.Id == id, cancellationToken);
        if (deployment is null || !access.CanView(deployment.ProjectId, [deployment.EnvironmentId]))
        {
            return SaveResult.NotFound($"Deployment {id} does not exist.");
        }
        if (Refusal(access, deployment.ProjectName, deployment.ProjectId, deployment.EnvironmentName, deployment.EnvironmentId) is { } refusal)
        {
            return refusal;
        }
        var targets = await db.DeploymentTargets.AsNoTracking().Where(t => t.DeploymentId == id).ToListAsync(cancellationToken);
        var machineIds = targets.Select(t => t.MachineId).ToList();
        var existing = (await db.Machines.Where(m => machineIds.Contains(m.Id)).Select(m => m.Id).ToListAsync(cancellationToken)).ToHashSet();
        var unfinishedRetries = await db.Deployments
            .Where(d => d.RetryOfDeploymentId == id && (d.State == DeploymentState.Queued || d.State == DeploymentState.Executing))
            .Select(d => d.Id).ToListAsync(cancellationToken);
        var plan = DeploymentRetry.Plan(deployment, targets, existing, unfinishedRetries);
        if (!plan.CanRetry)
        {
            return SaveResult.Conflict(plan.Refusal!);
        }
        var release = await db.Releases.SingleAsync(r => r.Id == deployment.ReleaseId, cancellationToken);
        var project = await db.Projects.SingleAsync(p => p.Id == deployment.ProjectId, cancellationToken);
        var environment = await db.Environments.SingleOrDefaultAsync(e => e.Id == deployment.EnvironmentId, cancellationToken);
        if (environment is null)
        {
            return SaveResult.Conflict($"Environment '{deployment.EnvironmentName}' of deployment {id} no longer exists.");
        }
        var queued = await QueueCheckedAsync(db, project, release, environment, plan.MachineIds,
            () => Deployment.QueueRetry(plan, project, release, environment, ActorContext.Current, time.GetUtcNow()),
            error => SaveResult.Conflict($"The failed machines of deployment {id} cannot be deployed to now: {error}"),
            cancellationToken);
        return queued.Result.Succeeded
            ? queued with { Result = queued.Result with { Message = $"Retrying deployment {id} on {plan.Describe()}." } }
            : queued;
    }

    /// <summary>
    /// The one way a deployment is queued, however asked for: the project must be enabled and target selection must find
    /// machines to run on (<paramref name="refused"/> turns its error into the caller's answer); then <paramref name="queue"/>
    /// makes the deployment, which clears the project's auto-deploy override for the environment, and the task worker is woken.
    /// </summary>
    private async Task<SaveResult<DeploymentSummary>> QueueCheckedAsync(AutoDeployDbContext db, Project project, Release release,
        DeploymentEnvironment environment, IReadOnlyCollection<int> machineIds, Func<Deployment> queue, Func<string, SaveResult> refused,
        CancellationToken cancellationToken)
    {
        if (project.IsArchived)
        {
            return SaveResult.Conflict($"Project '{project.Name}' is archived; restore it to deploy.");
        }
        if (!project.IsEnabled)
        {
            return SaveResult.Conflict($"Project '{project.Name}' is disabled; enable it to deploy.");
        }
        var candidates = await MachineCandidates.InEnvironmentAsync(db, environment.Id, cancellationToken);
        var plan = TargetSelection.Select(release.Steps, project.Connectivity, candidates, machineIds);
        if (!plan.CanRun)
        {
            return refused(plan.Error!);
        }
        var deployment = queue();
        db.Deployments.Add(deployment);
        await AutoDeployOverrideService.ClearOverrideOnDeploymentAsync(db, project.Id, environment.Id, deployment.Title, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        signals.Queue.Notify(0);
        return new SaveResult<DeploymentSummary>(SaveResult.Saved, Summary(deployment));
    }

    public async Task<SaveResult> CancelAsync(int id, CancellationToken cancellationToken = default)
    {
        var access = await current.GetAsync(cancellationToken);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var deployment = await db.Deployments.SingleOrDefaultAsync(d => d.Id == id, cancellationToken);
        if (deployment is null || !access.CanView(deployment.ProjectId, [deployment.EnvironmentId]))
        {
            return SaveResult.NotFound($"Deployment {id} does not exist.");
        }
        if (Refusal(access, deployment.ProjectName, deployment.ProjectId, deployment.EnvironmentName, deployment.EnvironmentId) is { } refusal)
        {
            return refusal;
        }
        if (deployment.State.IsFinished())
        {
            return SaveResult.Conflict($"Deployment {id} has already ended ({deployment.State}).");
        }
        if (deployment.State == DeploymentState.Queued)
        {
            deployment.RequestCancel();
            deployment.Finish(DeploymentState.Canceled, "canceled before it started", time.GetUtcNow());
        }
        else
        {
            deployment.RequestCancel();
        }
        await db.SaveChangesAsync(cancellationToken);
        if (deployment.State.IsFinished())
        {
            metrics?.DeploymentFinished(deployment);
        }
        signals.Deployments.Notify(id);
        signals.Logs.Notify(id);
        return SaveResult.Saved;
    }

    public async Task<DeploymentDetails?> GetAsync(int id, CancellationToken cancellationToken = default)
    {
        var access = await current.GetAsync(cancellationToken);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var deployment = await db.Deployments.AsNoTracking().SingleOrDefaultAsync(d => d.Id == id, cancellationToken);
        if (deployment is null || !access.CanView(deployment.ProjectId, [deployment.EnvironmentId]))
        {
            return null;
        }
        var targets = await db.DeploymentTargets.AsNoTracking().Where(t => t.DeploymentId == id).OrderBy(t => t.MachineName).ToListAsync(cancellationToken);
        var jobs = await db.MachineJobs.AsNoTracking().Where(j => j.DeploymentId == id).OrderBy(j => j.StepIndex).ToListAsync(cancellationToken);
        var machines = targets.Select(t => new TargetResult(t.MachineId, t.MachineName, t.State, t.Reason,
            jobs.Where(j => j.MachineId == t.MachineId)
                .Select(j => new StepResult(j.Id, j.StepIndex ?? 0, j.Name, j.State, j.ExitCode, j.Message, j.StartedAt, j.CompletedAt))
                .ToList())).ToList();
        var retries = await db.Deployments.Where(d => d.RetryOfDeploymentId == id).OrderBy(d => d.Id).Select(d => d.Id).ToListAsync(cancellationToken);
        return new DeploymentDetails(Summary(deployment), machines, retries) { Steps = await StepsAsync(db, deployment, targets, jobs, cancellationToken) };
    }

    /// <summary>Each step's progress, from the release's steps and the roles the deployment's machines have now.</summary>
    private static async Task<IReadOnlyList<StepProgress>> StepsAsync(AutoDeployDbContext db, Deployment deployment, List<DeploymentTarget> targets,
        List<MachineJob> jobs, CancellationToken cancellationToken)
    {
        var steps = await db.Releases.AsNoTracking().Where(r => r.Id == deployment.ReleaseId).Select(r => r.Steps).SingleAsync(cancellationToken);
        var machineIds = targets.Select(t => t.MachineId).ToList();
        var roles = (await db.Machines.AsNoTracking().Where(m => machineIds.Contains(m.Id)).Select(m => new { m.Id, m.Roles })
            .ToListAsync(cancellationToken)).ToDictionary(m => m.Id, m => (IReadOnlyList<string>)m.Roles);
        return StepProgress.Of(steps, targets, roles, jobs);
    }

    /// <summary>Deployments newest first that match the filter, before the deployment id <paramref name="before"/> when given (a stable cursor).</summary>
    public async Task<IReadOnlyList<DeploymentSummary>> ListAsync(
        DeploymentFilter filter, long? before, int take, CancellationToken cancellationToken = default)
    {
        var access = await current.GetAsync(cancellationToken);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var query = db.Deployments.AsNoTracking().Visible(access);
        if (before is not null)
        {
            query = query.Where(d => d.Id < before);
        }
        if (filter.ProjectId is { } projectId)
        {
            query = query.Where(d => d.ProjectId == projectId);
        }
        if (filter.EnvironmentId is { } environmentId)
        {
            query = query.Where(d => d.EnvironmentId == environmentId);
        }
        if (filter.MachineId is { } machineId)
        {
            query = query.Where(d => db.DeploymentTargets.Any(t => t.DeploymentId == d.Id && t.MachineId == machineId));
        }
        if (filter.State is { } state)
        {
            query = query.Where(d => d.State == state);
        }
        var deployments = await query.OrderByDescending(d => d.Id).Take(take).ToListAsync(cancellationToken);
        return deployments.Select(Summary).ToList();
    }

    /// <summary>Log lines after a line id, oldest first, a page at a time; null when the deployment does not exist.</summary>
    public async Task<LogPage?> GetLogAsync(int id, long after, int take, CancellationToken cancellationToken = default)
    {
        var access = await current.GetAsync(cancellationToken);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        if (!await db.Deployments.Visible(access).AnyAsync(d => d.Id == id, cancellationToken))
        {
            return null;
        }
        var lines = await db.TaskLogLines.AsNoTracking()
            .Where(l => l.DeploymentId == id && l.Id > after).OrderBy(l => l.Id).Take(take)
            .Select(l => new LogLineDto(l.Id, l.At, l.MachineId, l.JobId, l.Stream, l.Text))
            .ToListAsync(cancellationToken);
        return new LogPage(lines, lines.Count == take ? lines[^1].Id : null);
    }

    /// <summary>For each project, the release of the latest successful deployment to the machine; null when there is no such machine.</summary>
    public async Task<IReadOnlyList<MachineRelease>?> GetMachineReleasesAsync(int machineId, CancellationToken cancellationToken = default)
    {
        var access = await current.GetAsync(cancellationToken);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        if (!await db.Machines.AnyAsync(m => m.Id == machineId, cancellationToken))
        {
            return null;
        }
        var successes = await db.DeploymentTargets.AsNoTracking()
            .Where(t => t.MachineId == machineId && t.State == TargetState.Success)
            .Join(db.Deployments.Visible(access), t => t.DeploymentId, d => d.Id, (t, d) => new { d, t.CompletedAt })
            .OrderByDescending(x => x.d.Id)
            .Select(x => new MachineRelease(x.d.ProjectId, x.d.ProjectName, x.d.ReleaseId, x.d.ReleaseVersion, x.d.Id, x.d.EnvironmentName, x.CompletedAt))
            .ToListAsync(cancellationToken);
        var latest = successes.GroupBy(r => r.ProjectId).Select(g => g.First()).OrderBy(r => r.ProjectName).ToList();
        var releaseIds = latest.Select(r => r.ReleaseId).ToList();
        var packages = (await db.Releases.AsNoTracking().Where(r => releaseIds.Contains(r.Id)).Select(r => new { r.Id, r.Packages })
                .ToListAsync(cancellationToken))
            .ToDictionary(r => r.Id, r => r.Packages.Select(p => new PinnedPackage(p.PackageId, p.Version)).ToList());
        return latest.Select(r => r with { Packages = packages.GetValueOrDefault(r.ReleaseId) ?? [] }).ToList();
    }

    /// <summary>A 403 for a caller who may see the project and environment but not deploy there; null when they may.</summary>
    private static SaveResult? Refusal(Access access, string project, int projectId, string environment, int environmentId) =>
        access.Can(Permission.Deploy, projectId, environmentId)
            ? null
            : SaveResult.Forbidden($"Your roles do not let you deploy {project} to {environment}.");

    private static DeploymentSummary Summary(Deployment d) => new(d.Id, d.ProjectId, d.ProjectName, d.ReleaseId, d.ReleaseVersion,
        d.EnvironmentId, d.EnvironmentName, d.State, d.QueuedAt, d.StartedAt, d.CompletedAt, d.QueuedBy, d.CancelRequested, d.FailureReason,
        d.ExecutingNode, d.LeaseExpiresAt, d.Warning, d.RetryOfDeploymentId);
}
