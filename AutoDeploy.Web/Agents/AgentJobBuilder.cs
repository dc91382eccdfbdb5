using AutoDeploy.Domain.Agents;
using AutoDeploy.Domain.Deployments;
using AutoDeploy.Domain.Packages;
using AutoDeploy.Domain.Policies;
using AutoDeploy.Domain.Releases;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Secrets;
using Microsoft.EntityFrameworkCore;

namespace AutoDeploy.Web.Agents;

/// <summary>Turns a claimed <see cref="MachineJob"/> into what the agent runs: the script and its variables.</summary>
public static class AgentJobBuilder
{
    public static async Task<AgentJob> BuildAsync(
        AutoDeployDbContext db, MachineJob job, TimeSpan heartbeat, SecretProtector secrets, CancellationToken cancellationToken)
    {
        if (job.Kind == AgentJobKind.HealthCheck)
        {
            return await HealthCheckAsync(db, job, heartbeat, cancellationToken);
        }
        if (job.DeploymentId is null || job.StepIndex is null)
        {
            throw new InvalidOperationException($"Job {job.Id} runs a script but names no deployment step.");
        }
        var deployment = await db.Deployments.AsNoTracking().SingleAsync(d => d.Id == job.DeploymentId, cancellationToken);
        var release = await db.Releases.AsNoTracking().SingleAsync(r => r.Id == deployment.ReleaseId, cancellationToken);
        var machine = await db.Machines.AsNoTracking().Include(m => m.MachinePolicy).SingleAsync(m => m.Id == job.MachineId, cancellationToken);
        var step = release.Steps[job.StepIndex.Value];
        var context = new DeploymentContext(deployment.Id, deployment.ProjectName, deployment.ReleaseVersion,
            deployment.EnvironmentId, deployment.EnvironmentName, machine.Name, machine.Roles) { Leaving = deployment.Leaving };
        var variables = DeploymentVariables.For(context, secrets.Reveal(release.Variables));
        var package = step.PackageId is null ? null
            : await PackageAsync(db, release, step.PackageId, deployment.ProjectName, cancellationToken) with
            {
                SubstituteInFiles = step.SubstituteInFiles,
                KeepVersions = machine.MachinePolicy!.PackageVersionsToKeep,
            };
        return new AgentJob(job.Id, job.Kind, step.Name, step.Script, variables, job.TimeoutSeconds, heartbeat, package);
    }

    /// <summary>The version of the step's package the release pins, with what the agent needs to fetch and check it.</summary>
    private static async Task<JobPackage> PackageAsync(AutoDeployDbContext db, Release release, string packageId, string project,
        CancellationToken cancellationToken)
    {
        var pin = release.Packages.Single(p => p.NormalizedPackageId == PackageIdentity.Normalize(packageId));
        var file = await db.PackageVersions.AsNoTracking()
            .SingleAsync(p => p.NormalizedPackageId == pin.NormalizedPackageId && p.Version == pin.Version, cancellationToken);
        return new JobPackage(file.PackageId, file.Version, file.Format, file.Sha256, file.Size, project);
    }

    /// <summary>Connectivity only: an empty script (answering is the check). RunScript: the policy's bash script.</summary>
    private static async Task<AgentJob> HealthCheckAsync(AutoDeployDbContext db, MachineJob job, TimeSpan heartbeat, CancellationToken cancellationToken)
    {
        var machine = await db.Machines.AsNoTracking().Include(m => m.MachinePolicy).SingleAsync(m => m.Id == job.MachineId, cancellationToken);
        var policy = machine.MachinePolicy!;
        var script = policy.HealthCheckType == HealthCheckType.RunScript ? policy.HealthCheckScript ?? "" : "";
        var variables = new Dictionary<string, string>
        {
            ["AUTODEPLOY_MACHINE"] = machine.Name,
            ["AUTODEPLOY_ROLES"] = string.Join(",", machine.Roles),
            ["AUTODEPLOY_MACHINE_POLICY"] = policy.Name,
        };
        return new AgentJob(job.Id, job.Kind, job.Name, script, variables, job.TimeoutSeconds, heartbeat);
    }
}
