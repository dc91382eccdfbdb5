using AutoDeploy.Domain.Agents;
using AutoDeploy.Domain.Deployments;
using AutoDeploy.Domain.Environments;
using AutoDeploy.Domain.Machines;
using AutoDeploy.Domain.Projects;
using AutoDeploy.Domain.Releases;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.HealthChecks;
using AutoDeploy.Web.Hosting;
using AutoDeploy.Web.Services;
using AutoDeploy.Web.Signals;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AutoDeploy.Tests.HealthChecks;

/// <summary>Services and data for the health-check task page, the "Check health" buttons and the machine page's releases.</summary>
public static class HealthCheckTestData
{
    /// <summary>What those components need beside a database factory and a TimeProvider.</summary>
    public static IServiceCollection AddHealthCheckUi(this IServiceCollection services)
    {
        services.TryAddSingleton<TaskSignals>();
        services.AddOptions();
        services.TryAddSingleton<HealthCheckService>();
        services.TryAddScoped<DeploymentService>();
        return services.AddHealthCheckRuns();
    }

    /// <summary>Stands in for the machine's agent: its job of the run is answered as it would be, and the verdict recorded.</summary>
    public static async Task AnswerAsync(this IDbContextFactory<AutoDeployDbContext> factory, HealthCheckService healthChecks, int runId, int machineId)
    {
        long jobId;
        await using (var db = await factory.CreateDbContextAsync())
        {
            var job = await db.MachineJobs.SingleAsync(j => j.HealthCheckRunId == runId && j.MachineId == machineId);
            job.State = JobState.Succeeded;
            job.CompletedAt = DateTimeOffset.UtcNow;
            var machine = await db.Machines.SingleAsync(m => m.Id == machineId);
            machine.AgentVersion = AgentProtocol.Version;
            await db.SaveChangesAsync();
            jobId = job.Id;
        }
        await healthChecks.RecordAsync(jobId, JobOutcome.Succeeded, 0);
    }

    /// <summary>A project, a release of it and a deployment of that release to the machine that succeeded.</summary>
    public static async Task<Deployment> AddSucceededDeploymentAsync(
        this IDbContextFactory<AutoDeployDbContext> factory, Machine machine, DeploymentEnvironment environment, string projectName, string version)
    {
        await using var db = await factory.CreateDbContextAsync();
        var project = Project.Create(projectName, null);
        db.Projects.Add(project);
        await db.SaveChangesAsync();
        var parsed = SemanticVersion.TryParse(version, out var semantic) ? semantic : throw new ArgumentException(version, nameof(version));
        var release = Release.Create(project, parsed, null, DateTimeOffset.UtcNow);
        db.Releases.Add(release);
        await db.SaveChangesAsync();
        var deployment = Deployment.Queue(project, release, environment, [machine.Id], "admin@autodeploy.test", null, DateTimeOffset.UtcNow);
        deployment.Start(DateTimeOffset.UtcNow);
        deployment.Finish(DeploymentState.Success, null, DateTimeOffset.UtcNow);
        db.Deployments.Add(deployment);
        await db.SaveChangesAsync();
        db.DeploymentTargets.Add(new DeploymentTarget
        {
            DeploymentId = deployment.Id, MachineId = machine.Id, MachineName = machine.Name, State = TargetState.Success,
            CompletedAt = new DateTimeOffset(2026, 11, 24, 12, 30, 0, TimeSpan.Zero),
        });
        await db.SaveChangesAsync();
        return deployment;
    }
}
