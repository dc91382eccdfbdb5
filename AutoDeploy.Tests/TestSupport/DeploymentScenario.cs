using AutoDeploy.Domain.Deployments;
using AutoDeploy.Domain.Environments;
using AutoDeploy.Domain.Machines;
using AutoDeploy.Domain.Policies;
using AutoDeploy.Domain.Projects;
using AutoDeploy.Domain.Releases;
using AutoDeploy.Domain.Triggers;
using AutoDeploy.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace AutoDeploy.Tests.TestSupport;

/// <summary>Builds an environment, machines with agent tokens, and a project with a release, straight in the database.</summary>
public sealed class DeploymentScenario(IDbContextFactory<AutoDeployDbContext> factory)
{
    public DeploymentEnvironment Environment { get; private set; } = null!;
    public Project Project { get; private set; } = null!;
    public Release Release { get; private set; } = null!;

    public async Task<DeploymentScenario> WithEnvironmentAsync(string name = "Production")
    {
        await using var db = await factory.CreateDbContextAsync();
        Environment = DeploymentEnvironment.Create($"{name}-{Guid.NewGuid():N}"[..30], null, 0);
        db.Environments.Add(Environment);
        await db.SaveChangesAsync();
        return this;
    }

    public async Task<DeploymentScenario> WithReleaseAsync(ConnectivitySettings? connectivity = null, params DeploymentStep[] steps)
    {
        await using var db = await factory.CreateDbContextAsync();
        Project = Project.Create($"Shop-{Guid.NewGuid():N}", null);
        Project.Steps = steps.ToList();
        Project.Variables = [new ProjectVariable { Name = "DB_PASSWORD", Value = "s3cret", IsSensitive = true }];
        Project.Connectivity = connectivity ?? new ConnectivitySettings();
        db.Projects.Add(Project);
        await db.SaveChangesAsync();
        Release = Release.Create(Project, new SemanticVersion(1, 0, 0, null, null), null, DateTimeOffset.UtcNow);
        db.Releases.Add(Release);
        await db.SaveChangesAsync();
        return this;
    }

    /// <summary>A registered, healthy machine in the environment; returns its id and agent token.</summary>
    public async Task<(int Id, string Token)> AddMachineAsync(string name, params string[] roles)
    {
        await using (var db = await factory.CreateDbContextAsync())
        {
            if (!await db.MachinePolicies.AnyAsync(p => p.IsDefault))
            {
                db.MachinePolicies.Add(MachinePolicy.CreateDefault());
                await db.SaveChangesAsync();
            }
        }
        return await factory.AddAsync(name, [Environment.Id], roles, healthy: true);
    }

    /// <summary>The release succeeded in the environment, and a trigger deploys it to machines that become available.</summary>
    public async Task<DeploymentScenario> WithSuccessfulDeploymentAndTriggerAsync()
    {
        await using var db = await factory.CreateDbContextAsync();
        db.AttachRange(Project, Release, Environment);
        var deployment = Deployment.Queue(Project, Release, Environment, [], "test", null, DateTimeOffset.UtcNow);
        deployment.Start(DateTimeOffset.UtcNow);
        deployment.Finish(DeploymentState.Success, null, DateTimeOffset.UtcNow);
        db.Deployments.Add(deployment);
        db.Triggers.Add(ProjectTrigger.Create(Project.Id, "Web servers"));
        if (!await db.MachinePolicies.AnyAsync(p => p.IsDefault))
        {
            db.MachinePolicies.Add(MachinePolicy.CreateDefault());
        }
        await db.SaveChangesAsync();
        return this;
    }

    /// <summary>A machine with role web in the environment, added and then found Healthy (two saves, two events).</summary>
    public async Task<int> AddHealthyMachineAsync(string name)
    {
        await using var db = await factory.CreateDbContextAsync();
        var policy = await db.MachinePolicies.SingleAsync(p => p.IsDefault);
        var environment = await db.Environments.SingleAsync(e => e.Id == Environment.Id);
        var machine = Machine.Register(name, [environment], ["web"], policy, DateTimeOffset.UtcNow);
        db.Machines.Add(machine);
        await db.SaveChangesAsync();
        machine.RecordHealth(MachineHealthStatus.Healthy, null, DateTimeOffset.UtcNow);
        await db.SaveChangesAsync();
        return machine.Id;
    }

    public static DeploymentStep Step(string name, string role, string script = "echo hello", int timeoutSeconds = 60) =>
        new() { Name = name, Roles = [role], Script = script, Timeout = TimeSpan.FromSeconds(timeoutSeconds) };
}
