using AutoDeploy.Domain.Deployments;
using AutoDeploy.Domain.Environments;
using AutoDeploy.Domain.Projects;
using AutoDeploy.Domain.Releases;
using AutoDeploy.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace AutoDeploy.Tests.Dashboard;

/// <summary>Projects, releases and deployments in a given state, written straight through the DbContext.</summary>
public static class DashboardTestData
{
    public static async Task<Project> AddProjectAsync(this IDbContextFactory<AutoDeployDbContext> factory, string name)
    {
        await using var db = await factory.CreateDbContextAsync();
        var project = Project.Create(name, null);
        db.Projects.Add(project);
        await db.SaveChangesAsync();
        return project;
    }

    /// <summary>A release of the project deployed to the environment, ended in <paramref name="state"/> (or still running), one target per state given.</summary>
    public static async Task<Deployment> AddDeploymentAsync(this IDbContextFactory<AutoDeployDbContext> factory,
        Project project, DeploymentEnvironment environment, string version, DeploymentState state, params TargetState[] targets)
    {
        await using var db = await factory.CreateDbContextAsync();
        db.Attach(project);
        var release = await db.Releases.SingleOrDefaultAsync(r => r.ProjectId == project.Id && r.Version == version);
        if (release is null)
        {
            release = Release.Create(project, SemanticVersion.TryParse(version, out var semantic) ? semantic : throw new ArgumentException(version), null, DateTimeOffset.UtcNow);
            db.Releases.Add(release);
            await db.SaveChangesAsync();
        }
        var deployment = Deployment.Queue(project, release, environment, [], "admin@autodeploy.test", null, DateTimeOffset.UtcNow);
        if (state != DeploymentState.Queued)
        {
            deployment.Start(DateTimeOffset.UtcNow);
        }
        if (state.IsFinished())
        {
            deployment.Finish(state, state == DeploymentState.Success ? null : "it broke", DateTimeOffset.UtcNow);
        }
        db.Deployments.Add(deployment);
        await db.SaveChangesAsync();
        db.DeploymentTargets.AddRange(targets.Select((target, i) => new DeploymentTarget
        {
            DeploymentId = deployment.Id, MachineId = 1000 + i, MachineName = $"web-{i:00}", State = target,
        }));
        await db.SaveChangesAsync();
        return deployment;
    }
}
