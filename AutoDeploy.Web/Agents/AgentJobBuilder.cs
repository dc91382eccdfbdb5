using AutoDeploy.Domain.Agents;
using AutoDeploy.Domain.Deployments;
using AutoDeploy.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace AutoDeploy.Web.Agents;

/// <summary>Turns a claimed <see cref="MachineJob"/> into what the agent runs: the script and its variables.</summary>
public static class AgentJobBuilder
{
    public static async Task<AgentJob> BuildAsync(AutoDeployDbContext db, MachineJob job, CancellationToken cancellationToken)
    {
        if (job.Kind == AgentJobKind.HealthCheck || job.DeploymentId is null || job.StepIndex is null)
        {
            return new AgentJob(job.Id, job.Kind, job.Name, "", new Dictionary<string, string>(), job.TimeoutSeconds);
        }
        var deployment = await db.Deployments.AsNoTracking().SingleAsync(d => d.Id == job.DeploymentId, cancellationToken);
        var release = await db.Releases.AsNoTracking().SingleAsync(r => r.Id == deployment.ReleaseId, cancellationToken);
        var machine = await db.Machines.AsNoTracking().SingleAsync(m => m.Id == job.MachineId, cancellationToken);
        var step = release.Steps[job.StepIndex.Value];
        var context = new DeploymentContext(deployment.Id, deployment.ProjectName, deployment.ReleaseVersion,
            deployment.EnvironmentId, deployment.EnvironmentName, machine.Name, machine.Roles);
        var variables = DeploymentVariables.For(context, release.Variables);
        return new AgentJob(job.Id, job.Kind, step.Name, step.Script, variables, job.TimeoutSeconds);
    }
}
